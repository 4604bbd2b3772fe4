"""The Elasticsearch 9 search backend: the settings name backend.FinnishElasticsearchBackend."""
