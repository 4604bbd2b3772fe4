from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EssaysConfig(AppConfig):
    name = "essays"
    verbose_name = _("Essays")

    def ready(self):
        from essays import facets

        facets.register()
