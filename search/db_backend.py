"""Wagtail's database search backend, ranking a query of words from postings (search.postings: every
such query on PostgreSQL, one word on SQLite) and any other in one index query.

On SQLite the stock backend attaches each hit's score by a correlated FTS subquery, one per
matching row: a word found in 20 000 essays costs 20 000 full-text lookups. Here, for a query the
postings do not rank, the FTS table is asked once per search for every match ranked by bm25 (in C)
and joined to the queryset's own SQL, or, for a queryset whose members this process holds
(remember_members: the essays anyone may read), not joined at all, and that read, of every model's
matches, serves the search's other content types too (one_search); autocomplete reads the
best-ranked entries a growing chunk at a time and checks only those against the queryset's filters.

On PostgreSQL ts_rank reads every match's whole vector; a query of words is instead matched and
ranked by BM25 from a table of postings (migration search 0003) that holds each entry's weight for
each of its terms, so it reads only the rows of its own terms. A quoted phrase of two words is a
query of words too, of its lemma pair terms (search.engine.build_query); a query holding the lemma
sequences of a longer phrase is ranked by ts_rank.

On every database the matching ids are read once per search; the count and
``matching_ids()`` (every match, for the facets) reuse them, so counts and facets cover the
whole match set without running the full-text search again for each (on PostgreSQL, for a
queryset whose members are held, without joining the queryset), and the query's own SQL
(FTS text, tsquery) is compiled once per query text for the six querysets of a search.
"""

import contextlib
import contextvars
import functools
import json
import operator
import threading
import time

import numpy as np
from django.contrib.contenttypes.models import ContentType
from django.contrib.postgres.search import SearchQuery, SearchRank
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import BigIntegerField, F, FloatField
from django.db.models.expressions import RawSQL
from django.db.models.functions import Cast
from modelsearch.backends.database import SearchBackend as database_backend
from modelsearch.query import Fuzzy, MatchAll, Not, PlainText
from modelsearch.utils import get_descendants_content_types_pks

from search import postings

# The field of every searched model holding its analysed text, title included (finnish.indexing).
ANALYSED_TEXT_FIELD = "search_text"
CHUNK = 200
# A chunk that yields few rows the queryset accepts (a narrow facet) makes the next one this
# many times larger, so a narrow filter costs a few queries, not one per CHUNK.
CHUNK_GROWTH = 8
# Models with at least this many index entries, and every model in an index smaller than this,
# are searched FTS-first (see _entries); entries are counted again after ENTRY_COUNT_SECONDS.
MANY_ENTRIES = 2000
ENTRY_COUNT_SECONDS = 300


