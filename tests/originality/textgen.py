"""Finnish-like essays on one book and topic, generated from phrases written for these tests, and
essays derived from them: copied in part, reordered, lightly quoted, or unrelated.

Every essay is built from the same pools of phrases, so two unrelated essays share words and some
three-word runs, as real essays on the same book do.
"""

import random
from dataclasses import dataclass

SUBJECTS = (
    "Asiakaskokemus", "Hyvä palvelu", "Tiimin jäsen", "Valmentaja", "Yrittäjä", "Kirjan kirjoittaja",
    "Asiakas", "Palvelumuotoilu", "Oppiva organisaatio", "Jokainen kosketuspiste", "Esimies",
    "Myyjä", "Pieni yritys", "Tiimiakatemian opiskelija", "Johtaja", "Brändi", "Luottamus",
    "Kokenut konsultti", "Projektitiimi", "Asiakaspalvelija", "Uusi työntekijä", "Strategia",
)  # fmt: skip
VERBS = (
    "syntyy", "rakentaa", "vaatii", "muuttaa", "kehittää", "korostaa", "tukee", "kuvaa", "haastaa",
    "ohjaa", "vahvistaa", "selittää", "mittaa", "parantaa", "unohtaa", "huomioi", "tarvitsee",
    "jakaa", "arvioi", "luo",
)  # fmt: skip
OBJECTS = (
    "luottamusta", "asiakkaan tarpeiden ymmärtämistä", "pitkäjänteistä työtä", "yhteistä tavoitetta",
    "rohkeita kokeiluja", "selkeää viestintää", "palautteen kuuntelemista", "uusia palveluja",
    "tunnetta kuulluksi tulemisesta", "avointa keskustelua", "asiakassuhteen jatkuvuutta",
    "oppimisen kulttuuria", "hyviä muistoja", "vastuuta omasta työstä", "kilpailuetua",
    "arvoa molemmille osapuolille", "tiimin sisäistä dialogia", "myynnin ammattitaitoa",
    "kokonaisvaltaista ajattelua", "asiakkaan polun tuntemista", "sitoutumista", "uteliaisuutta",
)  # fmt: skip
ADVERBIALS = (
    "jokaisessa kohtaamisessa", "kirjan mukaan", "arjen työssä", "pitkällä aikavälillä",
    "projektin alussa", "asiakkaan näkökulmasta", "tiimin kesken", "oman kokemukseni perusteella",
    "verkkokaupassa", "kasvokkain", "kriisin keskellä", "yllättävän usein", "ennen kaikkea",
    "kirjoittajien mielestä", "käytännössä", "muutoksen aikana", "johtoryhmässä", "kesätöissäni",
    "myyntitilanteessa", "palautekeskustelussa", "ensimmäisenä vuonna", "valmennuksessa",
)  # fmt: skip
CONNECTIVES = ("koska", "vaikka", "kun", "jotta", "ja siksi", "mutta samalla")


def sentence(rng):
    first = f"{rng.choice(SUBJECTS)} {rng.choice(VERBS)} {rng.choice(OBJECTS)} {rng.choice(ADVERBIALS)}"
    if rng.random() < 0.5:
        second = f"{rng.choice(SUBJECTS).lower()} {rng.choice(VERBS)} {rng.choice(OBJECTS)}"
        return f"{first}, {rng.choice(CONNECTIVES)} {second}."
    return f"{first}."


def paragraphs_of(sentences, per_paragraph=4):
    return [" ".join(sentences[start : start + per_paragraph]) for start in range(0, len(sentences), per_paragraph)]


@dataclass
class Case:
    """A generated essay: its sentences, and the source essay's name when it copies one."""

    name: str
    sentences: list
    source: str = None
    copied: float = 0.0


def words(sentences):
    return sum(len(text.split()) for text in sentences)


def copied_from(source, share, rng, name, *, reorder=False):
    """An essay whose words are `share` source sentences (a passage of them in a row), the rest new."""
    length = len(source.sentences)
    target = share * words(source.sentences)
    start = rng.randrange(length)
    taken = []
    while words(taken) < target and len(taken) < length:
        taken.append(source.sentences[(start + len(taken)) % length])
    new = []
    while words(taken) + words(new) < words(source.sentences) or (share < 1 and not new):
        new.append(sentence(rng))
    # The copied share of the new essay's words is at least `share` of the source's length.
    sentences = taken + new
    if reorder:
        rng.shuffle(sentences)
    else:
        position = rng.randrange(len(new) + 1)
        sentences = new[:position] + taken + new[position:]
    return Case(name, sentences, source=source.name, copied=words(taken) / words(sentences))


def reordered(source, rng, name):
    """The source's paragraphs in another order, and the sentences within each shuffled."""
    paragraphs = [source.sentences[start : start + 4] for start in range(0, len(source.sentences), 4)]
    rng.shuffle(paragraphs)
    for paragraph in paragraphs:
        rng.shuffle(paragraph)
    return Case(name, [text for paragraph in paragraphs for text in paragraph], source=source.name, copied=1.0)


def generated_set(seed=2026, sources=30):
    """(bank essays, submitted essays): the submitted ones copy 30–100 % of a source (in a row or
    reordered), are a source reordered, quote a source lightly (10–20 %), or are unrelated."""
    rng = random.Random(seed)
    bank = [Case(f"lähde-{number}", [sentence(rng) for _ in range(rng.randint(18, 40))]) for number in range(sources)]
    submitted = []
    for number, source in enumerate(bank):
        kind = number % 6
        name = f"uusi-{number}"
        if kind in (0, 1):
            submitted.append(copied_from(source, rng.uniform(0.3, 1.0), rng, name))
        elif kind == 2:
            submitted.append(copied_from(source, rng.uniform(0.3, 1.0), rng, name, reorder=True))
        elif kind == 3:
            submitted.append(reordered(source, rng, name))
        elif kind == 4:
            submitted.append(copied_from(source, rng.uniform(0.08, 0.15), rng, name))
        else:
            submitted.append(Case(name, [sentence(rng) for _ in range(rng.randint(18, 40))]))
    submitted += [Case(f"muu-{number}", [sentence(rng) for _ in range(rng.randint(18, 40))]) for number in range(10)]
    return bank, submitted


def is_copy(case):
    """Whether the case is a copy by the test set's rule: at least 30 % of its words copied."""
    return case.source is not None and case.copied >= 0.3
