"""What the Elasticsearch and OpenSearch backends share: Finnish letters kept, every facet bucket,
the ids of every match, and the database's answer while the cluster errors.

Wagtail's stock backends fold ä to a in their n-gram analysers, return only ten buckets per facet
and raise from every search while the cluster is unreachable. These mixins sit before the stock
class of each engine (search.backends.elasticsearch, search.backends.opensearch), which differ only
in their client library: each backend class names its client's errors in ``errors``. When the
cluster errors the search is logged and run on the backend named by ``FALLBACK``: Wagtail keeps
every configured backend up to date on save, and ``manage.py update_index`` catches the cluster up
afterwards.
"""

import contextlib
import functools
import json
import logging
from copy import deepcopy
from dataclasses import dataclass, field

from django.db.models import QuerySet, Subquery
from django.db.models.lookups import Lookup
from django.db.models.sql import Query
from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearchbase import ElasticsearchAtomicIndexRebuilder, ElasticsearchIndexRebuilder
from modelsearch.utils import deep_update

from search.backends.database import id_list

logger = logging.getLogger(__name__)

# The engines' default search.max_buckets: as many buckets as one response may carry.
FACET_SIZE = 65_536
# The engines' default index.max_result_window: the most hits one page of a scroll may hold.
ID_PAGE_SIZE = 10_000
# Seconds a search may take on one node before the client tries another (SEARCH_TIMEOUT overrides
# it); a node that refuses connections is passed over at once.
SEARCH_TIMEOUT = 5
# Seconds any other request may take (TIMEOUT overrides it): creating an index or a bulk write of a
# thousand essays takes several on a busy node, and a retried create would find its index made.
TIMEOUT = 60
# Another node is tried after a refused or timed-out connection and after a 502, 503 or 504 (a node
# shutting down, or a coordinating node that lost every copy of a shard), up to this many times.
RETRIES = 3


def _listed(found, *args):
    """A list of what `found` yields, or of what calling it with `args` yields."""
    return list(found(*args) if args else found)


class PartialAnswer(Exception):
    """The cluster answered from only some of an index's shards: the others failed on a node that
    had just gone and their copies were not reached in time."""


@dataclass
class Summary:
    """What one request to the cluster tells of a search: how many objects match (`total`), the
    first hits as (object, score) in the engine's order (`hits`, checked against the database),
    every bucket of each field counted (`counts`: {name: {value: matches}}) and how many matches
    hold any of each group's values (`groups`: {key: matches})."""

    total: int
    hits: list
    counts: dict = field(default_factory=dict)
    groups: dict = field(default_factory=dict)

    @property
    def complete(self):
        """Whether `hits` holds every match."""
        return len(self.hits) >= self.total


def without_asciifolding(settings):
    settings = deepcopy(settings)
    for analyzer in settings["settings"]["analysis"]["analyzer"].values():
        analyzer["filter"] = [name for name in analyzer["filter"] if name != "asciifolding"]
    return settings


class ClusterQueryCompiler:
    """Mixin for an engine's query compilers: a page type's primary key compared with values is
    written into the engine's query, as its page's indexed id.

    Wagtail leaves out every filter on a parent link (`essaypage.page_ptr_id`), which is where
    Django puts an essay's `pk` or `id`; left out of an `or`, the filter narrowed the search instead.
    A `pk__in` of a subquery is still left out: its ids would be read from the database for each
    search (the search engine lists the ids it means the cluster to apply itself)."""

    def _get_filters_from_where_node(self, where_node, check_only=False):
        target = getattr(getattr(where_node, "lhs", None), "target", None)
        id_field = self._get_filterable_field("id")
        if (
            isinstance(where_node, Lookup)
            and getattr(target, "attname", "").endswith("_ptr_id")
            and where_node.lookup_name in ("exact", "in")
            and not isinstance(where_node.rhs, Query | Subquery | QuerySet)
            and id_field is not None
        ):
            if check_only:
                return None
            values = list(where_node.rhs) if where_node.lookup_name == "in" else [where_node.rhs]
            return {"terms": {self.mapping.get_field_column_name(id_field): values}}
        return super()._get_filters_from_where_node(where_node, check_only=check_only)


