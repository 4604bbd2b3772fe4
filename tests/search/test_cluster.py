"""The cluster backends on a live cluster (the suite run with OPENSEARCH_URL or ELASTICSEARCH_URL
set, as .ci/run does on OpenSearch): what only a cluster shows. The rest of the search suite runs
there too; test_cluster_faults covers a cluster that fails."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchBackend

from essays.models import EssayPage
from search.backends import cluster
from search.backends.elasticsearch.backend import FinnishElasticsearchBackend
from search.backends.opensearch.backend import FinnishOpenSearchBackend
from search.engine import Search, SearchRequest, build_query
from tests.factories import EssayPageFactory, paragraphs
from tests.search.conftest import on_cluster

live = pytest.mark.skipif(not on_cluster(), reason="needs a search cluster: set OPENSEARCH_URL (make opensearch)")


@pytest.mark.parametrize("backend_class", [FinnishElasticsearchBackend, FinnishOpenSearchBackend])
def test_index_settings_keep_finnish_letters(backend_class):
    backend = backend_class({"URLS": ["http://127.0.0.1:9"]})
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    assert all("asciifolding" not in analyzer["filter"] for analyzer in analyzers.values())


def test_stock_settings_fold_letters_for_comparison():
    analyzers = ElasticsearchBaseSearchBackend.settings["settings"]["analysis"]["analyzer"]
    assert any("asciifolding" in analyzer["filter"] for analyzer in analyzers.values())


@live
@pytest.mark.django_db
def test_update_index_fills_the_cluster_and_search_finds_an_inflected_word(site_tree, settings):
    def found():
        search = Search(SearchRequest.from_query({"q": "asiakaskokemukseen"}), AnonymousUser())
        return search.answered_by, [hit.obj.pk for hit in search.hits]

    backends = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {name: {**conf, "AUTO_UPDATE": False} for name, conf in backends.items()}
    essay = EssayPageFactory(title="Asiakaskokemus kahvilan arjessa", body=paragraphs("Asiakaskokemus syntyy."))
    settings.WAGTAILSEARCH_BACKENDS = backends
    label = get_search_backend().label
    assert found() == (label, [])
    call_command("update_index", backend_name="default", verbosity=0)
    assert found() == (label, [essay.pk])


@live
@pytest.mark.django_db
def test_ids_of_every_match_are_scrolled_page_after_page(site_tree, monkeypatch):
    """Counts and facets cover every match: ids only, a full page at a time, to the last page."""
    monkeypatch.setattr(cluster, "ID_PAGE_SIZE", 2)
    essays = [EssayPageFactory(title=f"Sivu {number}", body=paragraphs("Sivutus")) for number in range(5)]
    results = get_search_backend().search(build_query(["sivutus"]), EssayPage.objects.live(), operator="and")
    assert (sorted(results.matching_pks()), results.count()) == (sorted(essay.pk for essay in essays), 5)


@live
@pytest.mark.django_db
def test_match_the_database_no_longer_shows_is_neither_counted_nor_ranked(site_tree):
    shown, withdrawn = (EssayPageFactory(title=title, body=paragraphs("Sivutus")) for title in ("Näkyvä", "Poistuva"))
    # Unpublished without the cluster hearing of it, as while the cluster was down.
    EssayPage.objects.filter(pk=withdrawn.pk).update(live=False)
    search = Search(SearchRequest.from_query({"q": "sivutus"}), AnonymousUser())
    assert (search.type_counts["essee"], [hit.obj.pk for hit in search.hits]) == (1, [shown.pk])


@live
@pytest.mark.django_db
def test_facet_returns_every_bucket(site_tree):
    """Eleven years: the stock backend returned ten buckets."""
    for year in range(2010, 2021):
        EssayPageFactory(body=paragraphs("Vuosikatsaus"), written=datetime.date(year, 1, 1))
    results = get_search_backend().search(build_query(["vuosikatsaus"]), EssayPage.objects.live(), operator="and")
    assert len(results.facet("written")) == 11


@live
@pytest.mark.django_db
def test_autocomplete_matches_a_long_finnish_word_typed_whole(site_tree):
    essay = EssayPageFactory(title="Asiakaskokemuksen johtaminen")
    found = get_search_backend().autocomplete("asiakaskokemuksen", EssayPage.objects.live(), operator="and")
    assert [page.pk for page in found] == [essay.pk]


@live
@pytest.mark.django_db
def test_api_names_the_cluster_that_answered(site_tree, client):
    EssayPageFactory(title="Vastaus", body=paragraphs("Asiakaskokemus"))
    payload = client.get("/api/search/", {"q": "asiakaskokemus"}).json()
    assert (payload["backend"], payload["count"]) == (get_search_backend().label, 1)
