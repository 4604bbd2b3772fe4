"""OpenSearch backend for Finnish text: Wagtail's for the opensearch-py 3 client (which speaks to
OpenSearch 2 and 3), with what the cluster backends share (search.backends.cluster)."""

from modelsearch.backends.opensearch3 import (
    OpenSearch3AutocompleteQueryCompiler,
    OpenSearch3Index,
    OpenSearch3SearchBackend,
    OpenSearch3SearchQueryCompiler,
    OpenSearch3SearchResults,
)
from opensearchpy.exceptions import OpenSearchException

from search.backends.cluster import ClusterIndex, ClusterQueryCompiler, ClusterSearchBackend, ClusterSearchResults


class FinnishOpenSearchIndex(ClusterIndex, OpenSearch3Index):
    pass


class FinnishOpenSearchQueryCompiler(ClusterQueryCompiler, OpenSearch3SearchQueryCompiler):
    pass


class FinnishOpenSearchAutocompleteQueryCompiler(ClusterQueryCompiler, OpenSearch3AutocompleteQueryCompiler):
    pass


class FinnishOpenSearchResults(ClusterSearchResults, OpenSearch3SearchResults):
    pass


class FinnishOpenSearchBackend(ClusterSearchBackend, OpenSearch3SearchBackend):
    engine = "OpenSearch"
    label = "opensearch"
    # The client's every error: a refused or timed-out connection, an error status, an answer
    # that is not JSON.
    errors = (OpenSearchException,)
    index_class = FinnishOpenSearchIndex
    query_compiler_class = FinnishOpenSearchQueryCompiler
    autocomplete_query_compiler_class = FinnishOpenSearchAutocompleteQueryCompiler
    results_class = FinnishOpenSearchResults

    def client_with_timeout(self, seconds, retry_on_status):
        options = {**self.client_options, self.timeout_kwarg_name: seconds, "retry_on_status": retry_on_status}
        return self.client_class(hosts=self.hosts, **options)
