"""Facet counts of the essay listing and search, counted in this process.

In SQL every facet is a grouped query over the essays shown: at 100 000 essays a broad search
matches 16 000 of them and the seven queries took ~130 ms. Here each facet is read once into two
arrays, one (essay, option) pair per row, and counting the options of any set of essays is one
bincount per facet, a few milliseconds in all. The arrays are read again when the token of
FacetsVersion, replaced by every change to what they hold (see ``register``), is not the one they
were read under.
"""

import threading
from dataclasses import dataclass

import numpy as np
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag

from essaybank.finnish import sort_key

from .models import (
    Book,
    Category,
    EssayAuthor,
    EssayBookSource,
    EssayPage,
    EssayTag,
    EssayType,
    FacetsVersion,
    Person,
    Team,
)

# The essay fields a facet shows; saves that touch none of them (a revision, a grade) leave the
# counts as they are.
ESSAY_FIELDS = {"written", "essay_type", "essay_type_id"}


@dataclass
class Facet:
    """One facet's options, in the order shown, and its (essay id, option number) pairs."""

    options: list
    essay_ids: np.ndarray
    option_numbers: np.ndarray

    @classmethod
    def read(cls, pairs, options, order):
        """`pairs` yields (essay id, option id), `options` (option id, value, text, *fields for `order`)."""
        options = sorted(options, key=order)
        number_of = {row[0]: number for number, row in enumerate(options)}
        known = [(essay_id, number_of[option_id]) for essay_id, option_id in set(pairs) if option_id in number_of]
        essay_ids, numbers = zip(*known, strict=True) if known else ((), ())
        return cls(
            [(value, text) for _pk, value, text, *_order in options],
            np.array(essay_ids, dtype=np.int64),
            np.array(numbers, dtype=np.int64),
        )

    def counts(self, chosen):
        """(value, text, essays) of each option that some chosen essay has; `chosen` is a boolean
        array indexed by essay id."""
        totals = np.bincount(self.option_numbers[chosen[self.essay_ids]], minlength=len(self.options))
        return [(value, text, int(n)) for (value, text), n in zip(self.options, totals, strict=True) if n]


class EssayFacets:
    """Every facet of every essay, as read under one FacetsVersion token."""

    def __init__(self, token):
        self.token = token
        by_title = lambda row: sort_key(row[2])  # noqa: E731 - one key for four facets
        written = list(EssayPage.objects.values_list("pk", "written"))
        years = {date.year for _pk, date in written}
        self.facets = {
            "kirja": Facet.read(
                EssayBookSource.objects.values_list("essay_id", "book_id"),
                Book.objects.values_list("pk", "slug", "title"),
                by_title,
            ),
            "kirjoittaja": Facet.read(
                EssayAuthor.objects.values_list("essay_id", "person_id"),
                Person.objects.values_list("pk", "slug", "name"),
                by_title,
            ),
            "tiimi": Facet.read(
                EssayAuthor.objects.exclude(team=None).values_list("essay_id", "team_id"),
                Team.objects.values_list("pk", "slug", "name"),
                by_title,
            ),
            "tagi": Facet.read(
                EssayTag.objects.values_list("content_object_id", "tag_id"),
                Tag.objects.values_list("pk", "name", "name"),
                by_title,
            ),
            "kategoria": Facet.read(
                EssayPage.categories.through.objects.values_list("essaypage_id", "category_id"),
                [
                    (pk, number, f"{number}. {name}", key)
                    for pk, number, name, key in Category.objects.values_list("pk", "number", "name", "sort_key")
                ],
                lambda row: row[3],
            ),
            "tyyppi": Facet.read(
                EssayPage.objects.exclude(essay_type=None).values_list("pk", "essay_type_id"),
                EssayType.objects.values_list("pk", "code", "name", "sort_order"),
                lambda row: (row[3], row[2]),
            ),
            "vuosi": Facet.read(
                ((pk, date.year) for pk, date in written),
                [(year, str(year), str(year)) for year in years],
                lambda row: -row[0],
            ),
        }
        self.size = 1 + max(
            (int(facet.essay_ids.max()) for facet in self.facets.values() if len(facet.essay_ids)), default=0
        )

    def counts(self, essay_ids):
        """{facet: [(value, text, essays), …]} over the essays with these ids."""
        ids = np.fromiter(essay_ids, dtype=np.int64)
        chosen = np.zeros(max(self.size, 1 + int(ids.max(initial=0))), dtype=bool)
        chosen[ids] = True
        return {name: facet.counts(chosen) for name, facet in self.facets.items()}


_current = None
_reading = threading.Lock()


def essay_facets():
    """The facets as the database holds them now, read again only after a change."""
    global _current
    token = FacetsVersion.current()
    facets = _current
    if facets is None or facets.token != token:
        with _reading:
            facets = _current
            if facets is None or facets.token != token:
                facets = _current = EssayFacets(token)
    return facets


def _changed(sender, **kwargs):
    update_fields = kwargs.get("update_fields")
    if sender is EssayPage and update_fields and not ESSAY_FIELDS & set(update_fields):
        return
    if kwargs.get("action", "post_").startswith("post_"):
        FacetsVersion.replace()


def register():
    """Replace the FacetsVersion token whenever a row the facets read changes."""
    for model in (EssayPage, EssayAuthor, EssayBookSource, EssayTag, Book, Person, Team, Tag, Category, EssayType):
        post_save.connect(_changed, sender=model, dispatch_uid=f"facets-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"facets-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=EssayPage.categories.through, dispatch_uid="facets-categories")
