"""The postings a query of words is ranked from (search.backends.postings, search.models.Posting):
one row per index entry and term, holding the entry's model and object and the term's BM25 weight
in it, written by triggers whenever the index entry table is.

PostgreSQL computes the weights in SQL from the entry's vectors (search_postings_of, the same
formula as search.backends.postings.term_weights), SQLite by calling term_weights itself, which
search.apps registers on every connection. A change to either formula, or to how term_weights
splits a text into terms, needs a migration that writes the table again.
"""

from django.db import migrations

from search.backends.postings import register_sqlite_function

# object_id is NULL for an object whose id is not a number; such objects are never ranked.
POSTGRESQL_OBJECT_ID = "CASE WHEN {entry}.object_id ~ '^[0-9]{{1,18}}$' THEN {entry}.object_id::bigint END"

POSTGRESQL_CREATE = [
    # Triggers, not a foreign key, keep the table in step with the entries: Django empties its
    # tables between tests with TRUNCATE, which a foreign key from a table it does not know of
    # would refuse.
    """
    CREATE TABLE search_posting (
        entry_id integer NOT NULL,
        content_type_id integer NOT NULL,
        object_id bigint,
        term text NOT NULL,
        weight real NOT NULL
    )
    """,
    # tf: the term's positions in the body, and TITLE_WEIGHT (2) times those in the title; the
    # body's length: its distinct terms; K1 1.2, B 0.75, PIVOT 250.
    """
    CREATE FUNCTION search_postings_of(title tsvector, body tsvector)
    RETURNS TABLE (term text, weight real) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT lexeme, (tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length(body) / 250.0)))::real
        FROM (
            SELECT lexeme, sum(field_weight * coalesce(array_length(positions, 1), 1)) AS tf
            FROM (VALUES (1, body), (2, title)) AS field (field_weight, field_vector), unnest(field_vector)
            GROUP BY lexeme
        ) AS counted
    $$
    """,
    f"""
    CREATE FUNCTION search_post_entry() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        IF TG_OP IN ('UPDATE', 'DELETE') THEN
            DELETE FROM search_posting WHERE entry_id = OLD.id;
        END IF;
        IF TG_OP IN ('INSERT', 'UPDATE') THEN
            INSERT INTO search_posting (entry_id, content_type_id, object_id, term, weight)
            SELECT NEW.id, NEW.content_type_id, {POSTGRESQL_OBJECT_ID.format(entry="NEW")}, term, weight
            FROM search_postings_of(NEW.title, NEW.body);
        END IF;
        RETURN NULL;
    END
    $$
    """,
    """
    CREATE FUNCTION search_unpost_all() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
        TRUNCATE search_posting;
        RETURN NULL;
    END
    $$
    """,
    f"""
    INSERT INTO search_posting (entry_id, content_type_id, object_id, term, weight)
    SELECT entry.id, entry.content_type_id, {POSTGRESQL_OBJECT_ID.format(entry="entry")}, term, weight
    FROM wagtailsearch_indexentry AS entry, search_postings_of(entry.title, entry.body)
    """,
    # Everything a query reads is in the index (an index-only scan), found by term and model.
    "CREATE INDEX search_posting_term ON search_posting (term, content_type_id) INCLUDE (object_id, weight)",
    # For the postings of an entry rewritten or deleted.
    "CREATE INDEX search_posting_entry ON search_posting (entry_id)",
    """
    CREATE TRIGGER search_post_entry
    AFTER INSERT OR UPDATE OF title, body OR DELETE ON wagtailsearch_indexentry
    FOR EACH ROW EXECUTE FUNCTION search_post_entry()
    """,
    """
    CREATE TRIGGER search_unpost_all
    AFTER TRUNCATE ON wagtailsearch_indexentry
    FOR EACH STATEMENT EXECUTE FUNCTION search_unpost_all()
    """,
]

POSTGRESQL_DROP = [
    "DROP TRIGGER IF EXISTS search_unpost_all ON wagtailsearch_indexentry",
    "DROP TRIGGER IF EXISTS search_post_entry ON wagtailsearch_indexentry",
    "DROP FUNCTION IF EXISTS search_unpost_all()",
    "DROP FUNCTION IF EXISTS search_post_entry()",
    "DROP FUNCTION IF EXISTS search_postings_of(tsvector, tsvector)",
    "DROP TABLE IF EXISTS search_posting",
]

# Whether `entry`'s object id is a number: only such objects have postings.
SQLITE_NUMBERED = (
    "{entry}.object_id != '' AND {entry}.object_id NOT GLOB '*[^0-9]*' AND length({entry}.object_id) <= 18"
)
# The postings of `entry`, a row of `entries`. A row left behind by an earlier formula (see the
# module's docstring) is replaced rather than failing the entry's save.
SQLITE_INSERT = f"""
    INSERT OR REPLACE INTO search_posting (term, content_type_id, object_id, weight)
    SELECT weights.key, {{entry}}.content_type_id, CAST({{entry}}.object_id AS INTEGER), weights.value
    FROM {{entries}}json_each(search_term_weights({{entry}}.title, {{entry}}.body)) AS weights
    WHERE {SQLITE_NUMBERED}
"""
# An entry's postings are found again by its terms (the table's key), so no second index is
# needed: the terms of an entry's text do not change while term_weights does not.
SQLITE_DELETE = f"""
    DELETE FROM search_posting WHERE content_type_id = OLD.content_type_id
        AND object_id = CAST(OLD.object_id AS INTEGER)
        AND term IN (SELECT key FROM json_each(search_term_weights(OLD.title, OLD.body)))
        AND {SQLITE_NUMBERED.format(entry="OLD")}
"""

SQLITE_CREATE = [
    """
    CREATE TABLE search_posting (
        term text NOT NULL,
        content_type_id integer NOT NULL,
        object_id integer NOT NULL,
        weight real NOT NULL,
        PRIMARY KEY (term, content_type_id, object_id)
    ) WITHOUT ROWID
    """,
    SQLITE_INSERT.format(entry="entry", entries="wagtailsearch_indexentry AS entry, "),
    f"""
    CREATE TRIGGER search_post_entry AFTER INSERT ON wagtailsearch_indexentry BEGIN
        {SQLITE_INSERT.format(entry="NEW", entries="")};
    END
    """,
    f"""
    CREATE TRIGGER search_repost_entry AFTER UPDATE OF title, body ON wagtailsearch_indexentry BEGIN
        {SQLITE_DELETE};
        {SQLITE_INSERT.format(entry="NEW", entries="")};
    END
    """,
    f"""
    CREATE TRIGGER search_unpost_entry AFTER DELETE ON wagtailsearch_indexentry BEGIN
        {SQLITE_DELETE};
    END
    """,
]

SQLITE_DROP = [
    "DROP TRIGGER IF EXISTS search_post_entry",
    "DROP TRIGGER IF EXISTS search_repost_entry",
    "DROP TRIGGER IF EXISTS search_unpost_entry",
    "DROP TABLE IF EXISTS search_posting",
]


def create_postings(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor == "sqlite":
        register_sqlite_function(connection.connection)
    for statement in {"postgresql": POSTGRESQL_CREATE, "sqlite": SQLITE_CREATE}.get(connection.vendor, []):
        schema_editor.execute(statement)


def drop_postings(apps, schema_editor):
    for statement in {"postgresql": POSTGRESQL_DROP, "sqlite": SQLITE_DROP}.get(schema_editor.connection.vendor, []):
        schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0002_index_title_and_body_together_in_postgresql")]

    operations = [migrations.RunPython(create_postings, drop_postings, elidable=False)]
