import sys
import threading

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend

from essays.models import EssayIndexPage, EssayPage
from search import db_backend
from tests.factories import EssayPageFactory, paragraphs


def test_compiled_query_cache_stays_bounded_under_threads(monkeypatch):
    """Threads of one server insert and evict at once without errors, and the cache keeps its size."""
    monkeypatch.setattr(db_backend, "COMPILED_QUERIES", 3)
    monkeypatch.setattr(db_backend, "_compiled_queries", {})
    switch_interval = sys.getswitchinterval()
    # Threads switch as often as the interpreter allows, so that they interleave inside the cache.
    sys.setswitchinterval(1e-6)
    errors = []

    def compile_many(thread):
        try:
            for number in range(300):
                key = ("test", thread, number)
                assert db_backend.compiled_once(key, lambda compiler, key=key: (repr(key), [])) == (repr(key), [])
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=compile_many, args=(thread,)) for thread in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch_interval)
    assert errors == []
    assert len(db_backend._compiled_queries) <= 3


def test_compiled_query_is_reused_for_the_same_key(monkeypatch):
    monkeypatch.setattr(db_backend, "_compiled_queries", {})
    calls = []

    def compile_sql(compiler):
        calls.append(compiler)
        return ("sql", [])

    db_backend.compiled_once(("test", "sama"), compile_sql)
    db_backend.compiled_once(("test", "sama"), compile_sql)
    assert len(calls) == 1


@pytest.mark.django_db
def test_page_without_analysed_text_matches_words_split_between_title_and_intro(site_tree):
    """Wagtail's own page types keep their title and other fields in separate index columns."""
    essay_index = site_tree.essay_index
    essay_index.title = "Esseevarasto"
    essay_index.intro = "Opiskelijoiden kirjoituksia"
    essay_index.save()
    found = get_search_backend().search("esseevarasto kirjoituksia", EssayIndexPage.objects.all(), operator="and")
    assert [page.pk for page in found] == [essay_index.pk]


@pytest.mark.django_db
def test_postgresql_matches_essays_by_their_analysed_text_alone(site_tree):
    """The body vector holds the title's words too, so the title is not joined onto it per row."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL query compiler")
    EssayPageFactory(title="Palvelumuotoilu", body=paragraphs("Asiakkaat mukana."))
    with CaptureQueriesContext(connection) as queries:
        found = list(get_search_backend().search("palvelumuotoilu", EssayPage.objects.all(), operator="and"))
    assert [essay.title for essay in found] == ["Palvelumuotoilu"]
    assert not any('"title" || ' in query["sql"] for query in queries.captured_queries)


@pytest.mark.django_db
def test_sqlite_search_matches_the_index_once_for_count_ids_and_best_hits(site_tree):
    """The count, the ids for the facets and the best hits come from one ranked full-text query."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite query compiler")
    EssayPageFactory(title="Palvelumuotoilu", body=paragraphs("Palvelumuotoilu alkaa asiakkaasta."))
    EssayPageFactory(title="Asiakasymmärrys", body=paragraphs("Palvelumuotoilu mainitaan kerran."))
    EssayPageFactory(title="Luonnos", body=paragraphs("Palvelumuotoilu kesken.")).unpublish()
    results = get_search_backend().search("palvelumuotoilu", EssayPage.objects.live(), operator="and")
    with CaptureQueriesContext(connection) as queries:
        count = results.count()
        ids = results.matching_pks()
        best = [essay.title for essay in results.annotate_score("_score")[:20]]
    assert count == 2
    assert sorted(ids) == sorted(EssayPage.objects.live().values_list("pk", flat=True))
    assert best[0] == "Palvelumuotoilu"
    assert sum(" MATCH " in query["sql"] for query in queries.captured_queries) == 1
