from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EssaysConfig(AppConfig):
    name = "essays"
    verbose_name = _("Essays")

    def ready(self):
        from django.urls import register_converter

        from essays import facets
        from essays.converters import RecordSlugConverter

        facets.register()
        register_converter(RecordSlugConverter, "recordslug")
