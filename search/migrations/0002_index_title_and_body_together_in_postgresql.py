"""Wagtail's PostgreSQL search matches `title || body` against the query, but its table indexes
title and body apart, so every search read every entry. One GIN index on the expression the
query uses makes the match an index lookup."""

from django.db import migrations

INDEX = "search_entry_title_body_gin"


def create_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailsearch_indexentry USING gin ((title || body))"
        )


def drop_index(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_keep_finnish_letters_in_sqlite_index")]

    operations = [migrations.RunPython(create_index, drop_index, elidable=False)]
