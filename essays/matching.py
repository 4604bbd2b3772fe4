"""Finding the catalogue's book behind the many forms one book takes in legacy essays.

Over the years one book is written with and without its subtitle ("Asiakaskokemus",
"Asiakaskokemus. Palvelubisneksestä kokemusbisnekseen", "Asiakaskokemus – Palvelubisneksestä …"),
its authors in either order, as "Saarijärvi, H" or "Hannu Saarijärvi", or only by its authors in
running text ("Löytänän ja Kortesuon kirja"). BookMatcher finds the one book such a form means;
when it could mean several, it says so and names them rather than guessing.
"""

import re
from collections import defaultdict
from dataclasses import dataclass, field

from finnish.analysis import tokenize, word_forms
from finnish.names import normalize_name

# Where a subtitle starts, once normalize_name has made every dash a hyphen.
SUBTITLE = re.compile(r"\s*(?:[.:;!?]\s|\s-\s|\s\(|$)")
# Words around authors' names when a book is named by them: "Löytänän ja Kortesuon kirja".
FILLER_WORDS = {"ja", "sekä", "kirja", "kirjan", "kirjasta", "kirjassa", "teos", "teoksen", "teoksesta", "et", "al"}
AUTHOR_SEPARATOR = re.compile(r"\s*(?:\n|;|&|\bja\b|\band\b)\s*")


def main_title(title):
    """The normalised title without its subtitle."""
    normalized = normalize_name(title)
    return SUBTITLE.split(normalized, maxsplit=1)[0].strip(" .,;:-")


def surname(author):
    """The surname of "Saarijärvi, H", "Hannu Saarijärvi" or "H. Saarijärvi", normalised."""
    author = normalize_name(author)
    if "," in author:
        return author.split(",", 1)[0].strip()
    words = author.split()
    return words[-1] if words else ""


def split_authors(text):
    """Several authors in one field: separated by line breaks, ";", "&", "ja", or by commas
    between full names ("Hannu Saarijärvi, Pekka Puustinen", but not "Saarijärvi, H")."""
    names = []
    for part in AUTHOR_SEPARATOR.split(text or ""):
        pieces = [piece.strip() for piece in part.split(",")]
        if len(pieces) > 1 and all(len(piece.split()) >= 2 for piece in pieces):
            names += pieces
        else:
            names.append(part.strip(" ,"))
    return [name for name in names if name]


@dataclass
class Match:
    book: object = None
    candidates: list = field(default_factory=list)

    @property
    def ambiguous(self):
        return self.book is None and len(self.candidates) > 1


class BookMatcher:
    """The catalogue in memory, looked up by exact title, by main title and by authors' surnames."""

    def __init__(self, books=()):
        self.by_title = {}
        self.by_main_title = defaultdict(list)
        self.by_surname = defaultdict(list)
        for book in books:
            self.add(book)

    def add(self, book):
        """Remember a book created or changed since the matcher was made."""
        self.by_title[normalize_name(book.title)] = book
        shelf = self.by_main_title[main_title(book.title)]
        if book not in shelf:
            shelf.append(book)
        for name in book.author_names():
            shelf = self.by_surname[surname(name)]
            if book not in shelf:
                shelf.append(book)

    def match(self, title, authors=()):
        """The book this title (and these authors, if known) means: a Match with the book, or
        with no book and the candidates when it could be several (none: a new book)."""
        exact = self.by_title.get(normalize_name(title))
        if exact is not None:
            return Match(exact)
        candidates = self.by_main_title.get(main_title(title), [])
        surnames = {surname(author) for author in authors} - {""}
        if surnames and candidates:
            by_authors = [book for book in candidates if surnames & _surnames(book) or not _surnames(book)]
            candidates = by_authors
        if not candidates:
            candidates = self._named_by_authors(title)
        if len(candidates) == 1:
            return Match(candidates[0])
        return Match(None, candidates)

    def _named_by_authors(self, title):
        """Books whose authors' surnames, inflected, are all the title says: "Löytänän ja
        Kortesuon kirja" is the book of Löytänä and Kortesuo."""
        words = [word for word in tokenize(title) if word.casefold() not in FILLER_WORDS and "-" not in word]
        if not words or len(words) > 4 or not all(word[:1].isupper() for word in words):
            return []
        forms = [word_forms(word) for word in words]
        found = None
        for word_forms_ in forms:
            books = {id(book): book for form in word_forms_ for book in self.by_surname.get(form, [])}
            found = books if found is None else {key: book for key, book in found.items() if key in books}
        return [book for book in (found or {}).values() if _surnames(book) <= set().union(*forms)]


def _surnames(book):
    return {surname(name) for name in book.author_names()} - {""}
