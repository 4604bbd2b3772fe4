"""Wagtail's SQLite trigger copies an index entry to the FTS table after any update of the entry,
so refreshing the title norms of a full rebuild tokenized every entry's text once more. The FTS
row holds only the title, body and autocomplete text, so the trigger now fires when one of them is
updated."""

from django.db import migrations

TRIGGER = "update_wagtailsearch_indexentry_fts"
ANY_UPDATE = "AFTER UPDATE ON"
TEXT_UPDATE = "AFTER UPDATE OF title, body, autocomplete ON"


def replace_trigger(schema_editor, old, new):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s", [TRIGGER])
        row = cursor.fetchone()
        if row is None or old not in row[0]:
            return
        cursor.execute(f"DROP TRIGGER {TRIGGER}")
        cursor.execute(row[0].replace(old, new, 1))


def text_updates_only(apps, schema_editor):
    replace_trigger(schema_editor, ANY_UPDATE, TEXT_UPDATE)


def any_update(apps, schema_editor):
    replace_trigger(schema_editor, TEXT_UPDATE, ANY_UPDATE)


class Migration(migrations.Migration):
    dependencies = [("search", "0005_title_prefixes_for_autocomplete")]

    operations = [migrations.RunPython(text_updates_only, any_update, elidable=False)]
