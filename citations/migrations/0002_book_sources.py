from django.db import migrations


def give_every_book_a_source(apps, schema_editor):
    Book = apps.get_model("essays", "Book")
    Source = apps.get_model("citations", "Source")
    Source.objects.bulk_create(
        [Source(book=book, kind="book") for book in Book.objects.filter(source__isnull=True)]
    )


class Migration(migrations.Migration):
    dependencies = [("citations", "0001_initial")]

    operations = [migrations.RunPython(give_every_book_a_source, migrations.RunPython.noop)]
