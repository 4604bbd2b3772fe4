"""Finnish word analysis shared by search indexing, query parsing and concept linking.

Finnish inflects and compounds its words, so exact strings miss most mentions: an essay says
"asiakaskokemukseen", the reader types "asiakaskokemus" or just "kokemus". Every text is therefore
reduced to *forms*: the lowercase surface word, its base forms from Voikko, and the base forms of
its compound parts. Two words that share a form are the same word for search and linking.

Public API:

``word_forms(word) -> set[str]``
    Lowercase surface word, Voikko base forms and the base forms of compound parts::

        word_forms("asiakaskokemukseen")
        == {"asiakaskokemukseen", "asiakaskokemus", "asiakas", "kokemus"}

    Words Voikko does not know, proper names above all, get the stems left after stripping common
    case endings, so "Kortesuon" and "Kortesuo" share "kortesuo" and "Kahnemanin" and "Kahneman"
    share "kahneman". Hyphenated words also get the forms of each part. ä, ö and å are never folded.
    Results are cached.

``query_forms(word) -> set[str]``
    The narrower set a *query* word is matched by: ``word_forms`` without the compound parts, so
    "asiakaskokemus" in a query does not match every text that mentions "asiakas", while
    "kokemus" in a query still matches "asiakaskokemus" (whose parts are in its forms).

``tokenize(text) -> list[str]``
    Surface words in order. A hyphenated or colon-joined word ("tietosuoja-asetuskin", "EU:n")
    is given whole and then part by part.

``analyse(text) -> list[str]``
    Index terms of a text: the forms of every word, word by word in text order, each word's
    forms sorted, without repeating a form within one word.

``lemma(word) -> str`` and ``lemma_alternatives(word) -> set[str]``
    One token per word for phrase search: a known word's first base form, an unknown word as
    written. A query word stands for all its base forms or, unknown to Voikko, for its stems with
    every case ending, so "Kortesuo" in a quoted phrase still finds "Kortesuon".

``is_known_word(word) -> bool``
    Whether Voikko knows the word (finnish.hyphenation repairs PDF hyphenation with it).

``backend_name() -> str``
    ``"libvoikko"`` when the C library and its Finnish dictionary are installed (Debian packages
    libvoikko1 and voikko-fi), else ``"pyvoikko"`` (pure Python, from PyPI). The two can differ
    on rare words; run ``manage.py update_index`` after installing or removing libvoikko.
"""

import functools
import logging
import re

logger = logging.getLogger(__name__)

# Letters and digits, joined by inner hyphens, colons ("EU:n") and apostrophes ("Bush'n").
WORD_RE = re.compile(r"[^\W_]+(?:[-:'’][^\W_]+)*")
JOINERS_RE = re.compile(r"[-:'’]")
# Longest first, so "Kortesuolla" loses "lla" before "a". Covers the singular and plural case
# endings and the clitics that attach to names.
_NAME_SUFFIXES = sorted(
    set(
        "n a ä t ta tä na nä ksi ssa ssä sta stä lla llä lta ltä lle in en an än on ön un yn hin hen han hon"
        " seen iin ssaan ssään lleen nsa nsä kin kaan kään ineen ien jen ja jä ista istä ille illa illä issa"
        " issä ia iä ihin ilta iltä ina inä iksi".split()
    ),
    key=len,
    reverse=True,
)
_MIN_STEM = 3
# The case endings a name most often carries, most common first: a quoted phrase with an unknown
# word is searched as that word with each of them.
_PHRASE_ENDINGS = (
    "", "n", "in", "a", "ä", "ta", "tä", "lla", "llä", "lle", "lta", "ltä",
    "ssa", "ssä", "sta", "stä", "ksi", "na", "nä", "hin", "seen", "kin",
)  # fmt: skip
# A piece of libvoikko's WORDBASES: "+" opening a morpheme, a base form in parentheses, or
# surface letters.
_WORDBASE_PIECE_RE = re.compile(r"\+|\(([^)]*)\)|[^+(]+")
# Distinct words each cache below keeps: with finnish.indexing's terms of a word they hold about
# 1 KB a word, so a process that meets ever new words (a long import) stays under some 200 MB.
_CACHE_SIZE = 200_000


class _PyVoikko:
    name = "pyvoikko"

    def __init__(self):
        import pyvoikko

        self._analyse = pyvoikko.analyse

    def analyses(self, word):
        """(base form, [compound part base forms]) for each analysis."""
        result = []
        for analysis in self._analyse(word):
            parts = [part.BASEFORM for part in analysis.COMPOUND_PARTS or []]
            result.append((analysis.BASEFORM, parts))
        return result


