"""Wagtail's PostgreSQL backend, matching a query on the index entries and ranking a query of words
from the postings.

The stock compiler joins every row of the model to its entry and tests `title || body` there, which
reads the whole table, and ts_rank reads every match's whole vector. Here a query of words is
matched and ranked from the postings (postings_ranked); a query with a Phrase (the lemma sequences
of a phrase of three words or more) is matched on the entries through a GIN index and ranked by
ts_rank, and the matches are joined to the model by id. The autocomplete compiler matches its own
column, which has a GIN index of its own, or ranks a short prefix from the title-prefix table
(search.backends.prefixes).
"""

import functools

import numpy as np
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.db import connection
from django.db.models import BigIntegerField, F
from django.db.models.functions import Cast
from modelsearch.backends.database.postgres.postgres import (
    IndexEntry,
    PostgresAutocompleteQueryCompiler,
    PostgresSearchBackend,
    PostgresSearchQueryCompiler,
    PostgresSearchResults,
)
from modelsearch.query import Fuzzy, MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

from search import caches
from search.backends import postings, prefixes
from search.backends.database import (
    AnalysedOnce,
    RankedResults,
    RankedSearch,
    ScoredMatches,
    best_matches,
    postings_ranked,
)
from search.backends.postgres.index import BulkPostgresIndex
from search.backends.postgres.rebuild import TableSwappingRebuilder

# The field of every searched model holding its analysed text, title included (finnish.indexing),
# and the entry column it is indexed in.
ANALYSED_TEXT_FIELD = "search_text"


class EntryFirstPostgresSearch(RankedSearch):
    """Mixin for the PostgreSQL query compilers: the query is matched on the index entries."""

    ENTRY_COLUMNS = ["title", "body"]
    # The column holding a model's analysed text, where ANALYSED_TEXT_FIELD is indexed.
    ANALYSED_TEXT_COLUMN = "body"

    def _condition(self, config):
        return self._tsquery(config) if self._matched_on_entries() else None

    def _matching_ids(self, tsquery):
        entries = self._matching_entries(tsquery)
        return entries.annotate(object_pk=Cast("object_id", BigIntegerField())).values("object_pk")

    def _best_ranked(self, tsquery, start, stop, score_field):
        # A search's own queryset whose members are held was ranked whole (scored_matches);
        # autocomplete's is checked against them a chunk at a time.
        # Equal scores oldest entry first, as the title-prefix table ranks them.
        ranked = self._ranked(tsquery).order_by("-score", "id").values_list("object_id", "score")
        members = None if self.SCORES_EVERY_MATCH else caches.known_members(self.queryset)
        return best_matches(ranked, self.queryset, start, stop, score_field, sign=1, members=members)

    def _score_every_match(self, config):
        """For a query of words, from the postings (postings_ranked); for any other, from the index
        entries alone if the queryset's members are held (caches.known_members), as reading each
        match's essay and page rows too costs more than the ranking; else None.

        Every match is ranked to find the best ones anyway; returned whole, the ranked rows also
        give the count and the ids for the facets, which a query of their own would read again.
        """
        if not (self.SCORES_EVERY_MATCH and self._matched_on_entries()):
            return None
        members = caches.known_members(self.queryset)
        clauses = postings.ranked_clauses(self.query, self.queryset.model)
        if clauses is not None:
            return postings_ranked(self.queryset, clauses, members)
        tsquery = self._tsquery(config) if members is not None else None
        if tsquery is None:
            return None
        ranked = self._ranked(tsquery).order_by().values_list(Cast("object_id", BigIntegerField()), "score")
        sql, params = ranked.query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            rows = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 2)
        return ScoredMatches.of_members(rows[:, 0].astype(np.int64), rows[:, 1], members)

    def _ranked(self, tsquery):
        """The matching entries with their `score`.

        One ts_rank per vector over the whole query. Wagtail's expression ranks every clause
        separately and multiplies the results, which for a phrase and its inflected alternatives
        is a hundred ts_rank calls a row.
        """
        score = sum(
            SearchRank(F(column), tsquery, weights=self.sql_weights) * (F("title_norm") if column == "title" else 1.0)
            for column in self.ENTRY_COLUMNS
        )
        return self._matching_entries(tsquery).annotate(score=score)

    def _matched_on_entries(self):
        """Whether this compiler matches the query on the index entries (else Wagtail's does)."""
        return not isinstance(self.query, MatchAll | Not | Fuzzy) and self.fields is None

    def _matching_entries(self, tsquery):
        return (
            IndexEntry.objects.filter(content_type__in=get_descendants_content_types_pks(self.queryset.model))
            .annotate(_vector_=self._matched_vector())
            .filter(_vector_=tsquery)
        )

    def _matched_vector(self):
        """The entry's vector the query is matched against.

        A model whose analysed text (finnish.indexing.analysed_text) starts with its title has every
        title word in the body vector, so the body alone is matched: joining title and body copies
        both vectors for every candidate row. Other models (Wagtail's own pages) are matched on
        `title || body`, which migration search 0002 indexes.
        """
        fields = {field.field_name for field in self.queryset.model.get_search_fields()}
        if self.ANALYSED_TEXT_COLUMN and ANALYSED_TEXT_FIELD in fields:
            return F(self.ANALYSED_TEXT_COLUMN)
        return functools.reduce(lambda a, b: a._combine(b, "||", False), map(F, self.ENTRY_COLUMNS))

    def _tsquery(self, config):
        """The query as one SQL expression, compiled once per query text and configuration
        (caches.compiled_once); None when it has no terms (text such as "-" that Wagtail's admin
        passes on)."""

        def compile_tsquery(compiler):
            tsquery = self.build_tsquery(self.query, config=config)
            return None if tsquery is None else compiler.compile(tsquery.resolve_expression(compiler.query))

        key = ("tsquery", repr(self.query), self.LAST_TERM_IS_PREFIX, config)
        compiled = caches.compiled_once(key, compile_tsquery)
        return None if compiled is None else CompiledSearchQuery(*compiled)


