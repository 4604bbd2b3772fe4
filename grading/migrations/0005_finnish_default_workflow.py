from django.db import migrations

from grading.roles import finnish_default_workflow


def rename(apps, schema_editor):
    finnish_default_workflow(apps)


class Migration(migrations.Migration):
    dependencies = [("grading", "0004_students_choose_own_uploads")]

    operations = [migrations.RunPython(rename, migrations.RunPython.noop)]
