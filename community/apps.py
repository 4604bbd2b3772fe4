from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommunityConfig(AppConfig):
    default = True
    name = "community"
    verbose_name = _("Comments, ratings and the essay of the month")

    def ready(self):
        from essays.listing import register_order

        from .listing import BEST_RATED, MOST_DISCUSSED, by_comments, by_rating

        register_order(BEST_RATED, _("best rated"), by_rating)
        register_order(MOST_DISCUSSED, _("most discussed"), by_comments)
