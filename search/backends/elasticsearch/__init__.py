"""The Elasticsearch 9 backend: settings name search.backends.elasticsearch.FinnishElasticsearchBackend."""

from search.backends.elasticsearch.backend import FinnishElasticsearchBackend

SearchBackend = FinnishElasticsearchBackend
