"""SQLite's FTS5 folds diacritics by default, so "sää" would find "saa". Rebuild Wagtail's FTS
table with a tokenizer that keeps ä, ö and å, from the index entries it mirrors."""

from django.db import migrations

FTS_TABLE = "wagtailsearch_indexentry_fts"
TOKENIZER = "unicode61 remove_diacritics 0"


def keep_finnish_letters(apps, schema_editor):
    connection = schema_editor.connection
    if connection.vendor != "sqlite":
        return
    with connection.cursor() as cursor:
        cursor.execute("SELECT sql FROM sqlite_master WHERE name = %s", [FTS_TABLE])
        row = cursor.fetchone()
        if row is None or "remove_diacritics 0" in row[0]:
            return
        # Wagtail's triggers on the index entry table name the FTS table; dropping and creating it
        # under the same name keeps them working (a rename would rewrite them).
        cursor.execute(f"DROP TABLE {FTS_TABLE}")
        cursor.execute(f"CREATE VIRTUAL TABLE {FTS_TABLE} USING fts5(autocomplete, body, title, tokenize='{TOKENIZER}')")
        cursor.execute(
            f"INSERT INTO {FTS_TABLE} (rowid, autocomplete, body, title) "
            "SELECT id, autocomplete, body, title FROM wagtailsearch_indexentry"
        )

class Migration(migrations.Migration):
    dependencies = [("wagtailsearch", "0010_add_text_fields")]

    operations = [migrations.RunPython(keep_finnish_letters, migrations.RunPython.noop, elidable=False)]
