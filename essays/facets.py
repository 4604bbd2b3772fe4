"""Facet counts of the essay listing and search, counted in this process.

In SQL every facet is a grouped query over the essays shown, and a broad search in a large bank
shows many of them. Here each facet is read once into two arrays, one (essay, option) pair per
row sorted by essay, with a third giving where each essay's pairs begin; counting the options of
any set of essays reads only those essays' pairs and is one bincount per facet. The arrays are
read again when the token of FacetsVersion, replaced by every change to what they hold (see
``register``), is not the one they were read under.
"""

import functools
import threading
from dataclasses import dataclass

import numpy as np
from django.db.models.signals import m2m_changed, post_delete, post_save
from taggit.models import Tag
from wagtail.models import Page, PageViewRestriction
from wagtail.signals import post_page_move

from finnish.collation import sort_key

from . import privacy
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

# The essay fields a facet shows or the readable set holds; saves that touch none of them (a
# revision, a grade) leave the counts as they are.
ESSAY_FIELDS = {"written", "essay_type", "essay_type_id", "live", "visibility"}


@dataclass
class Facet:
    """One facet's options, in the order shown, and its (essay id, option number) pairs, sorted
    by essay id; the pairs of essay e are those from offsets[e] to offsets[e + 1]."""

    options: list
    essay_ids: np.ndarray
    option_numbers: np.ndarray
    offsets: np.ndarray
    # The options' ids (a book's, a year), in the order of `options`.
    option_ids: list

    @classmethod
    def read(cls, pairs, options, order):
        """`pairs` holds (essay id, option id) rows, `options` (option id, value, text, *fields for `order`)."""
        options = sorted(options, key=order)
        pairs = np.array(list(pairs), dtype=np.int64).reshape(-1, 2)
        number_of = np.full(1 + max((row[0] for row in options), default=0), -1, dtype=np.int64)
        number_of[[row[0] for row in options]] = np.arange(len(options))
        pairs = pairs[pairs[:, 1] < len(number_of)]
        numbers = number_of[pairs[:, 1]]
        # An essay counts once per option however many of its rows name it (two authors of a team).
        known = numbers >= 0
        unique = np.unique(pairs[known, 0] * len(options) + numbers[known])
        essay_ids, option_numbers = np.divmod(unique, max(len(options), 1))
        offsets = np.searchsorted(essay_ids, np.arange(essay_ids.max(initial=-1) + 2))
        return cls(
            [(value, text) for _pk, value, text, *_order in options],
            essay_ids,
            option_numbers,
            offsets,
            [pk for pk, *_rest in options],
        )

    def pairs_of(self, ids):
        """Positions of the pairs of the essays with these ids (sorted, unique).

        Only those pairs are read: looking each pair up in a set of chosen essays would read every
        pair of every essay, however few essays were chosen.
        """
        ids = ids[ids < len(self.offsets) - 1]
        starts = self.offsets[ids]
        lengths = self.offsets[ids + 1] - starts
        # Each essay's run of positions: its start, then one more per pair.
        return np.repeat(starts - np.cumsum(lengths) + lengths, lengths) + np.arange(lengths.sum())

    def counts(self, ids):
        """(value, text, essays) of each option that some of the essays with these ids (sorted,
        unique) has."""
        totals = np.bincount(self.option_numbers[self.pairs_of(ids)], minlength=len(self.options))
        return [(value, text, int(n)) for (value, text), n in zip(self.options, totals, strict=True) if n]

    def counted(self, essays_by_option_id):
        """(value, text, essays) of each option, as counts() gives them, from {option id: essays}
        counted elsewhere (a search cluster's aggregation); ids of no known option are left out."""
        positions = sorted(
            (self.position_of[pk], count)
            for pk, count in essays_by_option_id.items()
            if count and pk in self.position_of
        )
        return [(*self.options[position], count) for position, count in positions]

    @functools.cached_property
    def position_of(self):
        """{option id: its place in `options`}."""
        return {pk: position for position, pk in enumerate(self.option_ids)}


