"""Writing PostgreSQL's index entries (search.backends.writes): one INSERT of the whole batch,
whose conflicting rows are updated only where a column changes.

An updated entry's postings are written again by its trigger and each of its vectors goes into
the GIN indexes again, so an entry that would not change is left as it is, except by update_index,
which also repairs the tables its triggers write.
"""

from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    ObjectIndexer,
    PostgresIndex,
    PostgresSearchAtomicRebuilder,
    PostgresSearchRebuilder,
)
from modelsearch.utils import get_content_type_pk

from search.backends.writes import BulkWrites, PreparedOnce, RebuiltOnce

# The columns an entry's text is written to, each as its indexer names it.
TEXT_COLUMNS = ("title", "autocomplete", "body", "title_text", "body_text")
VECTOR_COLUMNS = ("title", "autocomplete", "body")


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


class BulkPostgresRebuilder(RebuiltOnce, PostgresSearchRebuilder):
    pass


class BulkPostgresAtomicRebuilder(RebuiltOnce, PostgresSearchAtomicRebuilder):
    pass
