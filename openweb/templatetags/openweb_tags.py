from django import template
from django.contrib.auth.models import AnonymousUser
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.models import Page

from concepts.models import ConceptPage
from essays.models import Book, BookSummaryPage, EssayIndexPage, EssayPage, Person, Team

from ..descriptions import absolute, describe
from ..feeds import FEEDS, feed_url
from ..related import related

register = template.Library()

# The context names under which the record views pass the record a page is about.
RECORD_NAMES = ("book", "person", "team", "source")


def _subject(context):
    """The page or record a rendered page is about, or None."""
    page = context.get("page")
    if isinstance(page, Page):
        return page
    return next((context[name] for name in RECORD_NAMES if context.get(name) is not None), None)


def _feed_subject(context, subject):
    """What the page's feed follows: its concept, book, person, team or chosen tag; None for the
    feed of the newest essays."""
    if isinstance(subject, ConceptPage | Book | Person | Team):
        return subject
    request = context.get("request")
    if isinstance(subject, EssayIndexPage) and request is not None and request.GET.get("tagi"):
        return Tag.objects.filter(name=request.GET["tagi"]).first()
    return None


@register.inclusion_tag("includes/head_meta.html", takes_context=True)
def head_meta(context):
    """Description, canonical address, Open Graph tags and the feed link of the page being rendered."""
    request = context.get("request")
    if request is None:
        return {}
    subject = _subject(context)
    if isinstance(subject, Page):
        canonical = subject.get_full_url(request)
    else:
        page_number = request.GET.get("sivu", "")
        canonical = absolute(request, request.path) + (
            f"?sivu={page_number}" if page_number.isascii() and page_number.isdigit() else ""
        )
    description = describe(subject) if subject is not None else ""
    feed_subject = _feed_subject(context, subject)
    return {
        "canonical": canonical,
        "description": description
        or _("Essays on business books, book summaries and concepts of team entrepreneurs."),
        "title": getattr(subject, "title", None) or getattr(subject, "name", None) or str(subject or ""),
        "og_type": "article" if isinstance(subject, EssayPage | BookSummaryPage) else "website",
        "published": getattr(subject, "written", None) if isinstance(subject, EssayPage) else None,
        "feed_url": absolute(request, feed_url(feed_subject)),
        "feed_title": FEEDS[type(feed_subject)]().title(feed_subject),
    }


@register.inclusion_tag("includes/feed_link.html", takes_context=True)
def feed_link(context):
    """A visible link to the Atom feed of the page's concept, book, person, team or chosen tag, or
    of the newest essays."""
    subject = _feed_subject(context, _subject(context))
    return {"url": feed_url(subject), "title": FEEDS[type(subject)]().title(subject)}


@register.inclusion_tag("includes/related_essays.html", takes_context=True)
def related_essays(context, essay):
    """Other essays on the essay's books and concepts, more by its authors, and each author's
    previous and next essay, among those the reader may read."""
    request = context.get("request")
    return related(essay, request.user if request else AnonymousUser())
