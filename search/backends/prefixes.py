"""Autocomplete of a short prefix ranked from the title-prefix table, on both databases.

A prefix of a few letters matches most titles of a large index, and the full-text index scores
every one of them to show eight: FTS5 merges the position lists of every term starting with it (body
terms too, then filtered by column) and runs bm25 per match, PostgreSQL runs ts_rank per match. The
table `search_titleprefix` (migration search 0005, written by triggers whenever the index entry
table is) holds one row per index entry and prefix of a word of its autocomplete text, with what the
full-text index ranks that entry by for the prefix, keyed so that the best rows of a prefix and
content type are the first of an index range.

- PostgreSQL: `rank`, the entry's ts_rank for the prefix query, which depends on the entry's own
  vector alone (no length normalisation), so it is computed once when the entry is written, with
  ts_rank's default weights: a model's autocomplete words all carry one weight, so the order is the
  one Wagtail's weights give.
- SQLite: FTS5's bm25 for a query of one prefix is `idf * hits * (K1 + 1) / (hits + K1 * (1 - B + B
  * size / average))`, where `hits` counts the autocomplete words starting with the prefix, `size`
  the entry's words in all its columns, and idf and the index's average size are the same for
  every row. The average changes with every entry written, so rows are kept by `hits` and then
  `size`, and a page of the best is merged from the first rows of each `hits`, scored with the
  average read from the FTS table at query time.

Ties keep the full-text index's order: the oldest entry first. Longer prefixes and queries of
several words are matched by the full-text index, which then finds few terms.
"""

import json

from django.db import connection
from modelsearch.query import PlainText
from modelsearch.utils import get_descendants_content_types_pks

from search.backends.postings import SQLITE_GIVEN_ENTRIES, TERM_RE
from search.backends.sqlite.functions import sqlite_trigger_function

TABLE = "search_titleprefix"
LENGTHS = range(2, 7)
# FTS5's bm25 constants.
K1 = 1.2
B = 0.75
FTS_DATA_TABLE = "wagtailsearch_indexentry_fts_data"
# The FTS5 record holding the row count and each column's total size.
FTS_AVERAGES_ID = 1


def prefixes_of(text):
    """Each prefix (LENGTHS letters, lower case) of the words of the text, with how many of its
    words start with it."""
    counts = {}
    for word in TERM_RE.findall(text.lower()):
        for length in LENGTHS:
            prefix = word[:length]
            if len(prefix) == length and prefix.isalpha():
                counts[prefix] = counts.get(prefix, 0) + 1
    return counts


def sqlite_rows(autocomplete, title, body, body_words=None):
    """[prefix, hits, size] of an SQLite index entry, as the table holds them; `body_words`, if
    given, is how many words TERM_RE finds in the body (postings.body_terms)."""
    if body_words is None:
        body_words = len(TERM_RE.findall(body or ""))
    size = sum(len(TERM_RE.findall(text or "")) for text in (autocomplete, title)) + body_words
    return [[prefix, hits, size] for prefix, hits in prefixes_of(autocomplete or "").items()]


# SQLite's triggers of migration search 0005 write each entry's rows from sqlite_rows.
register_sqlite_function = sqlite_trigger_function("search_title_prefixes", 3, sqlite_rows, "[]")


# Entries' rows in the table's order, as postings.SQLITE_WRITE writes the postings: `{entries}`
# are the entries, `{rows}` the JSON array of an entry's sqlite_rows.
SQLITE_WRITE = f"""
    INSERT OR REPLACE INTO {TABLE} (prefix, content_type_id, hits, size, entry_id, object_id)
    SELECT json_extract(row.value, '$[0]'), entry.content_type_id, json_extract(row.value, '$[1]'),
        json_extract(row.value, '$[2]'), entry.id, entry.object_id
    FROM {{entries}}, json_each({{rows}}) AS row
    ORDER BY 1, 2, 3, 4, 5
"""
# Every entry's rows.
SQLITE_REWRITE = [
    f"DELETE FROM {TABLE}",
    SQLITE_WRITE.format(
        entries="wagtailsearch_indexentry AS entry",
        rows="search_title_prefixes(entry.autocomplete, entry.title, entry.body)",
    ),
]


# The rows of the entries of a table, as the trigger of migration search 0005 writes each entry's,
# into `table` from `entries`, limited by `where` (as postings.POSTGRESQL_WRITE).
POSTGRESQL_WRITE = """
    INSERT INTO {table} (prefix, content_type_id, entry_id, object_id, rank)
    SELECT prefix, entry.content_type_id, entry.id, entry.object_id, rank
    FROM {entries} AS entry, search_title_prefixes_of(entry.autocomplete) {where}
"""


