import math

from django import forms
from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.core.paginator import Paginator
from django.db import models
from django.db.models import Q
from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modelcluster.contrib.taggit import ClusterTaggableManager
from modelcluster.fields import ParentalKey, ParentalManyToManyField
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel, MultiFieldPanel, ObjectList, TabbedInterface
from wagtail.fields import RichTextField, StreamField
from wagtail.models import Orderable, Page, PageManager, PagePermissionTester
from wagtail.query import PageQuerySet
from wagtail.search import index

from essays import privacy
from essays.blocks import BodyBlock, KeyInsightsBlock, OtherSourcesBlock
from essays.forms import EssayPageForm
from essays.panels import TitlePanel
from finnish.indexing import StreamSearchField, analysed_text, plain_text

from .books import Book
from .people import Person, Team
from .taxonomy import Category, EssayTag, EssayType

WORDS_PER_MINUTE = 250
ESSAYS_PER_PAGE = 20  # unless settings.ESSAYS_PER_PAGE says otherwise


# The essay methods giving the ids of the options each facet of essays.facets counts an essay under.
FACET_FIELDS = {
    "kirja": "facet_books",
    "kirjoittaja": "facet_people",
    "tiimi": "facet_teams",
    "tagi": "facet_tags",
    "kategoria": "facet_categories",
    "tyyppi": "facet_type",
    "vuosi": "facet_year",
}


def essays_per_page():
    return getattr(settings, "ESSAYS_PER_PAGE", ESSAYS_PER_PAGE)


def count_words(stream_value):
    """Words of running text in a StreamField value, for the reading-time estimate."""
    return len(plain_text(stream_value).split())


class EssayQuerySet(PageQuerySet):
    def readable_by_anyone(self, hidden=None):
        """Published essays anyone may read, signed in or not: public, and under no Wagtail view
        restriction. `hidden` is privacy.hidden_paths() when the caller has read it already."""
        hidden = privacy.hidden_paths() if hidden is None else hidden
        return privacy.without_hidden(self.live().filter(visibility=EssayPage.Visibility.PUBLIC), hidden)

    def visible_to(self, user, *, restrictions=True):
        """Essays this user may read: public ones for everybody, community ones
        for signed-in members, protected ones for their authors, the authors'
        coaches and editors; of those, with `restrictions`, only the ones under no Wagtail view
        restriction the user does not pass (essays.privacy). Without it where Wagtail checks its
        restrictions itself: serving the page, the admin."""
        if privacy.sees_everything(user):
            return self
        if not user.is_authenticated:
            visible = self.filter(visibility=EssayPage.Visibility.PUBLIC)
        else:
            visible = self.filter(
                Q(visibility__in=[EssayPage.Visibility.PUBLIC, EssayPage.Visibility.COMMUNITY])
                | Q(essay_authors__person__user=user)
                | Q(essay_authors__team__coach__user=user)
            ).distinct()
        return privacy.listable_by(visible, user) if restrictions else visible

    def hidden_in_admin_from(self, user):
        """Essays the admin does not show this user: Wagtail's view restrictions govern the site,
        not the admin, so only the visibility field and authorship count. A draft that is not live
        belongs to its authors and their coaches until grading publishes it."""
        shown = EssayPage.objects.visible_to(user, restrictions=False)
        if not privacy.sees_everything(user):
            shown = shown.filter(
                Q(live=True) | Q(essay_authors__person__user=user) | Q(essay_authors__team__coach__user=user)
            )
        return self.exclude(pk__in=shown.values("pk"))

    def for_listing(self):
        return self.select_related("essay_type").prefetch_related(*byline_prefetches(), "tags")


def byline_prefetches():
    """What an essay's byline shows (authors, their teams, its books), in two queries."""
    return [
        models.Prefetch("essay_authors", EssayAuthor.objects.select_related("person", "team")),
        models.Prefetch("book_sources", EssayBookSource.objects.select_related("book")),
    ]


def bylines(essay_ids):
    """{essay id: {"authors", "teams", "books"}}: the names each essay's byline shows, in two
    queries of names (prefetching the authorships, people, teams and books builds a model object
    for each of them)."""
    names = {pk: {"authors": [], "teams": [], "books": []} for pk in essay_ids}
    authorships = (
        EssayAuthor.objects.filter(essay__in=essay_ids)
        .order_by("essay", "sort_order", "pk")
        .values_list("essay", "person__name", "team", "team__name")
    )
    teams_seen = set()
    for essay_id, person, team_id, team in authorships:
        names[essay_id]["authors"].append(person)
        if team_id and (essay_id, team_id) not in teams_seen:
            teams_seen.add((essay_id, team_id))
            names[essay_id]["teams"].append(team)
    sources = EssayBookSource.objects.filter(essay__in=essay_ids).order_by("essay", "sort_order", "pk")
    for essay_id, title in sources.values_list("essay", "book__title"):
        names[essay_id]["books"].append(title)
    return names


