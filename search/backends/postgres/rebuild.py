"""update_index on PostgreSQL: the index entries, their postings and their title prefixes are
written into new tables, each index built once its table is full, and the new tables take the old
ones' places in one short transaction.

Inserted one entry at a time, each entry's vectors go into the body's and title‖body's GIN indexes
at pages all over them; once those indexes outgrow the server's shared buffers every insert reads
and writes pages at random, and the server's share of a rebuild grew faster than the index. Built
from the full table, each index is one sort. Searches read the old tables until the swap; the
entries other sessions write meanwhile (a page saved) are noted by a trigger and copied over in it.
"""

import re

from django.core.management.base import CommandError
from django.db import transaction
from modelsearch.backends.database.postgres.postgres import IndexEntry

from search.backends import postings, prefixes

ENTRIES = IndexEntry._meta.db_table
# The table noting the entries other sessions write during a rebuild, and the trigger noting them.
CHANGES = "search_rebuild_change"
NOTE_CHANGE = "search_note_rebuild_change"
# Memory for building each index: the body's GIN index holds some 170 MB at 100 000 essays, the
# postings' key index 1.8 GB.
INDEX_BUILD_MEMORY = "1GB"
# An advisory lock held by the session rebuilding, so that a second update_index does not drop the
# first one's tables.
REBUILD_LOCK = 0x5EA2C4


def query(cursor, sql, params=()):
    cursor.execute(sql, params)
    return cursor.fetchall()


class ShadowTable:
    """A new, empty table shaped as `table` (columns, defaults, checks, storage options), its
    indexes built on demand under names of its own, which replaces `table` by swap()."""

    def __init__(self, table):
        self.table = table
        self.name = f"{table}_rebuilt"
        self.indexes = []

    def index_name(self, number):
        return f"{self.name}_{number}"

    def create(self, cursor):
        cursor.execute(f"DROP TABLE IF EXISTS {self.name}")
        self.indexes = query(
            cursor,
            """
            SELECT index_class.relname, pg_get_indexdef(i.indexrelid), i.indisunique, con.conname, con.contype
            FROM pg_index AS i
            JOIN pg_class AS index_class ON index_class.oid = i.indexrelid
            LEFT JOIN pg_constraint AS con ON con.conindid = i.indexrelid AND con.conrelid = i.indrelid
            WHERE i.indrelid = %s::regclass
            ORDER BY index_class.relname
            """,
            [self.table],
        )
        (options,) = query(cursor, "SELECT reloptions FROM pg_class WHERE oid = %s::regclass", [self.table])[0]
        storage = f" WITH ({', '.join(options)})" if options else ""
        cursor.execute(f"CREATE TABLE {self.name} (LIKE {self.table} INCLUDING ALL EXCLUDING INDEXES){storage}")

    def build_indexes(self, cursor, unique):
        """Build the unique indexes (the keys the writes' ON CONFLICT name) or the others."""
        for number, (_name, definition, is_unique, *_constraint) in enumerate(self.indexes):
            if is_unique == unique:
                cursor.execute(
                    re.sub(
                        r"^(CREATE (?:UNIQUE )?INDEX) \S+ ON (?:ONLY )?\S+ ",
                        lambda match, number=number: f"{match[1]} {self.index_name(number)} ON {self.name} ",
                        definition,
                        count=1,
                    )
                )

    def swap(self, cursor):
        """Drop the table and put this one in its place, with its names, foreign keys and triggers."""
        triggers = query(
            cursor,
            "SELECT pg_get_triggerdef(oid) FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal "
            "AND tgname <> %s ORDER BY tgname",
            [self.table, NOTE_CHANGE],
        )
        foreign_keys = query(
            cursor,
            "SELECT conname, pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid = %s::regclass "
            "AND contype = 'f' ORDER BY conname",
            [self.table],
        )
        sequences = query(
            cursor,
            """
            SELECT attname, pg_get_serial_sequence(%s, attname), pg_get_serial_sequence(%s, attname)
            FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped
            """,
            [self.table, self.name, self.table],
        )
        for column, sequence, own_sequence in sequences:
            if sequence and not own_sequence:
                # A serial column (not an identity): the copied default draws on the old table's sequence.
                cursor.execute(f"ALTER SEQUENCE {sequence} OWNED BY {self.name}.{column}")
        cursor.execute(f"DROP TABLE {self.table}")
        cursor.execute(f"ALTER TABLE {self.name} RENAME TO {self.table}")
        for _column, sequence, own_sequence in sequences:
            if sequence and own_sequence:
                cursor.execute(f"ALTER SEQUENCE {own_sequence} RENAME TO {sequence.split('.')[-1]}")
        kinds = {"p": "PRIMARY KEY", "u": "UNIQUE"}
        for number, (name, _definition, _unique, constraint, kind) in enumerate(self.indexes):
            if kind in kinds:
                cursor.execute(
                    f"ALTER TABLE {self.table} ADD CONSTRAINT {constraint} {kinds[kind]} "
                    f"USING INDEX {self.index_name(number)}"
                )
            else:
                cursor.execute(f"ALTER INDEX {self.index_name(number)} RENAME TO {name}")
        for name, definition in foreign_keys:
            cursor.execute(f"ALTER TABLE {self.table} ADD CONSTRAINT {name} {definition}")
        for (definition,) in triggers:
            cursor.execute(definition)


def drop_notes(cursor):
    cursor.execute(f"DROP TRIGGER IF EXISTS {NOTE_CHANGE} ON {ENTRIES}")
    cursor.execute(f"DROP FUNCTION IF EXISTS {NOTE_CHANGE}()")
    cursor.execute(f"DROP TABLE IF EXISTS {CHANGES}")


