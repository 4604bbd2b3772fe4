"""Filters of the essay listing, read from the query string (Finnish parameter names)."""

from urllib.parse import urlencode

from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from taggit.models import Tag

from essaybank.finnish import sort_key

from .models.books import Book
from .models.people import Person, Team
from .models.taxonomy import Category, EssayType

MAX_PARAMETER_LENGTH = 200


class EssayFilters:
    parameters = ("kirja", "kirjoittaja", "tiimi", "kategoria", "tagi", "tyyppi", "vuosi")

    def __init__(self, query):
        self.values = {name: query.get(name, "").strip() for name in self.parameters if query.get(name, "").strip()}
        self.error = ""

    def is_valid(self):
        for name, value in self.values.items():
            if len(value) > MAX_PARAMETER_LENGTH or "\x00" in value:
                self.error = _("The filter %(name)s is too long or contains invalid characters.") % {"name": name}
                return False
        year = self.values.get("vuosi")
        if year and not (year.isdigit() and len(year) == 4):
            self.error = _("The year must be given as four digits.")
            return False
        return True

    def __bool__(self):
        return bool(self.values)

    def apply(self, essays):
        conditions = {
            "kirja": lambda v: Q(book_sources__book__slug=v),
            "kirjoittaja": lambda v: Q(essay_authors__person__slug=v),
            "tiimi": lambda v: Q(essay_authors__team__slug=v),
            "kategoria": lambda v: Q(categories__number=v) | Q(categories__number__startswith=f"{v}."),
            "tagi": lambda v: Q(tags__name=v),
            "tyyppi": lambda v: Q(essay_type__code=v),
            "vuosi": lambda v: Q(written__year=int(v)),
        }
        for name, value in self.values.items():
            essays = essays.filter(conditions[name](value))
        return essays.distinct() if self.values else essays

    def options(self, essays):
        """Choices for each filter, limited to what the visible essays use, with counts."""
        ids = essays.values("pk")
        books = Book.objects.filter(essay_sources__essay__in=ids).annotate(
            n=Count("essay_sources__essay", distinct=True)
        )
        people = Person.objects.filter(authorships__essay__in=ids).annotate(
            n=Count("authorships__essay", distinct=True)
        )
        teams = Team.objects.filter(authorships__essay__in=ids).annotate(n=Count("authorships__essay", distinct=True))
        tags = Tag.objects.filter(essays_essaytag_items__content_object__in=ids).annotate(
            n=Count("essays_essaytag_items", distinct=True)
        )
        choices = {
            "kirja": [(b.slug, b.title, b.n) for b in sorted(books, key=lambda b: sort_key(b.title))],
            "kirjoittaja": [(p.slug, p.name, p.n) for p in sorted(people, key=lambda p: sort_key(p.name))],
            "tiimi": [(t.slug, t.name, t.n) for t in sorted(teams, key=lambda t: sort_key(t.name))],
            "kategoria": [
                (c.number, str(c), c.n)
                for c in Category.objects.annotate(n=Count("essays", filter=Q(essays__in=ids), distinct=True))
            ],
            "tagi": [(t.name, t.name, t.n) for t in sorted(tags, key=lambda t: sort_key(t.name))],
            "tyyppi": [
                (t.code, t.name, t.n)
                for t in EssayType.objects.annotate(n=Count("essays", filter=Q(essays__in=ids), distinct=True))
            ],
            "vuosi": [
                (str(year), str(year), n)
                for year, n in essays.model.objects.filter(pk__in=ids)
                .values_list("written__year")
                .annotate(n=Count("pk"))
                .order_by("-written__year")
            ],
        }
        return {
            name: [(value, text, count, value == self.values.get(name)) for value, text, count in options]
            for name, options in choices.items()
        }

    @property
    def query_string(self):
        return urlencode(self.values)
