"""The SQLite (FTS5) search backend: the settings name backend.FinnishSQLiteSearchBackend.

Its modules import Wagtail's SQLite backend, which needs the FTS table's model: they are imported
only where SQLite is the database, so this package imports none of them itself. The trigger
functions (functions.py) and the write cache (cache.py) import none of it.
"""
