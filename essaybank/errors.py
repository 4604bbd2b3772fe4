"""Error answers: the site's Finnish pages (templates/400.html and the others), and JSON under the
search API, whose clients read JSON whatever went wrong."""

from django.core.exceptions import BadRequest
from django.http import HttpResponseBadRequest, JsonResponse
from django.template import loader
from django.utils.translation import gettext as _
from django.views import defaults

API_PREFIX = "/api/"


def _from_api(request):
    return request.path_info.startswith(API_PREFIX)


def bad_request(request, exception):
    """Our own BadRequest carries a Finnish reason worth showing; Django's (a bad host, too many
    fields) do not. Rendered without the request, which may be what is malformed."""
    reason = str(exception) if type(exception) is BadRequest else ""
    if _from_api(request):
        return JsonResponse({"error": reason or _("The request could not be read.")}, status=400)
    context = {"reason": reason, "posted": request.method == "POST"}
    return HttpResponseBadRequest(loader.render_to_string("400.html", context))


def page_not_found(request, exception):
    if _from_api(request):
        return JsonResponse({"error": _("There is nothing at this address.")}, status=404)
    return defaults.page_not_found(request, exception)


def server_error(request):
    if _from_api(request):
        return JsonResponse({"error": _("The search could not answer this time. Try again in a moment.")}, status=500)
    return defaults.server_error(request)
