from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    default = True
    name = "community"
    verbose_name = _("Comments, ratings and the essay of the month")