class ClusterSearchResults:
    """Mixin for an engine's search results."""

    _pks = None

    @property
    def answered_by(self):
        return getattr(self, "_answered_by", self.backend.label)

    def facet(self, field_name):
        try:
            return super().facet(field_name)
        except self.backend.faults as error:
            return self._fallback(error).facet(field_name)

    def _backend_do_search(self, body, **kwargs):
        for aggregation in body.get("aggregations", {}).values():
            if "terms" in aggregation:
                aggregation["terms"]["size"] = FACET_SIZE
        # A shard that failed leaves its hits out of a 200 answer; asked again, the coordinating
        # node routes it to another copy. Still partial, the search answers from the database.
        client = self.backend.search_client
        for _attempt in range(2):
            if self.backend.use_new_elasticsearch_api:
                response = client.search(**body, **kwargs)
            else:
                response = client.search(body=body, **kwargs)
            if not response["_shards"].get("failed"):
                return response
            if "_scroll_id" in response:
                client.clear_scroll(scroll_id=response["_scroll_id"])
        raise PartialAnswer(json.dumps(response["_shards"].get("failures", [])[:1]))

    def _clone(self):
        clone = super()._clone()
        clone._pks = self._pks
        return clone

    def _get_es_body(self, for_count=False):
        """The stock body, narrowed to the ids the database accepted once they are known.

        Wagtail's compiler leaves out filters it cannot write for the engine (a `pk__in` of a page
        type), and the cluster may still hold an object the database has since deleted or
        unpublished; ranked without them, a page of hits would hold objects the reader may not
        see, and then be short of them. Where the search needed every match's id (matching_pks)
        before it asks for hits, its hits are ranked among those.
        """
        body = super()._get_es_body(for_count=for_count)
        tie_break = self._tie_break()
        if not for_count and tie_break:
            body["sort"] = [{"_score": "desc"}, tie_break]
        if self._pks is not None:
            ids = [str(pk) for pk in self._pks]
            body["query"] = {"bool": {"must": body["query"], "filter": {"ids": {"values": ids}}}}
        return body

    def _tie_break(self):
        """The sort after the score for a search by relevance: equally relevant hits newest
        (highest id) first, as on the databases.

        Ordered by the engine, not afterwards here: among equal scores a page of the first n hits
        holds the lowest Lucene doc ids, so sorting that page by id would make page 2 disagree with
        page 1. The id must be indexed as a FilterField (a number); a model without one keeps the
        engine's order among equal scores.
        """
        compiler = self.query_compiler
        field = compiler._get_filterable_field("id")
        if not compiler.order_by_relevance or field is None:
            return None
        column = compiler.mapping.get_field_column_name(field)
        # An index written before the field was indexed has no mapping for it until update_index.
        return {column: {"order": "desc", "unmapped_type": "long"}}

    def _do_search(self):
        try:
            # The parent is a generator; materialise it so a failure surfaces here.
            return list(super()._do_search())
        except self.backend.faults as error:
            return list(self._fallback(error))

    def _do_count(self):
        # Counted from the ids the facets count, so a page's count and its facets agree.
        return len(self.matching_pks()[self.start : self.stop])

    def summarise(self, size, counted=None, grouped=None):
        """The Summary of the search from one request, or None when the database contradicts
        the cluster (then every match's id is needed: matching_pks).

        `counted` names FilterFields ({name: attname}) whose every value is counted over the
        matches, `grouped` ({key: (attname, values)}) groups of values of which the matches
        holding any are counted. Exact only when every filter of the queryset is one the cluster
        applies (a FilterField); Wagtail leaves out a `pk__in` of a page type, which a search
        meaning to be summed up here writes as `id__in` of a list. The hits are loaded through the
        queryset: one the database no longer accepts (deleted or withdrawn while the cluster did
        not hear of it) shows that the counts may hold others, and the summary is not used.
        """
        index, body = self.summary_request(size, counted, grouped)
        try:
            response = self._backend_do_search(body, index=index)
        except self.backend.faults as error:
            self.summary_failed(error)
            return None
        return self.summary_from(response, counted, grouped)

    def summary_request(self, size, counted=None, grouped=None):
        """(index name, body) of the request summarise() sends."""
        body = self._get_es_body()
        body.update({"track_total_hits": True, "size": size, "_source": False, self.fields_param_name: ["pk"]})
        aggregations = {}
        for name, attname in (counted or {}).items():
            aggregations[f"count_{name}"] = {"terms": {"field": self._column(attname), "size": FACET_SIZE}}
        if grouped:
            aggregations["groups"] = {
                "filters": {
                    "filters": {
                        str(key): {"terms": {self._column(attname): list(values)}}
                        for key, (attname, values) in grouped.items()
                    }
                }
            }
        if aggregations:
            body["aggregations"] = aggregations
        return self.backend.get_index_for_model(self.query_compiler.queryset.model).name, body

    def summary_from(self, response, counted=None, grouped=None):
        """The Summary in the cluster's answer to summary_request(), or None when the database no
        longer accepts one of its hits."""
        scores = [(hit["fields"]["pk"][0], hit["_score"]) for hit in response["hits"]["hits"]]
        objects = {str(obj.pk): obj for obj in self.query_compiler.queryset.filter(pk__in=[pk for pk, _ in scores])}
        if len(objects) < len(scores):
            return None
        # Elasticsearch's client answers an object without dict's get().
        found = response["aggregations"] if "aggregations" in response else {}
        return Summary(
            total=response["hits"]["total"]["value"],
            hits=[(objects[str(pk)], score or 0.0) for pk, score in scores],
            counts={
                name: {int(bucket["key"]): bucket["doc_count"] for bucket in found[f"count_{name}"]["buckets"]}
                for name in counted or {}
            },
            groups={key: found["groups"]["buckets"][str(key)]["doc_count"] for key in grouped or {}},
        )

    def summary_failed(self, error):
        """The cluster failed the summary: every match's id is read from the fallback backend."""
        self._pks = self._fallback(error).matching_pks()

    def _column(self, attname):
        """The index column of the model's FilterField with this attname."""
        compiler = self.query_compiler
        return compiler.mapping.get_field_column_name(compiler._get_filterable_field(attname))

    def matching_pks(self):
        """Ids of every match, for counts and facets in the database.

        Read from the cluster by scrolling in index order, ids only, and checked against the
        queryset in one query. Wagtail's results page through a hundred hits at a time and load
        each page's objects, which for the facets was capped at the first 10 000 hits.
        """
        if self._pks is None:
            try:
                found = self._every_matching_pk()
            except self.backend.faults as error:
                self._pks = self._fallback(error).matching_pks()
            else:
                # An object deleted or unpublished since the cluster last heard of it is left out.
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
                page = self.backend.search_client.scroll(scroll_id=page["_scroll_id"], scroll="1m")
                if page["_shards"].get("failed"):
                    raise PartialAnswer(json.dumps(page["_shards"].get("failures", [])[:1]))
        finally:
            if "_scroll_id" in page:
                self.backend.search_client.clear_scroll(scroll_id=page["_scroll_id"])
        return found

    def _fallback(self, error):
        """The same search, slice and score annotation on the fallback backend."""
        logger.warning(
            "%s failed (%s); answering from the '%s' backend", self.backend.engine, error, self.backend.fallback
        )
        self._answered_by = self.backend.fallback
        compiler = self.query_compiler
        fallback = get_search_backend(self.backend.fallback)
        autocompleting = isinstance(compiler, self.backend.autocomplete_query_compiler_class)
        method = fallback.autocomplete if autocompleting else fallback.search
        results = method(
            compiler.query,
            compiler.queryset,
            fields=compiler.fields,
            order_by_relevance=compiler.order_by_relevance,
        )
        if self._score_field:
            results = results.annotate_score(self._score_field)
        return results[self.start : self.stop]


