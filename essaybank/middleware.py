from csp.middleware import CSPMiddleware
from django.urls import reverse

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