class RankedSQLiteSearch:
    """Mixin for the SQLite query compilers: one word ranked from the postings, any other query from
    the FTS table read once, ranked in C by bm25."""

    # Whether a ranked search scores every match (scored_matches). Autocomplete does not: a prefix
    # of two letters matches most of the index, of which it shows eight.
    SCORES_EVERY_MATCH = True
    _scored = None

    def search(self, config, start, stop, score_field=None):
        ranked = stop is not None and self.order_by_relevance
        match = self._match(config)
        if match is None or (score_field and not ranked):
            return super().search(config, start, stop, score_field=score_field)
        if not ranked:
            return unranked_matches(self.queryset, self._entries(match).values("index_entry__object_id"), start, stop)
        if self.SCORES_EVERY_MATCH:
            return objects_of(self.queryset, self.scored_matches(config)[start:stop], score_field, sign=1)
        members = known_members(self.queryset)
        if members is not None and self._fts_first():
            # As in _scored_in_memory: the entries are not joined, their objects found in memory.
            # A prefix of three letters matching 30 000 essays' titles took 112 ms joined, 72 alone.
            ranked, objects = self._ranked(match, joined=False), self._objects_of_entries
            return best_matches(ranked, self.queryset, start, stop, score_field, -1, members=members, objects=objects)
        return best_matches(self._ranked(match), self.queryset, start, stop, score_field, sign=-1)

    def _objects_of_entries(self, rows):
        """(object id, score) of those (entry id, score) rows whose entry is of the searched model."""
        content_types, object_ids = entry_objects().lookup(
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
        from modelsearch.backends.database.sqlite.query import MatchExpression
        from modelsearch.backends.database.sqlite.sqlite import normalize

        query = normalize(self.query)
        if isinstance(query, MatchAll | Not):
            return None

        # The FTS query text is compiled once per query: a phrase stands for up to
        # MAX_PHRASE_ALTERNATIVES lemma sequences, and Django compiles the tree again in every one
        # of a search's six querysets.
        def compile_match(compiler):
            return compiler.compile(self.build_search_query(query, config=config))

        sql, params = compiled_once(("match", repr(query), self.LAST_TERM_IS_PREFIX, config), compile_match)
        text = sql % tuple(params)
        match = MatchExpression(self.fields or self.FTS_TABLE_FIELDS, RawSQL("%s", [text]))
        # The database, columns and query the FTS table is asked: what one search's querysets
        # share a read under (one_search).
        match.shared_key = (connection.alias, tuple(match.columns), text)
        return match

    def scored_matches(self, config):
        """(id, score) of every object of the queryset the query matches, best first
        (ScoredMatches), or None when the query is not a full-text one; read once per compiler.

        A query of one word over every field is ranked from the postings (postings_ranked): bm25
        cost about 1 µs a match, and a broad word matches thousands. For any other, bm25 in the
        FTS table, which intersects the words' document lists before it scores, so it scores only
        the texts that hold them all where the postings read every posting of each word (a pair
        of broad words with 1 676 texts in common: 9 ms against 30). One query joins the ranked
        index entries to the queryset's own SQL. Reading the ids for the count and facets and then
        the best-ranked entries apart matched the query twice and joined every match to its entry
        twice (a word in 16 000 of 100 000 essays: 37 + 27 ms against 54 ms at once), and a page of
        hits is then a slice of this list. A queryset whose members this process holds
        (remember_members) is not joined at all (_scored_in_memory), and any other takes its
        matches from that read when one_search holds it.
        """
        if self._scored is None:
            clauses = None if self.fields else postings.ranked_clauses(self.query, self.queryset.model)
            if clauses is not None and len(clauses) == 1:
                self._scored = postings_ranked(self.queryset, clauses, known_members(self.queryset))
                return self._scored
            match = self._match(config)
            if match is None:
                return None
            members = known_members(self.queryset)
            if members is not None and self._fts_first():
                self._scored = self._scored_in_memory(match, members)
                return self._scored
            shared = _shared_fts_reads.get()
            if shared is not None and match.shared_key in shared:
                self._scored = self._scored_from_entries(*shared[match.shared_key], members)
                return self._scored
            try:
                objects_sql, objects_params = self.queryset.order_by().values("pk").query.sql_with_params()
            except EmptyResultSet:
                # A filter Django knows matches nothing (`__in` an empty list) has no SQL.
                self._scored = ScoredMatches([], [])
                return self._scored
            ranked_sql, ranked_params = self._ranked(match).order_by().query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(
                    f"SELECT objects.pk, ranked.score FROM ({ranked_sql}) ranked "
                    f"JOIN ({objects_sql}) objects ON objects.pk = ranked.index_entry__object_id",
                    (*ranked_params, *objects_params),
                )
                # bm25 is negative, the best lowest; sorted stably, ties keep the index's order.
                rows = sorted(cursor.fetchall(), key=operator.itemgetter(1))
                self._scored = ScoredMatches([pk for pk, _score in rows], [-score for _pk, score in rows])
        return self._scored

    def _scored_in_memory(self, match, members):
        """scored_matches from the FTS table alone: its entry ids are turned into object ids by
        EntryObjects and kept if `members` (a boolean array indexed by id) holds them.

        Joined to the entry table and the queryset, each match cost a scattered read of an entry
        row (which holds the whole analysed text) and of its essay and page rows: a word in
        16 000 of 100 000 essays spent 45 ms there and 21 ms ranking.
        """
        # Ids and scores as two comma-separated strings, one row: 16 000 rows made into Python
        # tuples and then into an array cost 5 ms more than bm25's 17. "LIMIT -1" keeps SQLite from
        # merging the ranked query into the aggregate, where bm25 cannot be called. As text a score
        # keeps 15 significant digits: matches whose scores differ only beyond them keep the
        # index's order here and in the types sharing this read (one_search), and may come in
        # another order where a queryset is joined (a signed-in reader's search).
        sql, params = self._ranked(match, joined=False).order_by().query.sql_with_params()
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT group_concat(index_entry_id), group_concat(score) FROM ({sql} LIMIT -1)", params)
            entry_ids, scores = (
                np.fromstring(column or "", dtype=dtype, sep=",")
                for column, dtype in zip(cursor.fetchone(), (np.int64, np.float64), strict=True)
            )
        content_types, object_ids = entry_objects().lookup(entry_ids)
        shared = _shared_fts_reads.get()
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
        from modelsearch.backends.database.sqlite.query import Lexeme, SearchQueryExpression

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
        a title hit counting double. Wagtail's expression squares and multiplies bm25 per query
        clause, and bm25 is negative, so for a query of several words the best documents came last.
        """
        from modelsearch.backends.database.sqlite.sqlite import SQLiteFTSIndexEntry

        table = SQLiteFTSIndexEntry._meta.db_table
        score = RawSQL(f"bm25({table}, 1.0, 1.0, 2.0)", [], output_field=FloatField())
        if not joined:
            entries = SQLiteFTSIndexEntry.objects.filter(match)
            return entries.annotate(score=score).order_by("score").values_list("index_entry_id", "score")
        return (
            self._entries(match).annotate(score=score).order_by("score").values_list("index_entry__object_id", "score")
        )

    def _fts_first(self):
        """Whether the searched model's matches are read from the FTS table first (see _entries)."""
        content_types = get_descendants_content_types_pks(self.queryset.model)
        return _entry_count(tuple(content_types)) >= MANY_ENTRIES or _entry_count() < MANY_ENTRIES

    def _entries(self, match):
        """FTS rows of the searched model's index entries that match.

        Three plans. FTS-first for a model with many entries (essays) or in a small index: probing
        the FTS table once per entry costs half a second at 10 000 essays, and 0.4 ms an entry for
        a phrase with its inflected alternatives, so "+ 0" hides the content-type index, the FTS
        table yields its matches once and each is checked by primary key. A model with few entries
        (books, people, concepts) in a large index is joined and SQLite picks the order, except for
        an autocomplete prefix, which matches most of the index: there the model's entry ids are a
        list the FTS table is probed with (joined, a two-letter prefix read every match first,
        60 ms at 100 000 essays).
        """
        from modelsearch.backends.database.sqlite.sqlite import IndexEntry, SQLiteFTSIndexEntry

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


_shared_fts_reads = contextvars.ContextVar("shared_fts_reads", default=None)


@contextlib.contextmanager
def one_search():
    """Within it, the querysets of one search share what the FTS table yields.

    A queryset whose members are held (remember_members: the essays anyone may read) has its
    matches read unjoined (_scored_in_memory), every model's at once; querysets searched after it
    take theirs from that read instead of asking the FTS table again joined to their own tables.
    For a search's other four content types that was a query built and compiled anew each
    (0.7-1 ms), mostly for no matches.
    """
    token = _shared_fts_reads.set({})
    try:
        yield
    finally:
        _shared_fts_reads.reset(token)


class ScoredMatches:
    """(object id, score) of every match, best first (the highest score), as two sequences (lists
    or numpy arrays).

    The count and facets read only the ids, a page of hits only its slice of pairs: made into
    pairs whole, 16 000 matches cost 2-3 ms.
    """

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

    def __iter__(self):
        return iter(self[:])

    def pks(self):
        return _listed(self.ids)


def _listed(values):
    return values.tolist() if isinstance(values, np.ndarray) else list(values)


class EntryObjects:
    """The content type and object id of each SQLite index entry, by entry id, held in this process.

    The FTS table yields entry ids. An entry keeps its content type and object for life, and its
    id is not handed out again once committed (the table is AUTOINCREMENT), so the map only grows:
    each lookup first reads the entries added since, with the newest one it holds, and starts
    afresh if that one is gone or names another object. Entries read inside a transaction are
    used but not kept: if it rolls back, their ids are handed out again.
    """

    def __init__(self):
        self._lock = threading.Lock()
        self._forget()

    def _forget(self):
        self.content_types = np.zeros(0, dtype=np.int64)
        self.object_ids = np.zeros(0, dtype=np.int64)
        self.newest = None

    def lookup(self, entry_ids):
        """(content type ids, object ids) of the entry ids, numpy arrays; -1 for an entry unknown
        (added after this lookup began, or of an object whose id is not a number)."""
        committed = not connection.in_atomic_block and connection.get_autocommit()
        with self._lock:
            rows = self._new_entries(committed)
            if committed:
                self._keep(rows)
                rows = []
            content_types, object_ids = self.content_types, self.object_ids
        if rows and self.newest and rows[0][0] <= self.newest[0]:
            # Every entry, read again inside a transaction: the held ones are not trusted.
            content_types, object_ids = self._grown(np.zeros(0, dtype=np.int64), np.zeros(0, dtype=np.int64), rows)
        elif rows:
            content_types, object_ids = self._grown(content_types, object_ids, rows)
        known = entry_ids < len(content_types)
        found_types = np.full(len(entry_ids), -1, dtype=np.int64)
        found_objects = np.full(len(entry_ids), -1, dtype=np.int64)
        found_types[known] = content_types[entry_ids[known]]
        found_objects[known] = object_ids[entry_ids[known]]
        return found_types, found_objects

    def _new_entries(self, committed):
        """(id, content type, object id) of the entries newer than the newest held, or of every
        entry when that one is gone or changed (then, if `committed`, all held are forgotten)."""
        from modelsearch.backends.database.sqlite.sqlite import IndexEntry

        entries = IndexEntry.objects.order_by("pk").values_list("pk", "content_type", "object_id")
        if self.newest is None:
            return list(entries)
        rows = list(entries.filter(pk__gte=self.newest[0]))
        if rows and rows[0] == self.newest:
            return rows[1:]
        if committed:
            self._forget()
        return list(entries)

    def _keep(self, rows):
        if rows:
            self.content_types, self.object_ids = self._grown(self.content_types, self.object_ids, rows)
            self.newest = rows[-1]

    @staticmethod
    def _grown(content_types, object_ids, rows):
        """Copies of the arrays with the rows' entries added."""
        size = max(len(content_types), rows[-1][0] + 1)
        grown_types = np.full(size, -1, dtype=np.int64)
        grown_objects = np.full(size, -1, dtype=np.int64)
        grown_types[: len(content_types)] = content_types
        grown_objects[: len(object_ids)] = object_ids
        for entry_id, content_type, object_id in rows:
            if object_id.isdecimal():
                grown_types[entry_id], grown_objects[entry_id] = content_type, int(object_id)
        return grown_types, grown_objects


_entry_objects = {}


def entry_objects():
    """The EntryObjects of the database in use."""
    key = (connection.alias, connection.settings_dict["NAME"])
    if key not in _entry_objects:
        _entry_objects[key] = EntryObjects()
    return _entry_objects[key]


_remembered_members = []


def remember_members(queryset, members):
    """Let a search over a queryset with the same SQL as `queryset()` take its members from
    `members()`, a boolean array indexed by primary key that this process keeps current, instead
    of joining every match to the queryset's tables."""
    _remembered_members.append((queryset, members))


def known_members(queryset):
    """The members array remembered for this queryset, or None."""
    for remembered, members in _remembered_members:
        model, sql = _remembered_query(remembered)
        if model is queryset.model and sql == _pk_sql(queryset) is not None:
            return members()
    return None


@functools.cache
def _remembered_query(remembered):
    """(model, _pk_sql) of a remembered queryset, which names no value that changes: built and
    compiled once, not for each of a search's six querysets."""
    queryset = remembered()
    return queryset.model, _pk_sql(queryset)


def _pk_sql(queryset):
    try:
        return queryset.order_by().values("pk").query.sql_with_params()
    except EmptyResultSet:
        return None


def unranked_matches(queryset, ids, start, stop):
    """The slice of the queryset's objects whose ids are among `ids`, in its own order or newest first."""
    queryset = queryset.filter(pk__in=ids)
    return (queryset if queryset.query.order_by else queryset.order_by("-pk"))[start:stop]


def best_matches(ranked, queryset, start, stop, score_field, sign, members=None, objects=None):
    """Objects of `queryset` for the slice of `ranked` ((object id, score) rows, best first, or any
    rows that `objects` turns into those).

    The index is read a growing chunk at a time and only ids are checked against the queryset's
    filters, or against `members` (known_members) when given; objects are loaded for the hits
    returned. `sign` turns the index's score into one where higher is better.
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


class EntryFirstPostgresSearch:
    """Mixin for the PostgreSQL query compiler: the query is matched on the index entries.

    Wagtail's compiler joins every row of the model to its entry and tests `title || body` there,
    which reads the whole table (1.5 s at 100 000 essays). Here a query of words is matched and
    ranked from the postings (postings_ranked); a query with a Phrase (the lemma sequences of a
    phrase of three words or more) is matched on the entries through the GIN index on that
    expression (migration search 0002) and ranked by ts_rank, and the matches are joined to the
    model by id. The autocomplete compiler matches its own column, which has a GIN
    index of its own.
    """

    ENTRY_COLUMNS = ["title", "body"]
    # The column holding a model's analysed text, where ANALYSED_TEXT_FIELD is indexed.
    ANALYSED_TEXT_COLUMN = "body"

    # Whether a ranked search over a queryset whose members are held ranks every match at once
    # (scored_matches). Autocomplete does not: it shows eight suggestions of most of the index.
    SCORES_EVERY_MATCH = True
    _scored = None

    def search(self, config, start, stop, score_field=None, backend=None):
        ranked = stop is not None and self.order_by_relevance
        tsquery = self._tsquery(config) if self._matched_on_entries() else None
        if tsquery is None or (score_field and not ranked):
            return super().search(config, start, stop, score_field=score_field, backend=backend)
        if not ranked:
            entries = self._matching_entries(tsquery)
            ids = entries.annotate(object_pk=Cast("object_id", BigIntegerField())).values("object_pk")
            return unranked_matches(self.queryset, ids, start, stop)
        scored = self.scored_matches(config)
        if scored is not None:
            return objects_of(self.queryset, scored[start:stop], score_field, sign=1)
        ranked = self._ranked(tsquery).order_by("-score").values_list("object_id", "score")
        # A search's own queryset was ranked whole above (from the postings, or for a phrase by
        # ts_rank if its members are held); autocomplete's is checked against them a chunk at a time.
        members = None if self.SCORES_EVERY_MATCH else known_members(self.queryset)
        return best_matches(ranked, self.queryset, start, stop, score_field, sign=1, members=members)

    def scored_matches(self, config):
        """(object id, score) of every match, best first (ScoredMatches), read once per compiler:
        for a query of words alone from the postings (postings_ranked), for any other from the
        index entries alone if the queryset's members are held (remember_members); else None.

        Every match is ranked to find the best ones anyway; returned whole, the ranked rows also
        give the count and the ids for the facets, which a query of their own read again from the
        table (a word in 16 000 of 100 000 essays: 40-70 ms). Joined to the queryset instead,
        each match's essay and page rows were read too (150-250 ms).
        """
        if self._scored is None and self.SCORES_EVERY_MATCH and self._matched_on_entries():
            members = known_members(self.queryset)
            clauses = postings.ranked_clauses(self.query, self.queryset.model)
            if clauses is not None:
                self._scored = postings_ranked(self.queryset, clauses, members)
                return self._scored
            tsquery = self._tsquery(config) if members is not None else None
            if tsquery is None:
                return None
            ranked = self._ranked(tsquery).order_by().values_list(Cast("object_id", BigIntegerField()), "score")
            sql, params = ranked.query.sql_with_params()
            with connection.cursor() as cursor:
                cursor.execute(sql, params)
                rows = np.array(cursor.fetchall(), dtype=np.float64).reshape(-1, 2)
            self._scored = ScoredMatches.of_members(rows[:, 0].astype(np.int64), rows[:, 1], members)
        return self._scored

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
        from modelsearch.backends.database.postgres.postgres import IndexEntry

        return (
            IndexEntry.objects.filter(content_type__in=get_descendants_content_types_pks(self.queryset.model))
            .annotate(_vector_=self._matched_vector())
            .filter(_vector_=tsquery)
        )

    def _matched_vector(self):
        """The entry's vector the query is matched against.

        A model whose analysed text (finnish.indexing.analysed_text) starts with its title has every
        title word in the body vector, so the body alone is matched. Joining title and body costs
        a copy of both vectors per candidate row, which for a phrase, whose candidates are checked
        row by row, was 40 % of the query.
        """
        fields = {field.field_name for field in self.queryset.model.get_search_fields()}
        if self.ANALYSED_TEXT_COLUMN and ANALYSED_TEXT_FIELD in fields:
            return F(self.ANALYSED_TEXT_COLUMN)
        return functools.reduce(lambda a, b: a._combine(b, "||", False), map(F, self.ENTRY_COLUMNS))

    def _tsquery(self, config):
        """The query as one SQL expression, compiled once per query text and configuration; None
        when it has no terms (text such as "-" that Wagtail's admin passes on).

        A phrase stands for up to MAX_PHRASE_ALTERNATIVES lemma sequences, and Django resolves the
        tree of SearchQuery objects again for every queryset it is used in (six per search).
        """

        def compile_tsquery(compiler):
            tsquery = self.build_tsquery(self.query, config=config)
            return None if tsquery is None else compiler.compile(tsquery.resolve_expression(compiler.query))

        compiled = compiled_once(("tsquery", repr(self.query), self.LAST_TERM_IS_PREFIX, config), compile_tsquery)
        return None if compiled is None else CompiledSearchQuery(*compiled)


def postings_ranked(queryset, clauses, members=None):
    """ScoredMatches of the queryset's objects that hold a term of every clause (a query of words,
    search.postings.word_clauses), ranked by BM25 from the postings, ties newest (highest id)
    first.

    The queryset's filters are checked against `members` (known_members) when given, else by one
    query over the matched ids.
    """
    content_types = get_descendants_content_types_pks(queryset.model)
    ids, scores = postings.matched(content_types, clauses, _entry_count())
    ids, scores = ids[::-1], scores[::-1]
    if members is None:
        members = members_among(queryset, ids)
    return ScoredMatches.of_members(ids, scores, members)


def members_among(queryset, ids):
    """A boolean array indexed by id, true for those of the ids (an array) that are objects of the
    queryset: one query, none for no ids."""
    members = np.zeros(ids.max(initial=-1) + 1, dtype=bool)
    if len(ids):
        members[list(queryset.order_by().filter(pk__in=id_list(ids.tolist())).values_list("pk", flat=True))] = True
    return members


class CompiledSearchQuery(SearchQuery):
    """A SearchQuery whose SQL is already known."""

    def __init__(self, sql, params):
        super().__init__("")
        self.compiled = (sql, params)

    def as_sql(self, compiler, connection, **extra_context):
        return self.compiled


COMPILED_QUERIES = 256
_compiled_queries = {}
_compiled_queries_lock = threading.Lock()
_NOT_COMPILED = object()


def compiled_once(key, compile_sql):
    """(sql, params) of a search condition, compiled by `compile_sql(compiler)` on the first search
    with this key and kept for the next (the last COMPILED_QUERIES of them). The condition names
    no column, so any model's query compiler serves."""
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


_entry_counts = {}


def _entry_count(content_types=None):
    """Index entries of these content types (of all, without them), counted at most every
    ENTRY_COUNT_SECONDS."""
    count, counted_at = _entry_counts.get(content_types, (0, -ENTRY_COUNT_SECONDS))
    if time.monotonic() - counted_at >= ENTRY_COUNT_SECONDS:
        from wagtail.search.models import IndexEntry

        entries = IndexEntry.objects.all()
        count = (entries if content_types is None else entries.filter(content_type__in=content_types)).count()
        _entry_counts[content_types] = (count, time.monotonic())
    return count


# One parameter carrying every id, unpacked by the database: an IN list of 20 000 parameters costs
# Django more to compile than the query costs to run.
ID_LIST_SQL = {
    "sqlite": ("SELECT value FROM json_each(%s)", json.dumps),
    "postgresql": ("SELECT unnest(%s::bigint[])", list),
}


def id_list(ids):
    """A list of ids as the value of an `__in` filter, passed to the database as one parameter."""
    sql, encode = ID_LIST_SQL.get(connection.vendor, (None, None))
    return RawSQL(sql, [encode(ids)]) if sql else ids


class MatchingQuerysetResults:
    """Mixin for the database backends' results: every match read once from the index.

    The count and ``matching_ids()`` (for the facets) reuse that one full-text search instead of
    repeating it in every query.
    """

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
            config = compiler.get_config(self.backend)
            if _scores_every_match(compiler):
                scored = compiler.scored_matches(config)
                self._pks = None if scored is None else scored.pks()
            if self._pks is None:
                unordered = self.backend.search(
                    compiler.query, compiler.queryset.order_by(), fields=compiler.fields, order_by_relevance=False
                )
                self._pks = list(unordered.get_queryset().order_by().values_list("pk", flat=True))
        return self._pks


def _scores_every_match(compiler):
    return getattr(compiler, "SCORES_EVERY_MATCH", False) and compiler.order_by_relevance


def SearchBackend(params):
    backend = database_backend(params)
    backend.results_class = type(backend.results_class.__name__, (MatchingQuerysetResults, backend.results_class), {})
    if connection.vendor == "sqlite" and backend.__class__.__name__ == "SQLiteSearchBackend":
        from modelsearch.backends.database.sqlite.sqlite import (
            SQLiteAutocompleteQueryCompiler,
            SQLiteSearchQueryCompiler,
        )

        class RankedSearchQueryCompiler(RankedSQLiteSearch, SQLiteSearchQueryCompiler):
            pass

        class RankedAutocompleteQueryCompiler(RankedSQLiteSearch, SQLiteAutocompleteQueryCompiler):
            SCORES_EVERY_MATCH = False

        backend.query_compiler_class = RankedSearchQueryCompiler
        backend.autocomplete_query_compiler_class = RankedAutocompleteQueryCompiler
        backend.indexed_terms = postings.indexed_terms
    elif backend.__class__.__name__ == "PostgresSearchBackend":
        backend.query_compiler_class = type(
            "EntryFirstSearchQueryCompiler", (EntryFirstPostgresSearch, backend.query_compiler_class), {}
        )
        backend.autocomplete_query_compiler_class = type(
            "EntryFirstAutocompleteQueryCompiler",
            (EntryFirstPostgresSearch, backend.autocomplete_query_compiler_class),
            {"ENTRY_COLUMNS": ["autocomplete"], "ANALYSED_TEXT_COLUMN": None, "SCORES_EVERY_MATCH": False},
        )
        backend.indexed_terms = postings.indexed_terms
    return backend
