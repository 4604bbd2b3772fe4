"""The read-only content API (Wagtail's API v2 at /api/v2/): essays, book summaries, concepts,
books and people with their links, for a programme's intranet or a study-plan tool.

Everything it lists is what anyone may read, whoever asks: every page endpoint starts from
Wagtail's live pages under no view restriction less the essays that are not public
(ReaderPagesAPIViewSet.get_base_queryset), which its listings, details, `type`, `child_of`,
`descendant_of`, `ancestor_of` and `html_path` lookups all build on; a book's, person's or
concept's essays are EssayPage.readable_by_anyone. The fields each model shows are listed here
(API_FIELDS), not on the models, so no field is published by accident. docs/openapi.json
describes every endpoint; docs/api.md tells how to use it.
"""

from rest_framework import serializers
from wagtail.api import APIField
from wagtail.api.v2.filters import FieldsFilter, OrderingFilter
from wagtail.api.v2.router import WagtailAPIRouter
from wagtail.api.v2.utils import get_object_detail_url
from wagtail.api.v2.views import BaseAPIViewSet, PagesAPIViewSet

from concepts.models import ConceptPage
from essays.models import Book, BookSummaryPage, EssayPage, Person
from essays.privacy import hidden_paths, without_hidden

from .descriptions import absolute


def _link(obj, context, title=None):
    """A linked page or record: its id, title, address on the site and address in the API."""
    request = context["request"]
    is_page = hasattr(obj, "get_full_url")
    return {
        "id": obj.pk,
        "title": title or getattr(obj, "title", None) or obj.name,
        "html_url": obj.get_full_url(request) if is_page else absolute(request, obj.get_absolute_url()),
        "detail_url": get_object_detail_url(context["router"], request, type(obj), obj.pk),
    }


class LinkField(serializers.Field):
    """A related page or record (a foreign key) as a link; null when empty."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, **kwargs)

    def to_representation(self, value):
        return _link(value, self.context)


class Related(serializers.Field):
    """A list computed from the object by a function of (object), each item a link."""

    def __init__(self, items, **kwargs):
        self.items = items
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        return [_link(item, self.context) for item in self.items(obj)]


class Computed(serializers.Field):
    """A value computed from the object by a function of (object)."""

    def __init__(self, value, **kwargs):
        self.value = value
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        return self.value(obj)


def readable_essays(**filters):
    return EssayPage.objects.readable_by_anyone().filter(**filters).distinct().order_by("-written", "-pk")


def readable_summaries(**filters):
    return without_hidden(BookSummaryPage.objects.live(), hidden_paths()).filter(**filters).order_by("-pk")


class AuthorsField(serializers.Field):
    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, essay):
        links = []
        for authorship in essay.essay_authors.select_related("person", "team"):
            link = _link(authorship.person, self.context, authorship.person.name)
            links.append({**link, "team": authorship.team.name if authorship.team_id else None})
        return links


class ConceptRelationsField(serializers.Field):
    """Broader, narrower and related concepts anyone may read, as links."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, concept):
        kinds = {"broader": [], "narrower": [], "related": []}
        relations = concept.relations.select_related("target")
        incoming = concept.incoming_relations.select_related("concept")
        inverse = {"broader": "narrower", "narrower": "broader", "related": "related"}
        listed = set(without_hidden(ConceptPage.objects.live(), hidden_paths()).values_list("pk", flat=True))
        for relation in relations:
            if relation.target_id in listed:
                kinds[relation.kind].append(relation.target)
        for relation in incoming:
            if relation.concept_id in listed:
                kinds[inverse[relation.kind]].append(relation.concept)
        return {
            kind: [_link(target, self.context) for target in dict.fromkeys(targets)] for kind, targets in kinds.items()
        }


def _concepts_of(essay):
    return (
        without_hidden(ConceptPage.objects.live(), hidden_paths())
        .filter(essay_links__essay=essay, essay_links__linked=True)
        .order_by("-essay_links__mentions", "title")
    )


