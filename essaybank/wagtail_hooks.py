from functools import wraps

import django_filters
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Q
from django.shortcuts import redirect
from django.urls import URLPattern, path, reverse
from django.utils.functional import cached_property
from django.utils.html import escape, format_html, format_html_join
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from django.views.defaults import permission_denied
from wagtail import hooks
from wagtail.admin import messages as admin_messages
from wagtail.admin.filters import WagtailFilterSet
from wagtail.admin.forms.models import register_form_field_override
from wagtail.admin.panels import FieldPanel
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.utils import get_valid_next_url_from_request
from wagtail.admin.views.generic.models import IndexView
from wagtail.admin.views.pages.unpublish import UnpublishView
from wagtail.admin.viewsets.model import ModelViewSet
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter
from wagtail.models import Page

from essays.models import Person
from finnish.messages import reword_messages

from . import personal_data, views, widgets
from .models import WordPressPost

# The date fields of the admin's forms show d.m.yyyy without leading zeros; Wagtail's own filters and
# publishing schedule keep WAGTAIL_DATE_FORMAT, whose calendar format Wagtail derives itself.
register_form_field_override(models.DateField, override={"widget": widgets.DateInput})
register_form_field_override(models.DateTimeField, override={"widget": widgets.DateTimeInput})


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path(
            "personal-data/<int:person_id>/export/",
            views.ExportView.as_view(),
            name="personal_data_export",
        ),
        path(
            "personal-data/<int:person_id>/erase/",
            views.EraseView.as_view(),
            name="personal_data_erase",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def personal_data_buttons(snippet, user, next_url=None):
    if (
        not isinstance(snippet, Person)
        or personal_data.is_erased_author(snippet)
        or not personal_data.may_handle(user, snippet)
    ):
        return []
    return [
        Button(
            _("Download the person's data"),
            reverse("personal_data_export", args=[snippet.pk]),
            icon_name="download",
            priority=90,
        ),
        Button(
            _("Erase the person's data"),
            reverse("personal_data_erase", args=[snippet.pk]),
            icon_name="bin",
            priority=91,
        ),
    ]


# Wagtail's help menu items that lead to its English release notes and editor guide.
ENGLISH_HELP_ITEMS = ("whats-new-in-wagtail-", "editor-guide")


@hooks.register("construct_help_menu")
def leave_out_english_help(request, menu_items):
    """The help menu keeps what speaks Finnish (the keyboard shortcuts), not links to English guides."""
    menu_items[:] = [item for item in menu_items if not item.name.startswith(ENGLISH_HELP_ITEMS)]


# After grading's own wording of an essay sent for grading, which it finds by Wagtail's text.
@hooks.register("after_create_page", order=1)
@hooks.register("after_edit_page", order=1)
@hooks.register("after_delete_page", order=1)
@hooks.register("after_move_page", order=1)
def name_the_page_kind_in_messages(request, page):
    """Wagtail's messages call every page "Sivu"; they name the page's own kind: "Essee ”…” luotu."."""
    title = escape(page.get_admin_display_title())
    page_word = escape(capfirst(Page._meta.verbose_name))
    kind = escape(capfirst(page.specific_class._meta.verbose_name))
    reword_messages(
        request, [(f"{page_word} {quoted}", f"{kind} {quoted}") for quoted in (f"”{title}”", f"&#x27;{title}&#x27;")]
    )


@hooks.register("after_copy_page", order=1)
def name_the_copied_page_kind(request, page, new_page):
    name_the_page_kind_in_messages(request, page)


# Last, since the response it returns ends the hooks.
@hooks.register("after_unpublish_page", order=100)
def name_the_unpublished_page_kind(request, page):
    """Wagtail writes its unpublished message after this hook, where it could not be reworded; the
    message, its edit button and the redirect are Wagtail's own, made here."""
    admin_messages.success(
        request,
        UnpublishView.success_message % {"page_title": page.get_admin_display_title()},
        buttons=[admin_messages.button(reverse("wagtailadmin_pages:edit", args=[page.pk]), _("Edit"))],
    )
    name_the_page_kind_in_messages(request, page)
    return redirect(
        get_valid_next_url_from_request(request) or reverse("wagtailadmin_explore", args=[page.get_parent().pk])
    )


@hooks.register("register_log_actions")
def register_personal_data_actions(actions):
    @actions.register_action(personal_data.ERASE_ACTION)
    class Erased(LogFormatter):
        label = _("Erase personal data")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return personal_data.summary(data)

    @actions.register_action(personal_data.EXPORT_ACTION)
    class Exported(LogFormatter):
        label = _("Export personal data")
        message = _("The person's data was downloaded")


class WordPressPostIndexView(IndexView):
    @cached_property
    def no_results_message(self):
        if self.is_searching or self.is_filtering:
            return super().no_results_message
        return _("No imported posts to check.")

    def get_base_queryset(self):
        # Only the posts with something for an editor to look at.
        return super().get_base_queryset().exclude(problems=[])


class WordPressPostFilterSet(WagtailFilterSet):
    kind = django_filters.ChoiceFilter(
        label=_("Problem"), choices=WordPressPost.Kind.choices, method="filter_kind", empty_label=_("All")
    )
    # Choices, not a BooleanFilter, so that the active filter reads "Kyllä", not "True".
    handled = django_filters.ChoiceFilter(
        label=_("Handled"), choices=[("yes", _("Yes")), ("no", _("No"))], method="filter_handled", empty_label=_("All")
    )

    class Meta:
        model = WordPressPost
        fields = ["kind", "handled", "site"]

    def filter_handled(self, queryset, name, value):
        return queryset.filter(handled=value == "yes")

    def filter_kind(self, queryset, name, value):
        flags = [kind for kind in WordPressPost.Kind.values if kind != WordPressPost.Kind.OTHER]
        if value == WordPressPost.Kind.OTHER:
            return queryset.filter(**dict.fromkeys(flags, False))
        return queryset.filter(Q(**{value: True}))


def _page_link(post):
    if post.page_id is None:
        return _("no page")
    return format_html(
        '<a href="{}">{}</a>', reverse("wagtailadmin_pages:edit", args=[post.page_id]), _("Edit the essay")
    )


def _reasons(post):
    return format_html("<ul>{}</ul>", format_html_join("", "<li>{}</li>", ((problem,) for problem in post.problems)))


class WordPressPostViewSet(ModelViewSet):
    """Imported WordPress posts an editor should look at: unreadable text kept raw, a book that could
    be several (not guessed), images missing from the uploads."""

    model = WordPressPost
    icon = "warning"
    menu_label = _("Imported posts to check")
    menu_order = 250
    add_to_admin_menu = True
    url_prefix = "wordpress-posts"
    copy_view_enabled = False
    list_display = [
        "title",
        "post_id",
        Column("page", label=_("New page"), accessor=_page_link),
        Column("problems", label=_("Reason"), accessor=_reasons),
        BooleanColumn("handled", label=_("Handled")),
    ]
    filterset_class = WordPressPostFilterSet
    search_fields = ["title"]
    search_backend_name = None
    index_view_class = WordPressPostIndexView
    panels = [FieldPanel("handled")]
    form_fields = ["handled"]

    def get_urlpatterns(self):
        # Posts come from imports only; everyone but an editor gets a 403, not Wagtail's redirect.
        return [
            URLPattern(pattern.pattern, self._editors_only(pattern.callback), pattern.default_args, pattern.name)
            for pattern in super().get_urlpatterns()
            if pattern.name not in ("add", "delete")
        ]

    def _editors_only(self, view):
        @wraps(view)
        def checked(request, *args, **kwargs):
            if not self.permission_policy.user_has_any_permission(request.user, ["view", "change"]):
                return permission_denied(request, PermissionDenied())
            return view(request, *args, **kwargs)

        return checked


@hooks.register("register_admin_viewset")
def register_wordpress_post_viewset():
    return WordPressPostViewSet("wordpress_posts")
