import re

from django.apps import apps
from django.core.exceptions import BadRequest
from django.db import models
from django.http import Http404
from django.urls import Resolver404, resolve, reverse
from django.utils.translation import gettext as _

from essays.models import EssayPage

from .permissions import refused_some_essay

# The admin's own views of one page (explore, history, usage, revisions, preview, …) name it by
# one of these; a page listed by id in a bulk action's query counts too.
PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "page_to_copy_id", "pk")
PAGE_NAMESPACES = ("wagtailadmin_pages", "wagtailadmin_explore", "wagtailadmin_explore_results")
# Reports over the whole page tree that name pages without asking the page permission policy.
SITE_WIDE_PAGE_REPORTS = ("page_types_usage", "page_types_usage_results")
# str.isdigit() would take "²" too, which no id query accepts.
ID = re.compile(r"\A[0-9]+\Z")


class AdminEssayVisibilityMiddleware:
    """One rule for every admin view of a single page: an essay its user may not read is not found,
    so its title, slug, status and dates show nowhere. Bulk actions take whole-number ids only."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_admin = request.path_info.startswith(reverse("wagtailadmin_home"))
        if in_admin and request.user.is_authenticated:
            try:
                match = resolve(request.path_info)
            except Resolver404:
                match = None
            if match is not None and self.names_a_hidden_essay(request, match):
                raise Http404
        return self.get_response(request)

    @staticmethod
    def bulk_action_ids(request, match):
        """The ids a bulk action names; a 400 for any that is not a whole number (or "all")."""
        try:
            model = apps.get_model(match.kwargs["app_label"], match.kwargs["model_name"])
        except LookupError:
            return []
        ids = request.GET.getlist("id")
        parent = request.GET.get("childOf")
        if isinstance(model._meta.pk, models.IntegerField) and (
            any(value != "all" and not ID.match(value) for value in ids) or (parent and not ID.match(parent))
        ):
            raise BadRequest(_("The selection names something that is not an id."))
        return [value for value in ids if value != "all"]

    def page_ids(self, request, match):
        if match.url_name == "wagtail_bulk_action":
            ids = self.bulk_action_ids(request, match)
            return ids if match.kwargs.get("app_label") == "wagtailcore" else []
        if match.namespace in PAGE_NAMESPACES or match.url_name in PAGE_NAMESPACES:
            return [str(match.kwargs[name]) for name in PAGE_ID_KWARGS if name in match.kwargs]
        return []

    def names_a_hidden_essay(self, request, match):
        if match.namespace == "wagtailadmin_reports" and match.url_name in SITE_WIDE_PAGE_REPORTS:
            return refused_some_essay(request)
        ids = self.page_ids(request, match)
        return bool(ids) and EssayPage.objects.hidden_in_admin_from(request.user).filter(pk__in=ids).exists()