class ClusterIndex:
    """Mixin for an engine's index: with ``REFRESH_WRITES`` each write is searchable at once
    instead of after the index's refresh interval (a second), as the tests need."""

    def add_item(self, item):
        super().add_item(item)
        self._refresh_if_asked()

    def add_items(self, model, items):
        super().add_items(model, items)
        self._refresh_if_asked()

    def delete_item(self, item):
        super().delete_item(item)
        self._refresh_if_asked()

    def _refresh_if_asked(self):
        if self.backend.refresh_writes:
            self.refresh()

    @contextlib.contextmanager
    def bulk_loading(self):
        """Within it the index is filled in bulk: not made searchable after every second's writes
        and without replicas, each of which would index every document again; on leaving, the
        index's own refresh interval and replicas come back and it is refreshed."""
        settings = self.es.indices.get_settings(index=self.name)
        # Keyed by the index's own name, also when `name` is an alias of it.
        current = settings[next(iter(settings))]["settings"]["index"]
        self.es.indices.put_settings(
            index=self.name, body={"index": {"refresh_interval": "-1", "number_of_replicas": 0}}
        )
        try:
            yield
        finally:
            # A refresh interval the index did not set is put back as None, the engine's default.
            restored = {
                "refresh_interval": current.get("refresh_interval"),
                "number_of_replicas": current["number_of_replicas"],
            }
            self.es.indices.put_settings(index=self.name, body={"index": restored})
            self.refresh()


class BulkLoadingRebuilder:
    """Mixin for the engine's rebuilders: `update_index` fills the index it rebuilds in bulk
    (ClusterIndex.bulk_loading)."""

    def start(self):
        index = super().start()
        self._loading = index.bulk_loading()
        self._loading.__enter__()
        return index

    def finish(self):
        self._loading.__exit__(None, None, None)
        super().finish()


class ClusterIndexRebuilder(BulkLoadingRebuilder, ElasticsearchIndexRebuilder):
    pass


