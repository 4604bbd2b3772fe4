from django.utils.translation import gettext_lazy as _
from wagtail.admin.ui.tables import BooleanColumn
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from .models import Book, Category, EssayType, Person, Team


class BookViewSet(SnippetViewSet):
    model = Book
    icon = "doc-full"
    menu_label = _("Books")
    list_display = ["title", "authors_display", "year", "points", "recommendation"]
    list_filter = ["year", "recommendation"]
    search_fields = ["title", "authors__name", "publisher"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    # Whether a person has an account, not its username: students read this list too.
    list_display = ["name", "team", "role", BooleanColumn("user_id", label=_("has an account"))]
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
