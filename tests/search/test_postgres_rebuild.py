"""update_index on PostgreSQL writes new entry, postings and title-prefix tables and swaps them in
(search.backends.postgres.rebuild): the tables keep their indexes, constraints and triggers, searches
answer from the old index until the swap, and writes made meanwhile are kept."""

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models

from essays.models import EssayPage
from search.backends import postings, prefixes
from search.backends.postgres.rebuild import ENTRIES, REBUILD_LOCK, TableSwappingRebuilder
from tests.factories import EssayPageFactory, paragraphs
from tests.search.test_bulk_indexing import essays, stored_rows
from tests.search.test_postings import hit_titles

pytestmark = pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's rebuild into new tables")

__all__ = ["essays"]

TABLES = (ENTRIES, postings.POSTINGS, prefixes.TABLE)


@pytest.fixture(autouse=True)
def rebuild_lock_released(db):
    """A rebuild left unfinished keeps its session's lock, which the process's end would release."""
    yield
    query("SELECT pg_advisory_unlock_all()")


def query(sql, params=()):
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def schema():
    """Each table's index definitions, constraints, triggers and storage options, by name."""
    tables = list(TABLES)
    return {
        "indexes": query_sorted(
            "SELECT tablename, indexname, indexdef FROM pg_indexes WHERE tablename = ANY(%s)", tables
        ),
        "constraints": query_sorted(
            "SELECT conrelid::regclass::text, conname, pg_get_constraintdef(oid) FROM pg_constraint "
            "WHERE conrelid::regclass::text = ANY(%s)",
            tables,
        ),
        "triggers": query_sorted(
            "SELECT tgrelid::regclass::text, tgname, pg_get_triggerdef(oid) FROM pg_trigger "
            "WHERE tgrelid::regclass::text = ANY(%s) AND NOT tgisinternal",
            tables,
        ),
        "storage": query_sorted("SELECT relname, reloptions FROM pg_class WHERE relname = ANY(%s)", tables),
        "sequence": query_sorted("SELECT pg_get_serial_sequence(%s, 'id')", ENTRIES),
    }


def query_sorted(sql, param):
    return sorted(query(sql, [param]), key=repr)


def started_rebuild():
    """A rebuild started and every indexed object written to its new table, not finished."""
    backend = get_search_backend()
    rebuilder = backend.rebuilder_class(backend.get_index_for_model(EssayPage))
    index = rebuilder.start()
    for model in get_indexed_models():
        objects = list(model.get_indexed_objects())
        if objects:
            index.add_items(model, objects)
    return rebuilder


def test_update_index_leaves_the_tables_indexes_constraints_and_triggers_as_they_were(essays):
    before = schema()
    assert len(before["indexes"]) >= 11 and before["triggers"]
    call_command("update_index", verbosity=0)
    assert schema() == before


def test_update_index_leaves_no_table_of_its_own_behind(essays):
    call_command("update_index", verbosity=0)
    leftovers = query("SELECT relname FROM pg_class WHERE relname LIKE %s", ["%rebuil%"])
    assert leftovers == []


def test_a_search_during_a_rebuild_answers_from_the_index_before_it(essays):
    call_command("update_index", verbosity=0)
    found = len(hit_titles("asiakaskokemus"))
    assert found
    EssayPage.objects.filter(pk=essays[0].pk).update(title="Purjehdus ulapalla")
    started_rebuild()
    assert len(hit_titles("asiakaskokemus")) == found
    assert hit_titles("purjehdus") == []


def test_a_finished_rebuild_answers_from_the_new_index(essays):
    call_command("update_index", verbosity=0)
    EssayPage.objects.filter(pk=essays[0].pk).update(title="Purjehdus ulapalla")
    started_rebuild().finish()
    assert hit_titles("purjehdus") == ["Purjehdus ulapalla"]


def test_an_interrupted_rebuild_leaves_the_index_as_it_was_and_the_next_one_finishes(essays):
    call_command("update_index", verbosity=0)
    rows = stored_rows()
    started_rebuild()
    assert stored_rows() == rows
    assert hit_titles("asiakaskokemus")
    call_command("update_index", verbosity=0)
    assert stored_rows() == rows


def test_a_page_saved_during_a_rebuild_keeps_its_new_text(essays):
    call_command("update_index", verbosity=0)
    rebuilder = started_rebuild()
    essay = essays[1]
    essay.title = "Ulapalla purjehtiminen"
    essay.body = paragraphs("Ulappa aukeaa purjehtijan edessä.")
    essay.save()
    rebuilder.finish()
    assert hit_titles("ulappa") == ["Ulapalla purjehtiminen"]
    assert any(
        prefix == "ul" and object_id == str(essay.pk) for prefix, _, object_id, _ in stored_rows()["title prefixes"]
    )


def test_a_page_deleted_during_a_rebuild_is_not_found_after_it(essays):
    call_command("update_index", verbosity=0)
    extra = EssayPageFactory(title="Kalastus järvellä", body=paragraphs("Kalastaja soutaa järvellä."))
    call_command("update_index", verbosity=0)
    assert hit_titles("kalastus") == ["Kalastus järvellä"]
    rebuilder = started_rebuild()
    extra.delete()
    rebuilder.finish()
    assert query(f"SELECT count(*) FROM {ENTRIES} WHERE object_id = %s", [str(extra.pk)]) == [(0,)]


def test_the_rebuilt_index_holds_the_rows_of_one_written_in_place(essays):
    call_command("update_index", verbosity=0)
    rows = stored_rows()
    call_command("update_index", verbosity=0)
    assert stored_rows() == rows


def test_a_second_rebuild_while_one_runs_in_another_session_is_refused(essays):
    other = connection.copy()
    try:
        with other.cursor() as cursor:
            cursor.execute("SELECT pg_try_advisory_lock(%s)", [REBUILD_LOCK])
            assert cursor.fetchone() == (True,)
        with pytest.raises(CommandError, match="Another update_index"):
            TableSwappingRebuilder(get_search_backend().get_index_for_model(EssayPage)).start()
    finally:
        other.close()


def test_the_entries_are_written_into_a_table_without_their_gin_indexes(essays):
    """Each GIN index is built once its table is full, not written entry by entry."""
    rebuilder = started_rebuild()
    written = query("SELECT indexdef FROM pg_indexes WHERE tablename = %s", [rebuilder.entries.name])
    assert written and not any("USING gin" in definition for (definition,) in written)
    rebuilder.finish()
    assert (
        len(query("SELECT 1 FROM pg_indexes WHERE tablename = %s AND indexdef LIKE %s", [ENTRIES, "%USING gin%"])) == 4
    )
