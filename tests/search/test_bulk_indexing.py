"""The index written in bulk (update_index, an import's batch, search.backends.writes) holds the
same rows as Wagtail's own index classes write, object by object: every index entry, full-text row,
posting and title prefix."""

import pytest
from django.core.management import call_command
from django.db import DEFAULT_DB_ALIAS, connection, connections, transaction
from django.test import override_settings
from modelsearch.backends import get_search_backend
from modelsearch.index import get_indexed_models
from wagtail.search.models import IndexEntry

from essaybank.importer import Importer
from essays.models import Book, EssayPage
from tests.essaybank.test_importer import essay_record, lines
from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory, PersonFactory, paragraphs, words
from tests.search.conftest import on_cluster

pytestmark = pytest.mark.skipif(on_cluster(), reason="the database backends' own index tables")

STOCK_BACKENDS = {
    "sqlite": "modelsearch.backends.database.sqlite.sqlite.SQLiteSearchBackend",
    "postgresql": "modelsearch.backends.database.postgres.postgres.PostgresSearchBackend",
}


def stock_backend():
    """Wagtail's own backend for the database, which writes the index object by object."""
    return get_search_backend(STOCK_BACKENDS[connection.vendor], SEARCH_CONFIG="simple")


def stock_settings():
    return override_settings(
        WAGTAILSEARCH_BACKENDS={"default": {"BACKEND": STOCK_BACKENDS[connection.vendor], "SEARCH_CONFIG": "simple"}}
    )


def query(sql):
    with connection.cursor() as cursor:
        cursor.execute(sql)
        return cursor.fetchall()


def stored_rows():
    """Every row of the index, keyed by the object it stands for rather than by entry id, which
    differs between two writes of the same index."""
    entry_columns = "title, autocomplete, body, title_norm"
    if connection.vendor == "postgresql":
        entry_columns += ", title_text, body_text"
    entries = query(f"SELECT content_type_id, object_id, {entry_columns} FROM wagtailsearch_indexentry")
    rows = {"entries": sorted(tuple(str(value) for value in row) for row in entries)}
    if connection.vendor == "sqlite":
        rows["fts"] = sorted(
            query(
                "SELECT entry.content_type_id, entry.object_id, fts.title, fts.body, fts.autocomplete "
                "FROM wagtailsearch_indexentry_fts AS fts "
                "LEFT JOIN wagtailsearch_indexentry AS entry ON entry.id = fts.rowid"
            ),
            key=repr,
        )
        postings = "SELECT term, content_type_id, object_id, weight FROM search_posting"
    else:
        postings = (
            "SELECT term, posting.content_type_id, posting.object_id, weight, entry.content_type_id, entry.object_id "
            "FROM search_posting AS posting LEFT JOIN wagtailsearch_indexentry AS entry ON entry.id = posting.entry_id"
        )
    rows["postings"] = sorted(query(postings), key=repr)
    prefix_columns = "hits, size" if connection.vendor == "sqlite" else "rank"
    rows["title prefixes"] = sorted(
        query(f"SELECT prefix, content_type_id, object_id, {prefix_columns} FROM search_titleprefix"), key=repr
    )
    return rows


def emptied_index():
    IndexEntry.objects.all().delete()
    assert stored_rows()["postings"] == stored_rows()["title prefixes"] == []


def indexed_one_by_one():
    """The rows Wagtail's own index class writes, each object indexed by itself, title norms
    refreshed as a full rebuild ends."""
    index = stock_backend().get_index_for_model(EssayPage)
    for model in get_indexed_models():
        for obj in model.get_indexed_objects():
            index.add_items(model, [obj])
    index._refresh_title_norms(full=True)
    return stored_rows()


