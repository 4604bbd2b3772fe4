"""Writing PostgreSQL's index entries (search.backends.writes): one INSERT of the whole batch,
whose conflicting rows are updated only where a column changes.

An updated entry's postings are written again by its trigger and each of its vectors goes into
the GIN indexes again, so an entry that would not change is left as it is, except by update_index,
which also repairs the tables its triggers write. Within update_index the triggers write no
postings and no title prefixes: both tables are written whole at its end (DeferredTables).
"""

from django.db import transaction
from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    ObjectIndexer,
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchRebuilder,
)
from modelsearch.utils import get_content_type_pk

from search.backends import postings, prefixes
from search.backends.writes import BulkWrites, PreparedOnce, RebuiltOnce

# The columns an entry's text is written to, each as its indexer names it.
TEXT_COLUMNS = ("title", "autocomplete", "body", "title_text", "body_text")
VECTOR_COLUMNS = ("title", "autocomplete", "body")
# Set in update_index's session, the entries' triggers leave the postings and title prefixes alone
# (migration search 0008).
DEFERRED_SETTING = "search.defer_trigger_tables"
# The tables the entries' triggers write, and the statement writing each whole.
TRIGGER_TABLES = ((postings.POSTINGS, postings.POSTGRESQL_REWRITE), (prefixes.TABLE, prefixes.POSTGRESQL_REWRITE))
# Memory for building those tables' indexes, sorted in memory rather than in files.
INDEX_BUILD_MEMORY = "256MB"


class PostgresIndexer(PreparedOnce, ObjectIndexer):
    pass


class BulkPostgresIndex(BulkWrites, PostgresIndex):
    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        indexers = self.indexers(model, objs, PostgresIndexer).values()
        if not indexers:
            return
        content_type = get_content_type_pk(model)
        compiler = InsertQuery(IndexEntry).get_compiler(connection=self.write_connection)
        rows, params = [], []
        for indexer in indexers:
            row, row_params = ["%s", "%s"], [content_type, indexer.id]
            for column in VECTOR_COLUMNS:
                value = compiler.prepare_value(IndexEntry._meta.get_field(column), getattr(indexer, column))
                sql, value_params = value.as_sql(compiler, self.write_connection)
                row.append(sql)
                row_params.extend(value_params)
            rows.append(f"({', '.join(row)}, 1.0, %s, %s)")
            params.extend([*row_params, indexer.title_text, indexer.body_text])
        table = IndexEntry._meta.db_table
        columns = ", ".join(TEXT_COLUMNS)
        excluded = ", ".join(f"EXCLUDED.{column}" for column in TEXT_COLUMNS)
        stored = ", ".join(f"{table}.{column}" for column in TEXT_COLUMNS)
        with self.write_connection.cursor() as cursor:
            cursor.execute(
                f"INSERT INTO {table} (content_type_id, object_id, {', '.join(VECTOR_COLUMNS)}, title_norm, "
                f"title_text, body_text) (VALUES {', '.join(rows)}) "
                f"ON CONFLICT (content_type_id, object_id) DO UPDATE SET ({columns}, title_norm) = ({excluded}, 1.0)"
                + ("" if self.rebuilding else f" WHERE ({stored}) IS DISTINCT FROM ({excluded})"),
                params,
            )
        self._refresh_title_norms()


def rewrite_trigger_tables(cursor):
    """Write the postings and title prefixes of every entry again: each table emptied, its indexes
    dropped, filled by one statement, and its indexes built again from their definitions.

    Searches wait for the postings and title prefixes until the transaction this runs in ends.
    """
    cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
    for table, fill in TRIGGER_TABLES:
        cursor.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = current_schema() AND tablename = %s",
            [table],
        )
        indexes = cursor.fetchall()
        cursor.execute(f"TRUNCATE {table}")
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {name}")
        cursor.execute(fill)
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {table}")


class DeferredTables:
    """Mixin for a rebuilder: the postings and title prefixes are written once, whole, when it
    finishes, not by each entry's triggers as it writes.

    An entry's triggers insert its few hundred postings into indexes ordered by term, each into a
    page read and written again; one statement fills the empty table and each index is built in a
    single sort. Other sessions' triggers still write their own entries' rows meanwhile, and
    finish() writes every entry's rows afresh.
    """

    def start(self):
        with self.index.write_connection.cursor() as cursor:
            cursor.execute(f"SET {DEFERRED_SETTING} = 'on'")
        return super().start()

    def finish(self):
        connection = self.index.write_connection
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"SET {DEFERRED_SETTING} = 'off'")
            rewrite_trigger_tables(cursor)
        super().finish()


class BulkPostgresRebuilder(DeferredTables, RebuiltOnce, PostgresSearchRebuilder):
    pass


class BulkPostgresAtomicRebuilder(DeferredTables, RebuiltOnce, PostgresSearchAtomicRebuilder):
    pass
