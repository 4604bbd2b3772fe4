"""The title-prefix table autocomplete ranks a short prefix from (search.backends.prefixes): one
row per index entry and prefix of two to six letters of its autocomplete words, written by
triggers whenever the index entry table is, and filled here from the entries already indexed.

PostgreSQL computes each row's ts_rank in SQL from the entry's autocomplete vector; SQLite calls
search.backends.prefixes.sqlite_rows, which search.apps registers on every connection. A change to
either, or to prefixes.LENGTHS, needs a migration that writes the table again.
"""

from django.db import migrations

from search.backends.prefixes import LENGTHS, register_sqlite_function

SHORTEST, LONGEST = LENGTHS[0], LENGTHS[-1]

POSTGRESQL_CREATE = [
    # Triggers, not a foreign key, keep the table in step with the entries, as for search_posting
    # (Django empties its tables between tests with TRUNCATE).
    """
    CREATE TABLE search_titleprefix (
        prefix text NOT NULL,
        content_type_id integer NOT NULL,
        entry_id integer NOT NULL,
        object_id text NOT NULL,
        rank real NOT NULL
    )
    """,
    # ts_rank without normalisation reads only the entry's own vector. A prefix holding an ASCII
    # character other than a letter is never asked for, and could not be quoted into a query.
    f"""
    CREATE FUNCTION search_title_prefixes_of(vector tsvector)
    RETURNS TABLE (prefix text, rank real) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT prefix, ts_rank(vector, to_tsquery('simple', '''' || prefix || ''':*'))
        FROM (
            SELECT DISTINCT left(lexeme, n) AS prefix
            FROM unnest(vector), generate_series({SHORTEST}, {LONGEST}) AS n
            WHERE char_length(lexeme) >= n AND left(lexeme, n) !~ '[\\x01-\\x40\\x5b-\\x60\\x7b-\\x7f]'
        ) AS prefixes
    $$
    """,
    """
    CREATE FUNCTION search_prefix_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM search_titleprefix WHERE entry_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO search_titleprefix (prefix, content_type_id, entry_id, object_id, rank)
            SELECT prefix, NEW.content_type_id, NEW.id, NEW.object_id, rank
            FROM search_title_prefixes_of(NEW.autocomplete);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION search_unprefix_all() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_titleprefix;
        RETURN NULL;
    END
    $$
    """,
    """
    INSERT INTO search_titleprefix (prefix, content_type_id, entry_id, object_id, rank)
    SELECT prefix, entry.content_type_id, entry.id, entry.object_id, rank
    FROM wagtailsearch_indexentry AS entry, search_title_prefixes_of(entry.autocomplete)
    """,
    # A prefix's best rows of a model are the start of its range (an index-only scan).
    """
    CREATE INDEX search_titleprefix_ranked
    ON search_titleprefix (prefix, content_type_id, rank DESC, entry_id) INCLUDE (object_id)
    """,
    # For the rows of an entry rewritten or deleted.
    "CREATE INDEX search_titleprefix_entry ON search_titleprefix (entry_id)",
    """
    CREATE TRIGGER search_prefix_entry
    AFTER INSERT OR UPDATE OF autocomplete OR DELETE ON wagtailsearch_indexentry
    FOR EACH ROW EXECUTE FUNCTION search_prefix_entry()
    """,
    """
    CREATE TRIGGER search_unprefix_all
    AFTER TRUNCATE ON wagtailsearch_indexentry
    FOR EACH STATEMENT EXECUTE FUNCTION search_unprefix_all()
    """,
]

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS search_unprefix_all ON wagtailsearch_indexentry",
    "DROP TRIGGER IF EXISTS search_prefix_entry ON wagtailsearch_indexentry",
    "DROP FUNCTION IF EXISTS search_unprefix_all()",
    "DROP FUNCTION IF EXISTS search_prefix_entry()",
    "DROP FUNCTION IF EXISTS search_title_prefixes_of(tsvector)",
    "DROP TABLE IF EXISTS search_titleprefix",
]

SQLITE_ROWS = "json_each(search_title_prefixes({entry}.autocomplete, {entry}.title, {entry}.body))"
SQLITE_INSERT = f"""
    INSERT OR REPLACE INTO search_titleprefix (prefix, content_type_id, hits, size, entry_id, object_id)
    SELECT json_extract(value, '$[0]'), {{entry}}.content_type_id, json_extract(value, '$[1]'),
        json_extract(value, '$[2]'), {{entry}}.id, {{entry}}.object_id
    FROM {{entries}}{SQLITE_ROWS}
"""
# An entry's rows are found again by their whole key, computed from its old text, so no second
# index is needed.
SQLITE_DELETE = f"""
    DELETE FROM search_titleprefix WHERE (prefix, content_type_id, hits, size, entry_id) IN (
        SELECT json_extract(value, '$[0]'), OLD.content_type_id, json_extract(value, '$[1]'),
            json_extract(value, '$[2]'), OLD.id
        FROM {SQLITE_ROWS.format(entry="OLD")}
    )
"""

SQLITE_CREATE = [
    """
    CREATE TABLE search_titleprefix (
        prefix text NOT NULL,
        content_type_id integer NOT NULL,
        hits integer NOT NULL,
        size integer NOT NULL,
        entry_id integer NOT NULL,
        object_id text NOT NULL,
        PRIMARY KEY (prefix, content_type_id, hits, size, entry_id)
    ) WITHOUT ROWID
    """,
    SQLITE_INSERT.format(entry="entry", entries="wagtailsearch_indexentry AS entry, "),
    f"""
    CREATE TRIGGER search_prefix_entry AFTER INSERT ON wagtailsearch_indexentry BEGIN
        {SQLITE_INSERT.format(entry="NEW", entries="")};
    END
    """,
    f"""
    CREATE TRIGGER search_reprefix_entry AFTER UPDATE OF autocomplete, title, body ON wagtailsearch_indexentry BEGIN
        {SQLITE_DELETE};
        {SQLITE_INSERT.format(entry="NEW", entries="")};
    END
    """,
    f"""
    CREATE TRIGGER search_unprefix_entry AFTER DELETE ON wagtailsearch_indexentry BEGIN
        {SQLITE_DELETE};
    END
    """,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_prefix_entry",
    "DROP TRIGGER IF EXISTS search_reprefix_entry",
    "DROP TRIGGER IF EXISTS search_unprefix_entry",
    "DROP TABLE IF EXISTS search_titleprefix",
]


def create_title_prefixes(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        register_sqlite_function(connection.connection)
    for statement in {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}.get(connection.vendor, []):
        schema_editor.execute(statement)


def drop_title_prefixes(apps, schema_editor):
    for statement in {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0004_posting")]

    operations = [migrations.RunPython(create_title_prefixes, drop_title_prefixes, elidable=False)]
