"""What a page says of itself to other sites: its description (meta description, Open Graph,
feed entries) and its canonical address."""

import html

from django.utils.text import Truncator
from wagtail.models import Site

from concepts.models import ConceptPage
from essays.models import Book, BookSummaryPage, EssayPage, Person, Team
from finnish.indexing import plain_text

DESCRIPTION_CHARS = 200


def short(text):
    # Rich text keeps its entities (&lt;, &amp;); the template escapes the description once more.
    return Truncator(" ".join(html.unescape(text).split())).chars(DESCRIPTION_CHARS)


def describe(obj):
    """A sentence or two about a page or record, for readers who have not opened it yet: what an
    editor wrote as the page's search description, else an essay's or summary's first lines, a
    concept's definition, a book's details."""
    if getattr(obj, "search_description", ""):
        return short(obj.search_description)
    if isinstance(obj, EssayPage | BookSummaryPage):
        return short(plain_text(obj.body))
    if isinstance(obj, ConceptPage):
        return short(obj.definition or plain_text(obj.body))
    if isinstance(obj, Book):
        details = [obj.authors_display, obj.publisher, str(obj.year or "")]
        return short(f"{obj.title}. " + ", ".join(detail for detail in details if detail) + ".")
    if isinstance(obj, Person):
        return short(f"{obj.name}" + (f", {obj.team}" if obj.team_id else ""))
    if isinstance(obj, Team):
        return short(obj.name)
    return short(plain_text(getattr(obj, "intro", "")) or str(obj or ""))


def root_url(request):
    """The site's own root URL (Wagtail's Site: its host name and port), without a trailing slash."""
    site = Site.find_for_request(request) or Site.objects.filter(is_default_site=True).first()
    return site.root_url if site else request.build_absolute_uri("/").rstrip("/")


def absolute(request, path):
    return root_url(request) + path
