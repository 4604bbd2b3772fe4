import re

from django.http import Http404
from django.urls import Resolver404, resolve, reverse

from essays.models import EssayPage

# The admin's own views of one page (explore, history, usage, revisions, preview, …) name it by
# one of these; a page listed by id in a bulk action's query counts too.
PAGE_ID_KWARGS = ("page_id", "parent_page_id", "page_to_move_id", "page_to_copy_id", "pk")
PAGE_NAMESPACES = ("wagtailadmin_pages", "wagtailadmin_explore", "wagtailadmin_explore_results")
# str.isdigit() would take "²" too, which no id query accepts.
PAGE_ID = re.compile(r"\A[0-9]+\Z")


class AdminEssayVisibilityMiddleware:
    """One rule for every admin view of a single page: an essay its user may not read is not found,
    so its title, slug, status and dates show nowhere."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        in_admin = request.path_info.startswith(reverse("wagtailadmin_home"))
        if in_admin and request.user.is_authenticated and self.names_a_hidden_essay(request):
            raise Http404
        return self.get_response(request)

    @staticmethod
    def page_ids(request):
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return []
        if match.url_name == "wagtail_bulk_action" and match.kwargs.get("app_label") == "wagtailcore":
            return [value for value in request.GET.getlist("id") if PAGE_ID.match(value)]
        if match.namespace in PAGE_NAMESPACES or match.url_name in PAGE_NAMESPACES:
            return [str(match.kwargs[name]) for name in PAGE_ID_KWARGS if name in match.kwargs]
        return []

    def names_a_hidden_essay(self, request):
        ids = self.page_ids(request)
        return bool(ids) and EssayPage.objects.hidden_in_admin_from(request.user).filter(pk__in=ids).exists()
