from django import forms
from django.core.paginator import InvalidPage
from django.http import Http404
from django.templatetags.static import static
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.forms.choosers import BaseFilterForm
from wagtail.admin.ui.tables import BooleanColumn, Column
from wagtail.admin.views.generic.chooser import ChooseResultsView, ChooseView
from wagtail.admin.viewsets.chooser import ChooserViewSet
from wagtail.admin.widgets import ListingButton
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views import chooser as snippet_chooser
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from finnish.collation import sort_key

from .admin_views import MERGEABLE, MergeView
from .models import Book, Category, EssayType, Person, Team


class BookChooseMixin:
    """Each book with its authors and year: two spellings of one book, or two books of one title,
    are told apart before one is chosen."""

    def get_object_list(self):
        return super().get_object_list().prefetch_related("authors")

    @property
    def columns(self):
        return [
            *super().columns,
            Column("authors_display", label=_("Authors")),
            Column("year", label=_("Year")),
        ]


class BookChooseView(BookChooseMixin, snippet_chooser.ChooseView):
    pass


class BookChooseResultsView(BookChooseMixin, snippet_chooser.ChooseResultsView):
    pass


class BookChooserViewSet(snippet_chooser.SnippetChooserViewSet):
    choose_view_class = BookChooseView
    choose_results_view_class = BookChooseResultsView


class BookViewSet(SnippetViewSet):
    model = Book
    icon = "doc-full"
    chooser_viewset_class = BookChooserViewSet
    menu_label = _("Books")
    list_display = ["title", Column("authors_display", label=_("Authors")), "year", "points", "recommendation"]
    list_filter = ["year", "recommendation"]
    search_fields = ["title", "authors__name", "publisher"]


class PersonViewSet(SnippetViewSet):
    model = Person
    icon = "user"
    menu_label = _("People")
    # Whether a person has an account, not its username: students read this list too.
    list_display = ["name", "team", "role", BooleanColumn("has_account", label=capfirst(_("has an account")))]
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
    # The code is an identifier for imports and rules, not a word for people.
    list_display = ["name", "default_points"]


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


class StudentSearchForm(BaseFilterForm):
    q = forms.CharField(
        label=_("Search by name"),
        widget=forms.TextInput(attrs={"placeholder": _("Name or part of it")}),
        required=False,
    )

    def filter(self, objects):
        """Every word typed is a part of the name, in any case: "aino virt" finds Aino Virtanen. The
        case is folded in Python because SQLite folds only a–z, and a programme's students are few."""
        query = (self.cleaned_data.get("q") or "").strip()
        if query:
            words = query.casefold().split()
            matching = [
                pk for pk, name in objects.values_list("pk", "name") if all(word in name.casefold() for word in words)
            ]
            objects = objects.filter(pk__in=matching)
            self.is_searching, self.search_query = True, query
        return objects


class StudentChooseMixin:
    """Students only, the chooser's own team first, then in Finnish alphabetical order."""

    filter_form_class = StudentSearchForm
    per_page = 20

    def get_object_list(self):
        return Person.objects.filter(role=Person.Role.STUDENT).select_related("team")

    def get_results_page(self, request):
        own = Person.objects.filter(user=request.user).first() if request.user.is_authenticated else None
        own_team = own.team_id if own is not None else None
        students = sorted(
            self.filter_object_list(self.get_object_list()),
            key=lambda person: (own_team is None or person.team_id != own_team, sort_key(person.name)),
        )
        self.paginator = self.paginator_class(students, per_page=self.per_page)
        try:
            return self.paginator.page(request.GET.get("p", 1))
        except InvalidPage as error:
            raise Http404 from error

    @property
    def columns(self):
        title = self.title_column
        title.label = _("Name")
        return [title, Column("team", label=_("Team"), accessor=lambda person: person.team or "")]


class StudentChooseView(StudentChooseMixin, ChooseView):
    pass


class StudentChooseResultsView(StudentChooseMixin, ChooseResultsView):
    pass


class StudentChooserViewSet(ChooserViewSet):
    """The co-author chooser of the student's essay editor: students only, searchable by name."""

    model = Person
    icon = "user"
    choose_one_text = _("Choose an author")
    choose_another_text = _("Choose another author")
    choose_view_class = StudentChooseView
    choose_results_view_class = StudentChooseResultsView
    register_widget = False


student_chooser_viewset = StudentChooserViewSet("student_chooser", url_prefix="student-chooser")


@hooks.register("register_admin_viewset")
def register_student_chooser():
    return student_chooser_viewset


@hooks.register("insert_editor_js")
def editor_send_waits_for_typed_text():
    return format_html('<script src="{}"></script>', static("essays/js/editor-send.js"))


@hooks.register("insert_global_admin_css")
def checks_panel_without_selectors():
    return format_html('<link rel="stylesheet" href="{}">', static("essays/css/checks.css"))
