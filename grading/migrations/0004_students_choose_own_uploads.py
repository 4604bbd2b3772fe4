from django.db import migrations

from grading.roles import COACHES, STUDENTS, groups_named


def choose_only_own_uploads(apps, schema_editor):
    # Choosing from a collection shows every image or document in it; students and coaches choose
    # only what they uploaded (grading.permissions.OwnUploadsPermissionPolicy).
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    groups = groups_named(apps, STUDENTS, COACHES)
    GroupCollectionPermission.objects.filter(
        group__in=groups, permission__codename__in=["choose_image", "choose_document"]
    ).delete()
    for group in groups:
        group.permissions.remove(*group.permissions.filter(codename__in=["choose_image", "choose_document"]))


class Migration(migrations.Migration):
    dependencies = [
        ("grading", "0003_award_kept_after_erasure"),
        ("wagtailimages", "0027_image_description"),
        ("wagtaildocs", "0014_alter_document_file_size"),
    ]

    operations = [migrations.RunPython(choose_only_own_uploads, migrations.RunPython.noop)]
