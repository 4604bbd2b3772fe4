from django.db import migrations

# Point classes follow the types seen in Finnish team-entrepreneurship programmes;
# editors may change them or add types in the admin.
ESSAY_TYPES = [
    ("blog", "Blogiessee", 1),
    ("individual", "Yksilöessee", 2),
    ("academic", "Akateeminen essee", 3),
    ("reflection", "Reflektio", 1),
    ("podcast", "Podcast", None),
    ("team", "Solu- tai tiimiessee", 2),
    ("comment", "Kommenttiessee", 1),
]


def add_essay_types(apps, schema_editor):
    EssayType = apps.get_model("essays", "EssayType")
    for order, (code, name, points) in enumerate(ESSAY_TYPES):
        EssayType.objects.update_or_create(
            code=code, defaults={"name": name, "default_points": points, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [("essays", "0001_initial")]

    operations = [migrations.RunPython(add_essay_types, migrations.RunPython.noop)]
