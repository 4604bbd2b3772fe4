"""Both cluster backends when their cluster fails them, with their real clients: a node that refuses
connections (a closed port on loopback) and a node answering garbage (a server of our own on
loopback). Searches answer from the database and saves succeed; no cluster is needed."""

import datetime
import json
import logging
import socket
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.contrib.auth.models import AnonymousUser

from essays.models import EssayPage
from search.backends.elasticsearch.backend import FinnishElasticsearchBackend
from search.backends.opensearch.backend import FinnishOpenSearchBackend
from search.engine import Search, SearchRequest, autocomplete, build_query
from tests.factories import EssayPageFactory, paragraphs

pytestmark = pytest.mark.django_db

BACKENDS = {
    "elasticsearch": "search.backends.elasticsearch.backend.FinnishElasticsearchBackend",
    "opensearch": "search.backends.opensearch.backend.FinnishOpenSearchBackend",
}


def closed_port():
    """A loopback port nothing listens on: connections to it are refused."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class FakeNode(BaseHTTPRequestHandler):
    """A node that answers every request with the status, body and headers its subclass gives; the
    server keeps the method and path of every request it was sent (`requests`)."""

    status = 200
    body = b""
    headers_sent = {}

    def answer(self):
        """The status and body of this request's answer."""
        return self.status, self.body

    def _answer(self):
        self.rfile.read(int(self.headers.get("Content-Length") or 0))
        self.server.requests.append((self.command, self.path))
        status, body = self.answer()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        for name, value in self.headers_sent.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = _answer

    def log_message(self, *args):
        pass


class Garbage(FakeNode):
    """A node whose body is not JSON."""

    body = b"<html>proxy error</html>"


class PartialShards(FakeNode):
    """A node whose every answer is a search that one of two shards failed, as while a node that
    held a shard's copy is being lost; Elasticsearch's client wants its product header."""

    body = json.dumps(
        {
            "took": 1,
            "timed_out": False,
            "_shards": {
                "total": 2,
                "successful": 1,
                "skipped": 0,
                "failed": 1,
                "failures": [{"shard": 1, "index": "esseepankki", "reason": {"type": "node_not_connected_exception"}}],
            },
            "hits": {"total": {"value": 0, "relation": "eq"}, "max_score": None, "hits": []},
        }
    ).encode()
    headers_sent = {"X-Elastic-Product": "Elasticsearch"}


# What a node that has not yet noticed another node gone answers a search one of whose shard copies
# was there; sent again, the search goes to another copy.
NODE_NOT_CONNECTED = json.dumps(
    {
        "error": {
            "type": "search_phase_execution_exception",
            "reason": "all shards failed",
            "phase": "query",
            "root_cause": [{"type": "node_not_connected_exception", "reason": "[node-1] Node not connected"}],
        },
        "status": 500,
    }
).encode()


class LosingANode(FakeNode):
    """A node whose first search fails with 500 "Node not connected"; its later searches find the
    ids in the server's `pks`, and it answers every other request 500 the same way."""

    headers_sent = PartialShards.headers_sent

    def answer(self):
        searches = [path for _method, path in self.server.requests if "/_search" in path]
        if "/_search" not in self.path or len(searches) == 1:
            return 500, NODE_NOT_CONNECTED
        hits = [{"_id": str(pk), "_score": 1.0, "fields": {"pk": [str(pk)]}} for pk in self.server.pks]
        found = {"took": 1, "timed_out": False, "_shards": {"total": 1, "successful": 1, "failed": 0}}
        return 200, json.dumps({**found, "hits": {"total": {"value": len(hits)}, "hits": hits}}).encode()


def serve(handler):
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.requests = []
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


@pytest.fixture(scope="module")
def garbage_node():
    server = serve(Garbage)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture(scope="module")
def partial_node():
    server = serve(PartialShards)
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()


@pytest.fixture
def losing_node():
    server = serve(LosingANode)
    yield server
    server.shutdown()


@pytest.fixture(params=["refused", "garbage"])
def failing_url(request):
    if request.param == "refused":
        return f"http://127.0.0.1:{closed_port()}"
    return request.getfixturevalue("garbage_node")


@pytest.fixture(params=list(BACKENDS))
def cluster_down(request, failing_url, settings):
    """The site configured for a cluster (as with OPENSEARCH_URL or ELASTICSEARCH_URL) whose one
    node fails every request; the label of the engine."""
    settings.WAGTAILSEARCH_BACKENDS = {
        "default": {"BACKEND": BACKENDS[request.param], "URLS": [failing_url], "FALLBACK": "database", "TIMEOUT": 2},
        "database": settings.DATABASE_SEARCH_BACKEND,
    }
    return request.param


