from django.db import migrations

# The tree's invisible root is named in the admin ("Selataan: …", sort tooltips); Wagtail names it "Root".
ROOT_TITLE = "Kaikki sivustot"


def name_the_root_in_finnish(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title="Root").update(title=ROOT_TITLE, draft_title=ROOT_TITLE)


def name_the_root_in_english(apps, schema_editor):
    Page = apps.get_model("wagtailcore", "Page")
    Page.objects.filter(depth=1, title=ROOT_TITLE).update(title="Root", draft_title="Root")


class Migration(migrations.Migration):
    dependencies = [
        ("essaybank", "0005_wordpress_post_review"),
    ]

    operations = [migrations.RunPython(name_the_root_in_finnish, name_the_root_in_english)]
