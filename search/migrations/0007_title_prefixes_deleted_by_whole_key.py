"""SQLite's triggers deleted an entry's title prefixes by a row-value IN over the table's key, which
SQLite looks up by the prefix alone: each of the entry's prefixes stepped through every row of that
prefix (most titles hold a prefix of two letters), tens of milliseconds per entry saved at 100 000
essays. Each key column is now matched by its own IN, so every row is found by its whole key."""

import importlib

from django.db import migrations

title_prefixes = importlib.import_module("search.migrations.0005_title_prefixes_for_autocomplete")

OLD_ROWS = title_prefixes.SQLITE_ROWS.format(entry="OLD")
SQLITE_DELETE = f"""
    DELETE FROM search_titleprefix
    WHERE prefix IN (SELECT json_extract(value, '$[0]') FROM {OLD_ROWS})
        AND content_type_id = OLD.content_type_id
        AND hits IN (SELECT json_extract(value, '$[1]') FROM {OLD_ROWS})
        AND size IN (SELECT json_extract(value, '$[2]') FROM {OLD_ROWS})
        AND entry_id = OLD.id
"""


def triggers(delete):
    return [
        "DROP TRIGGER IF EXISTS search_reprefix_entry",
        "DROP TRIGGER IF EXISTS search_unprefix_entry",
        f"""
        CREATE TRIGGER search_reprefix_entry AFTER UPDATE OF autocomplete, title, body ON wagtailsearch_indexentry
        BEGIN
            {delete};
            {title_prefixes.SQLITE_INSERT.format(entry="NEW", entries="")};
        END
        """,
        f"""
        CREATE TRIGGER search_unprefix_entry AFTER DELETE ON wagtailsearch_indexentry BEGIN
            {delete};
        END
        """,
    ]


def whole_key(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in triggers(SQLITE_DELETE):
            schema_editor.execute(statement)


def prefix_only(apps, schema_editor):
    if schema_editor.connection.vendor == "sqlite":
        for statement in triggers(title_prefixes.SQLITE_DELETE):
            schema_editor.execute(statement)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_fts_row_rewritten_only_when_its_text_changes")]

    operations = [migrations.RunPython(whole_key, prefix_only, elidable=False)]