def note_changes(cursor):
    """Note in CHANGES the object of every entry written to the entry table from now on."""
    cursor.execute(f"CREATE TABLE {CHANGES} (content_type_id integer, object_id text)")
    cursor.execute(
        f"""
        CREATE FUNCTION {NOTE_CHANGE}() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN
            IF TG_OP = 'DELETE' THEN
                INSERT INTO {CHANGES} VALUES (OLD.content_type_id, OLD.object_id);
            ELSE
                INSERT INTO {CHANGES} VALUES (NEW.content_type_id, NEW.object_id);
            END IF;
            RETURN NULL;
        END
        $$
        """
    )
    cursor.execute(
        f"CREATE TRIGGER {NOTE_CHANGE} AFTER INSERT OR UPDATE OR DELETE ON {ENTRIES} "
        f"FOR EACH ROW EXECUTE FUNCTION {NOTE_CHANGE}()"
    )


def refresh_title_norms(cursor, entries):
    """Wagtail's title norm of every entry (search.backends.writes.refresh_title_norms): the average
    title length over this title's length."""
    (average,) = query(cursor, f"SELECT avg(length(title))::float8 FROM {entries} WHERE length(title) > 0")[0]
    if average is not None:
        cursor.execute(f"UPDATE {entries} SET title_norm = %s / length(title) WHERE length(title) > 0", [average])


class TableSwappingRebuilder:
    """Rebuilds a PostgreSQL index into new tables (see the module's docstring).

    start() and finish() commit transactions of their own, unless update_index runs inside one (a
    test): other sessions must see the trigger noting their writes while the rebuild runs. The new
    tables are vacuumed before the swap (outside a transaction), so that searches read the postings
    from their index alone (an index-only scan) from the start. An interrupted rebuild leaves the
    index as it was; the next one removes what it left.
    """

    def __init__(self, index):
        self.index = index
        self.entries = ShadowTable(ENTRIES)
        # The tables the entries' triggers write, each with the statement writing its rows from a
        # table of entries.
        self.written = [
            (ShadowTable(postings.POSTINGS), postings.POSTGRESQL_WRITE),
            (ShadowTable(prefixes.TABLE), prefixes.POSTGRESQL_WRITE),
        ]

    def start(self):
        connection = self.index.write_connection
        with connection.cursor() as cursor:
            if not query(cursor, "SELECT pg_try_advisory_lock(%s)", [REBUILD_LOCK])[0][0]:
                raise CommandError("Another update_index is rebuilding the search index.")
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            drop_notes(cursor)
            for table in self.tables():
                cursor.execute(f"DROP TABLE IF EXISTS {table.name}")
            self.entries.create(cursor)
            self.entries.build_indexes(cursor, unique=True)
            note_changes(cursor)
        self.index.entry_table = self.entries.name
        self.index.rebuilding = True
        return self.index

    def finish(self):
        connection = self.index.write_connection
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL maintenance_work_mem = '{INDEX_BUILD_MEMORY}'")
            refresh_title_norms(cursor, self.entries.name)
            self.entries.build_indexes(cursor, unique=False)
            for table, write in self.written:
                table.create(cursor)
                cursor.execute(write.format(table=table.name, entries=self.entries.name, where=""))
                table.build_indexes(cursor, unique=True)
                table.build_indexes(cursor, unique=False)
        with connection.cursor() as cursor:
            for table in self.tables():
                cursor.execute(f"{'ANALYZE' if connection.in_atomic_block else 'VACUUM (ANALYZE)'} {table.name}")
        with transaction.atomic(using=connection.alias), connection.cursor() as cursor:
            # Writes to the entries wait from here, searches from the first table dropped.
            cursor.execute(f"LOCK TABLE {ENTRIES} IN SHARE ROW EXCLUSIVE MODE")
            # A table is dropped only once the checks deferred on its rows this transaction are done.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            self.copy_changes(cursor)
            for table in self.tables():
                table.swap(cursor)
            drop_notes(cursor)
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_unlock(%s)", [REBUILD_LOCK])
        self.index.entry_table = ENTRIES
        self.index.rebuilding = False

    def tables(self):
        return [self.entries, *(table for table, _write in self.written)]

    def copy_changes(self, cursor):
        """Replace the rebuilt entries (with their postings and title prefixes) of every object
        another session wrote during the rebuild with the entry table's (none where the object's
        entry was deleted)."""
        rebuilt = self.entries.name
        changed = f"(content_type_id, object_id) IN (SELECT content_type_id, object_id FROM {CHANGES})"
        removed = [entry_id for (entry_id,) in query(cursor, f"DELETE FROM {rebuilt} WHERE {changed} RETURNING id")]
        (columns,) = query(
            cursor,
            """
            SELECT string_agg(quote_ident(attname), ', ' ORDER BY attnum) FROM pg_attribute
            WHERE attrelid = %s::regclass AND attnum > 0 AND NOT attisdropped AND attname <> %s
            """,
            [ENTRIES, IndexEntry._meta.pk.column],
        )[0]
        copied = f"INSERT INTO {rebuilt} ({columns}) SELECT {columns} FROM {ENTRIES} WHERE {changed} RETURNING id"
        added = [entry_id for (entry_id,) in query(cursor, copied)]
        for table, write in self.written:
            if removed:
                cursor.execute(f"DELETE FROM {table.name} WHERE entry_id = ANY(%s)", [removed])
            if added:
                cursor.execute(
                    write.format(table=table.name, entries=rebuilt, where="WHERE entry.id = ANY(%s)"), [added]
                )
