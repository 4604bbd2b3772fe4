"""What an essay page offers next: other essays on its books and concepts, more by its authors,
and each author's previous and next essay, all of them essays the reader may read.

Each list is one query limited to a few rows, so an essay page costs the same however many
essays the bank holds.
"""

from dataclasses import dataclass, field

from django.db.models import Q

from concepts.models import ConceptPage
from essays.models import EssayPage
from essays.privacy import listable_by

PER_LIST = 5
# Concepts of an essay that get a list of their own, most discussed first.
CONCEPT_LISTS = 2


@dataclass
class AuthorEssays:
    person: object
    essays: list = field(default_factory=list)
    previous: object = None
    next: object = None


def _shown(essays):
    return essays.only("title", "url_path", "written").order_by("-written", "-pk")


def related(essay, user):
    """{"books": [(book, essays)], "concepts": [(concept, essays)], "authors": [AuthorEssays]}."""
    readable = EssayPage.objects.live().visible_to(user).exclude(pk=essay.pk)
    books = [
        (source.book, list(_shown(readable.filter(book_sources__book=source.book).distinct())[:PER_LIST]))
        for source in essay.book_sources.all()
    ]
    concepts = listable_by(ConceptPage.objects.live(), user).filter(essay_links__essay=essay, essay_links__linked=True)
    concept_lists = [
        (
            concept,
            list(
                _shown(readable.filter(concept_links__concept=concept, concept_links__linked=True).distinct())[
                    :PER_LIST
                ]
            ),
        )
        for concept in concepts.order_by("-essay_links__mentions", "title").only("title", "url_path")[:CONCEPT_LISTS]
    ]
    authors = []
    for person in essay.authors():
        theirs = readable.filter(essay_authors__person=person).distinct()
        earlier = Q(written__lt=essay.written) | Q(written=essay.written, pk__lt=essay.pk)
        authors.append(
            AuthorEssays(
                person,
                list(_shown(theirs)[:PER_LIST]),
                _shown(theirs.filter(earlier)).first(),
                _shown(theirs.exclude(earlier)).order_by("written", "pk").first(),
            )
        )
    return {
        "books": [(book, essays) for book, essays in books if essays],
        "concepts": [(concept, essays) for concept, essays in concept_lists if essays],
        "authors": [author for author in authors if author.essays],
    }