class EssayFacets:
    """Every facet of every essay, as read under one FacetsVersion token."""

    def __init__(self, token):
        self.token = token
        by_title = lambda row: sort_key(row[2])  # noqa: E731 - one key for four facets
        essays = list(EssayPage.objects.values_list("pk", "written", "essay_type_id", "live", "visibility"))
        years = {written.year for _pk, written, *_rest in essays}
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
                [(pk, essay_type) for pk, _written, essay_type, *_rest in essays if essay_type is not None],
                EssayType.objects.values_list("pk", "code", "name", "sort_order"),
                lambda row: (row[3], row[2]),
            ),
            "vuosi": Facet.read(
                [(pk, written.year) for pk, written, *_rest in essays],
                [(year, str(year), str(year)) for year in years],
                lambda row: -row[0],
            ),
        }
        self.size = 1 + max(
            (int(facet.essay_ids.max()) for facet in self.facets.values() if len(facet.essay_ids)), default=0
        )
        # EssayPage.objects.readable_by_anyone(self.hidden) as a boolean array indexed by essay
        # id: the search backend takes a query's matching essays from it rather than joining each
        # to its page (search.apps). The essays under view restrictions are read only when there
        # are restrictions.
        self.hidden = privacy.hidden_paths()
        restricted = (
            set(EssayPage.objects.filter(privacy.hidden_q(self.hidden)).values_list("pk", flat=True))
            if self.hidden
            else set()
        )
        self.readable_by_anyone = self._chosen(
            pk
            for pk, _written, _type, live, visibility in essays
            if live and visibility == EssayPage.Visibility.PUBLIC and pk not in restricted
        )

    def counts(self, essay_ids, names=None):
        """{facet: [(value, text, essays), …]} over the essays with these ids, of the facets named
        (all when none are)."""
        ids = np.flatnonzero(self._chosen(essay_ids))
        return {name: facet.counts(ids) for name, facet in self.facets.items() if names is None or name in names}

    def counted(self, essays_by_option_id):
        """What counts() gives for every facet, from {facet: {option id: essays}} counted elsewhere."""
        return {name: facet.counted(essays_by_option_id.get(name, {})) for name, facet in self.facets.items()}

    def tag_ids(self, tag_names):
        """Ids of the tags whose casefolded name is one of `tag_names`, as tagged_counts matches them."""
        tags = self.facets["tagi"]
        return [
            pk
            for (_value, text), pk in zip(tags.options, tags.option_ids, strict=True)
            if text.casefold() in tag_names
        ]

    def tagged_counts(self, essay_ids, tag_names):
        """{key: how many of the essays carry any of the tags} for each key's set of casefolded
        tag names (a concept's terms)."""
        tags = self.facets["tagi"]
        inside = tags.pairs_of(np.flatnonzero(self._chosen(essay_ids)))
        essays, numbers = tags.essay_ids[inside], tags.option_numbers[inside]
        folded = [text.casefold() for _value, text in tags.options]
        return {
            key: np.unique(essays[np.isin(numbers, [n for n, name in enumerate(folded) if name in names])]).size
            for key, names in tag_names.items()
        }

    def _chosen(self, essay_ids):
        """A boolean array indexed by essay id, true for these ids."""
        ids = np.fromiter(essay_ids, dtype=np.int64)
        chosen = np.zeros(max(self.size, 1 + int(ids.max(initial=0))), dtype=bool)
        chosen[ids] = True
        return chosen


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
    if sender is Page and not issubclass(kwargs["instance"].specific_class or Page, EssayPage):
        return
    if sender in (EssayPage, Page) and update_fields and not ESSAY_FIELDS & set(update_fields):
        return
    if kwargs.get("action", "post_").startswith("post_"):
        FacetsVersion.replace()


# Models whose saves and deletes change what the facets count. An essay published or unpublished
# through its base Page object signals as a Page.
WATCHED = (
    Page,
    EssayPage,
    EssayAuthor,
    EssayBookSource,
    EssayTag,
    Book,
    Person,
    Team,
    Tag,
    Category,
    EssayType,
)


def register():
    """Replace the FacetsVersion token whenever a row the facets read changes.

    QuerySet.update(), bulk_create() and deletes on the categories' through model send no such
    signals: code that changes these rows that way must call FacetsVersion.replace() itself. For
    an essay's `live` or `visibility` that matters beyond the counts: until then, anonymous
    searches count and facet the essays by the old values (the hits shown are checked in SQL).
    Wagtail's view restrictions, and pages moved in the tree (in or out of a restricted section),
    replace it too: the essays anyone may read are kept here.
    """
    for model in WATCHED:
        post_save.connect(_changed, sender=model, dispatch_uid=f"facets-save-{model.__name__}")
        post_delete.connect(_changed, sender=model, dispatch_uid=f"facets-delete-{model.__name__}")
    m2m_changed.connect(_changed, sender=EssayPage.categories.through, dispatch_uid="facets-categories")
    post_save.connect(_changed, sender=PageViewRestriction, dispatch_uid="facets-save-PageViewRestriction")
    post_delete.connect(_changed, sender=PageViewRestriction, dispatch_uid="facets-delete-PageViewRestriction")
    post_page_move.connect(_moved, dispatch_uid="facets-page-moved")


def _moved(sender, **kwargs):
    FacetsVersion.replace()
