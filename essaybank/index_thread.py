"""A committed chunk's search index written in a thread of its own while the import reads the next.

On PostgreSQL the writer would otherwise wait for the server while it writes a chunk's index
entries, their GIN indexes, postings and title prefixes; the thread waits on a connection of its
own, the GIL released, and the writer goes on (essaybank.batch.ImportBatch.chunk). A chunk's
records indexed this way are marked (UnindexedRecord) in the chunk's transaction, and the thread
deletes the marks in the transaction that writes their index: an import that stops between the two
leaves them marked, and the next import indexes them first (index_marked).
"""

import threading
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connections, transaction

from essaybank.models import UnindexedRecord


class IndexThread:
    """Runs one chunk's collected index writes (search.backends.later) at a time, in one
    transaction on this thread's own connection; wait() joins it and raises what it raised."""

    def __init__(self):
        self.thread = None
        self.error = None

    def start(self, writes, marks):
        """Run the writes, then delete the marks (UnindexedRecord ids), in the thread."""
        self.wait()
        self.thread = threading.Thread(target=self._write, args=(writes, marks), name="index-writer", daemon=True)
        self.thread.start()

    def _write(self, writes, marks):
        try:
            with transaction.atomic():
                for function, args in writes:
                    function(*args)
                unmark(marks)
        except BaseException as error:
            # Raised in the writer by wait(): an exception ending a thread is only printed.
            self.error = error
        finally:
            connections.close_all()

    def join(self):
        """Wait for the write started last; an error it raised is kept for wait()."""
        if self.thread is not None:
            self.thread.join()
            self.thread = None

    def wait(self):
        """Wait for the write started last; raise its error, if it failed."""
        self.join()
        if self.error is not None:
            error, self.error = self.error, None
            raise error


def mark(changed):
    """Mark the indexed records of {model: ids} as not yet indexed; returns the marks' ids."""
    marks = [
        UnindexedRecord(content_type=ContentType.objects.get_for_model(model), object_id=str(pk))
        for model, pks in changed.items()
        for pk in pks
    ]
    return [record.pk for record in UnindexedRecord.objects.bulk_create(marks)]


def marked():
    """The marks an earlier import left and {model: ids} of their records, in one query."""
    marks, found = [], defaultdict(set)
    rows = UnindexedRecord.objects.values_list("pk", "content_type_id", "object_id")
    for mark_id, content_type_id, object_id in rows:
        marks.append(mark_id)
        model = ContentType.objects.get_for_id(content_type_id).model_class()
        if model is not None:
            found[model].add(model._meta.pk.to_python(object_id))
    return marks, found


def unmark(marks):
    UnindexedRecord.objects.filter(pk__in=marks).delete()