API_FIELDS = {
    EssayPage: [
        APIField("written"),
        APIField("language"),
        APIField("essay_type", serializer=Computed(lambda essay: essay.essay_type.name if essay.essay_type else None)),
        APIField("reading_minutes"),
        APIField("authors", serializer=AuthorsField()),
        APIField("books", serializer=Related(lambda essay: [source.book for source in essay.book_sources.all()])),
        APIField(
            "categories", serializer=Computed(lambda essay: [str(category) for category in essay.categories.all()])
        ),
        APIField("tags", serializer=Computed(lambda essay: [tag.name for tag in essay.tags.all()])),
        APIField("concepts", serializer=Related(_concepts_of)),
        APIField("body"),
        APIField("other_sources"),
    ],
    BookSummaryPage: [
        APIField("book", serializer=LinkField()),
        APIField("summary_author", serializer=LinkField()),
        APIField("written"),
        APIField("body"),
        APIField("key_insights"),
    ],
    ConceptPage: [
        APIField("english_term"),
        APIField("synonyms", serializer=Computed(lambda concept: concept.synonym_list())),
        APIField("definition"),
        APIField("definition_book", serializer=LinkField()),
        APIField("definition_page"),
        APIField("body"),
        APIField("concepts", serializer=ConceptRelationsField()),
        APIField(
            "essays",
            serializer=Related(
                lambda concept: readable_essays(concept_links__concept=concept, concept_links__linked=True)
            ),
        ),
    ],
    Book: [
        APIField("title"),
        APIField("authors", serializer=Computed(lambda book: book.author_names())),
        APIField("year"),
        APIField("publisher"),
        APIField("isbn"),
        APIField("pages"),
        APIField("category"),
        APIField("essays", serializer=Related(lambda book: readable_essays(book_sources__book=book))),
        APIField("summaries", serializer=Related(lambda book: readable_summaries(book=book))),
    ],
    Person: [
        APIField("name"),
        APIField("role"),
        APIField("team", serializer=Computed(lambda person: person.team.name if person.team_id else None)),
        APIField("essays", serializer=Related(lambda person: readable_essays(essay_authors__person=person))),
        APIField("summaries", serializer=Related(lambda person: readable_summaries(summary_author=person))),
    ],
}


class ReaderFields:
    """The fields of API_FIELDS instead of a model's own api_fields."""

    @classmethod
    def get_body_fields(cls, model):
        fields = [field for base in model.__mro__ if base in API_FIELDS for field in API_FIELDS[base]]
        return cls._convert_api_fields(cls.body_fields + fields)


class ReaderPagesAPIViewSet(ReaderFields, PagesAPIViewSet):
    """Pages anyone may read. Search is the search API's (/api/search/), not this one's."""

    filter_backends = [backend for backend in PagesAPIViewSet.filter_backends if backend.__name__ != "SearchFilter"]
    known_query_parameters = PagesAPIViewSet.known_query_parameters - {"search", "search_operator"}

    def find_object(self, queryset, request):
        # PostgreSQL refuses NUL in a query; no page's path holds one.
        if "\x00" in request.GET.get("html_path", ""):
            return None
        return super().find_object(queryset, request)

    def get_base_queryset(self):
        hidden_essays = EssayPage.objects.exclude(visibility=EssayPage.Visibility.PUBLIC).values("pk")
        return super().get_base_queryset().exclude(pk__in=hidden_essays)


class EssaysAPIViewSet(ReaderPagesAPIViewSet):
    model = EssayPage
    name = "essays"
    listing_default_fields = [*ReaderPagesAPIViewSet.listing_default_fields, "written", "authors"]


class SummariesAPIViewSet(ReaderPagesAPIViewSet):
    model = BookSummaryPage
    name = "summaries"
    listing_default_fields = [*ReaderPagesAPIViewSet.listing_default_fields, "book", "written"]


class ConceptsAPIViewSet(ReaderPagesAPIViewSet):
    model = ConceptPage
    name = "concepts"
    listing_default_fields = [*ReaderPagesAPIViewSet.listing_default_fields, "english_term"]


class HtmlUrlField(serializers.Field):
    """A record's address on the site."""

    def __init__(self, **kwargs):
        super().__init__(read_only=True, source="*", **kwargs)

    def to_representation(self, obj):
        return absolute(self.context["request"], obj.get_absolute_url())


class RecordsAPIViewSet(ReaderFields, BaseAPIViewSet):
    """Books and people: records every reader may see, each with its own page on the site."""

    filter_backends = [FieldsFilter, OrderingFilter]
    meta_fields = [*BaseAPIViewSet.meta_fields, APIField("html_url", serializer=HtmlUrlField()), "slug"]
    listing_default_fields = [*BaseAPIViewSet.listing_default_fields, "html_url"]


class BooksAPIViewSet(RecordsAPIViewSet):
    model = Book
    name = "books"
    listing_default_fields = [*RecordsAPIViewSet.listing_default_fields, "title", "authors", "year"]


class PeopleAPIViewSet(RecordsAPIViewSet):
    model = Person
    name = "people"
    listing_default_fields = [*RecordsAPIViewSet.listing_default_fields, "name", "team"]


api_router = WagtailAPIRouter("api")
# The specific endpoints first: an object's detail_url names the first endpoint of its model.
for viewset in (
    EssaysAPIViewSet,
    SummariesAPIViewSet,
    ConceptsAPIViewSet,
    ReaderPagesAPIViewSet,
    BooksAPIViewSet,
    PeopleAPIViewSet,
):
    api_router.register_endpoint(viewset.name, viewset)