@pytest.fixture
def essays(site_tree):
    """Essays with several authors, books and tags each, a book with authors, and a concept."""
    people = [PersonFactory(name=name) for name in ("Anna Virtanen", "Kalle Simonen", "Liisa Kortesuo")]
    books = [BookFactory(title="Strategiana asiakaskokemus"), BookFactory(title="Palvelumuotoilun käsikirja")]
    ConceptPageFactory(title="Asiakaskokemus")
    texts = [
        "Asiakaskokemus syntyy jokaisessa kohtaamisessa, ja tietosuoja-asetuskin vaikuttaa siihen.",
        "Kahnemanin huippu–loppu-sääntö kertoo, mitä asiakas muistaa palvelusta.",
        "Sää ei saa pettää: kotiottelun yleisö odottaa 1 000 katsojaa.",
        "Palvelumuotoilu ja asiakasymmärrys kulkevat käsi kädessä Kortesuon mukaan.",
    ]
    return [
        EssayPageFactory(
            title=f"Essee {number}: {text.split()[0]}",
            body=paragraphs(text, "Toinen kappale kertoo tiimistä ja oppimisesta."),
            authors=people[number % 3 : number % 3 + 2],
            books=books[: number % 2 + 1],
            tags=[f"aihe {number}", "asiakaskokemus"],
        )
        for number, text in enumerate(texts)
    ]


@pytest.mark.django_db
def test_update_index_writes_the_rows_of_wagtails_own_index(essays):
    emptied_index()
    with stock_settings():
        call_command("update_index", verbosity=0)
    stock = stored_rows()
    emptied_index()
    call_command("update_index", verbosity=0)
    assert stored_rows() == stock


@pytest.mark.django_db
def test_update_index_over_an_outdated_index_writes_the_rows_of_a_fresh_one(essays):
    call_command("update_index", verbosity=0)
    # Written past the signals, as an import or a migration would: the index is left behind.
    EssayPage.objects.filter(pk=essays[0].pk).update(title="Uusi otsikko kotiottelusta")
    Book.objects.filter(pk=essays[1].book_sources.first().book_id).update(title="Asiakasymmärryksen kirja")
    call_command("update_index", verbosity=0)
    rebuilt = stored_rows()
    emptied_index()
    with stock_settings():
        call_command("update_index", verbosity=0)
    assert rebuilt == stored_rows()


@pytest.mark.django_db
def test_a_batch_indexed_at_once_holds_the_rows_of_each_object_indexed_alone(essays):
    emptied_index()
    one_by_one = indexed_one_by_one()
    emptied_index()
    backend = get_search_backend()
    for model in get_indexed_models():
        objects = list(model.get_indexed_objects())
        if objects:
            backend.add_bulk(model, objects)
    backend.get_index_for_model(EssayPage)._refresh_title_norms(full=True)
    assert stored_rows() == one_by_one


def rows_of(obj, rows):
    """The rows of stored_rows() that stand for one object, its entry without the title norm (the
    average title length of the entries written before it)."""
    key = (obj.content_type_id, str(obj.pk))
    return {
        "entries": [row[:5] + row[6:] for row in rows["entries"] if row[:2] == tuple(map(str, key))],
        "fts": [row for row in rows.get("fts", []) if row[:2] == key],
        "postings": [row for row in rows["postings"] if (row[1], str(row[2])) == key],
    }


@pytest.mark.django_db
def test_a_page_saved_alone_holds_the_rows_wagtails_index_writes_for_it(essays):
    essay = essays[2]
    essay.body = paragraphs("Kotiottelun yleisö muistaa asiakaskokemuksen huipun.")
    essay.save()
    saved = rows_of(essay, stored_rows())
    emptied_index()
    stock_backend().add(essay)
    stock = rows_of(essay, stored_rows())
    assert saved == stock
    assert "kotiottelu" in {term for term, *_rest in saved["postings"]}


