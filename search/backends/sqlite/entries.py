"""Which object each SQLite index entry stands for, held in this process: the FTS table yields entry
ids, and reading each match's entry row to learn its object would cost a scattered read per match."""

import threading

import numpy as np
from django.db import connection
from wagtail.search.models import IndexEntry


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