EssayManager = PageManager.from_queryset(EssayQuerySet)


class HistoryForEditorsPermissionTester(PagePermissionTester):
    """Wagtail links a page's history for whoever sees the page, but its history view opens only for
    whoever may edit it: the link is offered to those alone."""

    def can_view_revisions(self):
        return super().can_view_revisions() and self.can_edit()


class EssayPermissionTester(HistoryForEditorsPermissionTester):
    """Students hold only "add" on the essay index; Wagtail lets that edit the essays one created,
    and an essay's co-authors edit it too."""

    def can_edit(self):
        if super().can_edit():
            return True
        # The stored authorships, not the page's: a revision being reverted holds its authors in
        # memory, where the lookup through a person without an account fails.
        return (
            self.user.is_active
            and "add" in self.permissions
            and EssayAuthor.objects.filter(essay_id=self.page.pk, person__user=self.user).exists()
        )

    # An essay lives under the essay index, where a copy would be a second essay of the same text:
    # moving and copying are the editors' tools, refused to students in the menus and by address.
    def can_move(self):
        return privacy.sees_everything(self.user) and super().can_move()

    def can_copy(self):
        return privacy.sees_everything(self.user) and super().can_copy()


class EssayIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["essaybank.HomePage"]
    subpage_types = ["essays.EssayPage"]
    page_description = _("Lists essays and lets readers filter them.")

    class Meta:
        verbose_name = _("essay index")

    def essays(self, user):
        return EssayPage.objects.live().descendant_of(self).visible_to(user)

    def permissions_for_user(self, user):
        return HistoryForEditorsPermissionTester(user, self)

    def get_context(self, request, *args, **kwargs):
        from essays.listing import (  # the filter set is built on these models
            DEFAULT_ORDER,
            LABELS,
            ORDER_PARAMETER,
            EssayFilters,
            order_choices,
            ordered,
        )

        context = super().get_context(request, *args, **kwargs)
        filters = EssayFilters(request.GET)
        if not filters.is_valid():
            raise BadRequest(filters.error)
        order = request.GET.get(ORDER_PARAMETER, "")
        readable = self.essays(request.user)
        essays = ordered(filters.apply(readable), order)
        page = Paginator(essays.for_listing(), essays_per_page()).get_page(request.GET.get("sivu"))
        options = filters.options_among(readable)
        context.update(
            essays=page,
            filters=filters,
            orders=order_choices(order),
            query_string=filters.query_string_with(**{ORDER_PARAMETER: "" if order == DEFAULT_ORDER else order}),
            filter_options=options,
            filter_fields=[(name, label, options[name]) for name, label in LABELS.items()],
            loosening=filters.loosening(readable) if filters and not page.paginator.count else [],
        )
        return context