def rewrite_sqlite_prefixes(cursor):
    """Write the rows of every index entry again, on an SQLite connection whose triggers find
    prefixes (register_sqlite_function, not deferred)."""
    for statement in SQLITE_REWRITE:
        cursor.execute(statement)


def write_sqlite_prefixes(cursor, rows):
    """Write the rows of new index entries, {entry id: its sqlite_rows}, as
    postings.write_sqlite_postings the postings."""
    statement = SQLITE_WRITE.format(entries=SQLITE_GIVEN_ENTRIES, rows="given.value")
    cursor.execute(statement, [json.dumps(rows)])


def prefix_of(query):
    """The word of an autocomplete query of one short word, as typed, or None."""
    if not isinstance(query, PlainText):
        return None
    words = query.query_string.split()
    if len(words) != 1 or len(words[0]) not in LENGTHS or not words[0].isalpha():
        return None
    return words[0]


def ranked(query, model):
    """The model's entries matching an autocomplete query, best first, as a sequence of (object id,
    score) rows read a slice at a time (search.backends.database.best_matches), or None where the
    query is not one short prefix. The score is the database's own: bm25 (lower is better) on
    SQLite, ts_rank on PostgreSQL."""
    prefix = prefix_of(query)
    if prefix is None or connection.vendor not in RANKED:
        return None
    return RANKED[connection.vendor](prefix, list(get_descendants_content_types_pks(model)))


class PostgresRanked:
    def __init__(self, prefix, content_types):
        self.prefix, self.content_types = prefix, content_types

    def __getitem__(self, index):
        with connection.cursor() as cursor:
            cursor.execute(
                # Lower case as the `simple` configuration makes the typed prefix.
                f"SELECT object_id, rank FROM {TABLE} WHERE prefix = lower(%s) AND content_type_id = ANY(%s) "
                "ORDER BY rank DESC, entry_id LIMIT %s OFFSET %s",
                [self.prefix, self.content_types, index.stop - index.start, index.start],
            )
            return cursor.fetchall()


class SQLiteRanked:
    def __init__(self, prefix, content_types):
        # Lower case as FTS5's tokenizer folds the query's letters.
        self.prefix, self.content_types = prefix.lower(), content_types

    def __getitem__(self, index):
        """The rows of the slice: the first `stop` rows of each hit count, scored and merged."""
        rows = []
        with connection.cursor() as cursor:
            average = self._average_size(cursor)
            for content_type in self.content_types:
                hits = 0
                while True:
                    cursor.execute(
                        f"SELECT min(hits) FROM {TABLE} WHERE prefix = %s AND content_type_id = %s AND hits > %s",
                        [self.prefix, content_type, hits],
                    )
                    hits = cursor.fetchone()[0]
                    if hits is None:
                        break
                    cursor.execute(
                        f"SELECT entry_id, object_id, size FROM {TABLE} "
                        "WHERE prefix = %s AND content_type_id = %s AND hits = %s ORDER BY size, entry_id LIMIT %s",
                        [self.prefix, content_type, hits, index.stop],
                    )
                    rows += [
                        (-(hits * (K1 + 1) / (hits + K1 * (1 - B + B * size / average))), entry_id, object_id)
                        for entry_id, object_id, size in cursor.fetchall()
                    ]
        rows.sort()
        return [(object_id, score) for score, _entry_id, object_id in rows[index.start : index.stop]]

    @staticmethod
    def _average_size(cursor):
        """The FTS table's average size of an entry in words, as bm25 reads it: its averages
        record holds the row count and each column's total, as SQLite varints."""
        cursor.execute(f"SELECT block FROM {FTS_DATA_TABLE} WHERE id = %s", [FTS_AVERAGES_ID])
        row = cursor.fetchone()
        values = _varints(bytes(row[0])) if row else []
        if len(values) < 2 or values[0] <= 0:
            return 1.0
        return sum(values[1:]) / values[0]


def _varints(data):
    """The SQLite varints of the bytes: seven bits a byte, big-endian, the ninth byte whole."""
    values, value, count = [], 0, 0
    for byte in data:
        count += 1
        if count == 9:
            values.append((value << 8) | byte)
            value, count = 0, 0
        elif byte & 0x80:
            value = (value << 7) | (byte & 0x7F)
        else:
            values.append((value << 7) | byte)
            value, count = 0, 0
    return values


RANKED = {"postgresql": PostgresRanked, "sqlite": SQLiteRanked}
