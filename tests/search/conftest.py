import pytest
from django.conf import settings
from django.core.management import call_command
from django.db.models.signals import m2m_changed, post_delete, post_save
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models

from essays.models import Person
from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory, PersonFactory, paragraphs
from tests.search.corpus import BOOKS, CONCEPTS, ESSAYS, PEOPLE


def on_cluster():
    """Whether the search runs on a search cluster (OPENSEARCH_URL or ELASTICSEARCH_URL set)."""
    return "FALLBACK" in settings.WAGTAILSEARCH_BACKENDS["default"]


@pytest.fixture(scope="session")
def cluster_writes(django_db_setup, django_db_blocker):
    """On a search cluster, its test indexes built once by update_index, and a record of whether
    anything was saved or deleted since the cluster last matched the database."""
    writes = {"since_sync": True}
    if on_cluster():
        with django_db_blocker.unblock():
            call_command("update_index", backend_name="default", verbosity=0)

        def note(**kwargs):
            writes["since_sync"] = True

        for signal in (post_save, post_delete, m2m_changed):
            signal.connect(note, weak=False, dispatch_uid="cluster_writes")
    return writes


@pytest.fixture(autouse=True)
def cluster_matches_database(request, cluster_writes, django_db_blocker):
    """On a search cluster, each test starts with the cluster holding what the database holds.

    The database rolls back what a test (or a module) wrote; the cluster keeps it, and ids are
    reused, so a rolled-back essay would still be found under another essay's id.
    """
    if on_cluster() and cluster_writes["since_sync"] and request.node.get_closest_marker("django_db"):
        backend = get_search_backend()
        # One refresh at the end instead of one per model.
        backend.refresh_writes = False
        with django_db_blocker.unblock():
            models = get_indexed_models()
            names = ",".join({backend.get_index_for_model(model).name for model in models})
            backend.es.delete_by_query(index=names, body={"query": {"match_all": {}}}, refresh=True)
            for model in models:
                objects = list(model.get_indexed_objects())
                if objects:
                    backend.add_bulk(model, objects)
            backend.es.indices.refresh(index=names)
        cluster_writes["since_sync"] = False
    yield


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
