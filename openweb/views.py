import json

from django.conf import settings
from django.http import HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.http import require_GET
from wagtail.contrib.sitemaps.views import sitemap as wagtail_sitemap

from .descriptions import absolute
from .sitemaps import SITEMAPS


@require_GET
def sitemap(request):
    return wagtail_sitemap(request, SITEMAPS)


@require_GET
def robots_txt(request):
    lines = [
        "User-agent: *",
        "Disallow: /admin/",
        "Disallow: /haku/",
        "Disallow: /api/",
        f"Sitemap: {absolute(request, reverse('openweb:sitemap'))}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_GET
def openapi_description(request):
    """The OpenAPI description of the content API, the file docs/openapi.json."""
    with open(settings.BASE_DIR / "docs" / "openapi.json", encoding="utf-8") as description:
        return JsonResponse(json.load(description))
