"""“Tarkoititko”: a query whose words were typed without the dots of ä and ö ("hamalainen",
"paatoksenteko"), spelled as the index holds them ("Hämäläinen", "päätöksenteko").

Ranking keeps ä and ö letters of their own ("saa" is not "sää"); this only offers the reader the
dotted search. A dotted spelling counts when the index's terms (search.backends.postings) hold it,
or, for an inflected form no text holds as written, its base forms; of several, the one most
index entries hold, and only if they are more than hold the word as typed.
"""

import re

from django.db.models import Q

from essays.models import Person
from finnish.analysis import base_forms
from finnish.indexing import index_term, query_terms
from finnish.umlauts import dotted_spellings
from search.backends.postings import term_counts

# A run of letters and digits: a hyphenated word is offered part by part.
WORD_RE = re.compile(r"[^\W_]+")


def dotted_word(word):
    """The dotted spelling of the word that more index entries hold than the word as typed, or None."""
    spellings = {spelling.lower(): spelling for spelling in dotted_spellings(word)}
    if not spellings:
        return None
    counts = term_counts(spellings)
    if not counts:
        # No text holds any spelling as written; an inflected form's base forms may be held.
        bases = {spelling: {index_term(base) for base in base_forms(spelling)} for spelling in spellings}
        base_counts = term_counts(set().union(*bases.values()))
        counts = {
            spelling: max(base_counts.get(base, 0) for base in forms) for spelling, forms in bases.items() if forms
        }
    best = max(counts, key=counts.get, default=None)
    if best is None or not counts[best]:
        return None
    typed = max(term_counts(query_terms(word)).values(), default=0)
    return spellings[best] if counts[best] > typed else None


def _name_words(spellings):
    """{lowercase word: the word as people's names write it ("Hämäläinen")} of the spellings."""
    condition = Q()
    for spelling in spellings:
        condition |= Q(name__contains=spelling) | Q(name__contains=spelling.capitalize())
    wanted = {spelling.lower() for spelling in spellings}
    words = {}
    for name in Person.objects.filter(condition).values_list("name", flat=True)[:50]:
        for word in WORD_RE.findall(name):
            if word.lower() in wanted:
                words.setdefault(word.lower(), word)
    return words


def suggestion(text, max_words):
    """The query text with its words typed without dots spelled as the index holds them, names
    as people's names write them; "" when no word has such a spelling."""
    words = list(dict.fromkeys(WORD_RE.findall(text)))[:max_words]
    dotted = {word: spelling for word in words if (spelling := dotted_word(word))}
    if not dotted:
        return ""
    names = _name_words(dotted.values())

    def spelled(match):
        word = match.group()
        if word not in dotted:
            return word
        return names.get(dotted[word].lower(), dotted[word])

    return WORD_RE.sub(spelled, text)
