"""SQLite's page cache raised while an index batch, a full rebuild or an import's batch writes
(importable on any database: it imports nothing of Wagtail's SQLite backend)."""

import contextlib

# SQLite's page cache while a batch or a full rebuild writes, in KiB. An entry's postings land all
# over the postings table (it is ordered by term), so with the default 2 MB nearly every page
# written was evicted, and spilled to the write-ahead log, before the next entry's terms reached it.
WRITE_CACHE_KIB = 512 * 1024


@contextlib.contextmanager
def write_cache(connection):
    """SQLite's page cache raised to WRITE_CACHE_KIB on this connection within it."""
    connection.ensure_connection()
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        cursor.execute(f"PRAGMA cache_size = {-WRITE_CACHE_KIB}")
    try:
        yield
    finally:
        with connection.cursor() as cursor:
            cursor.execute(f"PRAGMA cache_size = {int(previous)}")
