from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class GradingConfig(AppConfig):
    default = True
    name = "grading"
    verbose_name = _("Grading and points")

    def ready(self):
        from . import notifications, signals  # noqa: F401

        notifications.connect()


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with the account rules of grading.accounts."""

    user_viewset = "grading.accounts.UserViewSet"
