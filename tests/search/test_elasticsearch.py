"""The Elasticsearch backend without a server: mapping, settings, query bodies, facets, fallback.

Only the client's transport is replaced; everything above it (client, Wagtail backend, ours) runs.
"""

import json
import logging

import pytest
from django.contrib.auth.models import AnonymousUser
from elastic_transport import ApiResponseMeta, ConnectionError, HttpHeaders, NodeConfig

from essays.models import EssayPage
from finnish.analysis import lemma
from search.backends.elasticsearch import backend as elasticsearch_backend
from search.backends.elasticsearch.backend import FACET_SIZE, FinnishElasticsearchBackend
from search.engine import Search, SearchRequest, build_query
from tests.factories import EssayPageFactory, paragraphs

pytestmark = pytest.mark.django_db


class FakeTransport:
    """Records requests and answers them from `responses`, or raises `error`."""

    def __init__(self, responses=None, error=None):
        self.requests = []
        self.responses = responses or {}
        self.error = error

    def perform_request(self, method, target, headers=None, body=None, **kwargs):
        self.requests.append((method, target, json.loads(body) if isinstance(body, (bytes, str)) else body))
        if self.error:
            raise self.error
        path = target.split("?")[0]
        answer = next((value for key, value in self.responses.items() if path.endswith(key)), {})
        if isinstance(answer, list):
            # Successive answers to the same request (the pages of a scroll); the last one repeats.
            answer = answer.pop(0) if len(answer) > 1 else answer[0]
        meta = ApiResponseMeta(
            status=200,
            http_version="1.1",
            headers=HttpHeaders({"X-Elastic-Product": "Elasticsearch", "Content-Type": "application/json"}),
            duration=0.0,
            node=NodeConfig("http", "es.invalid", 9200),
        )
        return meta, answer

    def close(self):
        pass


@pytest.fixture
def backend():
    backend = FinnishElasticsearchBackend(
        {"URLS": ["http://es.invalid:9200"], "INDEX_PREFIX": "testi_", "FALLBACK": "default"}
    )
    backend.es._transport = FakeTransport()
    return backend


def test_index_settings_keep_finnish_letters(backend):
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    assert all("asciifolding" not in analyzer["filter"] for analyzer in analyzers.values())


def test_stock_settings_fold_letters_for_comparison():
    from modelsearch.backends.elasticsearch9 import Elasticsearch9SearchBackend

    analyzers = Elasticsearch9SearchBackend.settings["settings"]["analysis"]["analyzer"]
    assert any("asciifolding" in analyzer["filter"] for analyzer in analyzers.values())


def test_index_names_take_the_prefix(backend):
    assert backend.get_index_for_model(EssayPage).name == "testi_wagtailcore_page"


def test_mapping_indexes_the_analysed_text(backend):
    mapping = backend.mapping_class(EssayPage).get_mapping()
    properties = mapping["properties"]
    assert "essays_essaypage__search_text" in properties


def test_document_carries_analysed_terms(backend, site_tree):
    essay = EssayPageFactory(title="Kokeilu", body=paragraphs("Asiakaskokemukseen vaikuttaa kaikki."))
    document = backend.mapping_class(EssayPage).get_document(essay)
    assert "asiakaskokemus" in document["essays_essaypage__search_text"].split()


def compiled(backend, query):
    results = backend.search(query, EssayPage.objects.live(), operator="and")
    return results._get_es_body()["query"]


def test_plain_query_body_matches_any_index_term_of_the_word(backend):
    body = json.dumps(compiled(backend, build_query(["asiakaskokemukseen"])))
    assert '"query": "asiakaskokemukseen asiakaskokemus"' in body
    assert '"operator": "and"' not in body


def test_two_word_query_body_requires_both_words(backend):
    body = compiled(backend, build_query(["asiakaskokemus", "Kortesuon"]))
    must = body["bool"]["must"]
    clauses = json.dumps(must)
    assert "kortesuo" in clauses and "asiakaskokemus" in clauses


def test_filtered_query_body_carries_the_filter(backend):
    results = backend.search(
        build_query(["asiakas"]), EssayPage.objects.live().filter(visibility="public"), operator="and"
    )
    body = json.dumps(results._get_es_body())
    assert '"essays_essaypage__visibility_filter": "public"' in body or "public" in body
    assert '"live_filter": true' in body


def test_phrase_body_asks_for_the_lemmas_in_order_and_nothing_else(backend, site_tree):
    """The phrase's words are not matched apart: its lemma sequence stands for them."""
    search_request = SearchRequest.from_query({"q": '"asiakaskokemuksen johtamista"'})
    must = compiled(backend, build_query(search_request.loose_words, search_request.phrases))["bool"]["must"]
    assert must["multi_match"]["type"] == "phrase"
    assert must["multi_match"]["query"] == f"{lemma('asiakaskokemus')} {lemma('johtaminen')}"


def test_word_outside_a_phrase_is_matched_beside_it(backend, site_tree):
    search_request = SearchRequest.from_query({"q": 'kirjassa "asiakaskokemuksen johtamista"'})
    body = json.dumps(compiled(backend, build_query(search_request.loose_words, search_request.phrases)))
    assert '"match_phrase"' in body
    assert '"query": "kirja kirjassa"' in body


def test_matching_ids_are_the_hits_elasticsearch_returned(backend, site_tree):
    found, _other = EssayPageFactory(title="Osuma"), EssayPageFactory(title="Ohi")
    backend.es._transport.responses = {
        "_search": {
            "hits": {"total": {"value": 1}, "hits": [{"_id": "x", "_score": 1.0, "fields": {"pk": [str(found.pk)]}}]}
        }
    }
    results = backend.search(build_query(["osuma"]), EssayPage.objects.live(), operator="and")
    assert results.matching_pks() == [found.pk]


