"""On PostgreSQL an import writes each committed chunk's search index in a thread of its own while
it reads the next (essaybank.index_thread): the same index as written in the chunk's transaction,
an error there failing the import, and what an interrupted import left unindexed indexed by the next."""

import threading

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import DataError, connection, transaction
from wagtail.search.models import IndexEntry

from essaybank import index_thread
from essaybank.importer import Importer
from essaybank.models import UnindexedRecord
from essays.models import EssayPage
from search.backends.postgres.index import BulkPostgresIndex
from tests.essaybank.test_import_workers import essay_line

pytestmark = [
    pytest.mark.skipif(connection.vendor != "postgresql", reason="the index thread runs on PostgreSQL only"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
    pytest.mark.usefixtures("site_tree"),
]

LINES = [essay_line(number) for number in range(1, 8)]


def import_lines(lines=LINES):
    importer = Importer()
    importer.chunk_size = 3
    return importer.run(lines)


def index_rows():
    """The entries, postings and title prefixes, each row named by its entry's title instead of ids."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT content_type_id, title_text, body_text, title::text, autocomplete::text, body::text, title_norm "
            "FROM wagtailsearch_indexentry ORDER BY 1, 2, 3, 4, 5, 6, 7"
        )
        entries = cursor.fetchall()
        cursor.execute(
            "SELECT entry.title_text, posting.term, posting.weight FROM search_posting posting "
            "JOIN wagtailsearch_indexentry entry ON entry.id = posting.entry_id ORDER BY 1, 2, 3"
        )
        postings = cursor.fetchall()
        cursor.execute(
            "SELECT entry.title_text, prefix.prefix, prefix.rank FROM search_titleprefix prefix "
            "JOIN wagtailsearch_indexentry entry ON entry.id = prefix.entry_id ORDER BY 1, 2, 3"
        )
        return entries, postings, cursor.fetchall()


@pytest.fixture
def writing_threads(monkeypatch):
    """The threads the index entries of the import are written in."""
    threads = []
    write = BulkPostgresIndex.write

    def noted(self, *args):
        threads.append(threading.current_thread())
        return write(self, *args)

    monkeypatch.setattr(BulkPostgresIndex, "write", noted)
    return threads


def fail_in_thread(monkeypatch):
    write = BulkPostgresIndex.write

    def failing(self, *args):
        if threading.current_thread() is not threading.main_thread():
            raise RuntimeError("levy täynnä")
        return write(self, *args)

    monkeypatch.setattr(BulkPostgresIndex, "write", failing)


def test_a_committed_chunks_index_is_written_in_the_index_thread(writing_threads):
    import_lines()
    assert writing_threads and threading.main_thread() not in writing_threads[:-1]


def test_the_thread_writes_the_index_a_chunk_writes_in_its_own_transaction():
    with transaction.atomic():
        import_lines()
        in_transaction = index_rows()
        transaction.set_rollback(True)
    import_lines()
    assert index_rows() == in_transaction
    assert len(in_transaction[0]) > len(LINES) and in_transaction[1] and in_transaction[2]


def test_within_a_transaction_the_index_is_written_in_it(writing_threads):
    with transaction.atomic():
        import_lines()
    assert set(writing_threads) == {threading.main_thread()}


def test_an_error_writing_the_index_in_the_thread_fails_the_import(monkeypatch):
    fail_in_thread(monkeypatch)
    with pytest.raises(RuntimeError, match="levy täynnä"):
        import_lines()


def test_an_error_in_the_thread_rolls_back_the_chunk_being_read_and_leaves_the_committed_one_marked(monkeypatch):
    fail_in_thread(monkeypatch)
    with pytest.raises(RuntimeError):
        import_lines()
    # The first chunk is committed; the second waits for the first's index before its commit.
    assert EssayPage.objects.count() == 3
    _marks, marked = index_thread.marked()
    assert set(marked[EssayPage]) == set(EssayPage.objects.values_list("pk", flat=True))


def test_the_next_import_indexes_what_an_interrupted_one_left_marked(monkeypatch):
    fail_in_thread(monkeypatch)
    with pytest.raises(RuntimeError):
        import_lines()
    monkeypatch.undo()
    import_lines([])
    assert not UnindexedRecord.objects.exists()
    indexed = IndexEntry.objects.filter(content_type=ContentType.objects.get_for_model(EssayPage))
    assert sorted(map(int, indexed.values_list("object_id", flat=True))) == sorted(
        EssayPage.objects.values_list("pk", flat=True)
    )


def test_a_finished_import_leaves_no_marks():
    import_lines()
    assert not UnindexedRecord.objects.exists()


def test_an_import_goes_on_when_what_an_earlier_one_left_marked_cannot_be_indexed(monkeypatch):
    fail_in_thread(monkeypatch)
    with pytest.raises(RuntimeError):
        import_lines()
    monkeypatch.undo()
    left = set(UnindexedRecord.objects.values_list("pk", flat=True))

    def too_long(self, *args):
        raise DataError("string is too long for tsvector")

    monkeypatch.setattr(BulkPostgresIndex, "write", too_long)
    report = Importer().run([])
    assert any("string is too long for tsvector" in notice for notice in report.notices)
    assert set(UnindexedRecord.objects.values_list("pk", flat=True)) == left
