from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ConceptsConfig(AppConfig):
    name = "concepts"
    verbose_name = _("Concepts")

    def ready(self):
        from . import signals  # noqa: F401
