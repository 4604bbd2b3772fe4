"""Elasticsearch 9 backend for Finnish text, answering from the database backend while it is down.

Wagtail's stock backend folds ä to a in its n-gram analysers, returns only ten buckets per facet
and raises from every search while the cluster is unreachable. This one keeps ä, ö and å, returns
every bucket and, when Elasticsearch errors, logs the fault and runs the same search on the
backend named by ``FALLBACK`` (Wagtail keeps every configured backend up to date on save, and
``manage.py update_index`` catches Elasticsearch up afterwards).
"""

import logging
from copy import deepcopy

from elastic_transport import TransportError
from elasticsearch import ApiError
from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearch9 import (
    Elasticsearch9AutocompleteQueryCompiler,
    Elasticsearch9SearchBackend,
    Elasticsearch9SearchResults,
)

from search.backends.database import id_list

logger = logging.getLogger(__name__)

ELASTICSEARCH_ERRORS = (ApiError, TransportError)
# Elasticsearch's default search.max_buckets: as many buckets as one response may carry.
FACET_SIZE = 65_536
# Elasticsearch's default index.max_result_window: the most hits one page of a scroll may hold.
ID_PAGE_SIZE = 10_000


def _without_asciifolding(settings):
    settings = deepcopy(settings)
    for analyzer in settings["settings"]["analysis"]["analyzer"].values():
        analyzer["filter"] = [name for name in analyzer["filter"] if name != "asciifolding"]
    return settings


class FinnishSearchResults(Elasticsearch9SearchResults):
    answered_by = "elasticsearch"
    _pks = None

    def facet(self, field_name):
        try:
            return super().facet(field_name)
        except ELASTICSEARCH_ERRORS as error:
            return self._fallback(error).facet(field_name)

    def _backend_do_search(self, body, **kwargs):
        if "aggregations" in body:
            for aggregation in body["aggregations"].values():
                aggregation["terms"]["size"] = FACET_SIZE
        return super()._backend_do_search(body, **kwargs)

    def _do_search(self):
        try:
            # The parent is a generator; materialise it so a failure surfaces here.
            return list(super()._do_search())
        except ELASTICSEARCH_ERRORS as error:
            return list(self._fallback(error))

    def _do_count(self):
        # Counted from the ids the facets count, so a page's count and its facets agree.
        return len(self.matching_pks()[self.start : self.stop])

    def matching_pks(self):
        """Ids of every match, for counts and facets in the database.

        Read from Elasticsearch by scrolling in index order, ids only, and checked against the
        queryset in one query. Wagtail's results page through a hundred hits at a time and load
        each page's objects, which for the facets was capped at the first 10 000 hits.
        """
        if self._pks is None:
            try:
                found = self._every_matching_pk()
            except ELASTICSEARCH_ERRORS as error:
                self._pks = self._fallback(error).matching_pks()
            else:
                # An object deleted or unpublished since Elasticsearch last heard of it is left out.
                queryset = self.query_compiler.queryset.order_by().filter(pk__in=id_list(found))
                self._pks = list(queryset.values_list("pk", flat=True))
        return self._pks

    def matching_ids(self):
        return id_list(self.matching_pks())

    def _every_matching_pk(self):
        pk_field = self.query_compiler.queryset.model._meta.pk
        index = self.backend.get_index_for_model(self.query_compiler.queryset.model)
        body = {"query": self.query_compiler.get_query(), "sort": ["_doc"]}
        page = self._backend_do_search(
            body, index=index.name, scroll="1m", size=ID_PAGE_SIZE, _source=False, **{self.fields_param_name: "pk"}
        )
        found = []
        try:
            while page["hits"]["hits"]:
                hits = page["hits"]["hits"]
                found += [pk_field.to_python(hit["fields"]["pk"][0]) for hit in hits]
                if len(hits) < ID_PAGE_SIZE or "_scroll_id" not in page:
                    break
                page = self.backend.es.scroll(scroll_id=page["_scroll_id"], scroll="1m")
        finally:
            if "_scroll_id" in page:
                self.backend.es.clear_scroll(scroll_id=page["_scroll_id"])
        return found

    def _fallback(self, error):
        """The same search, slice and score annotation on the fallback backend."""
        logger.warning("Elasticsearch failed (%s); answering from the '%s' backend", error, self.backend.fallback)
        self.answered_by = self.backend.fallback
        compiler = self.query_compiler
        fallback = get_search_backend(self.backend.fallback)
        method = (
            fallback.autocomplete if isinstance(compiler, Elasticsearch9AutocompleteQueryCompiler) else fallback.search
        )
        results = method(
            compiler.query,
            compiler.queryset,
            fields=compiler.fields,
            order_by_relevance=compiler.order_by_relevance,
        )
        if self._score_field:
            results = results.annotate_score(self._score_field)
        return results[self.start : self.stop]


class FinnishElasticsearchBackend(Elasticsearch9SearchBackend):
    results_class = FinnishSearchResults
    settings = _without_asciifolding(Elasticsearch9SearchBackend.settings)

    def __init__(self, params):
        params = dict(params)
        self.fallback = params.pop("FALLBACK", "database")
        super().__init__(params)
