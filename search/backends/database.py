"""What the SQLite and PostgreSQL backends share: a query compiler that ranks every match of a
search once (from the postings, search.backends.postings, or from the database's full-text index),
and results whose count and facet ids reuse that ranking instead of running the full-text search
again. Why the database path ranks on its own: search.backends.
"""

import contextlib
import functools
import json

import numpy as np
from django.db import connection
from django.db.models.expressions import RawSQL
from modelsearch.index import SearchField
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.search.models import IndexEntry

from search import caches
from search.backends import postings

# Autocomplete checks the best-ranked entries against the queryset's filters a chunk at a time; a
# chunk that yields few rows the queryset accepts (a narrow facet) makes the next one CHUNK_GROWTH
# times larger, so a narrow filter costs a few queries, not one per CHUNK.
CHUNK = 200
CHUNK_GROWTH = 8
# A model with fewer index entries than this, in an index with more, has few: SQLite then joins
# its entries rather than reading every match from the FTS table first (search.backends.sqlite).
MANY_ENTRIES = 2000


class RankedSearch:
    """Mixin for the query compilers: a ranked search scores every match at once (scored_matches),
    and a page of hits is a slice of that list.

    Each database's compiler says how its full-text index matches (_condition, _matching_ids) and
    scores (_score_every_match, _best_ranked) a query; a query it leaves to Wagtail (a filter on
    named fields, a match of everything) has no condition.
    """

    # Whether a ranked search scores every match. Autocomplete does not: a prefix of two letters
    # matches most of the index, of which it shows eight.
    SCORES_EVERY_MATCH = True
    _scored = None

    def search(self, config, start, stop, score_field=None, **kwargs):
        ranked = stop is not None and self.order_by_relevance
        condition = self._condition(config)
        if condition is None or (score_field and not ranked):
            return super().search(config, start, stop, score_field=score_field, **kwargs)
        if not ranked:
            return unranked_matches(self.queryset, self._matching_ids(condition), start, stop)
        scored = self.scored_matches(config) if self.SCORES_EVERY_MATCH else None
        if scored is not None:
            return objects_of(self.queryset, scored[start:stop], score_field, sign=1)
        return self._best_ranked(condition, start, stop, score_field)

    def scored_matches(self, config):
        """(id, score) of every object of the queryset the query matches, best first
        (ScoredMatches), or None where the compiler does not score every match; read once per
        compiler, for the count, the facets' ids and every page of hits."""
        if self._scored is None:
            self._scored = self._score_every_match(config)
        return self._scored


class RankedResults:
    """Mixin for the results: the count and ``matching_ids()`` (for the facets) reuse the one
    ranked read of every match instead of repeating the full-text search in each query."""

    _pks = None

    def matching_ids(self):
        """The ids of every match, as a value for a `pk__in` (or any `__in`) filter."""
        return id_list(self.matching_pks())

    def _do_count(self):
        return len(self.matching_pks()[self.start : self.stop])

    def matching_pks(self):
        """The ids of every match, as a list."""
        if self._pks is None:
            compiler = self.query_compiler
            if compiler.SCORES_EVERY_MATCH and compiler.order_by_relevance:
                scored = compiler.scored_matches(compiler.get_config(self.backend))
                self._pks = None if scored is None else scored.pks()
            if self._pks is None:
                unordered = self.backend.search(
                    compiler.query, compiler.queryset.order_by(), fields=compiler.fields, order_by_relevance=False
                )
                self._pks = list(unordered.get_queryset().order_by().values_list("pk", flat=True))
        return self._pks


def postings_ranked(queryset, clauses, members=None):
    """ScoredMatches of the queryset's objects that hold a term of every clause (a query of words,
    postings.word_clauses), ranked by BM25 from the postings, ties newest (highest id) first.

    The queryset's filters are checked against `members` (caches.known_members) when given, else
    by one query over the matched ids.
    """
    content_types = get_descendants_content_types_pks(queryset.model)
    ids, scores = postings.matched(content_types, clauses, entry_count())
    ids, scores = ids[::-1], scores[::-1]
    if members is None:
        members = members_among(queryset, ids)
    return ScoredMatches.of_members(ids, scores, members)


def entry_count(content_types=None):
    """Index entries of these content types (of every model, without them), counted again after
    caches.COUNT_SECONDS."""

    def count():
        entries = IndexEntry.objects.all()
        return (entries if content_types is None else entries.filter(content_type__in=content_types)).count()

    return caches.count_of(caches.database_key("entries", content_types), count)


def few_entries(model):
    """Whether the model has fewer than MANY_ENTRIES index entries in an index of more."""
    content_types = tuple(get_descendants_content_types_pks(model))
    return not (entry_count(content_types) >= MANY_ENTRIES or entry_count() < MANY_ENTRIES)


def members_among(queryset, ids):
    """A boolean array indexed by id, true for those of the ids (an array) that are objects of the
    queryset: one query, none for no ids."""
    members = np.zeros(ids.max(initial=-1) + 1, dtype=bool)
    if len(ids):
        members[list(queryset.order_by().filter(pk__in=id_list(ids.tolist())).values_list("pk", flat=True))] = True
    return members