def _id_hits(*essays):
    return [{"_id": str(essay.pk), "_score": None, "fields": {"pk": [str(essay.pk)]}} for essay in essays]


def test_matching_ids_are_read_ids_only_page_after_page(backend, site_tree, monkeypatch):
    """Counts and facets cover every match: ids only, a full page at a time, to the last page."""
    monkeypatch.setattr(elasticsearch_backend, "ID_PAGE_SIZE", 2)
    first, second, third = EssayPageFactory(), EssayPageFactory(), EssayPageFactory()
    backend.es._transport.responses = {
        "_search": {"_scroll_id": "s1", "hits": {"hits": _id_hits(first, second)}},
        "scroll": [{"_scroll_id": "s1", "hits": {"hits": _id_hits(third)}}],
    }
    results = backend.search(build_query(["asiakas"]), EssayPage.objects.live(), operator="and")
    assert sorted(results.matching_pks()) == sorted([first.pk, second.pk, third.pk])
    assert results.count() == 3
    _method, _target, body = backend.es._transport.requests[0]
    assert (body["size"], body["_source"], body["stored_fields"], body["sort"]) == (2, False, "pk", ["_doc"])
    # The short page was the last: the scroll is cleared without asking for another.
    assert [method for method, _target, _body in backend.es._transport.requests] == ["POST", "POST", "DELETE"]


def test_matching_ids_leave_out_what_the_database_no_longer_shows(backend, site_tree):
    shown, withdrawn = EssayPageFactory(), EssayPageFactory()
    withdrawn.unpublish()
    backend.es._transport.responses = {"_search": {"hits": {"hits": _id_hits(shown, withdrawn)}}}
    results = backend.search(build_query(["asiakas"]), EssayPage.objects.live(), operator="and")
    assert (results.matching_pks(), results.count()) == ([shown.pk], 1)


def test_matching_ids_come_from_the_database_when_elasticsearch_is_down(backend, site_tree):
    EssayPageFactory(title="Varalla", body=paragraphs("Asiakaskokemus"))
    backend.es._transport.error = ConnectionError("refused")
    results = backend.search(build_query(["asiakaskokemus"]), EssayPage.objects.live(), operator="and")
    assert len(results.matching_pks()) == 1
    assert results.answered_by == "default"


def test_facet_asks_for_every_bucket(backend):
    backend.es._transport.responses = {
        "_search": {"aggregations": {"language": {"buckets": [{"key": "fi", "doc_count": 3}]}}, "hits": {"hits": []}}
    }
    results = backend.search(build_query(["asiakas"]), EssayPage.objects.live(), operator="and")
    assert results.facet("language") == {"fi": 3}
    _method, _target, body = backend.es._transport.requests[-1]
    assert body["aggregations"]["language"]["terms"]["size"] == FACET_SIZE


def test_search_falls_back_to_database_when_elasticsearch_is_down(backend, site_tree, caplog):
    EssayPageFactory(title="Varalla", body=paragraphs("Asiakaskokemus"))
    backend.es._transport.error = ConnectionError("connection refused")
    with caplog.at_level(logging.WARNING, logger="search.backends"):
        search = Search(SearchRequest.from_query({"q": "asiakaskokemukseen"}), AnonymousUser(), backend=backend)
    assert [hit.title for hit in search.hits] == ["Varalla"]
    assert search.answered_by == "default"
    assert "Elasticsearch failed" in caplog.text


def test_count_falls_back_too(backend, site_tree):
    EssayPageFactory(title="Varalla", body=paragraphs("Asiakaskokemus"))
    backend.es._transport.error = ConnectionError("connection refused")
    assert backend.search(build_query(["asiakaskokemus"]), EssayPage.objects.live(), operator="and").count() == 1


@pytest.fixture
def elasticsearch_down(settings, monkeypatch):
    """Elasticsearch configured as in production with ELASTICSEARCH_URL, its transport refusing."""
    from elastic_transport import Transport

    def refuse(self, *args, **kwargs):
        raise ConnectionError("connection refused")

    monkeypatch.setattr(Transport, "perform_request", refuse)
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {
            "BACKEND": "search.backends.elasticsearch.backend.FinnishElasticsearchBackend",
            "URLS": ["http://es.invalid:9200"],
            "FALLBACK": "database",
        },
        "database": settings.DATABASE_SEARCH_BACKEND,
    }


def test_page_save_succeeds_and_is_searchable_while_elasticsearch_is_down(elasticsearch_down, site_tree, caplog):
    """Wagtail updates every configured backend on save; the failing one is logged, not raised."""
    with caplog.at_level(logging.ERROR):
        essay = EssayPageFactory(title="Tallennettu", body=paragraphs("Asiakaskokemukseen"))
    assert EssayPage.objects.filter(pk=essay.pk, live=True).exists()
    assert "search backend" in caplog.text
    search = Search(SearchRequest.from_query({"q": "asiakaskokemus"}), AnonymousUser())
    assert (search.answered_by, [hit.title for hit in search.hits]) == ("database", ["Tallennettu"])


def test_api_reports_the_backend_that_answered(elasticsearch_down, site_tree, client):
    EssayPageFactory(title="Tallennettu", body=paragraphs("Asiakaskokemus"))
    payload = client.get("/api/search/", {"q": "asiakaskokemus"}).json()
    assert (payload["backend"], payload["count"]) == ("database", 1)
