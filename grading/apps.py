from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _
from wagtail.users.apps import WagtailUsersAppConfig


class GradingConfig(AppConfig):
    default = True
    name = "grading"
    verbose_name = _("Grading and points")

    def ready(self):
        from wagtail.documents import get_document_model
        from wagtail.images import get_image_model
        from wagtail.models import Page
        from wagtail.permissions import register_permission_policy

        from . import notifications, signals  # noqa: F401
        from .permissions import OwnUploadsPermissionPolicy, ReadablePagesPermissionPolicy

        notifications.connect()

        register_permission_policy(Page, ReadablePagesPermissionPolicy(Page))
        # For the exact classes, which take precedence over the policies the image and document
        # apps register when they are ready, after this app.
        for model, auth_model in (
            (get_image_model(), "wagtailimages.Image"),
            (get_document_model(), "wagtaildocs.Document"),
        ):
            register_permission_policy(model, OwnUploadsPermissionPolicy(model, auth_model), exact_class=True)


class UsersConfig(WagtailUsersAppConfig):
    """Wagtail's user admin with the account rules of grading.accounts."""

    user_viewset = "grading.accounts.UserViewSet"