class _LibVoikko:
    name = "libvoikko"

    def __init__(self):
        import libvoikko

        # Asking for the dictionaries first fails cleanly (OSError) when the C library is missing;
        # a failed Voikko() would complain again from its destructor.
        if not any(dictionary.language == "fi" for dictionary in libvoikko.Voikko.listDicts()):
            raise OSError("libvoikko has no Finnish dictionary (Debian package voikko-fi)")
        self._voikko = libvoikko.Voikko("fi")

    def analyses(self, word):
        result = []
        for analysis in self._voikko.analyze(word):
            result.append(self._parts(analysis.get("BASEFORM", ""), analysis.get("WORDBASES", "")))
        return result

    @staticmethod
    def _parts(baseform, wordbases):
        """Compound parts as nouns from WORDBASES such as "+palvel(palvella)+u(+u)+muotoil(muotoilla)+u(+u)".

        Each "+" opens a morpheme: its letters, then in parentheses the base form of a root
        ("(palvella)", "(alle=kirjoittaa)") or of a derivation suffix ("(+u)"), after which more
        letters and suffixes may follow ("+sijoit(sijoittaa)tel(+ella)"). libvoikko gives the root
        of a derived part ("palvella"), pyvoikko the derived word ("palvelu"); searching "palvelu"
        must find "palvelumuotoilu" with either, so a root and the suffix morphemes after it are
        joined back into the part as written. A part before the last is written in its base form
        inside a compound; the last one's base form is what the whole word's base form has after
        the others.
        """
        morphemes = []
        for piece in _WORDBASE_PIECE_RE.finditer(wordbases):
            if piece.group() == "+":
                morphemes.append(["", ""])
            elif morphemes and piece.group(1) is not None:
                # The first base form tells what the morpheme is; a suffix's after a root's is
                # part of that root's derivation.
                morphemes[-1][1] = morphemes[-1][1] or piece.group(1).replace("=", "")
            elif morphemes:
                morphemes[-1][0] += piece.group()
        groups = []
        for letters, base in morphemes:
            if letters == "-" and not base:
                groups.append(["-", None])
            elif base.startswith("+") and groups and groups[-1][1] is not None:
                groups[-1] = [groups[-1][0] + letters, groups[-1][0] + letters]
            else:
                groups.append([letters, base or letters])
        words = [group for group in groups if group[1] is not None]
        if len(words) < 2:
            return baseform, []
        parts = [base for _letters, base in words[:-1]]
        prefix = "".join(letters for letters, _base in groups[:-1])
        last_letters, last_base = groups[-1]
        derived = last_base == last_letters and baseform.lower().startswith(prefix.lower())
        parts.append(baseform[len(prefix) :] if derived else last_base)
        return baseform, parts


@functools.cache
def _voikko():
    try:
        return _LibVoikko()
    except (ImportError, OSError) as error:
        logger.info("libvoikko not available (%s); using pyvoikko", error)
    return _PyVoikko()


def backend_name():
    return _voikko().name


def _clean(form):
    # pyvoikko writes the base form of "tietosuoja-asetus" as "tietosuoja--asetus".
    return re.sub(r"-{2,}", "-", form.lower()).strip("-")


def _voikko_bases(word):
    """(base forms, compound parts' base forms) from Voikko, as sets; both empty for an unknown word."""
    bases, parts = _voikko_readings(word)
    return set(bases), set(parts)


# A word's forms, its lemma and whether it is known each need its readings: Voikko is asked once per
# distinct word, not once for each of them.
@functools.lru_cache(maxsize=_CACHE_SIZE)
def _voikko_readings(word):
    """(base forms, compound parts' base forms) from Voikko, as sorted tuples; both empty for an
    unknown word.

    Voikko is case-sensitive: try the word as written, in lowercase and capitalised, so both
    "Asiakaskokemuksen" at the start of a sentence and "helsingissä" in lowercase are known.
    Of several readings keep those with the fewest compound parts: "asetuskin" is "asetus" + "kin",
    not "ase" + "tuskin".
    """
    for candidate in dict.fromkeys((word, word.lower(), word.capitalize())):
        analyses = _voikko().analyses(candidate)
        if analyses:
            break
    else:
        return (), ()
    fewest = min(len(parts) for _base, parts in analyses)
    bases, parts = set(), set()
    for base, base_parts in analyses:
        if base and len(base_parts) == fewest:
            bases.add(_clean(base))
            parts.update(_clean(part) for part in base_parts)
    bases.discard("")
    parts.discard("")
    return _sorted_forms(bases), _sorted_forms(parts)


