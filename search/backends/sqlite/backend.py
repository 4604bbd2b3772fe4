"""Wagtail's SQLite (FTS5) backend, ranking a query of one word from the postings and any other
from the FTS table read once per search.

The stock compiler scores each hit by a correlated FTS subquery, one per matching row, so a broad
word costs one full-text lookup per essay it is in. Here the FTS table is asked once for every
match ranked by bm25 (in C) and joined to the queryset's own SQL; for a queryset whose members
this process holds (caches.known_members: the essays anyone may read) it is not joined at all, and
that read, of every model's matches, serves the search's other content types too
(caches.one_search). A query of several words is ranked here rather than from the postings: FTS5
intersects the words' document lists before it scores, where the postings read every posting of
each word. Autocomplete reads the best-ranked entries a growing chunk at a time and checks only
those against the queryset's filters; a short prefix is ranked from the title-prefix table
(search.backends.prefixes).
"""

import functools
import operator

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import F, FloatField
from django.db.models.expressions import RawSQL
from modelsearch.backends.database.sqlite.query import Lexeme, MatchExpression, SearchQueryExpression
from modelsearch.backends.database.sqlite.sqlite import (
    IndexEntry,
    SQLiteAutocompleteQueryCompiler,
    SQLiteFTSIndexEntry,
    SQLiteIndex,
    SQLiteSearchBackend,
    SQLiteSearchQueryCompiler,
    SQLiteSearchResults,
    normalize,
)
from modelsearch.query import MatchAll, Not, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from search import caches
from search.backends import postings, prefixes
from search.backends.database import (
    AnalysedOnce,
    RankedResults,
    RankedSearch,
    ScoredMatches,
    best_matches,
    few_entries,
    members_among,
    postings_ranked,
)
from search.backends.sqlite.entries import EntryObjects


