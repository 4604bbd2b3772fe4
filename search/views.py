from django.core.paginator import Paginator
from django.http import HttpResponseBadRequest
from django.shortcuts import render
from django.utils.translation import gettext as _
from wagtail.models import Page

from essays.models import EssayPage

MAX_QUERY_LENGTH = 200
RESULTS_PER_PAGE = 20


def search(request):
    query = request.GET.get("q", "").strip()
    if len(query) > MAX_QUERY_LENGTH or "\x00" in query:
        return HttpResponseBadRequest(_("The search is too long or contains invalid characters."))
    results = []
    if query:
        hidden_essays = EssayPage.objects.exclude(pk__in=EssayPage.objects.visible_to(request.user).values("pk"))
        results = Page.objects.live().exclude(pk__in=hidden_essays.values("pk")).specific().search(query)
    page = Paginator(results, RESULTS_PER_PAGE).get_page(request.GET.get("sivu"))
    return render(request, "search/search.html", {"search_query": query, "results": page})
