from django.db import migrations


def copy_to_app_settings(apps, schema_editor):
    """Each site's citation style and first-mention linking move to the apps that use them."""
    site_settings = apps.get_model("essaybank", "SiteSettings")
    citation_settings = apps.get_model("citations", "CitationSettings")
    concept_settings = apps.get_model("concepts", "ConceptSettings")
    for old in site_settings.objects.all():
        citation_settings.objects.update_or_create(site_id=old.site_id, defaults={"citation_style": old.citation_style})
        concept_settings.objects.update_or_create(
            site_id=old.site_id, defaults={"link_first_mentions": old.link_first_mentions}
        )


def copy_back(apps, schema_editor):
    site_settings = apps.get_model("essaybank", "SiteSettings")
    citation_settings = apps.get_model("citations", "CitationSettings")
    concept_settings = apps.get_model("concepts", "ConceptSettings")
    for old in site_settings.objects.all():
        citation = citation_settings.objects.filter(site_id=old.site_id).first()
        concept = concept_settings.objects.filter(site_id=old.site_id).first()
        if citation:
            old.citation_style = citation.citation_style
        if concept:
            old.link_first_mentions = concept.link_first_mentions
        old.save()


class Migration(migrations.Migration):
    dependencies = [
        ("essaybank", "0002_citation_settings"),
        ("citations", "0003_citationsettings"),
        ("concepts", "0004_conceptsettings"),
    ]

    operations = [
        migrations.RunPython(copy_to_app_settings, copy_back),
        migrations.RemoveField(model_name="sitesettings", name="citation_style"),
        migrations.RemoveField(model_name="sitesettings", name="link_first_mentions"),
    ]