class ClusterAtomicIndexRebuilder(BulkLoadingRebuilder, ElasticsearchAtomicIndexRebuilder):
    pass


class ClusterSearchBackend:
    """Mixin for an engine's backend; the class names the engine (`engine`, `label`), its
    client's errors (`errors`) and its index and results classes."""

    engine = ""
    label = ""
    errors = ()
    # The search engine writes every filter of a search as one the cluster applies (search.engine).
    filters_in_cluster = True
    basic_rebuilder_class = ClusterIndexRebuilder
    atomic_rebuilder_class = ClusterAtomicIndexRebuilder
    # Autocomplete matches a word's beginnings up to this length; Wagtail's 15 left out Finnish
    # words such as "palvelumuotoilun", whose every letter the reader had typed.
    settings_update = {"settings": {"analysis": {"filter": {"edgengram": {"max_gram": 40}}}}}

    def __init__(self, params):
        params = dict(params)
        self.fallback = params.pop("FALLBACK", "database")
        self.refresh_writes = params.pop("REFRESH_WRITES", False)
        search_timeout = params.pop("SEARCH_TIMEOUT", SEARCH_TIMEOUT)
        params.setdefault("TIMEOUT", TIMEOUT)
        # The client spreads requests over every URL and passes over a node that fails.
        retry = {"max_retries": RETRIES, "retry_on_timeout": True, "retry_on_status": (502, 503, 504)}
        params["OPTIONS"] = {**retry, **params.get("OPTIONS", {})}
        self.client_options = dict(params["OPTIONS"])
        super().__init__(params)
        # A search is also sent again after a 500: while the cluster has not yet noticed a node
        # gone, a search whose shard copy was there fails whole ("Node not connected"), and the
        # next coordinating node routes it to another copy. A write is not: one whose primary shard
        # was lost waits for a replica to take over or answers 503 (retried above), so a 500 is the
        # engine failing that write itself; it is logged, the save succeeds, and `update_index`
        # catches the cluster up.
        self.search_client = self.client_with_timeout(search_timeout, retry_on_status=(500, 502, 503, 504))
        self.settings = without_asciifolding(deep_update(self.settings, self.settings_update))

    def summarise_all(self, searches):
        """What summarise() gives for each (results, size, counted, grouped), from one request
        (`msearch`): a results page asks for each content type's summary at once. A search the
        cluster answered from only some shards is asked again alone."""
        requests = [results.summary_request(size, counted, grouped) for results, size, counted, grouped in searches]
        try:
            answers = self._msearch(requests)
        except self.faults as error:
            for results, *_rest in searches:
                results.summary_failed(error)
            return [None] * len(searches)
        summaries = []
        for (results, size, counted, grouped), answer in zip(searches, answers, strict=True):
            if "error" in answer:
                results.summary_failed(json.dumps(answer["error"])[:500])
                summaries.append(None)
            elif answer["_shards"].get("failed"):
                summaries.append(results.summarise(size, counted, grouped))
            else:
                summaries.append(results.summary_from(answer, counted, grouped))
        return summaries

    def search_all(self, sliced):
        """For each sliced results (a search or an autocomplete, `[start:stop]`), a function giving
        its objects, from one request (`msearch`); the objects are read from the database only when
        asked for. A search the cluster failed is asked alone, and answered from the fallback
        backend if it fails again."""
        requests = []
        for results in sliced:
            body = results._get_es_body()
            size = results.stop - results.start
            body.update({"from": results.start, "size": size, "_source": False, results.fields_param_name: ["pk"]})
            requests.append((self.get_index_for_model(results.query_compiler.queryset.model).name, body))
        try:
            answers = self._msearch(requests)
        except self.faults as error:
            return [functools.partial(_listed, results._fallback, error) for results in sliced]
        return [
            functools.partial(_listed, results)
            if "error" in answer or answer["_shards"].get("failed")
            else functools.partial(_listed, results._get_results_from_hits, answer["hits"]["hits"])
            for results, answer in zip(sliced, answers, strict=True)
        ]

    def _msearch(self, requests):
        """The cluster's answers to (index name, body) searches sent in one request."""
        lines = [line for index, body in requests for line in ({"index": index}, body)]
        if self.use_new_elasticsearch_api:
            return self.search_client.msearch(searches=lines)["responses"]
        return self.search_client.msearch(body=lines)["responses"]

    def client_with_timeout(self, seconds, retry_on_status):
        """The backend's client with another timeout and statuses to retry; each engine's client
        has its own way."""
        raise NotImplementedError

    @property
    def faults(self):
        """What makes a search answer from the fallback backend."""
        return (*self.errors, PartialAnswer)
