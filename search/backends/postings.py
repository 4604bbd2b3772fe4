"""Ranking a query of words by BM25 from the postings table, on both databases (which queries
are so ranked: search.backends.sqlite and search.backends.postgres).

The table (search.models.Posting, written by migration search 0003) holds one row per index entry
and term: the entry's model and object and the term's weight in it, written by triggers whenever
the index entry table is. A query of words reads only its own terms' rows, from an index that holds
everything the ranking needs, where the full-text index would score every match from its whole
document.

A term's weight in an entry is BM25's saturated term frequency, `tf * (K1 + 1) / (tf + K1 * (1 - B
+ B * length / PIVOT))`: `tf` counts the term in the body once and in the title TITLE_WEIGHT
times, `length` is the number of distinct terms in the body. The pivot is a fixed typical length
instead of the index's average, so that a new entry does not change every other entry's weights.
An object's score is the sum over the terms it holds of their weights times their inverse
document frequency. PostgreSQL computes the weights in SQL from the vectors (the migration's
search_postings_of), SQLite in term_weights here; a test holds the two to the same figures.

The queries are SQL, not the ORM: each reads a term's postings as one row of joined strings that
numpy parses, and indexed_terms stops at a term's first row.
"""

import math
import re
from collections import Counter

import numpy as np
from django.db import connection, models
from modelsearch.query import And, PlainText

from search import caches
from search.backends.sqlite.functions import sqlite_trigger_function
from search.models import Posting

K1 = 1.2
B = 0.75
PIVOT = 250
TITLE_WEIGHT = 2

# A term as SQLite's and PostgreSQL's tokenizers both keep it whole: letters and digits.
TERM_RE = re.compile(r"[^\W_]+")

POSTINGS = Posting._meta.db_table

# Per database, an aggregate joining a column's values with commas: thousands of rows come back
# as one row of strings that numpy parses, not as thousands of Python tuples.
JOINED = {"sqlite": "group_concat({})", "postgresql": "string_agg({}::text, ',')"}


def body_terms(text):
    """Each term's count in a body text, and how many words TERM_RE finds in the text as it is
    (the title prefixes' sizes count those): one pass over the text for both."""
    # Split at white space, which no term holds, and only the pieces that are not one term already
    # (str.isalnum is what TERM_RE matches) searched for terms: an indexed body is mostly terms.
    counts = Counter(text.lower().split())
    for piece in [piece for piece in counts if not piece.isalnum()]:
        times = counts.pop(piece)
        for term in TERM_RE.findall(piece):
            counts[term] += times
    # Lower case splits a word only at U+0130 (İ becomes i and a combining dot): elsewhere as many words.
    words = counts.total() if "\u0130" not in text else len(TERM_RE.findall(text))
    return counts, words


def with_title(counts, title):
    """The tfs of an entry of this title whose body has these body_terms (added to in place), and
    the saturation's norm of its length (see the module's docstring)."""
    length = len(counts)
    for term in TERM_RE.findall(title.lower()):
        counts[term] += TITLE_WEIGHT
    return counts, K1 * (1 - B + B * length / PIVOT)


def term_frequencies(title, body):
    """Each term's tf in an entry of this title and body text, and the saturation's norm of its
    length (see the module's docstring)."""
    return with_title(body_terms(body)[0], title)


def term_weights(title, body):
    """Each term's weight in an entry of this title and body text (see the module's docstring)."""
    counts, norm = term_frequencies(title, body)
    return {term: _weight(tf, norm) for term, tf in counts.items()}


def _weight(tf, norm):
    return tf * (K1 + 1) / (tf + norm)


def term_weights_json(title, body):
    """term_weights as a JSON object."""
    return weights_json(*term_frequencies(title, body))


def weights_json(counts, norm):
    """The weights of these tfs with this norm (term_frequencies) as a JSON object. Each weight is
    written once per distinct tf, most terms sharing a few, and terms are letters and digits,
    which JSON takes as they are."""
    weights = {}
    for tf in counts.values():
        if tf not in weights:
            weights[tf] = repr(_weight(tf, norm))
    return "{" + ",".join(f'"{term}":{weights[tf]}' for term, tf in counts.items()) + "}"


