from django.contrib.auth.management import create_permissions
from django.db import migrations

from grading.roles import setup_roles


def grant(apps, schema_editor):
    # Permissions are normally created after the whole migrate run; the groups need them now.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None
    setup_roles(apps)


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0005_finnish_default_workflow"),
        ("citations", "0003_citationsettings"),
        ("concepts", "0004_conceptsettings"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
