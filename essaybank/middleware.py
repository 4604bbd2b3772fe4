import ipaddress

from csp.middleware import CSPMiddleware
from django.conf import settings
from django.core.exceptions import MiddlewareNotUsed
from django.http import HttpResponsePermanentRedirect, HttpResponseRedirect
from django.urls import reverse
from django.utils.datastructures import MultiValueDictKeyError
from wagtail.contrib.redirects.middleware import RedirectMiddleware, get_redirect
from wagtail.contrib.redirects.models import Redirect

from essaybank.errors import bad_request

# Wagtail's page editor runs inline scripts of its own, which cannot carry our nonce; the admin
# alone allows them, the public site never does.
ADMIN_SCRIPT_SOURCES = {"script-src": ["'self'", "'unsafe-inline'"]}


class ContentSecurityPolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only)
        if request.path.startswith(reverse("wagtailadmin_home")):
            parts.replace = {**(parts.replace or {}), **ADMIN_SCRIPT_SOURCES}
            parts.nonce = None
        return parts


class OldPostAddressMiddleware(RedirectMiddleware):
    """Wagtail's redirects, and also WordPress's ?p=ID addresses: those name a post on a page that
    exists here (the front page above all), so they never reach the 404 the redirects wait for."""

    def process_request(self, request):
        if request.method not in ("GET", "HEAD") or not request.GET.get("p", "").isdigit():
            return None
        redirect = get_redirect(request, Redirect.normalise_path(request.get_full_path(), decode_unicode=False))
        if redirect is None or redirect.link is None:
            return None
        response_class = HttpResponsePermanentRedirect if redirect.is_permanent else HttpResponseRedirect
        return response_class(redirect.link)


class ForwardedClientAddressMiddleware:
    """Behind reverse proxies every request comes from the nearest proxy's address, so the comment
    limits and sign-in lockouts would count all readers as one. Each proxy appends the address it
    was reached from to X-Forwarded-For; with PROXY_COUNT proxies the client's address is the
    PROXY_COUNT-th from the right, and what a client wrote there itself, further left, is ignored."""

    def __init__(self, get_response):
        if not settings.PROXY_COUNT:
            raise MiddlewareNotUsed
        self.get_response = get_response

    def __call__(self, request):
        forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
        if len(forwarded) >= settings.PROXY_COUNT:
            address = forwarded[-settings.PROXY_COUNT]
            try:
                request.META["REMOTE_ADDR"] = str(ipaddress.ip_address(address))
            except ValueError:
                pass  # not an address: the proxy's own stays
        return self.get_response(request)


class MissingFormFieldMiddleware:
    """A form posted without a field its view reads by key (request.POST["x"], as Wagtail's editor
    does for the inputs its scripts write) is the client's mistake: a 400, not a server error."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if isinstance(exception, MultiValueDictKeyError) and request.method == "POST":
            return bad_request(request, exception)
        return None
