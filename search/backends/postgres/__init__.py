"""The PostgreSQL search backend: settings name search.backends.postgres.FinnishPostgresSearchBackend."""

from search.backends.postgres.backend import FinnishPostgresSearchBackend

SearchBackend = FinnishPostgresSearchBackend
