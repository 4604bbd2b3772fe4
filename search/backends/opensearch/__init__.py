"""The OpenSearch search backend: the settings name backend.FinnishOpenSearchBackend."""