def _name_stems(word):
    """Stems of a word Voikko does not know: the word less each case ending it may carry.

    Names in -nen inflect through -se-/-s- ("Simosen", "Simosta"), so a stem ending in s also
    gives the -nen form.
    """
    stems = {
        word[: -len(suffix)]
        for suffix in _NAME_SUFFIXES
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM
    }
    nen_forms = {stem.removesuffix("e")[:-1] + "nen" for stem in stems if stem.removesuffix("e").endswith("s")}
    return stems | nen_forms


@functools.lru_cache(maxsize=_CACHE_SIZE)
def _forms(word):
    """(forms without compound parts, all forms) of one surface word, as sorted tuples.

    Tuples of strings, unlike sets, are dropped from the garbage collector's watch, so a full
    cache does not lengthen every full collection.
    """
    lower = word.lower()
    pieces = [piece for piece in JOINERS_RE.split(word) if piece]
    if not pieces:
        return (), ()
    if len(pieces) > 1 and ":" in word:
        # A query for "EU:n" or "Kahneman:in" means the word before its ending. The text's terms
        # also take every piece, as database parsers split them: "ISO 9001:2015" is found by
        # "2015" and "1:1-keskustelut" by "keskustelut".
        narrow, wide = _forms(pieces[0])
        pieces_forms = (form for piece in pieces[1:] for form in _forms(piece)[1])
        return _sorted_forms({lower, *narrow}), _sorted_forms({lower, *wide, *pieces_forms})
    if len(pieces) > 1:
        bases, parts = _voikko_bases(word)
        if not bases:
            # Voikko does not know the whole ("Kela-korvauksen"): join the parts, the last one in
            # its base forms.
            head_bases = set(_forms(pieces[-1])[0]) - {pieces[-1].lower()} or {pieces[-1].lower()}
            prefix = "-".join(piece.lower() for piece in pieces[:-1])
            bases = {f"{prefix}-{head}" for head in head_bases}
        narrow = {lower} | bases
        wide = narrow | parts
        for piece in pieces:
            wide.update(_forms(piece)[1])
        return _sorted_forms(narrow), _sorted_forms(wide)
    if lower.isdigit():
        return (lower,), (lower,)
    bases, parts = _voikko_bases(word)
    if not bases:
        bases = _name_stems(lower)
    return _sorted_forms({lower} | bases), _sorted_forms({lower} | bases | parts)


def _sorted_forms(forms):
    return tuple(sorted(forms))


def word_forms(word):
    """Lowercase surface word, base forms and compound parts' base forms of one word."""
    return set(_forms(word.strip())[1])


def query_forms(word):
    """The forms a query word matches by: surface word and base forms, no compound parts."""
    return set(_forms(word.strip())[0])


def base_forms(word):
    """Voikko's base forms of a word, none for a word Voikko does not know."""
    return _voikko_bases(word.strip())[0]


def is_known_word(word):
    """Whether Voikko knows the word, as written, in lowercase or capitalised."""
    return bool(_voikko_readings(word.strip())[0])


@functools.lru_cache(maxsize=_CACHE_SIZE)
def lemma(word):
    """The one token a word of a text is represented by in phrase search."""
    bases, _parts = _voikko_readings(word.strip())
    return min(bases) if bases else word.strip().lower()


def lemma_alternatives(word):
    """Lemmas of the text words a query word stands for in a phrase, likeliest first."""
    word = word.strip()
    bases, _parts = _voikko_bases(word)
    if bases:
        return sorted(bases)
    stems = [word.lower(), *sorted(_name_stems(word.lower()), key=len, reverse=True)]
    return list(dict.fromkeys(stem + ending for stem in stems for ending in _PHRASE_ENDINGS))


def tokenize(text):
    """Surface words of a text in order; hyphenated words whole and then part by part."""
    words = []
    for word in WORD_RE.findall(text or ""):
        words.append(word)
        # A word of letters and digits alone ([^\W_]) has no joiners to split at.
        if word.isalnum():
            continue
        pieces = [piece for piece in JOINERS_RE.split(word) if piece]
        if len(pieces) > 1:
            # "EU:n" is "EU" and an ending, not two words.
            words.extend(pieces[:1] if ":" in word else pieces)
    return words


def analyse(text):
    """Index terms of a text: every word's forms, word by word in text order."""
    terms = []
    for match in WORD_RE.finditer(text or ""):
        terms.extend(_forms(match.group().strip())[1])
    return terms


def lemmas(text):
    """The text as phrase search sees it: one lemma per word, in order."""
    return [lemma(match.group()) for match in WORD_RE.finditer(text or "")]
