import pytest

from essays.models import Person
from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory, PersonFactory, paragraphs
from tests.search.corpus import BOOKS, CONCEPTS, ESSAYS, PEOPLE


@pytest.fixture(scope="module")
def corpus(indexed_module_db):
    """The quality-set texts as published and indexed essays, concepts, books and people.

    Built once for a module, because indexing them is most of a test's time; every later test of
    the module sees them, so a module either uses them in all its searching tests or not at all.
    """
    for title, text in ESSAYS.items():
        EssayPageFactory(title=title, body=paragraphs(text))
    for term, definition in CONCEPTS.items():
        ConceptPageFactory(title=term, definition=definition)
    for title, authors in BOOKS.items():
        BookFactory(title=title, author_names=authors)
    for name in PEOPLE:
        PersonFactory(name=name, role=Person.Role.STUDENT)
