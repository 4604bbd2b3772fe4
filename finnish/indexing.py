"""The analysed text every searchable model indexes, and the query terms that match it."""

import functools
import itertools
import re

from modelsearch import index
from wagtail import blocks
from wagtail.blocks import StreamValue
from wagtail.rich_text import RichText, get_text_for_indexing

from finnish.ahead import made_ahead
from finnish.analysis import JOINERS_RE, WORD_RE, analyse, lemma_alternatives, lemmas, query_forms, tokenize

# Stored rich text is well-formed HTML from the editor; a pattern strips its tags in a fraction
# of the time Django's parser-based strip_tags takes, which every indexed text and snippet pays.
_TAG_RE = re.compile(r"<[^>]*>")


TEXT_BLOCKS = (blocks.CharBlock, blocks.TextBlock, blocks.RichTextBlock)


def strip_tags(html):
    return _TAG_RE.sub(" ", html)


# A tag as the rich-text editor stores it: a name and double-quoted attributes without markup.
_PLAIN_TAG_RE = re.compile(r'</?[a-zA-Z][a-zA-Z0-9]*(?:\s+[a-zA-Z_:-]+="[^"<>&]*")*\s*/?>')
# Where Wagtail's get_text_for_indexing leaves a space: after a block element's end, <br /> and <hr />.
_BLOCK_END_RE = re.compile(r"(</(?:p|h\d|li|blockquote)>|<(?:br|hr)\s*/>)", re.IGNORECASE)


def text_for_indexing(source):
    """Wagtail's get_text_for_indexing of a rich-text source: where every tag is a plain one and
    no entity or stray bracket is left, its tags are stripped by pattern, the same text without
    Django's HTML parser; anything else goes to Wagtail's own."""
    stripped = _PLAIN_TAG_RE.sub("", _BLOCK_END_RE.sub(r"\1 ", source))
    if "<" in stripped or ">" in stripped or "&" in stripped:
        return get_text_for_indexing(source)
    return stripped.strip()


class StreamSearchField(index.SearchField):
    """index.SearchField of a StreamField: the text Wagtail's get_searchable_content gives, its
    rich-text blocks' text by text_for_indexing."""

    def get_value(self, obj):
        value = getattr(obj, self.field_name)
        if not value.stream_block.search_index:
            return []
        content = []
        for child in value:
            if isinstance(child.block, blocks.RichTextBlock) and child.block.search_index:
                content.append(text_for_indexing(str(child.value.source)))
            else:
                content.extend(child.block.get_searchable_content(child.value))
        return content


def index_term(form):
    # Joiners split words in every backend's tokenizer; inside one index term they are dropped,
    # so "tietosuoja-asetus" is one term everywhere.
    return JOINERS_RE.sub("", form)


def plain_text(value):
    """Text of a string, rich text or StreamField value."""
    if value is None:
        return ""
    if isinstance(value, StreamValue):
        # The stored JSON, not the blocks' get_searchable_content: index and snippets need only
        # the words, not every block rendered.
        return " ".join(_strings(value.stream_block, value.raw_data))
    if isinstance(value, RichText):
        return strip_tags(value.source)
    return str(value)


def _strings(block, data):
    """The prose in a block's stored data: what its text blocks hold, not a heading's level or a
    link's address."""
    if isinstance(block, blocks.StreamBlock):
        for child in data or ():
            if child.get("type") in block.child_blocks:
                yield from _strings(block.child_blocks[child["type"]], child.get("value"))
    elif isinstance(block, blocks.StructBlock) and isinstance(data, dict):
        for name, child_block in block.child_blocks.items():
            yield from _strings(child_block, data.get(name))
    elif isinstance(block, blocks.ListBlock) and isinstance(data, list):
        for item in data:
            # Items are stored as {"type": "item", "value": …, "id": …}, or bare in older data.
            value = item.get("value") if isinstance(item, dict) and item.get("type") == "item" else item
            yield from _strings(block.child_block, value)
    elif isinstance(block, TEXT_BLOCKS) and isinstance(data, str):
        yield strip_tags(data)


# Distinct words whose index terms are kept (_word_terms), as many as finnish.analysis keeps analyses of.
WORD_CACHE_SIZE = 200_000
# Texts of at most this many characters are short (text_analysis): names, titles and tags, not bodies.
SHORT_TEXT = 300
SHORT_TEXTS_KEPT = 20_000
# Phrase alternatives beyond this many are dropped: a phrase of unknown words with every case
# ending would grow without bound, and SQLite's FTS5 parser overflows on about a hundred.
MAX_PHRASE_ALTERNATIVES = 48
# Pair terms of two neighbouring phrase words looked up in the index at most.
MAX_PAIR_LOOKUPS = MAX_PHRASE_ALTERNATIVES**2


# Joins two lemmas into one term: a digit, which every backend's tokenizer keeps inside a word.
PAIR_JOINER = "0"


