"""The SQLite (FTS5) search backend: settings name search.backends.sqlite.FinnishSQLiteSearchBackend."""

from search.backends.sqlite.backend import FinnishSQLiteSearchBackend

SearchBackend = FinnishSQLiteSearchBackend
