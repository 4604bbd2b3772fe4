from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .admin_views import MERGEABLE, MergeView
from .models import Book, Category, EssayType, Person, Team


class BookViewSet(SnippetViewSet):
    model = Book
    icon = "doc-full"
    menu_label = _("Books")
    list_display = ["title", Column("authors_display", label=_("Authors")), "year", "points", "recommendation"]
    list_filter = ["year", "recommendation"]
    search_fields = ["title", "authors__name", "publisher"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    # Whether a person has an account, not its username: students read this list too.
    list_display = ["name", "team", "role", BooleanColumn("has_account", label=_("has an account"))]
    list_filter = ["role", "team"]
    search_fields = ["name"]


class TeamViewSet(SnippetViewSet):
    model = Team
    icon = "group"
    menu_label = _("Teams")
    list_display = ["name", "coach", "start_year"]
    search_fields = ["name"]


class EssayTypeViewSet(SnippetViewSet):
    model = EssayType
    icon = "tag"
    menu_label = _("Essay types")
    list_display = ["name", "code", "default_points"]


class CategoryViewSet(SnippetViewSet):
    model = Category
    icon = "folder-open-inverse"
    menu_label = _("Categories")
    list_display = ["number", "name"]
    ordering = ["sort_key"]


class EssayBankViewSetGroup(SnippetViewSetGroup):
    items = (BookViewSet, PersonViewSet, TeamViewSet, EssayTypeViewSet, CategoryViewSet)
    menu_icon = "folder-inverse"
    menu_label = _("Essay bank")
    menu_name = "essaybank"


register_snippet(EssayBankViewSetGroup)


@hooks.register("register_admin_urls")
def register_merge_url():
    return [path("merge/<str:model_name>/<int:pk>/", MergeView.as_view(), name="essays_merge")]


@hooks.register("register_snippet_listing_buttons")
def merge_button(snippet, user, next_url=None):
    """Books and people typed twice over the years are merged from the list."""
    name = type(snippet)._meta.model_name
    if MERGEABLE.get(name) is type(snippet) and user.has_perm(f"essays.delete_{name}"):
        yield ListingButton(
            _("Merge"), reverse("essays_merge", args=[name, snippet.pk]), icon_name="resubmit", priority=90
        )
