import pytest
from django.db import transaction
from wagtail.signal_handlers import disable_reference_index_auto_update

from essaybank.site_structure import ensure_site_structure
from essays.models import Person
from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory, PersonFactory, paragraphs
from tests.search.corpus import BOOKS, CONCEPTS, ESSAYS, PEOPLE


@pytest.fixture(scope="module")
def corpus(django_db_setup, django_db_blocker):
    """The quality-set texts as published and indexed essays, concepts, books and people.

    Built once for a module, in a transaction rolled back at its end (see module_db), because
    indexing them is most of a test's time; every later test of the module sees them, so a module
    either uses them in all its searching tests or not at all.
    """
    with django_db_blocker.unblock(), disable_reference_index_auto_update(), transaction.atomic():
        ensure_site_structure()
        for title, text in ESSAYS.items():
            EssayPageFactory(title=title, body=paragraphs(text))
        for term, definition in CONCEPTS.items():
            ConceptPageFactory(title=term, definition=definition)
        for title, authors in BOOKS.items():
            BookFactory(title=title, author_names=authors)
        for name in PEOPLE:
            PersonFactory(name=name, role=Person.Role.STUDENT)
        yield
        transaction.set_rollback(True)
