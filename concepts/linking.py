"""Finds the concepts an essay discusses, with the Finnish analysis of finnish.analysis.

A concept's term, English term and synonyms are looked for in the essay's title and text
in any inflected form, and inside compounds where the term is the head, the last part:
"asiakaskokemus" is found in "verkkoasiakaskokemuksen" and "kokemus" in
"asiakaskokemus", but "asiakas" is not found in "asiakaskokemus", where it only modifies.
"""

import functools
import re
from dataclasses import dataclass

from django.db import transaction
from wagtail.rich_text import RichText

from finnish.ahead import made_ahead
from finnish.analysis import query_forms, tokenize, word_forms

# Dashes between letters join a word as a hyphen does ("huippu–loppu-sääntö").
INNER_DASH = re.compile(r"(?<=\w)[–—](?=\w)")
TAGS = re.compile(r"<[^>]+>")
TITLE_WEIGHT = 3
TAG_WEIGHT = 2


@dataclass(frozen=True)
class Token:
    surface: str
    bases: frozenset
    forms: frozenset


@functools.lru_cache(maxsize=200_000)
def token(word):
    """A word's analysis, made once per distinct word (Token is immutable, so it is shared)."""
    return Token(word, frozenset(query_forms(word)), frozenset(word_forms(word)))


def words(text):
    return tokenize(INNER_DASH.sub("-", text or ""))


# An import's worker process analyses an essay's words as it reads the record, for the end of the
# chunk to take (finnish.ahead).
@made_ahead
def analysed_words(text):
    """The words of a text and the readings of each distinct one, {word: (its token's bases, its
    token's forms)}: tuples, which another process unpickles in a fraction of the time Tokens take,
    and of which only the words a Lexicon has not judged yet become Tokens."""
    text_words = words(text)
    readings = {}
    for word in text_words:
        if word not in readings:
            analysed = token(word)
            readings[word] = (tuple(analysed.bases), tuple(analysed.forms))
    return text_words, readings


class TermWord:
    """One word of a concept's term, matched in any inflection and as a compound's head."""

    def __init__(self, word):
        self.bases = frozenset(query_forms(word))
        parts = word_forms(word) - self.bases
        # The head of a compound term is the part its base forms end with ("kokemus" of "asiakaskokemus").
        heads = {part for part in parts for base in self.bases if base.endswith(part)}
        self.heads = frozenset(heads or self.bases)

    def matches(self, token):
        if self.bases & token.bases:
            return True
        return any(
            base.endswith(term_base)
            and len(base) > len(term_base)
            and (term_base in token.forms or self.heads & token.forms)
            for base in token.bases
            for term_base in self.bases
        )


class Lexicon:
    """The words of the concepts' terms, and which of them each word of the essays matches: a
    word is judged once per process, not once per essay and concept."""

    # Judgements kept before they are dropped, so that a long-running process stays bounded.
    limit = 200_000

    def __init__(self):
        self.words, self.judged = {}, {}
        # The judged words that match some term word.
        self.hits = set()
        # Term words by their base forms: a word can only match a term word whose base ends one of its own.
        self.by_base = {}

    def term_word(self, word):
        if word not in self.words:
            term_word = self.words[word] = TermWord(word)
            for base in term_word.bases:
                self.by_base.setdefault(base, set()).add(term_word)
            self.judged, self.hits = {}, set()
        return self.words[word]

    def matching(self, word, readings=None):
        """The term words this word of a text matches; `readings` are its token's (bases, forms) if known."""
        found = self.judged.get(word)
        if found is None:
            if len(self.judged) >= self.limit:
                self.judged, self.hits = {}, set()
            analysed = token(word) if readings is None else Token(word, *map(frozenset, readings))
            candidates = set()
            for base in analysed.bases:
                for start in range(len(base)):
                    candidates |= self.by_base.get(base[start:], set())
            found = tuple(term for term in self.words.values() if term in candidates and term.matches(analysed))
            self.judged[word] = found
            if found:
                self.hits.add(word)
        return found

    def matched(self, surfaces, readings=None):
        """{word: the term words it matches} for those of a set of distinct words that match any;
        only the words not judged before are looked at one by one, by their readings if given
        (analysed_words)."""
        readings = readings or {}
        found = {}
        for word in surfaces.difference(self.judged):
            if term_words := self.matching(word, readings.get(word)):
                found[word] = term_words
        found.update((word, self.judged[word]) for word in surfaces & self.hits)
        return found


LEXICON = Lexicon()


class Text:
    """A text's words, which term words each distinct word matches, and where the matching ones
    stand: most words match none, and only the distinct ones are judged."""

    def __init__(self, text_words, lexicon, readings=None):
        self.words = text_words
        self.positions, self.matching = {}, {}
        for surface, term_words in lexicon.matched(set(text_words), readings).items():
            for word in term_words:
                self.matching.setdefault(word, set()).add(surface)
            self.positions[surface] = []
        for position, surface in enumerate(text_words):
            if surface in self.positions:
                self.positions[surface].append(position)