@pytest.mark.django_db
def test_an_unchanged_entry_is_not_written_again(essays):
    call_command("update_index", verbosity=0)
    before = dict(IndexEntry.objects.values_list("pk", "title_norm"))
    IndexEntry.objects.update(title_norm=0.5)
    get_search_backend().add_bulk(EssayPage, list(EssayPage.objects.all()))
    # The rows are left as they were, their title norm the one written last.
    assert set(IndexEntry.objects.values_list("title_norm", flat=True)) == {0.5}
    assert set(before) == set(IndexEntry.objects.values_list("pk", flat=True))


@pytest.mark.django_db
def test_update_index_over_more_objects_than_a_chunk_indexes_each_once(essays):
    emptied_index()
    call_command("update_index", verbosity=0, chunk_size=3)
    chunked = stored_rows()
    emptied_index()
    with stock_settings():
        # The same chunks for both, since a tag's place among an essay's tags follows the query plan.
        call_command("update_index", verbosity=0, chunk_size=3)
    assert chunked == stored_rows()


@pytest.mark.django_db
def test_a_page_saved_after_update_index_gets_its_postings_and_title_prefixes(essays):
    call_command("update_index", verbosity=0)
    essay = essays[0]
    essay.title = "Ulapalla purjehtiminen"
    essay.body = paragraphs("Ulappa aukeaa purjehtijan edessä.")
    essay.save()
    rows = stored_rows()
    assert any(term == "ulappa" and object_id == essay.pk for term, _type, object_id, *_rest in rows["postings"])
    assert any(
        prefix == "ul" and object_id == str(essay.pk) for prefix, _type, object_id, *_ in rows["title prefixes"]
    )


def entry_updates():
    """(updates, of which in place) of the index entry table so far in this transaction."""
    return query(
        "SELECT n_tup_upd, n_tup_hot_upd FROM pg_stat_xact_user_tables WHERE relname = 'wagtailsearch_indexentry'"
    )[0]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's in-place (HOT) updates")
def test_a_batch_refreshes_its_title_norms_in_place_without_touching_the_entries_indexes(essays):
    """A batch's entries get their norms after they are written; with full pages each refresh wrote
    the entry's vectors into the GIN indexes again. (update_index writes its norms into a table
    whose GIN indexes are built afterwards, tests/search/test_postgres_rebuild.py.)"""
    batch = [
        EssayPageFactory(title=f"Pitkä essee {words(number % 5)}", body=paragraphs(words(150 + number)))
        for number in range(16)
    ]
    emptied_index()
    updates, in_place = entry_updates()
    get_search_backend().add_bulk(EssayPage, batch)
    updates_after, in_place_after = entry_updates()
    refreshed, refreshed_in_place = updates_after - updates, in_place_after - in_place
    assert refreshed >= 16
    assert refreshed_in_place == refreshed


def trigger_table_rows(objects=None):
    """The rows of stored_rows() that the entries' triggers write (and update_index rewrites), of
    every object or of those of `objects`, a set of (content type id, object id)."""
    rows = stored_rows()
    return {
        name: [row for row in rows[name] if objects is None or (row[1], int(row[2])) in objects]
        for name in ("postings", "title prefixes")
    }


def imported_essays(count):
    """JSON Lines of `count` essays, each with words of its own, and two records that fail."""
    records = [
        essay_record(f"essee-{number}", title=f"Essee {number}: {words(number % 4 + 2)}", body=words(80 + number))
        for number in range(count)
    ]
    records.insert(2, essay_record("huono-pvm", written="26.13.2018"))
    records.insert(4, essay_record("tuntematon-tyyppi", essay_type="runo"))
    return lines(*records)


@pytest.mark.django_db
def test_an_import_writes_the_postings_and_title_prefixes_update_index_writes(site_tree):
    report = Importer().run(imported_essays(6))
    assert report.created == 6
    # Objects an import leaves unindexed (a tag) are not its postings to compare.
    imported_objects = {
        (content_type, int(object_id))
        for content_type, object_id in IndexEntry.objects.values_list("content_type", "object_id")
    }
    imported = trigger_table_rows(imported_objects)
    assert len({object_id for _term, content_type, object_id, *_ in imported["postings"]}) >= 6
    call_command("update_index", verbosity=0)
    assert trigger_table_rows(imported_objects) == imported


