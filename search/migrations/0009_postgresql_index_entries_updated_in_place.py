"""PostgreSQL's index entry pages keep half their space free, so that refreshing an entry's title
norm writes its new version on the same page and touches none of the table's indexes (a HOT
update): a full update_index refreshes every entry's norm after writing it, and with full pages
each refresh inserted every entry's vectors into its four GIN indexes again."""

from django.db import migrations

TABLE = "wagtailsearch_indexentry"
FILL_FACTOR = 50


def leave_room(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} SET (fillfactor = {FILL_FACTOR})")


def fill_pages(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"ALTER TABLE {TABLE} RESET (fillfactor)")


class Migration(migrations.Migration):
    dependencies = [("search", "0008_postgresql_trigger_tables_deferrable")]

    operations = [migrations.RunPython(leave_room, fill_pages, elidable=False)]
