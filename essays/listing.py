"""Filters of the essay listing, read from the query string (Finnish parameter names)."""

from urllib.parse import urlencode

import django_filters
from django.core.exceptions import BadRequest
from django.core.validators import RegexValidator
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from .facets import essay_facets
from .models import EssayPage

MAX_PARAMETER_LENGTH = 200
ORDER_PARAMETER = "jarjestys"
DEFAULT_ORDER = "uusin"
# The essay index's orders by parameter value: (label, function ordering a queryset of essays).
# Apps above this one add theirs (the community app sorts by rating and by comments).
ORDERS = {}


def register_order(value, label, order):
    ORDERS[value] = (label, order)


register_order(DEFAULT_ORDER, _("newest"), lambda essays: essays.order_by("-written", "-pk"))


def ordered(essays, value):
    """The essays in the order the reader chose by its parameter value; BadRequest for an unknown one."""
    value = value or DEFAULT_ORDER
    if value not in ORDERS:
        raise BadRequest(_("Unknown sort order."))
    return ORDERS[value][1](essays)


def order_choices(chosen):
    return [(value, label, value == (chosen or DEFAULT_ORDER)) for value, (label, _order) in ORDERS.items()]


# Django's messages for these name no parameter; the reader is told which one it was.
UNREADABLE = {"max_length", "null_characters_not_allowed"}


def parameter(field_name, **kwargs):
    return django_filters.CharFilter(field_name=field_name, max_length=MAX_PARAMETER_LENGTH, **kwargs)


class EssayFilters(django_filters.FilterSet):
    """The filter set of the essay index and of search; apply() narrows any queryset of essays."""

    kirja = parameter("book_sources__book__slug")
    kirjoittaja = parameter("essay_authors__person__slug")
    tiimi = parameter("essay_authors__team__slug")
    kategoria = parameter("categories__number", method="in_category")
    tagi = parameter("tags__name")
    tyyppi = parameter("essay_type__code")
    vuosi = parameter(
        "written",
        lookup_expr="year",
        # ASCII digits only (\d would take other scripts' digits), and no year 0, which no date has.
        validators=[RegexValidator(r"\A(?!0000)[0-9]{4}\Z", _("The year must be given as four digits."))],
    )

    class Meta:
        model = EssayPage
        fields = []

    @property
    def error(self):
        """The first thing wrong with the query, as one sentence for the reader."""
        errors = self.form.errors.as_data()
        for name in self.filters:
            if any(error.code in UNREADABLE for error in errors.get(name, ())):
                return _("The filter %(name)s is too long or contains invalid characters.") % {"name": name}
        return next((error.messages[0] for field_errors in errors.values() for error in field_errors), "")

    @property
    def values(self):
        """The chosen filters' values by parameter, in the order of the parameters."""
        if not self.is_valid():
            return {}
        return {name: value for name, value in self.form.cleaned_data.items() if value}

    def __bool__(self):
        return bool(self.values)

    def in_category(self, essays, name, number):
        """A category and its subcategories: "2" is "2" and "2.2", not "22"."""
        return essays.filter(Q(**{name: number}) | Q(**{f"{name}__startswith": f"{number}."}))

    def apply(self, essays):
        essays = self.filter_queryset(essays)
        return essays.distinct() if self else essays

    def options(self, essay_ids):
        """Choices for each filter among the essays with these ids, with counts, as
        (value, text, essays, chosen); options no such essay has are left out."""
        values = self.values
        return {
            name: [(value, text, count, value == values.get(name)) for value, text, count in options]
            for name, options in essay_facets().counts(essay_ids).items()
        }

    def query_string_with(self, **extra):
        return urlencode({**self.values, **{name: value for name, value in extra.items() if value}})

    @property
    def query_string(self):
        return urlencode(self.values)
