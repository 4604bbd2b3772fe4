"""PostgreSQL's search_postings_of (migration search 0003) read the body's length once per term:
each read decompressed the entry's whole body vector again, half the time of writing the postings.
The length is now read once per entry, and the weight worked out in double precision rather than
numeric; the weights stored are the same 32-bit values."""

import importlib

from django.db import migrations

postings = importlib.import_module("search.migrations.0003_rank_words_from_postings")

# tf: the term's positions in the body, and TITLE_WEIGHT (2) times those in the title; the body's
# length: its distinct terms, read once (OFFSET 0 keeps the planner from copying it into each row);
# K1 1.2, B 0.75, PIVOT 250.
BODY_LENGTH_ONCE = """
    CREATE OR REPLACE FUNCTION search_postings_of(title tsvector, body tsvector)
    RETURNS TABLE (term text, weight real) LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT lexeme, (tf * 2.2::float8 / (tf + 1.2::float8 * (0.25::float8 + 0.75::float8 * size / 250.0::float8)))::real
        FROM (SELECT length(body) AS size OFFSET 0) AS body_length, (
            SELECT lexeme, sum(field_weight * coalesce(array_length(positions, 1), 1)) AS tf
            FROM (VALUES (1, body), (2, title)) AS field (field_weight, field_vector), unnest(field_vector)
            GROUP BY lexeme
        ) AS counted
    $$
"""


def body_length_once(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(BODY_LENGTH_ONCE)


def body_length_per_term(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        (statement,) = [sql for sql in postings.POSTGRESQL_CREATE if "FUNCTION search_postings_of" in sql]
        schema_editor.execute(statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1))


class Migration(migrations.Migration):
    dependencies = [("search", "0009_postgresql_index_entries_updated_in_place")]

    operations = [migrations.RunPython(body_length_once, body_length_per_term, elidable=False)]
