import re

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel, FieldRowPanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Page
from wagtail.search import index

from essays.models import Book
from finnish.names import normalize_name

from .formatting import DEFAULT_STYLE, STYLE_CHOICES

ISBN_CHARACTERS = re.compile(r"[^0-9X]")
DOI_PREFIX = re.compile(r"^(?:https?://(?:dx\.)?doi\.org/|doi:)", re.IGNORECASE)


def normalize_isbn(value):
    """ISBN-13 digits, so the ISBN-10 and ISBN-13 of one book compare equal."""
    digits = ISBN_CHARACTERS.sub("", (value or "").upper())
    if len(digits) == 10:
        core = "978" + digits[:9]
        check = (10 - sum(int(d) * (1 if i % 2 == 0 else 3) for i, d in enumerate(core)) % 10) % 10
        return core + str(check)
    return digits if len(digits) == 13 else ""


def normalize_doi(value):
    return DOI_PREFIX.sub("", (value or "").strip()).casefold()


def split_name(name):
    """A CSL name from "Sukunimi, Etunimi", "Etunimi Sukunimi" or an organisation in braces."""
    name = " ".join((name or "").split())
    if not name:
        return None
    if name.startswith("{") and name.endswith("}"):
        return {"literal": name[1:-1].strip()}
    if "," in name:
        family, given = (part.strip() for part in name.split(",", 1))
        return {"family": family, "given": given} if given else {"family": family}
    parts = name.split(" ")
    if len(parts) == 1:
        return {"family": name}
    return {"family": parts[-1], "given": " ".join(parts[:-1])}


def name_line(name):
    """The editor's one-line form of a CSL name."""
    if "literal" in name:
        return f"{{{name['literal']}}}"
    return ", ".join(part for part in (name.get("family", ""), name.get("given", "")) if part)


