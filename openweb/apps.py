from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OpenWebConfig(AppConfig):
    name = "openweb"
    verbose_name = _("The site on the open web")
