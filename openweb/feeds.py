"""Atom feeds of the newest essays and of each tag, concept, book, person and team.

A feed is read by programs without a session, so it lists only what anyone may read, whoever
asks: published public essays under no view restriction (EssayPage.readable_by_anyone), and a
concept's feed only for a concept anyone may read.
"""

import datetime
from urllib.parse import urlencode

from django.contrib.syndication.views import Feed
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from taggit.models import Tag

from concepts.models import ConceptPage
from essays.models import Book, EssayIndexPage, EssayPage, Person, Team
from essays.privacy import listable_by

from .descriptions import absolute, describe

ENTRIES = 20


class EssayFeed(Feed):
    """The newest essays anyone may read; subclasses narrow them to one tag, book, person…"""

    feed_type = Atom1Feed

    def get_object(self, request, *args, **kwargs):
        self.request = request
        return None

    def title(self, obj):
        return _("Essay bank: newest essays")

    def subtitle(self, obj):
        return _("The newest essays of the essay bank.")

    def link(self, obj):
        return absolute(self.request, obj.get_absolute_url() if obj is not None else "/")

    def feed_url(self, obj):
        return absolute(self.request, self.request.path)

    def essays(self, obj):
        return EssayPage.objects.readable_by_anyone()

    def items(self, obj):
        return self.essays(obj).order_by("-written", "-pk").for_listing()[:ENTRIES]

    def item_title(self, item):
        return item.title

    def item_link(self, item):
        return item.get_full_url(self.request)

    def item_guid(self, item):
        return item.get_full_url(self.request)

    def item_description(self, item):
        return describe(item)

    def item_author_name(self, item):
        return ", ".join(person.name for person in item.authors()) or None

    def item_pubdate(self, item):
        return timezone.make_aware(datetime.datetime.combine(item.written, datetime.time()))

    def item_updateddate(self, item):
        return item.last_published_at

    def item_categories(self, item):
        return [tag.name for tag in item.tags.all()]


class TagFeed(EssayFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Tag, slug=slug)

    def title(self, tag):
        return _("Essay bank: essays tagged %(tag)s") % {"tag": tag.name}

    def subtitle(self, tag):
        return self.title(tag)

    def link(self, tag):
        essay_index = EssayIndexPage.objects.live().first()
        return absolute(self.request, (essay_index.url if essay_index else "/") + "?" + urlencode({"tagi": tag.name}))

    def essays(self, tag):
        return super().essays(tag).filter(tags=tag)


class ConceptFeed(EssayFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(listable_by(ConceptPage.objects.live(), None), slug=slug)

    def title(self, concept):
        return _("Essay bank: essays on %(concept)s") % {"concept": concept.title}

    def subtitle(self, concept):
        return describe(concept)

    def link(self, concept):
        return concept.get_full_url(self.request)

    def essays(self, concept):
        return super().essays(concept).filter(concept_links__concept=concept, concept_links__linked=True)


class BookFeed(EssayFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Book, slug=slug)

    def title(self, book):
        return _("Essay bank: essays on %(book)s") % {"book": book.title}

    def subtitle(self, book):
        return describe(book)

    def essays(self, book):
        return super().essays(book).filter(book_sources__book=book).distinct()


class PersonFeed(EssayFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Person, slug=slug)

    def title(self, person):
        return _("Essay bank: essays by %(name)s") % {"name": person.name}

    def subtitle(self, person):
        return self.title(person)

    def essays(self, person):
        return super().essays(person).filter(essay_authors__person=person).distinct()


class TeamFeed(EssayFeed):
    def get_object(self, request, slug):
        self.request = request
        return get_object_or_404(Team, slug=slug)

    def title(self, team):
        return _("Essay bank: essays of the team %(team)s") % {"team": team.name}

    def subtitle(self, team):
        return self.title(team)

    def essays(self, team):
        return super().essays(team).filter(essay_authors__team=team).distinct()


# The feed of each kind of subject, and the name of its address.
FEEDS = {
    type(None): EssayFeed,
    Tag: TagFeed,
    ConceptPage: ConceptFeed,
    Book: BookFeed,
    Person: PersonFeed,
    Team: TeamFeed,
}
URL_NAMES = {Tag: "tag_feed", ConceptPage: "concept_feed", Book: "book_feed", Person: "person_feed", Team: "team_feed"}


def feed_url(obj=None):
    """The address of the feed of a tag, concept, book, person or team, or of the newest essays."""
    if obj is None:
        return reverse("openweb:feed")
    return reverse(f"openweb:{URL_NAMES[type(obj)]}", args=[obj.slug])