class RankedSQLiteSearch(RankedSearch):
    """Mixin for the SQLite query compilers: one word ranked from the postings, any other query from
    the FTS table read once, ranked in C by bm25."""

    def _condition(self, config):
        return self._match(config)

    def _matching_ids(self, match):
        return self._entries(match).values("index_entry__object_id")

    def _best_ranked(self, match, start, stop, score_field):
        members = caches.known_members(self.queryset)
        if members is not None and self._fts_first():
            # As in _scored_in_memory: the entries are not joined, their objects found in memory.
            ranked, objects = self._ranked(match, joined=False), self._objects_of_entries
            return best_matches(ranked, self.queryset, start, stop, score_field, -1, members=members, objects=objects)
        return best_matches(self._ranked(match), self.queryset, start, stop, score_field, sign=-1)

    def _objects_of_entries(self, rows):
        """(object id, score) of those (entry id, score) rows whose entry is of the searched model."""
        content_types, object_ids = caches.per_database(EntryObjects).lookup(
            np.array([entry_id for entry_id, _ in rows], dtype=np.int64)
        )
        ours = np.isin(content_types, get_descendants_content_types_pks(self.queryset.model))
        return [
            (object_id, score)
            for object_id, (_entry_id, score), kept in zip(object_ids.tolist(), rows, ours.tolist(), strict=True)
            if kept
        ]

    def _match(self, config):
        """The FTS MATCH condition of the query, or None for a query FTS cannot answer alone."""
        query = normalize(self.query)
        if isinstance(query, MatchAll | Not):
            return None

        def compile_match(compiler):
            return compiler.compile(self.build_search_query(query, config=config))

        sql, params = caches.compiled_once(("match", repr(query), self.LAST_TERM_IS_PREFIX, config), compile_match)
        text = sql % tuple(params)
        match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, RawSQL("%s", [text]))
        # The database, columns and query the FTS table is asked: what one search's querysets
        # share a read under (caches.one_search).
        match.shared_key = (connection.alias, tuple(match.columns), text)
        return match

    def _score_every_match(self, config):
        """A query of one word over every field from the postings (postings_ranked), bm25 costing
        more for a broad word; any other from the FTS table, joined to the queryset's own SQL in
        one query, or not joined (_scored_in_memory) for a queryset whose members this process
        holds; a later queryset of the search takes its matches from that read (one_search)."""
        clauses = None if self.fields else postings.ranked_clauses(self.query, self.queryset.model)
        if clauses is not None and len(clauses) == 1:
            return postings_ranked(self.queryset, clauses, caches.known_members(self.queryset))
        match = self._match(config)
        if match is None:
            return None
        members = caches.known_members(self.queryset)
        if members is not None and self._fts_first():
            return self._scored_in_memory(match, members)
        shared = caches.shared_reads()
        if shared is not None and match.shared_key in shared:
            return self._scored_from_entries(*shared[match.shared_key], members)
        try:
            objects_sql, objects_params = self.queryset.order_by().values("pk").query.sql_with_params()
        except EmptyResultSet:
            # A filter Django knows matches nothing (`__in` an empty list) has no SQL.
            return ScoredMatches([], [])
        ranked_sql, ranked_params = self._ranked(match).order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT objects.pk, ranked.score FROM ({ranked_sql}) ranked "
                f"JOIN ({objects_sql}) objects ON objects.pk = ranked.index_entry__object_id",
                (*ranked_params, *objects_params),
            )
            # bm25 is negative, the best lowest; sorted stably, ties keep the index's order.
            rows = sorted(cursor.fetchall(), key=operator.itemgetter(1))
        return ScoredMatches([pk for pk, _score in rows], [-score for _pk, score in rows])

    def _scored_in_memory(self, match, members):
        """Scored matches from the FTS table alone: its entry ids are turned into object ids by
        EntryObjects and kept if `members` (a boolean array indexed by id) holds them, so no
        entry, essay or page row of a match is read."""
        # Ids and scores as two comma-separated strings in one row, which numpy parses faster
        # than Python makes tuples. "LIMIT -1" keeps SQLite from merging the ranked query into the
        # aggregate, where bm25 cannot be called. As text a score keeps 15 significant digits:
        # matches whose scores differ only beyond them keep the index's order here and in the
        # types sharing this read, and may come in another order where a queryset is joined (a
        # signed-in reader's search).
        sql, params = self._ranked(match, joined=False).order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT group_concat(index_entry_id), group_concat(score) FROM ({sql} LIMIT -1)", params)
            entry_ids, scores = (
                np.fromstring(column or "", dtype=dtype, sep=",")
                for column, dtype in zip(cursor.fetchone(), (np.int64, np.float64), strict=True)
            )
        content_types, object_ids = caches.per_database(EntryObjects).lookup(entry_ids)
        shared = caches.shared_reads()
        if shared is not None:
            shared[match.shared_key] = (content_types, object_ids, scores)
        return self._scored_from_entries(content_types, object_ids, scores, members)

    def _scored_from_entries(self, content_types, object_ids, scores, members):
        """ScoredMatches of the queryset among the matching entries of every model (their content
        types, object ids and bm25 scores, as _scored_in_memory reads them), whose objects are
        checked against `members`, or by one query if None."""
        wanted = np.isin(content_types, get_descendants_content_types_pks(self.queryset.model))
        if members is None:
            members = members_among(self.queryset, object_ids[wanted])
        # bm25 is negative, the best lowest; ties keep the index's order.
        return ScoredMatches.of_members(object_ids, -scores, members, kept=wanted)

    def build_search_query_content(self, query, config=None):
        """A PlainText of several terms joined by OR, bracketed.

        Wagtail writes its terms unbracketed, and FTS5 binds AND tighter than OR, so
        And([PlainText("a b", operator="or"), PlainText("c d", operator="or")]) would read
        a OR (b AND c) OR d and match documents holding only one of the words.
        """
        terms = query.query_string.split() if isinstance(query, PlainText) else []
        if len(terms) < 2 or query.operator.upper() != "OR":
            return super().build_search_query_content(query, config=config)
        *others, last = terms
        lexemes = [Lexeme(term) for term in others] + [Lexeme(last, prefix=self.LAST_TERM_IS_PREFIX)]
        return functools.reduce(operator.or_, (SearchQueryExpression(lexeme) for lexeme in lexemes))

    def _ranked(self, match, joined=True):
        """(object id, bm25) rows of the matching entries, best first; without `joined`, (entry
        id, bm25) rows of every matching entry, of any model.

        One bm25 per row, weighted by column in the FTS table's order (autocomplete, body, title),
        a title hit counting double; equal scores oldest entry first. Wagtail's expression squares
        and multiplies bm25 per query clause, and bm25 is negative, so for a query of several words
        the best documents came last.
        """
        table = SQLiteFTSIndexEntry._meta.db_table
        score = RawSQL(f"bm25({table}, 1.0, 1.0, 2.0)", [], output_field=FloatField())
        if not joined:
            entries = SQLiteFTSIndexEntry.objects.filter(match)
            return entries.annotate(score=score).order_by("score", "pk").values_list("index_entry_id", "score")
        return (
            self._entries(match)
            .annotate(score=score)
            .order_by("score", "pk")
            .values_list("index_entry__object_id", "score")
        )

    def _fts_first(self):
        """Whether the searched model's matches are read from the FTS table first (see _entries)."""
        return not few_entries(self.queryset.model)

    def _entries(self, match):
        """FTS rows of the searched model's index entries that match.

        Three plans. FTS-first for a model with many entries (essays) or in a small index: probing
        the FTS table once per entry is slow for thousands of entries, above all for a phrase with
        its inflected alternatives, so "+ 0" hides the content-type index, the FTS table yields its
        matches once and each is checked by primary key. A model with few entries (books, people,
        concepts) in a large index is joined and SQLite picks the order, except for an
        autocomplete prefix, which matches most of the index: there the model's entry ids are a
        list the FTS table is probed with, since joined, a two-letter prefix read every match first.
        """
        content_types = get_descendants_content_types_pks(self.queryset.model)
        entries = SQLiteFTSIndexEntry.objects.filter(match)
        if not self._fts_first():
            if self.LAST_TERM_IS_PREFIX:
                own_entries = IndexEntry.objects.filter(content_type__in=content_types).values("pk")
                return entries.filter(index_entry__in=own_entries)
            return entries.filter(index_entry__content_type__in=content_types)
        return entries.alias(content_type_plain=F("index_entry__content_type_id") + 0).filter(
            content_type_plain__in=content_types
        )


