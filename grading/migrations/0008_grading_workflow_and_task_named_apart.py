from django.db import migrations

from grading.roles import name_grading_workflow_apart


def rename(apps, schema_editor):
    name_grading_workflow_apart(apps)


class Migration(migrations.Migration):
    dependencies = [("grading", "0007_groups_named_in_finnish")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
