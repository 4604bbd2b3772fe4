"""Filters of the essay listing, read from the query string (Finnish parameter names)."""

from collections import Counter
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

    def options(self, essays, ids=None):
        """Choices for each filter, limited to what the visible essays use, with counts.

        Rows, not model instances: on a search over 100 000 essays the facets are most of the
        work, and each facet is one grouped query over the matching essays. `ids`, when the caller
        has them, saves every query a join back to the essays.
        """
        ids = essays.values("pk") if ids is None else ids

        def counted(queryset, value, text, through):
            rows = queryset.filter(**{f"{through}__in": ids}).values_list(value, text)
            return rows.annotate(n=Count(through, distinct=True)).order_by()

        choices = {
            "kirja": counted(Book.objects, "slug", "title", "essay_sources__essay"),
            "kirjoittaja": counted(Person.objects, "slug", "name", "authorships__essay"),
            "tiimi": counted(Team.objects, "slug", "name", "authorships__essay"),
            "tagi": counted(Tag.objects, "name", "name", "essays_essaytag_items__content_object"),
        }
        choices = {name: sorted(rows, key=lambda row: sort_key(row[1])) for name, rows in choices.items()}
        choices["kategoria"] = [
            (number, f"{number}. {name}", n)
            for number, name, n in counted(Category.objects, "number", "name", "essays").order_by("sort_key")
        ]
        choices["tyyppi"] = list(counted(EssayType.objects, "code", "name", "essays").order_by("sort_order", "name"))
        # Grouped by date and summed here: SQLite extracts a year by calling back into Python once per row.
        per_year = Counter()
        for written, n in (
            essays.model.objects.filter(pk__in=ids).values_list("written").annotate(n=Count("pk")).order_by()
        ):
            per_year[written.year] += n
        choices["vuosi"] = [(str(year), str(year), n) for year, n in sorted(per_year.items(), reverse=True)]
        return {
            name: [(value, text, count, value == self.values.get(name)) for value, text, count in options]
            for name, options in choices.items()
        }

    @property
    def query_string(self):
        return urlencode(self.values)
