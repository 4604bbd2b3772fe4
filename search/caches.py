"""Every cache and registry the search app keeps in a process, in one place.

A search stays fast by not redoing, for every search, work whose answer rarely changes: counting
the index for BM25's idf, compiling a query's SQL, mapping index entries to their objects,
analysing the words highlighted. Each cache below says what it holds and how long.
"""

import contextlib
import contextvars
import functools
import hashlib
import threading

from django.core.cache.backends.locmem import LocMemCache
from django.core.exceptions import EmptyResultSet
from django.db import connection

# Counts of index entries and of the entries holding each term (BM25's idf): they change a little
# with every save, and a count a few minutes old ranks the same. In local memory, as every process
# reads them on every search.
COUNT_SECONDS = 300
COUNTED_TERMS = 10_000
counts = LocMemCache("search-counts", {"TIMEOUT": COUNT_SECONDS, "OPTIONS": {"MAX_ENTRIES": COUNTED_TERMS}})


def database_key(*parts):
    """A cache key for these parts on the database in use (tests and the benchmark switch databases)."""
    text = repr((connection.alias, str(connection.settings_dict["NAME"]), *parts))
    return hashlib.blake2b(text.encode(), digest_size=16).hexdigest()


def count_of(key, count):
    """The count cached under the key (database_key), or `count()`, kept for COUNT_SECONDS."""
    value = counts.get(key)
    if value is None:
        value = count()
        counts.set(key, value)
    return value


# Highlighting analyses the words of a page of titles and snippets; the same words recur across
# pages and queries, and a query's wanted terms are worked out once for the page's hundred texts.
per_word = functools.lru_cache(maxsize=100_000)
per_query = functools.lru_cache(maxsize=256)

# A query's full-text condition compiled to SQL: a phrase stands for up to MAX_PHRASE_ALTERNATIVES
# lemma sequences, and Django would compile the tree again in each of a search's six querysets.
COMPILED_QUERIES = 256
_compiled_queries = {}
_compiled_queries_lock = threading.Lock()
_NOT_COMPILED = object()


def compiled_once(key, compile_sql):
    """(sql, params) of a search condition, compiled by `compile_sql(compiler)` on the first search
    with this key and kept for the next (the last COMPILED_QUERIES of them). The condition names
    no column, so any model's query compiler serves."""
    from django.contrib.contenttypes.models import ContentType

    key = (connection.alias, *key)
    compiled = _compiled_queries.get(key, _NOT_COMPILED)
    if compiled is not _NOT_COMPILED:
        return compiled
    compiled = compile_sql(ContentType.objects.all().query.get_compiler(connection=connection))
    # Threads of one server share the dict: evicting is done by one at a time.
    with _compiled_queries_lock:
        _compiled_queries[key] = compiled
        while len(_compiled_queries) > COMPILED_QUERIES:
            _compiled_queries.pop(next(iter(_compiled_queries)))
    return compiled


_per_database = {}


def per_database(factory):
    """The object `factory()` made for the database in use, made once per database and process."""
    key = (factory, connection.alias, str(connection.settings_dict["NAME"]))
    if key not in _per_database:
        _per_database[key] = factory()
    return _per_database[key]


# Querysets whose members this process keeps as a boolean array by id (the essays anyone may
# read, with the essay facets): a search over one checks its matches there instead of joining them
# to the queryset's tables. Registered by search.apps.
_remembered_members = []


def remember_members(model, queryset_for, members):
    """Let a search over a queryset of `model` with the same SQL as `queryset_for(key)` take its
    members from `members()`, which returns (array, key): a boolean array indexed by primary key
    that this process keeps current, and the key (the view restrictions it was read under) that
    `queryset_for` builds the same set of objects from."""
    _remembered_members.append((model, queryset_for, members))


def known_members(queryset):
    """The members array remembered for this queryset, or None."""
    for model, queryset_for, members in _remembered_members:
        if model is not queryset.model:
            continue
        array, key = members()
        if _remembered_query(queryset_for, key, connection.alias) == _pk_sql(queryset) is not None:
            return array
    return None


@functools.lru_cache(maxsize=64)
def _remembered_query(queryset_for, key, alias):
    """_pk_sql of a remembered queryset under a key: compiled once per key (the view restrictions
    change seldom), not for each of a search's six querysets."""
    return _pk_sql(queryset_for(key))


def _pk_sql(queryset):
    try:
        return queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


# What one search's querysets share: on SQLite, every model's matches read from the FTS table once
# (search.backends.sqlite), keyed by the condition read.
_one_search = contextvars.ContextVar("one_search", default=None)


@contextlib.contextmanager
def one_search():
    """Within it, the querysets of one search share what the full-text index yields."""
    token = _one_search.set({})
    try:
        yield
    finally:
        _one_search.reset(token)


def shared_reads():
    """The dict the querysets of the search under way share (one_search), or None outside one."""
    return _one_search.get()


def forget_database():
    """Forget everything kept above about the database's contents (after a restore replaced it):
    the counts, compiled queries, per-database objects and remembered querysets. The highlighter's
    word analyses hold nothing of the database and are kept."""
    counts.clear()
    with _compiled_queries_lock:
        _compiled_queries.clear()
    _per_database.clear()
    _remembered_query.cache_clear()
