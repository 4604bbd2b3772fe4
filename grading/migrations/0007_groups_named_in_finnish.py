from django.db import migrations

from grading.roles import name_groups_in_finnish


def rename(apps, schema_editor):
    name_groups_in_finnish(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0006_editors_manage_sources_and_concept_links"),
        ("essaybank", "0005_wordpress_post_review"),
    ]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
