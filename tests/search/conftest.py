import pytest

from essays.models import Person
from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory, PersonFactory, paragraphs
from tests.search.corpus import BOOKS, CONCEPTS, ESSAYS, PEOPLE


@pytest.fixture
def corpus(site_tree):
    """The quality-set texts as published essays, concepts, books and people."""
    for title, text in ESSAYS.items():
        EssayPageFactory(title=title, body=paragraphs(text))
    for term, definition in CONCEPTS.items():
        ConceptPageFactory(title=term, definition=definition)
    for title, authors in BOOKS.items():
        BookFactory(title=title, author_names=authors)
    for name in PEOPLE:
        PersonFactory(name=name, role=Person.Role.STUDENT)
