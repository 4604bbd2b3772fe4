"""Elasticsearch 9 backend for Finnish text: Wagtail's, with what the cluster backends share
(search.backends.cluster)."""

from elastic_transport import TransportError
from elasticsearch import ApiError
from modelsearch.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9Index,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchQueryCompiler,
    Elasticsearch9SearchResults,
)

from search.backends.cluster import ClusterIndex, ClusterQueryCompiler, ClusterSearchBackend, ClusterSearchResults


class FinnishElasticsearchIndex(ClusterIndex, Elasticsearch9Index):
    pass


class FinnishElasticsearchQueryCompiler(ClusterQueryCompiler, Elasticsearch9SearchQueryCompiler):
    pass


class FinnishElasticsearchAutocompleteQueryCompiler(ClusterQueryCompiler, Elasticsearch9AutocompleteQueryCompiler):
    pass


class FinnishElasticsearchResults(ClusterSearchResults, Elasticsearch9SearchResults):
    pass


class FinnishElasticsearchBackend(ClusterSearchBackend, Elasticsearch9SearchBackend):
    engine = "Elasticsearch"
    label = "elasticsearch"
    errors = (ApiError, TransportError)
    index_class = FinnishElasticsearchIndex
    query_compiler_class = FinnishElasticsearchQueryCompiler
    autocomplete_query_compiler_class = FinnishElasticsearchAutocompleteQueryCompiler
    results_class = FinnishElasticsearchResults

    def client_with_timeout(self, seconds, retry_on_status):
        return self.es.options(request_timeout=seconds, retry_on_status=retry_on_status)
