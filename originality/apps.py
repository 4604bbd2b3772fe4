from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OriginalityConfig(AppConfig):
    default = True
    name = "originality"
    verbose_name = _("Originality")

    def ready(self):
        from . import signals  # noqa: F401