class EssayPage(Page):
    class Language(models.TextChoices):
        FINNISH = "fi", _("Finnish")
        ENGLISH = "en", _("English")

    class Visibility(models.TextChoices):
        PUBLIC = "public", _("public")
        COMMUNITY = "community", _("community only")
        PROTECTED = "protected", _("protected (authors and coach)")

    written = models.DateField(_("date written"))
    language = models.CharField(_("language"), max_length=2, choices=Language.choices, default=Language.FINNISH)
    essay_type = models.ForeignKey(
        EssayType, verbose_name=_("essay type"), null=True, blank=True, on_delete=models.PROTECT, related_name="essays"
    )
    claimed_points = models.PositiveSmallIntegerField(_("claimed point class"), null=True, blank=True)
    visibility = models.CharField(
        _("visibility"), max_length=10, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    categories = ParentalManyToManyField(Category, verbose_name=_("categories"), blank=True, related_name="essays")
    tags = ClusterTaggableManager(through=EssayTag, verbose_name=_("tags"), blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("body"))
    other_sources = StreamField(OtherSourcesBlock(), verbose_name=_("other sources"), blank=True)
    reading_minutes = models.PositiveSmallIntegerField(_("reading time in minutes"), default=1, editable=False)

    objects = EssayManager()

    base_form_class = EssayPageForm
    content_panels = [
        TitlePanel("title"),
        InlinePanel("essay_authors", label=_("author"), heading=_("Authors"), min_num=1),
        MultiFieldPanel(
            [
                FieldRowPanel([FieldPanel("written"), FieldPanel("language")]),
                # Two fields a row: a third ran past a laptop's window.
                FieldRowPanel([FieldPanel("essay_type"), FieldPanel("claimed_points")]),
                FieldPanel("visibility"),
            ],
            heading=_("Essay details"),
        ),
        FieldPanel("body"),
        InlinePanel("book_sources", label=_("book"), heading=_("Book sources")),
        FieldPanel("other_sources"),
        # Ticked boxes: a plain click in a multiple select silently dropped the category chosen before.
        FieldPanel(
            "categories",
            widget=forms.CheckboxSelectMultiple,
            help_text=_(
                "Tick every category the essay belongs to. A subcategory's number begins with its "
                "parent's (2.2. is under 2.)."
            ),
        ),
        FieldPanel("tags"),
    ]
    # The promote and settings tabs (slug, search engine fields, publishing schedule) are the
    # editors'; a student's essay gets its slug from its title (EssayPageForm).
    edit_handler = TabbedInterface(
        [
            ObjectList(content_panels, heading=_("Content")),
            ObjectList(
                [
                    FieldPanel(name, permission="essays.change_essaypage")
                    for name in ("slug", "seo_title", "search_description", "show_in_menus")
                ],
                heading=_("Promote"),
                permission="essays.change_essaypage",
            ),
            ObjectList(Page.settings_panels, heading=_("Settings"), permission="essays.change_essaypage"),
        ],
        base_form_class=EssayPageForm,
    )
    search_fields = [
        *Page.search_fields,
        StreamSearchField("body"),
        index.SearchField("search_text"),
        index.AutocompleteField("title"),
        index.RelatedFields("essay_authors", [index.RelatedFields("person", [index.SearchField("name")])]),
        index.RelatedFields("book_sources", [index.RelatedFields("book", [index.SearchField("title")])]),
        index.RelatedFields("tags", [index.SearchField("name")]),
        index.FilterField("written"),
        index.FilterField("language"),
        index.FilterField("visibility"),
        index.FilterField("essay_type"),
        # The options each facet (essays.facets) counts the essay under, as ids, so that a search
        # cluster counts every match's facets itself (search.backends.cluster).
        *(index.FilterField(name, type="IntegerField") for name in FACET_FIELDS.values()),
    ]
    parent_page_types = ["essays.EssayIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("essay")
        verbose_name_plural = _("essays")

    def search_text(self):
        """Finnish base forms and compound parts of the essay's words, for finnish.analysis."""
        return analysed_text(
            self.title,
            self.body,
            *(authorship.person.name for authorship in self.essay_authors.all()),
            *(source.book.title for source in self.book_sources.all()),
            # Sorted here: tags have no order of their own, and the index must not depend on the query plan.
            *sorted(tag.name for tag in self.tags.all()),
        )

    @classmethod
    def get_indexed_objects(cls):
        # The categories of a chunk in one query, for facet_categories.
        return super().get_indexed_objects().prefetch_related("categories")

    def facet_books(self):
        return sorted({source.book_id for source in self.book_sources.all()})

    def facet_people(self):
        return sorted({authorship.person_id for authorship in self.essay_authors.all()})

    def facet_teams(self):
        return sorted({authorship.team_id for authorship in self.essay_authors.all() if authorship.team_id})

    def facet_tags(self):
        return sorted({tag.pk for tag in self.tags.all()})

    def facet_categories(self):
        return sorted({category.pk for category in self.categories.all()})

    def facet_type(self):
        return self.essay_type_id

    def facet_year(self):
        return self.written.year if self.written else None

    def count_reading_minutes(self):
        self.reading_minutes = max(1, math.ceil(count_words(self.body) / WORDS_PER_MINUTE))

    def save(self, *args, **kwargs):
        self.count_reading_minutes()
        super().save(*args, **kwargs)

    @property
    def reading_time_text(self):
        return ngettext(
            "Estimated reading time of the essay is %(minutes)d minute",
            "Estimated reading time of the essay is %(minutes)d minutes",
            self.reading_minutes,
        ) % {"minutes": self.reading_minutes}

    def authors(self):
        return [authorship.person for authorship in self.essay_authors.all()]

    def teams(self):
        seen = {}
        for authorship in self.essay_authors.all():
            if authorship.team_id and authorship.team_id not in seen:
                seen[authorship.team_id] = authorship.team
        return list(seen.values())

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        context["essay_index"] = self.get_parent().specific
        # Wagtail's checks panel counts the words of the preview's main landmark: the body alone, not
        # the authors, sources, comments and related essays around it.
        if getattr(request, "is_preview", False):
            context["main_element"] = "div"
        return context

    def permissions_for_user(self, user):
        return EssayPermissionTester(user, self)

    def can_be_read_by(self, user):
        # Wagtail has checked the page's view restrictions before serve() is called.
        return EssayPage.objects.filter(pk=self.pk).visible_to(user, restrictions=False).exists()

    def serve(self, request, *args, **kwargs):
        if not self.can_be_read_by(request.user):
            if request.user.is_authenticated:
                raise Http404
            return redirect_to_login(request.get_full_path())
        return super().serve(request, *args, **kwargs)


class EssayAuthor(Orderable):
    essay = ParentalKey(EssayPage, on_delete=models.CASCADE, related_name="essay_authors")
    person = models.ForeignKey(Person, verbose_name=_("person"), on_delete=models.PROTECT, related_name="authorships")
    team = models.ForeignKey(
        Team,
        verbose_name=_("team at the time"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="authorships",
        help_text=_("Left empty, the person's current team is used."),
    )

    panels = [FieldPanel("person"), FieldPanel("team")]

    class Meta(Orderable.Meta):
        verbose_name = _("essay author")
        verbose_name_plural = _("essay authors")

    def save(self, *args, **kwargs):
        if self.team_id is None and self.person_id:
            self.team_id = self.person.team_id
        super().save(*args, **kwargs)


class EssayBookSource(Orderable):
    essay = ParentalKey(EssayPage, on_delete=models.CASCADE, related_name="book_sources")
    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.PROTECT, related_name="essay_sources")
    pages = models.CharField(_("pages"), max_length=50, blank=True)

    panels = [FieldPanel("book"), FieldPanel("pages")]

    class Meta(Orderable.Meta):
        verbose_name = _("book source")
        verbose_name_plural = _("book sources")


class BookSummaryIndexPage(Page):
    intro = RichTextField(_("introduction"), blank=True)

    content_panels = [*Page.content_panels, FieldPanel("intro")]
    search_fields = [*Page.search_fields, index.SearchField("intro")]
    parent_page_types = ["essaybank.HomePage"]
    subpage_types = ["essays.BookSummaryPage"]

    class Meta:
        verbose_name = _("book summary index")

    def get_context(self, request, *args, **kwargs):
        context = super().get_context(request, *args, **kwargs)
        summaries = (
            privacy.listable_by(BookSummaryPage.objects.live(), request.user)
            .descendant_of(self)
            .select_related("book", "summary_author")
            .order_by("-written", "-pk")
        )
        context["summaries"] = Paginator(summaries, essays_per_page()).get_page(request.GET.get("sivu"))
        return context


class BookSummaryPage(Page):
    book = models.ForeignKey(Book, verbose_name=_("book"), on_delete=models.PROTECT, related_name="summaries")
    summary_author = models.ForeignKey(
        Person,
        verbose_name=_("summary written by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="book_summaries",
    )
    written = models.DateField(_("date written"), null=True, blank=True)
    body = StreamField(BodyBlock(), verbose_name=_("summary"))
    key_insights = StreamField(KeyInsightsBlock(), verbose_name=_("key insights"), blank=True)

    content_panels = [
        *Page.content_panels,
        FieldRowPanel([FieldPanel("book"), FieldPanel("summary_author"), FieldPanel("written")]),
        FieldPanel("body"),
        FieldPanel("key_insights"),
    ]
    search_fields = [
        *Page.search_fields,
        StreamSearchField("body"),
        index.SearchField("key_insights"),
        index.SearchField("search_text"),
        index.AutocompleteField("title"),
        index.RelatedFields("book", [index.SearchField("title")]),
        index.RelatedFields("summary_author", [index.SearchField("name")]),
    ]
    parent_page_types = ["essays.BookSummaryIndexPage"]
    subpage_types = []

    class Meta:
        verbose_name = _("book summary")
        verbose_name_plural = _("book summaries")

    def search_text(self):
        author = self.summary_author.name if self.summary_author else ""
        return analysed_text(self.title, self.body, self.key_insights, self.book.title, author)


class ImportRecord(models.Model):
    """Ties a page to the stable id it had in an import file, so a re-import updates it."""

    external_id = models.CharField(max_length=200, unique=True)
    page = models.OneToOneField(Page, on_delete=models.CASCADE, related_name="import_record")

    class Meta:
        verbose_name = _("import record")

    def __str__(self):
        return self.external_id