# One parameter carrying every id, unpacked by the database: Django compiles an IN list of
# thousands of parameters slower than the database runs the query.
ID_LIST_SQL = {
    "sqlite": ("SELECT value FROM json_each(%s)", json.dumps),
    "postgresql": ("SELECT unnest(%s::bigint[])", list),
}


def id_list(ids):
    """A list of ids as the value of an `__in` filter, passed to the database as one parameter."""
    sql, encode = ID_LIST_SQL.get(connection.vendor, (None, None))
    return RawSQL(sql, [encode(ids)]) if sql else ids


def unranked_matches(queryset, ids, start, stop):
    """The slice of the queryset's objects whose ids are among `ids`, in its own order or newest first."""
    queryset = queryset.filter(pk__in=ids)
    return (queryset if queryset.query.order_by else queryset.order_by("-pk"))[start:stop]


def best_matches(ranked, queryset, start, stop, score_field, sign, members=None, objects=None):
    """Objects of `queryset` for the slice of `ranked` ((object id, score) rows, best first, or any
    rows that `objects` turns into those).

    The index is read a growing chunk at a time and only ids are checked against the queryset's
    filters, or against `members` (caches.known_members) when given; objects are loaded for the
    hits returned. `sign` turns the index's score into one where higher is better.
    """
    best, offset, size = [], 0, max(CHUNK, stop)
    while len(best) < stop:
        rows = list(ranked[offset : offset + size])
        if not rows:
            break
        page = objects(rows) if objects else rows
        ids = [object_id for object_id, _ in page]
        if members is not None:
            accepted = {object_id for object_id in ids if int(object_id) < len(members) and members[int(object_id)]}
        else:
            accepted = {str(pk) for pk in queryset.filter(pk__in=ids).order_by().values_list("pk", flat=True)}
        best += [(object_id, score) for object_id, score in page if object_id in accepted]
        if len(rows) < size:
            # The index has no more.
            break
        offset += len(rows)
        size *= CHUNK_GROWTH
    return objects_of(queryset, best[start:stop], score_field, sign)


def objects_of(queryset, scored, score_field, sign):
    """The objects of `queryset` for (id, score) rows, in their order, the score (times `sign`)
    set as `score_field`."""
    objects = {str(pk): obj for pk, obj in queryset.in_bulk([object_id for object_id, _ in scored]).items()}
    found = []
    for object_id, score in scored:
        # Deleted since it was matched, by another request.
        obj = objects.get(str(object_id))
        if obj is None:
            continue
        if score_field:
            setattr(obj, score_field, sign * score)
        found.append(obj)
    return found


class ScoredMatches:
    """(object id, score) of every match, best first (the highest score), as two sequences (lists
    or numpy arrays): the count and facets read only the ids, a page of hits only its slice of
    pairs."""

    def __init__(self, ids, scores):
        self.ids, self.scores = ids, scores

    @classmethod
    def of_members(cls, ids, scores, members, kept=None):
        """The matches (id and score arrays) whose id `members`, a boolean array indexed by id,
        holds, and that `kept` (a boolean array over the matches) keeps, best first, ties in the
        order given."""
        kept = np.ones(len(ids), dtype=bool) if kept is None else kept
        kept[kept] = (ids[kept] >= 0) & (ids[kept] < len(members))
        kept[kept] = members[ids[kept]]
        ids, scores = ids[kept], scores[kept]
        order = np.argsort(-scores, kind="stable")
        return cls(ids[order], scores[order])

    def __len__(self):
        return len(self.ids)

    def __getitem__(self, index):
        """The (id, score) pairs of a slice."""
        if not isinstance(index, slice):
            raise TypeError("ScoredMatches is read a slice at a time")
        return list(zip(_listed(self.ids[index]), _listed(self.scores[index]), strict=True))

    def pks(self):
        return _listed(self.ids)


def _listed(values):
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


@contextlib.contextmanager
def methods_called_once(objects):
    """Within it, each object's search fields that are methods (search_text) run once per object.

    The database indexes read every search field once for the title, once for the body and once for
    the autocomplete text; search_text, the Finnish analysis of the whole text, is most of an
    object's indexing time.
    """
    patched = []
    for obj in objects:
        for field in obj.get_search_fields():
            attribute = getattr(type(obj), getattr(field, "field_name", ""), None)
            if isinstance(field, SearchField) and callable(attribute) and field.field_name not in obj.__dict__:
                obj.__dict__[field.field_name] = functools.cache(getattr(obj, field.field_name))
                patched.append((obj, field.field_name))
    try:
        yield
    finally:
        for obj, name in patched:
            del obj.__dict__[name]


class AnalysedOnce:
    """Mixin for a database backend's index class: methods_called_once around each batch added."""

    def add_items(self, model, objs):
        objs = list(objs)
        with methods_called_once(objs):
            super().add_items(model, objs)
