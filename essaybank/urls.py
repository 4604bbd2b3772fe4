from django.conf import settings
from django.urls import include, path, re_path
from django.views.static import serve
from wagtail import urls as wagtail_urls
from wagtail.admin import urls as wagtailadmin_urls
from wagtail.documents import urls as wagtaildocs_urls

from essaybank.javascript_catalog import admin_javascript_catalog
from openweb.api import api_router
from search import views as search_views

urlpatterns = [
    # Before the admin's own catalogue, which reads only Wagtail's translations.
    path("admin/jsi18n/", admin_javascript_catalog, name="wagtailadmin_javascript_catalog"),
    path("admin/", include(wagtailadmin_urls)),
    path("documents/", include(wagtaildocs_urls)),
    path("haku/", search_views.search, name="search"),
    path("api/search/", search_views.search_api, name="search_api"),
    path("api/search/autocomplete/", search_views.autocomplete_api, name="search_autocomplete"),
    path("", include("essays.urls")),
    path("", include("citations.urls")),
    path("", include("openweb.urls")),
    # Outside the openweb namespace: Wagtail's API reverses its own "api:…" names.
    path("api/v2/", api_router.urls),
    path("", include("community.urls")),
]

if settings.DEBUG or settings.SERVE_MEDIA:
    media_prefix = settings.MEDIA_URL.lstrip("/")
    urlpatterns += [re_path(rf"^{media_prefix}(?P<path>.*)$", serve, {"document_root": settings.MEDIA_ROOT})]

urlpatterns += [path("", include(wagtail_urls))]

handler400 = "essaybank.errors.bad_request"
handler404 = "essaybank.errors.page_not_found"
handler500 = "essaybank.errors.server_error"
