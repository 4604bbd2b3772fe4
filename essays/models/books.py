from django.core.validators import MaxValueValidator
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.models import Orderable
from wagtail.search import index

from finnish.indexing import analysed_text

from .naming import NamedRecord


class Book(index.Indexed, NamedRecord, ClusterableModel):
    """One record per book, however many essays and summaries cite it."""

    title = models.CharField(_("title"), max_length=300)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    isbn = models.CharField(_("ISBN"), max_length=20, blank=True)
    pages = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    points = models.PositiveSmallIntegerField(_("book points"), null=True, blank=True)
    recommendation = models.PositiveSmallIntegerField(
        _("recommendation"),
        null=True,
        blank=True,
        validators=[MaxValueValidator(3)],
        help_text=_("0–3: how strongly the programme recommends the book."),
    )
    category = models.CharField(_("category"), max_length=100, blank=True)

    name_field = "title"

    panels = [
        FieldPanel("title"),
        InlinePanel("authors", label=_("author"), heading=_("Authors in the book's own order")),
        FieldRowPanel([FieldPanel("year"), FieldPanel("publisher")]),
        FieldRowPanel([FieldPanel("isbn"), FieldPanel("pages")]),
        FieldRowPanel([FieldPanel("points"), FieldPanel("recommendation"), FieldPanel("category")]),
    ]
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.RelatedFields("authors", [index.SearchField("name")]),
        index.SearchField("publisher"),
        index.SearchField("search_text"),
        index.FilterField("year"),
        # A search cluster orders equally relevant books by it (search.backends.cluster).
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("book")
        verbose_name_plural = _("books")
        ordering = ["title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("essays:book", args=[self.slug])

    def author_names(self):
        return [author.name for author in self.authors.all()]

    def search_text(self):
        return analysed_text(self.title, self.publisher, *self.author_names())

    @property
    def authors_display(self):
        return ", ".join(self.author_names())


class BookAuthor(Orderable):
    book = ParentalKey(Book, on_delete=models.CASCADE, related_name="authors")
    name = models.CharField(_("name"), max_length=150)

    panels = [FieldPanel("name")]

    class Meta(Orderable.Meta):
        verbose_name = _("book author")
        verbose_name_plural = _("book authors")

    def __str__(self):
        return self.name
