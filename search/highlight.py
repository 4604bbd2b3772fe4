"""The matched words of a hit's title, names and snippet, marked.

A word of the text matches a query word when they share a form, so highlighting analyses the
text's words as the index did (finnish.analysis), but only those that could match.
"""

import html
import itertools
import re

from django.utils.safestring import mark_safe

from finnish.analysis import JOINERS_RE, WORD_RE, query_forms, word_forms
from finnish.indexing import index_term
from search import caches

SNIPPET_WORDS = 30


@caches.per_word
def _token_terms(word):
    # A tuple, not a set: the collector stops watching it (see finnish.analysis._forms).
    return tuple(index_term(form) for form in word_forms(word))


# Analysing a word with Voikko costs far more than a pattern search, and a page of snippets holds
# hundreds of words, so Voikko is asked only about the words of a text that could match a wanted
# term: those holding the first two letters of the term as any form of it may show them (the word
# itself, a compound part, a name's stem; see _stem_pairs), a joiner allowed between them
# ("y-akseli" of "yakseli"), and, for a term of at most SHORT_TERM letters or in
# FIRST_LETTER_BASES, those beginning with its first letter ("on" of "olla", "sitä" of "se", a
# digit or a letter alone). It misses only derivation suffixes Voikko lists as parts ("ttu" of
# "valitun", "u" of "vertailu"), which no reader searches for (docs/search.md). Suppletive forms of
# the base forms below share no letters with them: for those every word is asked.
SUPPLETIVE_BASES = frozenset({"ei", "hyvä"})  # "älä", "parempi", "paras"
SHORT_TERM = 4
# Longer base forms whose forms share only the first letter with them ("ketään").
FIRST_LETTER_BASES = frozenset({"kukaan"})
# Consonant gradation weakens a k, p or t that follows a word's first vowel ("ikä", "iän"; "yksi",
# "yhden"; "apu", "avun"; "itä", "idän"), and turns "ik" into "j" ("aika", "ajan"); a base form
# with the weak grade has inflections with the strong one ("edetä", "etenee"; "evätä", "epää").
# Further on it leaves the first two letters alone.
_WEAK_GRADES = {"k": ("", "h", "v"), "p": ("v",), "t": ("d",)}
_STRONG_GRADES = {"d": ("t",), "v": ("p",)}
_VOWELS = "aeiouyäö"
# A plural stem shortens a long vowel ("tie", "teiden"; "työ", "töitä"; "yö", "öitä").
_SHORTENED = {"ie": "e", "uo": "o", "yö": "ö"}


def _stem_pairs(term):
    """The first two letters the forms of a term may have, its own among them."""
    pairs = {term[:2]}
    if len(term) > 2 and term[1:3] in _SHORTENED:
        pairs.add(term[0] + _SHORTENED[term[1:3]])
    if term[:2] in _SHORTENED:
        pairs.add(_SHORTENED[term[:2]] + "i")
    if term[0] in _VOWELS:
        for grade in (*_WEAK_GRADES.get(term[1:2], ()), *_STRONG_GRADES.get(term[1:2], ())):
            pairs.add((term[0] + grade + term[2:3])[:2])
    if term[1:3] == "ik":
        pairs.add(term[0] + "j")
    return {pair for pair in pairs if len(pair) == 2}


def _candidate_pattern(wanted):
    """A pattern finding where in a text a word that could match begins or holds the first letters
    of a wanted term's forms; None when every word must be asked."""
    if wanted & SUPPLETIVE_BASES:
        return None
    pairs = sorted({pair for term in wanted for pair in _stem_pairs(term)})
    initials = sorted({term[0] for term in wanted if len(term) <= SHORT_TERM or term in FIRST_LETTER_BASES})
    alternatives = [f"(?<![^\\W_]){re.escape(letter)}" for letter in initials] + [
        f"{re.escape(first)}{JOINERS_RE.pattern}?{re.escape(second)}" for first, second in pairs
    ]
    return re.compile("|".join(alternatives), re.IGNORECASE)