class CompiledSearchQuery(SearchQuery):
    """A SearchQuery whose SQL is already known."""

    def __init__(self, sql, params):
        super().__init__("")
        self.compiled = (sql, params)

    def as_sql(self, compiler, connection, **extra_context):
        return self.compiled


class EntryFirstSearchQueryCompiler(EntryFirstPostgresSearch, PostgresSearchQueryCompiler):
    pass


class EntryFirstAutocompleteQueryCompiler(EntryFirstPostgresSearch, PostgresAutocompleteQueryCompiler):
    ENTRY_COLUMNS = ["autocomplete"]
    ANALYSED_TEXT_COLUMN = None
    SCORES_EVERY_MATCH = False

    def _best_ranked(self, tsquery, start, stop, score_field):
        """A short prefix from the title-prefix table (search.backends.prefixes), else the entries."""
        ranked = None if self.fields else prefixes.ranked(self.query, self.queryset.model)
        if ranked is None:
            return super()._best_ranked(tsquery, start, stop, score_field)
        members = caches.known_members(self.queryset)
        return best_matches(ranked, self.queryset, start, stop, score_field, sign=1, members=members)


class RankedPostgresSearchResults(RankedResults, PostgresSearchResults):
    pass


class AnalysedOncePostgresIndex(AnalysedOnce, BulkPostgresIndex):
    pass


class FinnishPostgresSearchBackend(PostgresSearchBackend):
    index_class = AnalysedOncePostgresIndex
    query_compiler_class = EntryFirstSearchQueryCompiler
    autocomplete_query_compiler_class = EntryFirstAutocompleteQueryCompiler
    results_class = RankedPostgresSearchResults
    # Searches read the old entries until the rebuilt table replaces them in one transaction, so the
    # rebuild is atomic to them whether ATOMIC_REBUILD is set or not.
    rebuilder_class = TableSwappingRebuilder
    atomic_rebuilder_class = TableSwappingRebuilder
    # Which of a phrase's terms the index holds (search.engine.build_query).
    indexed_terms = staticmethod(postings.indexed_terms)