@pytest.mark.django_db
def test_a_batch_over_outdated_entries_rewrites_their_postings_as_update_index_does(essays):
    call_command("update_index", verbosity=0)
    # Written past the signals, as an import would: the entries are left behind.
    for essay in essays:
        EssayPage.objects.filter(pk=essay.pk).update(title=f"Ulapalla {essay.pk}: purjehtiminen")
    get_search_backend().add_bulk(EssayPage, list(EssayPage.objects.filter(pk__in=[essay.pk for essay in essays])))
    batch = trigger_table_rows()
    essay_ids = {str(essay.pk) for essay in essays}
    assert not any(
        prefix == "essee" and object_id in essay_ids for prefix, _type, object_id, *_ in batch["title prefixes"]
    )
    call_command("update_index", verbosity=0)
    assert trigger_table_rows() == batch


@pytest.mark.django_db
def test_a_batch_of_texts_with_a_dotted_capital_i_writes_the_rows_update_index_writes(site_tree):
    """Lower case splits a word at İ, so a batch counts such a body's words for the title prefixes
    from the text as it is, as the triggers do."""
    essays = [
        EssayPageFactory(
            title=f"İstanbul {number}", body=paragraphs(f"İzmirin {number} İİ-kokous ja iİi Istanbulissa.")
        )
        for number in range(3)
    ]
    objects = {(essay.content_type_id, essay.pk) for essay in essays}
    emptied_index()
    get_search_backend().add_bulk(EssayPage, essays)
    batch = trigger_table_rows(objects)
    assert batch["postings"] and batch["title prefixes"]
    call_command("update_index", verbosity=0)
    assert trigger_table_rows(objects) == batch


@pytest.mark.django_db
def test_a_batch_rolled_back_leaves_no_postings_or_title_prefixes(essays):
    emptied_index()

    class RolledBack(Exception):
        pass

    with pytest.raises(RolledBack), transaction.atomic():
        get_search_backend().add_bulk(EssayPage, essays)
        assert trigger_table_rows()["postings"]
        raise RolledBack
    assert trigger_table_rows() == {"postings": [], "title prefixes": []}


@pytest.mark.django_db
def test_a_page_saved_after_a_batch_on_the_same_connection_gets_its_postings(essays):
    emptied_index()
    get_search_backend().add_bulk(EssayPage, essays[1:])
    essays[0].save()
    rows = trigger_table_rows()
    assert any(object_id == essays[0].pk for _term, _type, object_id, *_rest in rows["postings"])
    assert any(object_id == str(essays[0].pk) for _prefix, _type, object_id, *_rest in rows["title prefixes"])


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's trigger functions, registered per connection")
def test_an_entry_written_by_another_connection_while_a_batch_defers_gets_its_postings(essays):
    """An editor saving in the admin while an import writes its batch."""
    # Only SQLite's index module can be imported on SQLite.
    from search.backends.sqlite.index import deferred_trigger_tables

    emptied_index()
    editor = connections.create_connection(DEFAULT_DB_ALIAS)
    try:
        with deferred_trigger_tables(connection), editor.cursor() as cursor:
            cursor.execute(
                "INSERT INTO wagtailsearch_indexentry (content_type_id, object_id, title, autocomplete, body, "
                "title_norm) VALUES (%s, %s, 'Ulappa', 'Ulappa', 'ulappa aukeaa', 1.0)",
                [essays[0].content_type_id, str(essays[0].pk)],
            )
    finally:
        editor.close()
    rows = trigger_table_rows()
    assert ("ulappa", essays[0].content_type_id, essays[0].pk) in {tuple(row[:3]) for row in rows["postings"]}
    assert any(prefix == "ul" for prefix, *_rest in rows["title prefixes"])