def analysed_text(*values):
    """Index terms of all the values, as one space-separated string for an index.SearchField.

    First every word's forms, then every word's lemma in order, then each two neighbouring lemmas
    as one term (lemma_pair). The lemma run is what a quoted phrase is matched against (adjacent
    index positions); the database backends match a phrase of two words by its pair terms
    instead, as they match a word by its forms, because checking positions costs a read of every
    candidate text's vector.
    """
    analysed = [_terms_of(plain_text(value)) for value in values]
    runs = [(run, pairs) for _forms, run, pairs in analysed if run]
    # Each value's own pairs come analysed; only those of two values' neighbouring lemmas are made here.
    pairs = []
    for (previous, _previous_pairs), (run, own_pairs) in itertools.pairwise([((), ""), *runs]):
        if previous and pairable(previous[-1], run[0]):
            pairs.append(lemma_pair(previous[-1], run[0]))
        if own_pairs:
            pairs.append(own_pairs)
    lemma_runs = [" ".join(run) for run, _pairs in runs]
    return " ".join([*(forms for forms, _run, _pairs in analysed if forms), *lemma_runs, *pairs])


# One save of a page indexes it several times with the same texts (its own save, then the saves
# of its authors', books' and tags' rows, then publishing); a long essay's analysis is most of an
# import's time, so the last texts' analyses are kept.
@functools.lru_cache(maxsize=16)
def _terms_of(text):
    return text_analysis(text)


# An import's worker process makes the analysis of an essay's body as it reads the record, for the
# end of the chunk to take (finnish.ahead).
@made_ahead
def text_analysis(text):
    """What analysed_text makes of a value whose plain_text is `text`: its forms, as one
    space-separated string, its lemma run, and the pair terms of the run's neighbouring lemmas, as
    one space-separated string."""
    if text and len(text) <= SHORT_TEXT:
        return _short_text_analysis(text)
    return _analysis(text)


# A short text (a name, a title, a tag) recurs in many records and its analysis is small: many
# are kept, where a body's is large and rarely met again.
@functools.lru_cache(maxsize=SHORT_TEXTS_KEPT)
def _short_text_analysis(text):
    return _analysis(text)


def _analysis(text):
    words = list(map(_word_terms, WORD_RE.findall(text or "")))
    run = tuple(lemma for _forms, lemma in words)
    pairs = " ".join(lemma_pair(first, second) for first, second in itertools.pairwise(run) if pairable(first, second))
    return " ".join(forms for forms, _lemma in words if forms is not None), run, pairs


# A text is analysed word by word, and most words of a pass over many texts have been met before:
# each distinct word's index terms are kept whole, not looked up and joined form by form again.
@functools.lru_cache(maxsize=WORD_CACHE_SIZE)
def _word_terms(word):
    """One word's forms as index terms, space-separated (None if it has none), and its lemma as one."""
    forms = [index_term(form) for form in analyse(word)]
    return (" ".join(forms) if forms else None), index_term(lemmas(word)[0])


def lemma_pair(first, second):
    """The index term of two lemmas side by side in a text."""
    return f"{first}{PAIR_JOINER}{second}"


def pairable(first, second):
    """Whether two neighbouring lemmas are indexed as a pair term: not with a digit beside the
    joiner, which would make "1 000" the number 10000."""
    return not (first[-1:].isdigit() or second[:1].isdigit())


def phrase_options(phrase):
    """The lemmas each word of a quoted phrase may stand for, word by word."""
    return [
        [option for option in dict.fromkeys(map(index_term, lemma_alternatives(word))) if option]
        for word in query_words(phrase)
    ]


def phrase_alternatives(word_options):
    """Lemma sequences ("a b") a quoted phrase matches, at most MAX_PHRASE_ALTERNATIVES, from its
    phrase_options.

    An unknown word stands for its stem with every case ending, so a phrase of two names is
    hundreds of sequences, of which the few the index holds would fall beyond the cap: a database
    backend first narrows the options to those it holds (held_options).
    """
    sequences = [[]]
    for options in word_options:
        sequences = [[*sequence, option] for sequence in sequences for option in options]
        sequences = sequences[:MAX_PHRASE_ALTERNATIVES]
    return [" ".join(sequence) for sequence in sequences if sequence]


def held_options(word_options, held):
    """Each word's options (phrase_options) that `held`, a set of index terms, holds; a word none
    of whose options it holds keeps its first, so that the phrase still matches nothing."""
    return [[option for option in options if option in held] or options[:1] for options in word_options]


def phrase_pairs(word_options):
    """For each two neighbouring words of a phrase, the lemma_pair terms they may stand for, from
    their phrase_options; None if some of them are not pairable.

    The options come narrowed to those the index holds (held_options), and build_query keeps
    MAX_PHRASE_ALTERNATIVES of a pair's terms only after asking which of them the index holds, so
    two unknown names with many endings each keep the one pair a text holds; MAX_PAIR_LOOKUPS
    only bounds that lookup.
    """
    pairs = []
    for firsts, seconds in itertools.pairwise(word_options):
        if not all(pairable(first, second) for first in firsts for second in seconds):
            return None
        pairs.append([lemma_pair(first, second) for first in firsts for second in seconds][:MAX_PAIR_LOOKUPS])
    return pairs


def query_terms(word):
    """Index terms a query word matches, sorted for stable query bodies."""
    return sorted({index_term(form) for form in query_forms(word)} - {""})


def query_words(text):
    """Whole words of a query (a hyphenated word stays one word)."""
    words = []
    for word in tokenize(text):
        if words and JOINERS_RE.search(words[-1]) and word in JOINERS_RE.split(words[-1]):
            continue
        words.append(word)
    return words
