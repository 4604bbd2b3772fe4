"""The PostgreSQL search backend: the settings name backend.FinnishPostgresSearchBackend."""
