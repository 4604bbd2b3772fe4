"""Writing SQLite's index entries (search.backends.writes): the entries of a batch read in one
query, those that change updated and the new ones inserted in one transaction, the new ones'
postings and title prefixes written after them in key order (deferred_trigger_tables).

Every write of an entry sets off triggers that rewrite its full-text row, its postings and its title
prefixes, so an entry that would not change is not written, except by update_index, which also
repairs those tables. Within update_index the triggers on its connection write no postings and no
title prefixes: both tables are written whole at its end, in key order (DeferredTables).
"""

import contextlib
import json

from django.db import transaction
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    ObjectIndexer,
    SQLiteIndex,
    SQLiteSearchAtomicRebuilder,
    SQLiteSearchRebuilder,
)
from modelsearch.utils import get_content_type_pk

from search.backends import postings, prefixes
from search.backends.sqlite.cache import write_cache
from search.backends.writes import BulkWrites, PreparedOnce, RebuiltOnce


class SQLiteIndexer(PreparedOnce, ObjectIndexer):
    pass


class BulkSQLiteIndex(BulkWrites, SQLiteIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        texts = {
            object_id: (indexer.title, indexer.autocomplete, indexer.body)
            for object_id, indexer in self.indexers(model, objs, SQLiteIndexer).items()
        }
        if not texts:
            return
        content_type = get_content_type_pk(model)
        table = IndexEntry._meta.db_table
        connection = self.write_connection
        cache = write_cache(connection) if len(texts) > 1 else contextlib.nullcontext()
        with cache, transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT object_id, id, title, autocomplete, body FROM {table} "
                "WHERE content_type_id = %s AND object_id IN (SELECT value FROM json_each(%s))",
                [content_type, json.dumps(list(texts))],
            )
            stored = {object_id: (entry_id, tuple(columns)) for object_id, entry_id, *columns in cursor.fetchall()}
            changed = [
                (*text, stored[object_id][0])
                for object_id, text in texts.items()
                if object_id in stored and (self.rebuilding or stored[object_id][1] != text)
            ]
            if changed:
                update = f"UPDATE {table} SET title = %s, autocomplete = %s, body = %s WHERE id = %s"
                cursor.executemany(update, changed)
            new = [
                IndexEntry(content_type_id=content_type, object_id=key, title=title, autocomplete=text, body=body)
                for key, (title, text, body) in texts.items()
                if key not in stored
            ]
            if len(new) > 1 and not trigger_tables_deferred(connection):
                with deferred_trigger_tables(connection):
                    self.entries.bulk_create(new)
                write_trigger_tables(cursor, new)
            else:
                self.entries.bulk_create(new)
            self._refresh_title_norms()


def write_trigger_tables(cursor, entries):
    """Write the postings and title prefixes of these new entries, as their triggers would have:
    the texts are those just inserted, and each body is read once for its terms and its words."""
    weights, rows = {}, {}
    for entry in entries:
        counts, words = postings.body_terms(entry.body or "")
        weights[entry.pk] = postings.weights_json(*postings.with_title(counts, entry.title or ""))
        rows[entry.pk] = prefixes.sqlite_rows(entry.autocomplete, entry.title, entry.body, body_words=words)
    postings.write_sqlite_postings(cursor, weights)
    prefixes.write_sqlite_prefixes(cursor, rows)


class WriteCached:
    """Mixin for a rebuilder: SQLite's page cache raised (write_cache) from start to finish."""

    def start(self):
        self._cache = write_cache(self.index.write_connection)
        self._cache.__enter__()
        return super().start()

    def finish(self):
        try:
            super().finish()
        finally:
            self._cache.__exit__(None, None, None)


def defer_trigger_tables(connection, deferred):
    """Whether the entries' triggers on this connection leave the postings and title prefixes alone."""
    connection.ensure_connection()
    postings.register_sqlite_function(connection.connection, deferred=deferred)
    prefixes.register_sqlite_function(connection.connection, deferred=deferred)
    # Noted with the SQLite connection itself: one opened again gets the functions that write.
    connection.search_deferred_on = connection.connection if deferred else None


def trigger_tables_deferred(connection):
    """Whether defer_trigger_tables has deferred them on this connection as it is open now."""
    deferred_on = getattr(connection, "search_deferred_on", None)
    return deferred_on is not None and deferred_on is connection.connection


@contextlib.contextmanager
def deferred_trigger_tables(connection):
    """The entries' triggers on this connection leave the postings and title prefixes alone within it.

    A batch of new entries is written so, and their rows then in one statement each, in key order
    (postings.write_sqlite_postings), in the same transaction: an entry's triggers write its terms
    all over the postings table. Other connections' triggers write their own entries' rows as ever.
    """
    defer_trigger_tables(connection, True)
    try:
        yield
    finally:
        defer_trigger_tables(connection, False)


class DeferredTables:
    """Mixin for a rebuilder: the postings and title prefixes are written once, whole and in key
    order, when it finishes, not by each entry's triggers as it writes.

    An entry's triggers insert its few hundred postings all over a table of tens of millions (it is
    ordered by term), each into a page read and written again; rows inserted in key order fill one
    page after another. Other connections' triggers still write their own entries' rows meanwhile,
    and finish() writes every entry's rows afresh.
    """

    def start(self):
        defer_trigger_tables(self.index.write_connection, True)
        return super().start()

    def finish(self):
        connection = self.index.write_connection
        defer_trigger_tables(connection, False)
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            postings.rewrite_sqlite_postings(cursor)
            prefixes.rewrite_sqlite_prefixes(cursor)
        super().finish()


class BulkSQLiteRebuilder(WriteCached, DeferredTables, RebuiltOnce, SQLiteSearchRebuilder):
    pass


class BulkSQLiteAtomicRebuilder(WriteCached, DeferredTables, RebuiltOnce, SQLiteSearchAtomicRebuilder):
    pass
