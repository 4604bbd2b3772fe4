"""PostgreSQL's triggers that write an entry's postings and title prefixes do nothing in a session
that has set search.defer_trigger_tables: update_index sets it and writes both tables whole at its
end (search.backends.postgres.index.DeferredTables)."""

import importlib

from django.db import migrations

postings = importlib.import_module("search.migrations.0003_rank_words_from_postings")
title_prefixes = importlib.import_module("search.migrations.0005_title_prefixes_for_autocomplete")

GUARD = "BEGIN\n        IF current_setting('search.defer_trigger_tables', true) = 'on' THEN RETURN NULL; END IF;"


def trigger_functions():
    """The CREATE statements of the two row triggers' functions, as search 0003 and 0005 wrote them."""
    statements = [*postings.POSTGRESQL_CREATE, *title_prefixes.POSTGRESQL_CREATE]
    names = ("CREATE FUNCTION search_post_entry()", "CREATE FUNCTION search_prefix_entry()")
    return [
        statement.replace("CREATE FUNCTION", "CREATE OR REPLACE FUNCTION", 1)
        for statement in statements
        if any(name in statement for name in names)
    ]


def deferrable(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in trigger_functions():
            schema_editor.execute(statement.replace("BEGIN", GUARD, 1))


def always(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        for statement in trigger_functions():
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0007_title_prefixes_deleted_by_whole_key")]

    operations = [migrations.RunPython(deferrable, always, elidable=False)]
