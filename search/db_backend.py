"""Wagtail's database search backend, with SQLite ranking done in one index query.

On SQLite the stock backend attaches each hit's score by a correlated FTS subquery, one per
matching row: a word found in 20 000 essays costs 20 000 full-text lookups. Here the FTS table is
asked once for the best-ranked entries (bm25, in C), a growing chunk at a time, and only those
are loaded and checked against the queryset's filters.

On every database the results also give ``matching_queryset()``: every match as a lazy,
unscored queryset, so counts and facets are computed by the database over the whole match set.
"""

from django.db import connection
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import MatchAll, Not
from modelsearch.utils import get_descendants_content_types_pks

CHUNK = 200
# A chunk that yields few rows the queryset accepts (a narrow facet) makes the next one this
# many times larger, so a narrow filter costs a few queries, not one per CHUNK.
CHUNK_GROWTH = 8


class RankedSQLiteSearch:
    """Mixin for the SQLite query compilers: a sliced, relevance-ordered search in one FTS query."""

    def search(self, config, start, stop, score_field=None):
        from modelsearch.backends.database.sqlite.query import MatchExpression
        from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry, normalize

        query = normalize(self.query)
        if stop is None or not self.order_by_relevance or isinstance(query, MatchAll | Not):
            return super().search(config, start, stop, score_field=score_field)
        match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, self.build_search_query(query, config=config))
        ranked = (
            SQLiteFTSIndexEntry.objects.filter(match)
            .filter(index_entry__content_type__in=get_descendants_content_types_pks(self.queryset.model))
            .annotate(score=self._build_rank_expression(self.get_search_vectors(), config))
            .order_by("score")
            .values_list("index_entry__object_id", "score")
        )
        found, offset, size = [], 0, max(CHUNK, stop)
        while len(found) < stop:
            page = list(ranked[offset : offset + size])
            if not page:
                break
            objects = {str(obj.pk): obj for obj in self.queryset.filter(pk__in=[object_id for object_id, _ in page])}
            for object_id, score in page:
                obj = objects.get(object_id)
                if obj is not None:
                    if score_field:
                        setattr(obj, score_field, -score)
                    found.append(obj)
            offset += len(page)
            size *= CHUNK_GROWTH
        return found[start:stop]


class MatchingQuerysetResults:
    """Mixin for the database backends' results: every match as a queryset."""

    def matching_queryset(self):
        compiler = self.query_compiler
        unordered = self.backend.search(
            compiler.query, compiler.queryset.order_by(), fields=compiler.fields, order_by_relevance=False
        )
        return unordered.get_queryset().order_by()


def SearchBackend(params):
    backend = database_backend(params)
    backend.results_class = type(backend.results_class.__name__, (MatchingQuerysetResults, backend.results_class), {})
    if connection.vendor == "sqlite" and backend.__class__.__name__ == "SQLiteSearchBackend":
        from modelsearch.backends.database.sqlite.sqlite import (
            SQLiteAutocompleteQueryCompiler,
            SQLiteSearchQueryCompiler,
            SQLiteSearchResults,
        )

        class RankedSearchQueryCompiler(RankedSQLiteSearch, SQLiteSearchQueryCompiler):
            pass

        class RankedAutocompleteQueryCompiler(RankedSQLiteSearch, SQLiteAutocompleteQueryCompiler):
            pass

        class RankedSearchResults(MatchingQuerysetResults, SQLiteSearchResults):
            def _do_count(self):
                compiler = self.query_compiler
                config = compiler.get_config(self.backend)
                return super(RankedSQLiteSearch, compiler).search(config, self.start, self.stop).count()

        backend.query_compiler_class = RankedSearchQueryCompiler
        backend.autocomplete_query_compiler_class = RankedAutocompleteQueryCompiler
        backend.results_class = RankedSearchResults
    return backend
