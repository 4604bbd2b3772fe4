"""Autocomplete of short prefixes from the title-prefix table (search.backends.prefixes, migration
search 0005): the same suggestions, in the same order, as the full-text index ranks them, hidden
essays never among them, and the table kept current by every way the index is written."""

import importlib

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend
from modelsearch.utils import get_descendants_content_types_pks
from wagtail.models import PageViewRestriction
from wagtail.search.models import IndexEntry

from essays.models import Book, EssayPage, Person
from search.engine import autocomplete
from tests.factories import (
    BookFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    UserFactory,
    paragraphs,
)
from tests.search.conftest import on_cluster

on_the_databases = pytest.mark.skipif(
    on_cluster(), reason="the database backends' title-prefix table; the SQLite and PostgreSQL suites run it"
)

# Titles whose prefixes recur in one title and across them, with ä and ö, in bodies of different
# lengths, so hit counts and sizes both decide the order.
TITLES = [
    "Äänestys ja äänivalta yhteisössä",
    "Äänen käyttö esiintymisessä",
    "Työn tuottavuus ja työhyvinvointi",
    "Työ",
    "Tuottavuuden mittaaminen työssä ja työyhteisössä",
    "Strategia ja sen toteutus käytännön työssä",
    "Strategia",
    "Strateginen johtaminen strategialla",
    "Öljyn hinta ja öljyriippuvuus",
    "Sähköinen asiointi",
    "Säännöt ja sääntely",
    "Saatavuus",
]
PREFIXES = [
    "ää",
    "Ää",
    "ään",
    "äänt",
    "ty",
    "työ",
    "TYÖ",
    "tuo",
    "st",
    "stra",
    "strat",
    "strate",
    "strateg",
    "öl",
    "sä",
    "sa",
    "saa",
    "x",
]


@pytest.fixture
def titled(site_tree):
    """Essays, concepts, books and people under TITLES, each essay's body longer than the last."""
    for number, title in enumerate(TITLES):
        EssayPageFactory(title=title, body=paragraphs(" ".join(["Asiakaskokemus syntyy."] * (1 + number % 5))))
    for title in TITLES[::3]:
        ConceptPageFactory(title=title.lower())
        BookFactory(title=title)
    for title in TITLES[1::4]:
        PersonFactory(name=title)


def full_text_order(model, prefix):
    """Object ids of the model's index entries matching the prefix, best first, as the full-text
    index ranks them (SQLite's bm25 over the FTS table, PostgreSQL's ts_rank), oldest first among
    equals."""
    content_types = list(get_descendants_content_types_pks(model))
    placeholders = ", ".join(["%s"] * len(content_types))
    if connection.vendor == "sqlite":
        sql = (
            "SELECT entry.object_id FROM wagtailsearch_indexentry_fts AS fts "
            "JOIN wagtailsearch_indexentry AS entry ON entry.id = fts.rowid "
            f"WHERE wagtailsearch_indexentry_fts MATCH %s AND entry.content_type_id IN ({placeholders}) "
            "ORDER BY bm25(wagtailsearch_indexentry_fts, 1.0, 1.0, 2.0), entry.id"
        )
        params = [f'{{autocomplete}}: "{prefix}"*', *content_types]
    else:
        sql = (
            "SELECT object_id FROM wagtailsearch_indexentry "
            f"WHERE autocomplete @@ to_tsquery('simple', %s) AND content_type_id IN ({placeholders}) "
            "ORDER BY ts_rank(autocomplete, to_tsquery('simple', %s)) DESC, id"
        )
        params = [f"'{prefix}':*", *content_types, f"'{prefix}':*"]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return [int(object_id) for (object_id,) in cursor.fetchall()]


def suggested_ids(queryset, prefix):
    return [obj.pk for obj in get_search_backend().autocomplete(prefix, queryset, operator="and")[:8]]


QUERYSETS = {
    "readable essays": lambda: EssayPage.objects.readable_by_anyone(),
    "live essays": lambda: EssayPage.objects.live(),
    "books": lambda: Book.objects.all(),
    "people": lambda: Person.objects.all(),
}


