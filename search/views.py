import re
from urllib.parse import urlencode

from django.conf import settings
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.http import JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET
from modelsearch.backends import get_search_backend

from search.engine import CONTENT_TYPES, Search, SearchRequest, Sort, autocomplete, backend_label

# Unless settings.SEARCH_RESULTS_PER_PAGE and SEARCH_API_RESULTS_PER_PAGE say otherwise.
RESULTS_PER_PAGE = 20
API_RESULTS_PER_PAGE = 20


def _page_number(request):
    number = request.GET.get("sivu") or request.GET.get("page") or "1"
    # str.isdigit() accepts "²"; only ASCII digits make a page number.
    if not re.fullmatch(r"[0-9]{1,6}", number) or int(number) < 1:
        raise BadRequest(_("The page number must be a positive whole number."))
    return int(number)


def _run(request):
    search_request = SearchRequest.from_query(request.GET)
    search = Search(search_request, request.user) if search_request.words else None
    return search_request, search


def _facet_groups(search):
    """(parameter, heading, options) of every facet that has options."""
    headings = {
        "kirja": _("Book"),
        "kasite": _("Concept"),
        "tagi": _("Tag"),
        "kategoria": _("Category"),
        "tiimi": _("Team"),
        "kirjoittaja": _("Author"),
        "tyyppi": _("Essay type"),
        "vuosi": _("Year"),
    }
    groups = []
    for name, heading in headings.items():
        options = search.concept_counts if name == "kasite" else search.facets.get(name, [])
        if options:
            groups.append((name, heading, options))
    return groups


@require_GET
def search(request):
    # A malformed parameter raises BadRequest: the site's 400 page says which (essaybank.views).
    search_request, search = _run(request)
    number = _page_number(request)
    context = {"search_query": search_request.text, "search_request": search_request, "sorts": Sort.choices}
    if search is not None:
        page = Paginator(search.hits, getattr(settings, "SEARCH_RESULTS_PER_PAGE", RESULTS_PER_PAGE)).get_page(number)
        search.describe_all(page)
        chosen = {
            name: value
            for name, value in [
                ("q", search_request.text),
                ("laji", search_request.content_type),
                ("kasite", search_request.concept),
                ("jarjestys", "" if search_request.sort == Sort.RELEVANCE else search_request.sort),
                *search_request.filters.values.items(),
            ]
            if value
        }
        context.update(
            search=search,
            results=page,
            query_string=urlencode(chosen),
            chosen=chosen,
            type_options=[
                (
                    content_type.code,
                    str(content_type.label).capitalize(),
                    search.type_counts[content_type.code],
                    content_type.code == search_request.content_type,
                )
                for content_type in CONTENT_TYPES
                if search.type_counts.get(content_type.code)
            ],
            facet_groups=_facet_groups(search),
            suggestions=search.suggestions() if not search.hits else [],
            spelling_suggestion=search.spelling_suggestion,
            spelling_query_string=urlencode({**chosen, "q": search.spelling_suggestion}),
        )
    return render(request, "search/search.html", context)


def _json_value(value):
    return value.isoformat() if hasattr(value, "isoformat") else value


@require_GET
def search_api(request):
    """GET /api/search/?q=…&type=…&page=… as JSON (docs/search.md)."""
    query = request.GET.copy()
    if "type" in query and "laji" not in query:
        query["laji"] = query["type"]
    try:
        search_request = SearchRequest.from_query(query)
        number = _page_number(request)
    except BadRequest as error:
        return JsonResponse({"error": str(error)}, status=400)
    payload = {
        "query": search_request.text,
        "backend": None,
        "count": 0,
        "page": number,
        "results": [],
        "facets": {},
        "suggestion": None,
    }
    if search_request.words:
        search = Search(search_request, request.user)
        paginator = Paginator(search.hits, getattr(settings, "SEARCH_API_RESULTS_PER_PAGE", API_RESULTS_PER_PAGE))
        hits = search.describe_all(paginator.page(number).object_list) if number <= paginator.num_pages else []
        payload.update(
            backend=search.answered_by,
            count=paginator.count,
            suggestion=search.spelling_suggestion or None,
            pages=paginator.num_pages,
            results=[
                {
                    "type": hit.content_type.code,
                    "title": hit.title,
                    "url": request.build_absolute_uri(hit.url),
                    "snippet": str(hit.snippet),
                    "score": hit.score,
                    **{key: _json_value(value) for key, value in hit.meta.items()},
                }
                for hit in hits
            ],
            facets={
                "type": {code: count for code, count in search.type_counts.items() if count},
                "concept": {slug: count for slug, _title, count, _chosen in search.concept_counts},
                **{
                    name: {value: count for value, _text, count, _chosen in options}
                    for name, options in search.facets.items()
                },
            },
        )
    else:
        payload["backend"] = backend_label(get_search_backend())
    return JsonResponse(payload)


@require_GET
def autocomplete_api(request):
    text = request.GET.get("q", "")
    if len(text) > 200 or "\x00" in text:
        return JsonResponse({"error": _("The search is too long or contains invalid characters.")}, status=400)
    return JsonResponse({"query": text, "suggestions": autocomplete(text, request.user)})