def test_search_answers_from_the_database_and_logs_the_fault(cluster_down, site_tree, caplog):
    with caplog.at_level(logging.WARNING, logger="search.backends"):
        essay = EssayPageFactory(title="Varalla", body=paragraphs("Asiakaskokemus syntyy kohtaamisissa."))
        search = Search(SearchRequest.from_query({"q": "asiakaskokemukseen"}), AnonymousUser())
        assert (search.answered_by, [hit.obj.pk for hit in search.hits]) == ("database", [essay.pk])
    engine = {"elasticsearch": "Elasticsearch", "opensearch": "OpenSearch"}[cluster_down]
    assert f"{engine} failed" in caplog.text


def test_save_succeeds_and_is_logged(cluster_down, site_tree, caplog):
    """Wagtail updates every configured backend on save; the failing one is logged, not raised."""
    with caplog.at_level(logging.ERROR):
        essay = EssayPageFactory(title="Tallennettu", body=paragraphs("Asiakaskokemukseen"))
    assert EssayPage.objects.filter(pk=essay.pk, live=True).exists()
    assert "search backend" in caplog.text


def test_counts_and_facets_come_from_the_database(cluster_down, site_tree, client):
    EssayPageFactory(title="Tallennettu", body=paragraphs("Asiakaskokemus"), written=datetime.date(2020, 2, 2))
    payload = client.get("/api/search/", {"q": "asiakaskokemus"}).json()
    assert (payload["backend"], payload["count"], payload["facets"]["vuosi"]) == ("database", 1, {"2020": 1})


def test_autocomplete_answers_from_the_database(cluster_down, site_tree):
    EssayPageFactory(title="Palvelumuotoilun perusteet")
    assert [suggestion["title"] for suggestion in autocomplete("palvelumuo", AnonymousUser())] == [
        "Palvelumuotoilun perusteet"
    ]


@pytest.mark.parametrize("backend_class", [FinnishElasticsearchBackend, FinnishOpenSearchBackend])
def test_matching_ids_come_from_the_database_when_the_cluster_fails(backend_class, failing_url, site_tree):
    essay = EssayPageFactory(title="Varalla", body=paragraphs("Asiakaskokemus"))
    backend = backend_class({"URLS": [failing_url], "FALLBACK": "default", "TIMEOUT": 2})
    results = backend.search(build_query(["asiakaskokemus"]), EssayPage.objects.live(), operator="and")
    assert (results.matching_pks(), results.count(), results.answered_by) == ([essay.pk], 1, "default")


@pytest.mark.parametrize("backend_class", [FinnishElasticsearchBackend, FinnishOpenSearchBackend])
def test_search_missing_a_failed_shard_answers_from_the_database(backend_class, partial_node, site_tree):
    """A 200 that left out a shard's hits is not shown as the whole answer."""
    essay = EssayPageFactory(title="Varalla", body=paragraphs("Asiakaskokemus"))
    backend = backend_class({"URLS": [partial_node], "FALLBACK": "default", "TIMEOUT": 2})
    page = backend.search(build_query(["asiakaskokemus"]), EssayPage.objects.live(), operator="and")[:10]
    assert ([essay.pk for essay in page], page.answered_by) == ([essay.pk], "default")


@pytest.mark.parametrize("backend_class", [FinnishElasticsearchBackend, FinnishOpenSearchBackend])
def test_search_failing_with_500_is_sent_again_and_answered_by_the_cluster(backend_class, losing_node, site_tree):
    essay = EssayPageFactory(title="Varalla", body=paragraphs("Asiakaskokemus"))
    losing_node.pks = [essay.pk]
    url = f"http://127.0.0.1:{losing_node.server_address[1]}"
    backend = backend_class({"URLS": [url], "FALLBACK": "default", "TIMEOUT": 2})
    results = backend.search(build_query(["asiakaskokemus"]), EssayPage.objects.live(), operator="and")
    found = results.matching_pks()
    searches = [path for _method, path in losing_node.requests if "/_search" in path]
    assert (found, results.answered_by, len(searches)) == ([essay.pk], backend.label, 2)


@pytest.mark.parametrize("backend_class", [FinnishElasticsearchBackend, FinnishOpenSearchBackend])
def test_save_failing_with_500_is_sent_once(backend_class, losing_node, site_tree):
    """A write the engine failed with 500 is not sent again: the save is logged and `update_index`
    catches the cluster up, so a save never waits for retries."""
    essay = EssayPageFactory(title="Tallennettu", body=paragraphs("Asiakaskokemus"))
    url = f"http://127.0.0.1:{losing_node.server_address[1]}"
    backend = backend_class({"URLS": [url], "FALLBACK": "default", "TIMEOUT": 2})
    with pytest.raises(backend.errors):
        backend.add(essay)
    assert len(losing_node.requests) == 1