@on_the_databases
@pytest.mark.django_db
@pytest.mark.parametrize("kind", QUERYSETS)
def test_short_prefix_suggestions_rank_as_the_full_text_index(titled, kind):
    queryset = QUERYSETS[kind]()
    members = set(queryset.values_list("pk", flat=True))
    for prefix in PREFIXES:
        expected = [pk for pk in full_text_order(queryset.model, prefix.lower()) if pk in members][:8]
        assert suggested_ids(queryset, prefix) == expected, prefix


@on_the_databases
@pytest.mark.django_db
def test_short_prefix_is_read_from_the_title_prefix_table(titled):
    """A two-letter prefix asks neither the FTS table nor a tsvector."""
    with CaptureQueriesContext(connection) as queries:
        found = suggested_ids(EssayPage.objects.readable_by_anyone(), "ty")
    assert found
    matching = [q["sql"] for q in queries.captured_queries if "MATCH" in q["sql"] or "@@" in q["sql"]]
    assert matching == []
    assert any("search_titleprefix" in q["sql"] for q in queries.captured_queries)


@pytest.mark.django_db
def test_hidden_essays_are_never_suggested_for_a_short_prefix(site_tree):
    public = EssayPageFactory(title="Sävelten salaisuudet")
    EssayPageFactory(title="Sävelten suojattu puoli", visibility=EssayPage.Visibility.PROTECTED)
    EssayPageFactory(title="Sävelten yhteisö", visibility=EssayPage.Visibility.COMMUNITY)
    EssayPageFactory(title="Sävelten luonnos").unpublish()
    restricted = EssayPageFactory(title="Sävelten yksityinen sivu")
    PageViewRestriction.objects.create(page=restricted, restriction_type=PageViewRestriction.LOGIN)
    titles = [suggestion["title"] for suggestion in autocomplete("sä", AnonymousUser())]
    assert titles == [public.title]


@pytest.mark.django_db
def test_signed_in_reader_is_suggested_community_essays_for_a_short_prefix(site_tree):
    EssayPageFactory(title="Sävelten yhteisö", visibility=EssayPage.Visibility.COMMUNITY)
    EssayPageFactory(title="Sävelten suojattu puoli", visibility=EssayPage.Visibility.PROTECTED)
    titles = [suggestion["title"] for suggestion in autocomplete("sä", UserFactory())]
    assert titles == ["Sävelten yhteisö"]


@on_the_databases
@pytest.mark.django_db
def test_renamed_essay_is_suggested_by_its_new_title_only(site_tree):
    essay = EssayPageFactory(title="Öljyn hinta")
    essay.title = "Kahvin hinta"
    essay.save_revision().publish()
    assert suggested_ids(EssayPage.objects.live(), "öl") == []
    assert suggested_ids(EssayPage.objects.live(), "ka") == [essay.pk]


@on_the_databases
@pytest.mark.django_db
def test_deleted_essay_leaves_no_prefix_rows(site_tree):
    essay = EssayPageFactory(title="Öljyn hinta")
    entry_ids = list(essay_entries(essay))
    essay.delete()
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM search_titleprefix WHERE entry_id IN ({', '.join(['%s'] * len(entry_ids))})",
            entry_ids,
        )
        assert cursor.fetchone()[0] == 0


def essay_entries(essay):
    return IndexEntry.objects.filter(object_id=str(essay.pk)).values_list("pk", flat=True)


def prefix_rows():
    with connection.cursor() as cursor:
        cursor.execute("SELECT * FROM search_titleprefix ORDER BY 1, 2, 3, 4, 5")
        return cursor.fetchall()


@on_the_databases
@pytest.mark.django_db
def test_update_index_writes_the_table_again(titled):
    def suggestions():
        return {prefix: suggested_ids(EssayPage.objects.live(), prefix) for prefix in PREFIXES}

    before = suggestions()
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM search_titleprefix")
    call_command("update_index", verbosity=0)
    assert suggestions() == before
    assert prefix_rows()


@on_the_databases
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_migration_fills_the_table_from_an_existing_index(titled):
    migration = importlib.import_module("search.migrations.0005_title_prefixes_for_autocomplete")
    before = prefix_rows()
    with connection.schema_editor() as editor:
        migration.drop_title_prefixes(None, editor)
        migration.create_title_prefixes(None, editor)
    assert prefix_rows() == before != []
