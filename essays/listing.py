"""Filters of the essay listing, read from the query string (Finnish parameter names)."""

from urllib.parse import urlencode

from django.db.models import Q
from django.utils.translation import gettext_lazy as _

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

    def options(self, essay_ids):
        """Choices for each filter among the essays with these ids, with counts, as
        (value, text, essays, chosen); options no such essay has are left out."""
        from .facets import essay_facets  # essays.facets reads the models, which import this module

        return {
            name: [(value, text, count, value == self.values.get(name)) for value, text, count in options]
            for name, options in essay_facets().counts(essay_ids).items()
        }

    @property
    def query_string(self):
        return urlencode(self.values)
