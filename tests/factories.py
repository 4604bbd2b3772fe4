"""Factories for the content model; pages are created under their section of the site tree."""

import datetime

import factory
import wagtail_factories
from django.contrib.auth import get_user_model
from factory.django import DjangoModelFactory
from taggit.models import Tag
from wagtail.rich_text import RichText

from concepts.models import ConceptIndexPage, ConceptPage, ConceptRelation
from essaybank.site_structure import section
from essays.models import (
    Book,
    BookAuthor,
    BookSummaryIndexPage,
    BookSummaryPage,
    Category,
    EssayAuthor,
    EssayBookSource,
    EssayIndexPage,
    EssayPage,
    EssayTag,
    EssayType,
    Person,
    Team,
)


def paragraphs(*texts):
    """A StreamField body of paragraph blocks."""
    return [("paragraph", RichText(f"<p>{text}</p>")) for text in texts]


def words(count):
    """Running text of exactly `count` words."""
    return " ".join(f"sana{number}" for number in range(count))


class UserFactory(DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"kayttaja{n}")
    email = factory.LazyAttribute(lambda user: f"{user.username}@example.org")
    password = factory.django.Password("salasana-123")


class TeamFactory(DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Tiimi {n}")
    start_year = 2017


class PersonFactory(DjangoModelFactory):
    class Meta:
        model = Person

    name = factory.Sequence(lambda n: f"Henkilö {n}")
    team = factory.SubFactory(TeamFactory)
    role = Person.Role.STUDENT


class CoachFactory(PersonFactory):
    team = None
    role = Person.Role.COACH


class BookFactory(DjangoModelFactory):
    class Meta:
        model = Book
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Kirja {n}")
    year = 2011
    publisher = "Talentum"

    @factory.post_generation
    def author_names(book, create, extracted, **kwargs):
        """BookFactory(author_names=["Janne Löytänä", "Katleena Kortesuo"]) sets the authors in that order."""
        if extracted:
            book.authors = [BookAuthor(name=name) for name in extracted]
            if create:
                book.save()


class CategoryFactory(DjangoModelFactory):
    class Meta:
        model = Category
        django_get_or_create = ("number",)

    number = factory.Sequence(lambda n: str(n + 1))
    name = factory.Sequence(lambda n: f"Kategoria {n}")


class PageInSectionFactory(wagtail_factories.PageFactory):
    """Creates the page under `parent` (each factory defaults it to the live section page of its type)
    and publishes a revision of it, as an editor or the importer does, so that publishing signals run.
    Child relations are given to the page before it is saved, as the editor's inline panels give them."""

    class Meta:
        abstract = True

    title = factory.Sequence(lambda n: f"Sivu {n}")
    slug = factory.Sequence(lambda n: f"sivu-{n}")

    @classmethod
    def _create_instance(cls, model_class, parent, kwargs):
        page = super()._create_instance(model_class, parent, kwargs)
        page.save_revision().publish()
        return page


def in_section(model):
    return factory.LazyFunction(lambda: section(model))


class EssayPageFactory(PageInSectionFactory):
    """An essay with its authors, book sources, categories and tags.

    authors: people (default: one new person); books: Book objects; tags: names;
    categories: Category objects.
    """

    class Meta:
        model = EssayPage

    class Params:
        authors = None
        books = ()
        tags = ()

    parent = in_section(EssayIndexPage)
    title = factory.Sequence(lambda n: f"Essee {n}")
    slug = factory.Sequence(lambda n: f"essee-{n}")
    written = datetime.date(2018, 5, 26)
    language = EssayPage.Language.FINNISH
    visibility = EssayPage.Visibility.PUBLIC
    essay_type = factory.LazyFunction(lambda: EssayType.objects.get(code="individual"))
    claimed_points = 2
    body = factory.LazyFunction(lambda: paragraphs("Asiakaskokemus syntyy jokaisessa kohtaamisessa."))
    # In the order given, as the editor's inline panels number them.
    essay_authors = factory.LazyAttribute(
        lambda essay: [
            EssayAuthor(person=person, team=person.team, sort_order=number)
            for number, person in enumerate(essay.authors or [PersonFactory()])
        ]
    )
    book_sources = factory.LazyAttribute(
        lambda essay: [EssayBookSource(book=book, sort_order=number) for number, book in enumerate(essay.books)]
    )
    tagged_items = factory.LazyAttribute(
        lambda essay: [EssayTag(tag=Tag.objects.get_or_create(name=name)[0]) for name in essay.tags]
    )
    categories = ()


class BookSummaryPageFactory(PageInSectionFactory):
    class Meta:
        model = BookSummaryPage

    parent = in_section(BookSummaryIndexPage)
    title = factory.Sequence(lambda n: f"Tiivistelmä {n}")
    slug = factory.Sequence(lambda n: f"tiivistelma-{n}")
    book = factory.SubFactory(BookFactory)
    summary_author = factory.SubFactory(PersonFactory)
    written = datetime.date(2019, 3, 4)
    body = factory.LazyFunction(lambda: paragraphs("Kirja kertoo asiakaskokemuksen johtamisesta."))
    key_insights = factory.LazyFunction(lambda: [("insight", "Asiakas kokee, yritys mahdollistaa.")])


class ConceptPageFactory(PageInSectionFactory):
    """A concept; links=[(kind, target_concept), …] become its broader/narrower/related links."""

    class Meta:
        model = ConceptPage

    class Params:
        links = ()

    parent = in_section(ConceptIndexPage)
    title = factory.Sequence(lambda n: f"käsite {n}")
    slug = factory.Sequence(lambda n: f"kasite-{n}")
    english_term = ""
    synonyms = ""
    definition = "Määritelmä lähteestä."
    relations = factory.LazyAttribute(
        lambda concept: [ConceptRelation(kind=kind, target=target) for kind, target in concept.links]
    )
