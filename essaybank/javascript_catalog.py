"""The admin's script catalogue with the project's Finnish for Wagtail (locale-wagtail/)."""

from django.conf import settings
from django.views.i18n import JavaScriptCatalog
from wagtail.admin.localization import get_localized_response


class AdminJavaScriptCatalog(JavaScriptCatalog):
    """Wagtail's admin scripts' catalogue with the project's Finnish (LOCALE_PATHS) on top of Wagtail's own."""

    def get_paths(self, packages):
        # Catalogues later in the list take precedence.
        return [*super().get_paths(packages), *(str(path) for path in reversed(settings.LOCALE_PATHS))]


admin_catalog = AdminJavaScriptCatalog.as_view(packages=["wagtail.admin"])


def admin_javascript_catalog(request, *args, **kwargs):
    """In the signed-in user's own admin language, as Wagtail's view answers."""
    return get_localized_response(admin_catalog, request, *args, **kwargs)
