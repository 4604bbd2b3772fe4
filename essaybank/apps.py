from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EssaybankConfig(AppConfig):
    name = "essaybank"
    verbose_name = _("Essay bank")
