"""Writing PostgreSQL's index entries (search.backends.writes): one INSERT of the whole batch,
whose conflicting rows are updated only where a column changes.

An updated entry's postings are written again by its trigger and each of its vectors goes into
the GIN indexes again, so an entry that would not change is left as it is, except by update_index,
which also repairs the tables its triggers write. update_index writes a new entry table without
triggers (search.backends.postgres.rebuild), and the postings and title prefixes are written whole
at its end.
"""

from typing import NamedTuple

from django.db import connections, transaction
from django.db.models.sql.subqueries import InsertQuery
from modelsearch.backends.database.postgres.postgres import IndexEntry, ObjectIndexer, PostgresIndex
from modelsearch.utils import get_content_type_pk

from search.backends import later, postings, prefixes
from search.backends.writes import BulkWrites, PreparedOnce

# The session setting that makes the entries' postings and title-prefix triggers do nothing
# (migration search 0008).
DEFER_SETTING = "search.defer_trigger_tables"
# The tables the entries' triggers write, each with the statement writing its rows from entries and
# the order of its main index, in which a batch's rows are inserted.
TRIGGER_TABLES = [
    (postings.POSTINGS, postings.POSTGRESQL_WRITE, "term, entry.content_type_id"),
    (prefixes.TABLE, prefixes.POSTGRESQL_WRITE, "prefix, entry.content_type_id, rank DESC"),
]

# The columns an entry's text is written to, each as its indexer names it.
TEXT_COLUMNS = ("title", "autocomplete", "body", "title_text", "body_text")
VECTOR_COLUMNS = ("title", "autocomplete", "body")


class Vector(NamedTuple):
    """A vector column's value as Wagtail's indexer builds it: its (text, weight) pairs and the
    text-search configuration, before it is written as SQL."""

    config: str
    texts: tuple


class PostgresIndexer(PreparedOnce, ObjectIndexer):
    def as_vector(self, texts, for_autocomplete=False):
        texts = tuple((text.strip(), weight) for text, weight in texts)
        config = self.autocomplete_config if for_autocomplete else self.config
        return Vector(config, tuple((text, weight) for text, weight in texts if text))


class VectorSQL:
    """The SQL of Vector values, compiled by Django once per configuration and sequence of weights.

    Wagtail's indexer makes every entry's vectors Django expressions, resolved and compiled entry
    by entry; the SQL depends only on how many texts of which weights there are, and each text is
    one parameter of it.
    """

    def __init__(self, connection):
        self.connection = connection
        self.compiler = InsertQuery(IndexEntry).get_compiler(connection=connection)
        self.templates = {}

    def __call__(self, vector):
        key = (vector.config, tuple(weight for _text, weight in vector.texts))
        if key not in self.templates:
            self.templates[key] = self.template(vector.config, key[1])
        sql, params = self.templates[key]
        texts = [text for text, _weight in vector.texts]
        return sql, [texts[param.index] if isinstance(param, Placeholder) else param for param in params]

    def template(self, config, weights):
        """The SQL and parameters of a vector of these weights, its texts' parameters Placeholders."""
        placeholders = [Placeholder(index) for index in range(len(weights))]
        indexer = ObjectIndexer.__new__(ObjectIndexer)
        indexer.config = indexer.autocomplete_config = config
        expression = ObjectIndexer.as_vector(indexer, list(zip(placeholders, weights, strict=True)))
        value = self.compiler.prepare_value(IndexEntry._meta.get_field("title"), expression)
        return value.as_sql(self.compiler, self.connection)


class Placeholder(str):
    """A text's place among a compiled vector's parameters."""

    def __new__(cls, index):
        placeholder = super().__new__(cls, f"text {index}")
        placeholder.index = index
        return placeholder

    def strip(self):
        return self


class BulkPostgresIndex(BulkWrites, PostgresIndex):
    # The table the entries are written to: update_index writes a new one (rebuild.REBUILT).
    entry_table = IndexEntry._meta.db_table

    def add_items(self, model, objs):
        if not model.get_search_fields():
            return
        indexers = self.indexers(model, objs, PostgresIndexer).values()
        if not indexers:
            return
        content_type = get_content_type_pk(model)
        vector_sql = self.vector_sql()
        rows, params = [], []
        for indexer in indexers:
            row, row_params = ["%s", "%s"], [content_type, indexer.id]
            for column in VECTOR_COLUMNS:
                sql, value_params = vector_sql(getattr(indexer, column))
                row.append(sql)
                row_params.extend(value_params)
            rows.append(f"({', '.join(row)}, 1.0, %s, %s)")
            params.extend([*row_params, indexer.title_text, indexer.body_text])
        table = self.entry_table
        columns = ", ".join(TEXT_COLUMNS)
        excluded = ", ".join(f"EXCLUDED.{column}" for column in TEXT_COLUMNS)
        stored = ", ".join(f"{table}.{column}" for column in TEXT_COLUMNS)
        insert = (
            f"INSERT INTO {table} (content_type_id, object_id, {', '.join(VECTOR_COLUMNS)}, title_norm, "
            f"title_text, body_text) (VALUES {', '.join(rows)}) "
            f"ON CONFLICT (content_type_id, object_id) DO UPDATE SET ({columns}, title_norm) = ({excluded}, 1.0)"
            + ("" if self.rebuilding else f" WHERE ({stored}) IS DISTINCT FROM ({excluded})")
        )
        later.run(self.write, insert, params, len(rows) > 1)

    def write(self, insert, params, several):
        """Run an insert of entries made by add_items, on this thread's connection of the write database."""
        alias = self.write_connection.alias
        with transaction.atomic(using=alias), connections[alias].cursor() as cursor:
            if several and not self.rebuilding and not trigger_tables_deferred(cursor):
                write_with_trigger_tables_deferred(cursor, self.entry_table, insert + " RETURNING id", params)
            else:
                cursor.execute(insert, params)
        self._refresh_title_norms()

    def vector_sql(self):
        """This index's VectorSQL, made once for its write connection."""
        if getattr(self, "_vector_sql", None) is None or self._vector_sql.connection is not self.write_connection:
            self._vector_sql = VectorSQL(self.write_connection)
        return self._vector_sql


def trigger_tables_deferred(cursor):
    cursor.execute("SELECT current_setting(%s, true)", [DEFER_SETTING])
    return cursor.fetchone()[0] == "on"


def write_with_trigger_tables_deferred(cursor, entries, insert, params):
    """Run an insert of index entries ending in RETURNING id with the entries' row triggers doing
    nothing, then write the postings and title prefixes of the entries it wrote, each table in one
    statement in the order of its index, in the caller's transaction.

    The triggers write each entry's rows by themselves, and its postings into the term index all
    over; other sessions' triggers are left on.
    """
    cursor.execute("SELECT set_config(%s, 'on', true)", [DEFER_SETTING])
    cursor.execute(insert, params)
    entry_ids = [entry_id for (entry_id,) in cursor.fetchall()]
    cursor.execute("SELECT set_config(%s, 'off', true)", [DEFER_SETTING])
    if not entry_ids:
        return
    for table, write, order in TRIGGER_TABLES:
        # An updated entry's rows, which its trigger would have deleted.
        cursor.execute(f"DELETE FROM {table} WHERE entry_id = ANY(%s)", [entry_ids])
        where = f"WHERE entry.id = ANY(%s) ORDER BY {order}"
        cursor.execute(write.format(table=table, entries=entries, where=where), [entry_ids])
