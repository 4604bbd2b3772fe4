from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EssaybankConfig(AppConfig):
    name = "essaybank"
    verbose_name = _("Essay bank")

    def ready(self):
        from wagtail.permissions import register_permission_policy

        from .models import WordPressPost
        from .permissions import ReviewPermissionPolicy

        register_permission_policy(WordPressPost, ReviewPermissionPolicy(WordPressPost))