# SQLite's triggers of migration search 0003 write each entry's postings from term_weights.
register_sqlite_function = sqlite_trigger_function(
    "search_term_weights", 2, lambda title, body: term_weights_json(title or "", body or ""), "{}", as_json=str
)


# Entries' postings in the table's order, as the trigger of migration search 0003 writes each
# entry's: rows inserted in key order fill its pages one after another, where each entry's own terms,
# written by its trigger, land all over the table. `{entries}` are the entries, `{weights}` the JSON
# object of an entry's term weights.
SQLITE_WRITE = f"""
    INSERT OR REPLACE INTO {POSTINGS} (term, content_type_id, object_id, weight)
    SELECT weights.key, entry.content_type_id, CAST(entry.object_id AS INTEGER), weights.value
    FROM {{entries}}, json_each({{weights}}) AS weights
    WHERE entry.object_id != '' AND entry.object_id NOT GLOB '*[^0-9]*' AND length(entry.object_id) <= 18
    ORDER BY 1, 2, 3
"""
# Every entry's postings.
SQLITE_REWRITE = [
    f"DELETE FROM {POSTINGS}",
    SQLITE_WRITE.format(
        entries="wagtailsearch_indexentry AS entry", weights="search_term_weights(entry.title, entry.body)"
    ),
]
# The entries a JSON object parameter holds, by id, each with what an entry's trigger function
# returns for it (its term weights, its title prefixes), computed before: `given.value`.
SQLITE_GIVEN_ENTRIES = "json_each(%s) AS given JOIN wagtailsearch_indexentry AS entry ON entry.id = given.key"


# The postings of the entries of a table, as the trigger of migration search 0003 writes each entry's,
# into `table` (a new postings table) from `entries` (a new entry table), limited by `where`.
POSTGRESQL_WRITE = """
    INSERT INTO {table} (entry_id, content_type_id, object_id, term, weight)
    SELECT entry.id, entry.content_type_id,
        CASE WHEN entry.object_id ~ '^[0-9]{{1,18}}$' THEN entry.object_id::bigint END, term, weight
    FROM {entries} AS entry, search_postings_of(entry.title, entry.body) {where}
"""


def rewrite_sqlite_postings(cursor):
    """Write the postings of every index entry again, on an SQLite connection whose triggers find
    terms (register_sqlite_function, not deferred)."""
    for statement in SQLITE_REWRITE:
        cursor.execute(statement)


def write_sqlite_postings(cursor, weights):
    """Write the postings of new index entries, {entry id: weights_json of its title and body}, as
    their triggers would have (an import's batch inserts its entries with the triggers deferred,
    search.backends.sqlite.index)."""
    statement = SQLITE_WRITE.format(entries=SQLITE_GIVEN_ENTRIES, weights="given.value")
    cursor.execute(statement, ["{" + ",".join(f'"{entry_id}":{text}' for entry_id, text in weights.items()) + "}"])


def numbered(model):
    """Whether the model's objects are numbered (an integer primary key, or a parent link to one):
    only such objects have postings."""
    pk = model._meta.pk
    field = pk.target_field if pk.is_relation else pk
    return isinstance(field, models.IntegerField | models.AutoField)


def ranked_clauses(query, model):
    """word_clauses of a query over a model whose objects the postings hold, else None."""
    return word_clauses(query) if numbered(model) else None


def word_clauses(query):
    """The terms of each word of a query of words alone (a PlainText, or an And of them), any of
    which the word matches; None for a query with a Phrase, a negation or a term the postings
    cannot stand for.

    A quoted phrase of two words comes as a PlainText of its lemma pair terms (search.engine
    build_query) and is a word here. A Phrase, the lemma sequences of a longer one, is left to the
    full-text index, which knows word positions.
    """
    if isinstance(query, PlainText):
        terms = [term.lower() for term in query.query_string.split()]
        if not terms or not all(TERM_RE.fullmatch(term) for term in terms):
            return None
        return [terms] if query.operator.lower() == "or" else [[term] for term in terms]
    if isinstance(query, And):
        clauses = [word_clauses(subquery) for subquery in query.subqueries]
        return None if None in clauses else [terms for clause in clauses for terms in clause]
    return None