class RankedSQLiteSearchQueryCompiler(RankedSQLiteSearch, SQLiteSearchQueryCompiler):
    pass


class RankedSQLiteAutocompleteQueryCompiler(RankedSQLiteSearch, SQLiteAutocompleteQueryCompiler):
    SCORES_EVERY_MATCH = False

    def _best_ranked(self, match, start, stop, score_field):
        """A short prefix from the title-prefix table (search.backends.prefixes), else the FTS table."""
        ranked = None if self.fields else prefixes.ranked(self.query, self.queryset.model)
        if ranked is None:
            return super()._best_ranked(match, start, stop, score_field)
        members = caches.known_members(self.queryset)
        return best_matches(ranked, self.queryset, start, stop, score_field, sign=-1, members=members)


class RankedSQLiteSearchResults(RankedResults, SQLiteSearchResults):
    pass


class AnalysedOnceSQLiteIndex(AnalysedOnce, SQLiteIndex):
    pass


class FinnishSQLiteSearchBackend(SQLiteSearchBackend):
    index_class = AnalysedOnceSQLiteIndex
    query_compiler_class = RankedSQLiteSearchQueryCompiler
    autocomplete_query_compiler_class = RankedSQLiteAutocompleteQueryCompiler
    results_class = RankedSQLiteSearchResults
    # Which of a phrase's terms the index holds (search.engine.build_query).
    indexed_terms = staticmethod(postings.indexed_terms)