class Source(index.Indexed, models.Model):
    """A structured bibliographic record, stored as CSL-JSON fields.

    Every book of the catalogue has one; its title, authors, year, publisher and
    ISBN are then read from the book, so the two never disagree.
    """

    class Kind(models.TextChoices):
        BOOK = "book", _("book")
        CHAPTER = "chapter", _("book chapter")
        ARTICLE = "article-journal", _("journal article")
        MAGAZINE = "article-magazine", _("magazine article")
        NEWSPAPER = "article-newspaper", _("newspaper article")
        THESIS = "thesis", _("thesis")
        REPORT = "report", _("report")
        WEBPAGE = "webpage", _("web page")

    kind = models.CharField(_("type"), max_length=20, choices=Kind.choices, default=Kind.BOOK)
    book = models.OneToOneField(
        Book,
        verbose_name=_("book in the catalogue"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="source",
        help_text=_("For a catalogue book, title, authors, year, publisher and ISBN are taken from the book."),
    )
    title = models.CharField(_("title"), max_length=500, blank=True)
    authors = models.TextField(
        _("authors"), blank=True, help_text=_('One per line as "Surname, First names"; an organisation in braces.')
    )
    editors = models.TextField(_("editors"), blank=True, help_text=_("One per line, as the authors."))
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    publisher = models.CharField(_("publisher"), max_length=200, blank=True)
    publisher_place = models.CharField(_("place of publication"), max_length=100, blank=True)
    container_title = models.CharField(
        _("published in"), max_length=500, blank=True, help_text=_("The book of a chapter, the journal of an article.")
    )
    volume = models.CharField(_("volume"), max_length=30, blank=True)
    issue = models.CharField(_("issue"), max_length=30, blank=True)
    page = models.CharField(_("pages"), max_length=30, blank=True, help_text=_("Pages of a chapter or article."))
    edition = models.CharField(_("edition"), max_length=30, blank=True)
    genre = models.CharField(_("kind of thesis or report"), max_length=100, blank=True)
    url = models.URLField(_("address"), max_length=500, blank=True)
    accessed = models.DateField(_("date accessed"), null=True, blank=True)
    doi = models.CharField("DOI", max_length=200, blank=True)
    isbn = models.CharField("ISBN", max_length=20, blank=True)

    panels = [
        FieldRowPanel([FieldPanel("kind"), FieldPanel("book")]),
        FieldPanel("title"),
        FieldRowPanel([FieldPanel("authors"), FieldPanel("editors")]),
        FieldRowPanel([FieldPanel("year"), FieldPanel("publisher"), FieldPanel("publisher_place")]),
        MultiFieldPanel(
            [
                FieldPanel("container_title"),
                FieldRowPanel([FieldPanel("volume"), FieldPanel("issue"), FieldPanel("page"), FieldPanel("edition")]),
                FieldPanel("genre"),
            ],
            heading=_("Chapters, articles and theses"),
        ),
        FieldRowPanel([FieldPanel("url"), FieldPanel("accessed")]),
        FieldRowPanel([FieldPanel("doi"), FieldPanel("isbn")]),
    ]
    search_fields = [
        index.SearchField("title", boost=2),
        index.AutocompleteField("title"),
        index.SearchField("authors"),
        index.RelatedFields("book", [index.SearchField("title"), index.AutocompleteField("title")]),
        index.FilterField("year"),
    ]

    class Meta:
        verbose_name = _("source")
        verbose_name_plural = _("sources")
        ordering = ["pk"]

    def __str__(self):
        names = [name.get("family") or name.get("literal", "") for name in self.author_list()]
        label = " & ".join(names[:2]) + (" ym." if len(names) > 2 else "")
        year = self.effective("year") or "s.a."
        return f"{label} {year}: {self.effective('title')}".strip()

    def get_absolute_url(self):
        return reverse("citations:source", args=[self.pk])

    @property
    def display_title(self):
        return self.effective("title")

    def effective(self, name):
        """The value the citation uses: the catalogue book's where the book has one."""
        if self.book_id:
            book_value = getattr(self.book, name, None)
            if book_value not in (None, ""):
                return book_value
        return getattr(self, name)

    def author_list(self):
        if self.book_id:
            book_names = [split_name(author.name) for author in self.book.authors.all()]
            if book_names:
                return [name for name in book_names if name]
        return self.name_list(self.authors)

    @staticmethod
    def name_list(text):
        return [name for name in (split_name(line) for line in (text or "").splitlines()) if name]

    def surnames(self):
        return [name.get("family") or name.get("literal", "") for name in self.author_list()]

    def as_csl(self):
        """This source as a CSL-JSON item."""
        item = {"id": f"source-{self.pk}", "type": self.kind, "title": self.effective("title")}
        if authors := self.author_list():
            item["author"] = authors
        if editors := self.name_list(self.editors):
            item["editor"] = editors
        if year := self.effective("year"):
            item["issued"] = {"date-parts": [[year]]}
        if self.accessed:
            item["accessed"] = {"date-parts": [[self.accessed.year, self.accessed.month, self.accessed.day]]}
        fields = {
            "publisher": self.effective("publisher"),
            "publisher-place": self.publisher_place,
            "container-title": self.container_title,
            "volume": self.volume,
            "issue": self.issue,
            "page": self.page,
            "edition": self.edition,
            "genre": self.genre,
            "URL": self.url,
            "DOI": self.doi,
            "ISBN": self.effective("isbn"),
        }
        item.update({key: value for key, value in fields.items() if value})
        return item

    def identity_keys(self):
        """Keys under which another record is the same source."""
        return identity_keys(self.as_csl())


def identity_keys(item):
    """DOI, ISBN and the normalised title + first author + year of a CSL-JSON item."""
    keys = set()
    if doi := normalize_doi(item.get("DOI")):
        keys.add(("doi", doi))
    if isbn := normalize_isbn(item.get("ISBN")):
        keys.add(("isbn", isbn))
    authors = item.get("author") or [{}]
    first = authors[0].get("family") or authors[0].get("literal") or ""
    year = ((item.get("issued") or {}).get("date-parts") or [[None]])[0][0]
    title = normalize_name(re.sub(r"[^\w\s]", " ", item.get("title") or ""))
    if title:
        keys.add(("work", title, normalize_name(first), str(year or "")))
    return keys


class Citation(models.Model):
    """One in-text citation in a page, as the page was last published."""

    class Origin(models.TextChoices):
        INSERTED = "inserted", _("inserted from the toolbar")
        TYPED = "typed", _("typed by hand")

    page = models.ForeignKey(Page, verbose_name=_("page"), on_delete=models.CASCADE, related_name="citations")
    source = models.ForeignKey(
        Source, verbose_name=_("source"), null=True, blank=True, on_delete=models.SET_NULL, related_name="citations"
    )
    text = models.CharField(_("citation as written"), max_length=500)
    pages = models.CharField(_("pages"), max_length=50, blank=True)
    surnames = models.CharField(_("surnames"), max_length=300, blank=True, editable=False)
    year = models.CharField(_("year"), max_length=10, blank=True, editable=False)
    et_al = models.BooleanField(default=False, editable=False)
    origin = models.CharField(_("origin"), max_length=10, choices=Origin.choices)
    position = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        ordering = ["page_id", "position"]

    def __str__(self):
        return self.text


def sources_for_matching():
    """Every source, with the year and surnames a citation is matched against."""
    sources = list(Source.objects.select_related("book").prefetch_related("book__authors"))
    for source in sources:
        source.citation_year = source.effective("year")
        source.citation_surnames = source.surnames()
    return sources


@register_setting(icon="openquote")
class CitationSettings(BaseSiteSetting):
    citation_style = models.CharField(_("citation style"), max_length=20, choices=STYLE_CHOICES, default=DEFAULT_STYLE)

    panels = [FieldPanel("citation_style")]

    class Meta:
        verbose_name = _("citation settings")
