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


# What the reader sees each filter called, in the order the listing shows them.
LABELS = {
    "kirja": _("Book"),
    "kirjoittaja": _("Author"),
    "tiimi": _("Team"),
    "kategoria": _("Category"),
    "tagi": _("Tag"),
    "tyyppi": _("Essay type"),
    "vuosi": _("Year"),
}
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

    def options_among(self, essays):
        """Choices for each filter with the number of essays each would list together with every
        other chosen filter, as (value, text, essays, chosen), leaving out options that would list
        none; a chosen option stays, with its count, even when that is 0."""
        values = self.values
        facets = essay_facets()
        all_chosen = list(self.apply(essays).values_list("pk", flat=True))
        options = facets.counts(all_chosen, [name for name in self.filters if name not in values])
        for name, value in values.items():
            counted = facets.counts(self.without(name).apply(essays).values_list("pk", flat=True), [name])[name]
            counts = {option_value: count for option_value, _text, count in counted}
            options[name] = [
                (option_value, text, counts.get(option_value, 0))
                for option_value, text in facets.facets[name].options
                if option_value in counts or option_value == value
            ]
        return {
            name: [(value, text, count, value == values.get(name)) for value, text, count in options[name]]
            for name in self.filters
        }

    def loosening(self, essays):
        """For a choice of filters that lists nothing: (label, value text, essays listed without it,
        query string without it) of each chosen filter, so the reader knows which one to drop."""
        values = self.values
        facets = essay_facets()
        texts = {name: dict(facets.facets[name].options) for name in values}
        loosened = []
        for name, value in values.items():
            others = self.without(name)
            loosened.append(
                (LABELS[name], texts[name].get(value, value), others.apply(essays).count(), others.query_string)
            )
        return loosened

    def without(self, name):
        """The same choice of filters less the one named."""
        others = EssayFilters({other: value for other, value in self.values.items() if other != name})
        others.is_valid()
        return others

    def options(self, essay_ids):
        """Choices for each filter among the essays with these ids, with counts, as
        (value, text, essays, chosen); options no such essay has are left out."""
        return self._chosen(essay_facets().counts(essay_ids))

    def options_counted(self, essays_by_option_id):
        """What options() gives, from {filter: {option id: essays}} counted elsewhere (a search
        cluster's aggregations over the same essays)."""
        return self._chosen(essay_facets().counted(essays_by_option_id))

    def _chosen(self, counts):
        values = self.values
        return {
            name: [(value, text, count, value == values.get(name)) for value, text, count in options]
            for name, options in counts.items()
        }

    def query_string_with(self, **extra):
        return urlencode({**self.values, **{name: value for name, value in extra.items() if value}})

    @property
    def query_string(self):
        return urlencode(self.values)
