"""Index texts again, so each holds its neighbouring lemmas as pair terms.

The database backends match a quoted phrase of two words by its pair terms
(search.indexing.analysed_text); an index written before them would find no such phrase. An
empty index (a new site, a test database) has nothing to write again.
"""

from django.core.management import call_command
from django.db import migrations


def index_again(apps, schema_editor):
    if apps.get_model("wagtailsearch", "IndexEntry").objects.exists():
        call_command("update_index", verbosity=0)


class Migration(migrations.Migration):
    # update_index reads every searched model as it is now: their tables must be as they are now.
    dependencies = [
        ("search", "0003_rank_words_from_postings"),
        ("essays", "0003_facets_version"),
        ("concepts", "0003_essay_concept_links"),
        ("citations", "0002_book_sources"),
        ("essaybank", "0002_citation_settings"),
    ]

    operations = [migrations.RunPython(index_again, migrations.RunPython.noop, elidable=False)]