@caches.per_query
def _wanted(words):
    """The index terms the query words match and the pattern of the words that could match them
    (_candidate_pattern), worked out once per query rather than for each of a page's hundred
    titles, snippets and names."""
    wanted = frozenset(index_term(form) for word in words for form in query_forms(word)) - {""}
    return wanted, (_candidate_pattern(wanted) if wanted else None)


def _word_start(text, index):
    """Where the word (WORD_RE) holding text[index] begins; `index` itself unless that is a letter
    or a digit."""
    if not text[index].isalnum():
        return index
    while index > 0:
        if text[index - 1].isalnum():
            index -= 1
        elif index > 1 and JOINERS_RE.match(text, index - 1) and text[index - 2].isalnum():
            index -= 2
        else:
            break
    return index


def _matching_words(text, wanted, pattern, position=0, end=None):
    """The words (WORD_RE matches) of the text from `position` to `end` that match a wanted term,
    in order. Only the words the pattern finds a candidate in (_candidate_pattern) are analysed."""
    if not wanted:
        return
    end = len(text) if end is None else end
    if pattern is None:
        candidates = WORD_RE.finditer(text, position, end)
    else:
        candidates = _candidate_words(text, pattern, position, end)
    for word in candidates:
        if not wanted.isdisjoint(_token_terms(word.group())):
            yield word


def _candidate_words(text, pattern, position, end):
    """The words from `position` to `end` in which the pattern finds a candidate, in order."""
    while found := pattern.search(text, position, end):
        word = WORD_RE.match(text, _word_start(text, found.start()))
        if word is None:
            position = found.start() + 1
        else:
            yield word
            position = word.end()


def _snippet_start(text, first):
    """Where a snippet of the text begins: SNIPPET_WORDS // 3 words before the word at `first`, or
    the beginning of the text when fewer words precede it."""
    wanted_words = SNIPPET_WORDS // 3
    reach = 16 * wanted_words
    while True:
        region = max(0, first - reach)
        # The first word read may be cut at `region`; it counts as one all the same, and it is never
        # where the snippet begins unless the stretch reaches the beginning of the text.
        before = [word.start() for word in WORD_RE.finditer(text, region, first)]
        if len(before) > wanted_words:
            return before[-wanted_words]
        if region == 0:
            return 0
        reach *= 4


def highlight(text, words, whole=False):
    """The text (or SNIPPET_WORDS words around its first match) with matched words in <mark>.

    A word of the text matches a query word when they share a form, so "asiakaskokemukseen"
    lights up for the query "asiakaskokemus" and "kokemus" lights up "asiakaskokemus". A snippet
    reads the words of its own stretch of the text only: an essay is a thousand.
    """
    wanted, pattern = _wanted(tuple(words))
    if whole and (not wanted or (pattern is not None and not pattern.search(text))):
        # Most titles and names of a page of hits hold no word that could match.
        return mark_safe(html.escape(text.strip()))
    if whole:
        start, end = 0, len(text)
    else:
        first = next(_matching_words(text, wanted, pattern), None)
        start = _snippet_start(text, first.start()) if first else 0
        shown = list(itertools.islice(WORD_RE.finditer(text, start), SNIPPET_WORDS))
        if not shown:
            return mark_safe(html.escape(text))
        end = shown[-1].end()
        if not WORD_RE.search(text, end):
            end = len(text)
    # Escaped a stretch at a time, not word by word: a page of snippets would call escape
    # thousands of times.
    pieces, position = [], start
    for word in _matching_words(text, wanted, pattern, start, end):
        pieces += [html.escape(text[position : word.start()]), f"<mark>{html.escape(word.group())}</mark>"]
        position = word.end()
    pieces.append(html.escape(text[position:end]))
    marked_text = "".join(pieces).strip()
    if not whole:
        marked_text = ("… " if start else "") + marked_text + (" …" if end < len(text) else "")
    return mark_safe(marked_text)