def indexed_terms(terms):
    """Those of the terms some index entry holds, of any model; one query that looks each term up
    in the postings' index and stops at its first row."""
    terms = sorted(set(terms))
    if not terms:
        return set()
    rows = ", ".join(["(%s)"] * len(terms))
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT column1 FROM (VALUES {rows}) AS wanted "
            f"WHERE EXISTS (SELECT 1 FROM {POSTINGS} WHERE term = wanted.column1)",
            terms,
        )
        return {term for (term,) in cursor.fetchall()}


def term_counts(terms):
    """{term: how many index entries hold it} of those of the terms some entry holds, in one query."""
    terms = sorted(set(terms))
    if not terms:
        return {}
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT term, COUNT(*) FROM {POSTINGS} WHERE term IN ({', '.join(['%s'] * len(terms))}) GROUP BY term",
            terms,
        )
        return dict(cursor.fetchall())


def matched(content_types, clauses, entries):
    """(object ids, scores) of the objects of these content types that hold a term of every
    clause, in id order; `entries` is how many index entries there are (for the idfs)."""
    terms = list(dict.fromkeys(term for clause in clauses for term in clause))
    keys = {term: caches.database_key("term", term) for term in terms}
    counts = caches.counts.get_many(keys.values())
    # A term not counted lately is read for every model: its postings are its count of entries.
    counted = len(counts) == len(terms)
    found = _postings(terms, content_types if counted else None, content_types)
    if not counted:
        counts = {keys[term]: len(found[term][0]) if term in found else 0 for term in terms}
        caches.counts.set_many(counts)
    # A count is at least what was just read: a term counted before any text held it would
    # otherwise weigh as the rarest of terms until it is counted again.
    idfs = {term: _idf(max(counts.get(keys[term], 0), len(found[term][0])), entries) for term in found}
    ids = np.concatenate([found[term][0] for term in found] or [np.zeros(0, dtype=np.int64)])
    scores = np.concatenate([found[term][1] * idfs[term] for term in found] or [np.zeros(0)])
    # Postings of other models, read only to count, are marked -1.
    ours = ids >= 0
    size = int(ids.max(initial=-1)) + 1
    clauses_held = np.zeros(size, dtype=np.int64)
    for clause in clauses:
        held = np.zeros(size, dtype=bool)
        for term in set(clause) & found.keys():
            term_ids = found[term][0]
            held[term_ids[term_ids >= 0]] = True
        clauses_held += held
    every_clause = np.flatnonzero(clauses_held == len(clauses))
    return every_clause, np.bincount(ids[ours], weights=scores[ours], minlength=size)[every_clause]


# A weight travels as an integer number of millionths: numpy parses integers from text several
# times faster than floats.
WEIGHT_UNITS = 1_000_000


def _postings(terms, content_types, wanted):
    """{term: (object ids, weights)} of the terms' postings, arrays: of the content types, or of
    every model if `content_types` is None, with the object id of a model not `wanted` as -1."""
    joined = JOINED[connection.vendor]
    ours = ", ".join(str(int(content_type)) for content_type in wanted) or "NULL"
    object_id = f"CASE WHEN content_type_id IN ({ours}) AND object_id IS NOT NULL THEN object_id ELSE -1 END"
    weight = f"CAST(round(weight * {WEIGHT_UNITS}) AS bigint)"
    sql = (
        f"SELECT term, {joined.format(object_id)}, {joined.format(weight)} FROM {POSTINGS} "
        f"WHERE term IN ({', '.join(['%s'] * len(terms))})"
        + ("" if content_types is None else f" AND content_type_id IN ({ours})")
        + " GROUP BY term"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, terms)
        return {
            term: (
                np.fromstring(ids, dtype=np.int64, sep=","),
                np.fromstring(weights, dtype=np.int64, sep=",") / WEIGHT_UNITS,
            )
            for term, ids, weights in cursor.fetchall()
        }


def _idf(count, entries):
    """BM25's inverse document frequency of a term that `count` of the `entries` index entries hold."""
    return math.log(1 + (max(entries, count) - count + 0.5) / (count + 0.5))