class ConceptMatcher:
    def __init__(self, concept, lexicon=LEXICON):
        self.concept = concept
        terms = [concept.title, concept.english_term, *concept.synonym_list()]
        self.terms = []
        for term in terms:
            words = [word for word in tokenize(INNER_DASH.sub("-", term or "")) if word]
            # tokenize repeats a hyphenated word's parts after it; a term is matched by its whole words.
            whole = [word for word in words if not any(word != other and word in other.split("-") for other in words)]
            if whole:
                self.terms.append([lexicon.term_word(word) for word in whole])

    def mentions(self, text):
        """(number of mentions, the words of the first mention) in a Text: the positions where
        some term starts, each counted once."""
        starts = {}
        for term in self.terms:
            matching = [text.matching.get(word, ()) for word in term]
            for surface in matching[0]:
                for start in text.positions[surface]:
                    window = text.words[start : start + len(term)]
                    if (
                        start not in starts
                        and len(window) == len(term)
                        and all(said in words for words, said in zip(matching, window, strict=True))
                    ):
                        starts[start] = window
        if not starts:
            return 0, None
        return len(starts), " ".join(starts[min(starts)])


def stream_text(stream_value):
    texts = []
    for child in stream_value or []:
        if isinstance(child.value, RichText):
            texts.append(TAGS.sub(" ", child.value.source))
        else:
            texts.extend(str(text) for text in child.block.get_searchable_content(child.value))
    return "\n".join(texts)


@dataclass
class Mention:
    score: int
    first: str


def essay_mentions(essay, matchers, lexicon=LEXICON):
    """{concept pk: Mention} for the concepts the essay discusses."""
    title_tokens = Text(words(essay.title), lexicon)
    body_words, body_analysed = analysed_words(stream_text(essay.body))
    body_tokens = Text(body_words, lexicon, body_analysed)
    tag_names = {tag.name.casefold() for tag in essay.tags.all()}
    found = {}
    for matcher in matchers:
        in_body, first = matcher.mentions(body_tokens)
        in_title, title_first = matcher.mentions(title_tokens)
        tagged = bool(tag_names & matcher.concept.tag_names())
        score = in_body + TITLE_WEIGHT * in_title + TAG_WEIGHT * tagged
        if score:
            found[matcher.concept.pk] = Mention(score, first or title_first or "")
    return found


def link_essays(essays):
    """link_essay for many essays, with one read of the concepts and of the essays' links."""
    from .models import ConceptPage, EssayConceptLink

    concepts = list(ConceptPage.objects.live())
    matchers = [ConceptMatcher(concept) for concept in concepts]
    existing = {
        (link.essay_id, link.concept_id): link
        for link in EssayConceptLink.objects.filter(essay__in=essays, concept__in=concepts)
    }
    created, updated, removed = [], [], []
    for essay in essays:
        found = essay_mentions(essay, matchers)
        for concept in concepts:
            link, mention = existing.get((essay.pk, concept.pk)), found.get(concept.pk)
            if link is not None and link.origin == EssayConceptLink.Origin.MANUAL:
                if mention:
                    link.mentions, link.first_mention = mention.score, mention.first[:150]
                    updated.append(link)
            elif mention is None:
                if link is not None:
                    removed.append(link.pk)
            elif link is None:
                created.append(
                    EssayConceptLink(
                        essay=essay,
                        concept=concept,
                        origin=EssayConceptLink.Origin.AUTO,
                        mentions=mention.score,
                        first_mention=mention.first[:150],
                        linked=True,
                    )
                )
            else:
                link.mentions, link.first_mention, link.linked = mention.score, mention.first[:150], True
                updated.append(link)
    with transaction.atomic():
        EssayConceptLink.objects.filter(pk__in=removed).delete()
        EssayConceptLink.objects.bulk_create(created)
        EssayConceptLink.objects.bulk_update(updated, ["mentions", "first_mention", "linked"])


def update_links(essay, found, concept_ids):
    """Stores automatic links for the given concepts; a link an editor made or removed stays as it is."""
    from .models import EssayConceptLink

    with transaction.atomic():
        existing = {
            link.concept_id: link for link in EssayConceptLink.objects.filter(essay=essay, concept_id__in=concept_ids)
        }
        for concept_id in concept_ids:
            link = existing.get(concept_id)
            mention = found.get(concept_id)
            if link is not None and link.origin == EssayConceptLink.Origin.MANUAL:
                if mention and (link.mentions, link.first_mention) != (mention.score, mention.first):
                    link.mentions, link.first_mention = mention.score, mention.first[:150]
                    link.save(update_fields=["mentions", "first_mention"])
                continue
            if mention is None:
                if link is not None:
                    link.delete()
                continue
            if link is None:
                link = EssayConceptLink(essay=essay, concept_id=concept_id, origin=EssayConceptLink.Origin.AUTO)
            link.mentions, link.first_mention, link.linked = mention.score, mention.first[:150], True
            link.save()


def link_essay(essay):
    """Finds the concepts of one essay (on its publication)."""
    link_essays([essay])


def link_concept(concept):
    """Finds the essays of one concept (on its publication: its terms may have changed)."""
    from essays.models import EssayPage

    matcher = ConceptMatcher(concept)
    for essay in EssayPage.objects.live().prefetch_related("tags"):
        update_links(essay, essay_mentions(essay, [matcher]), [concept.pk])
