import sys
import threading

import numpy as np
import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.test.utils import CaptureQueriesContext
from modelsearch.backends import get_search_backend
from wagtail.models import Page
from wagtail.search.models import IndexEntry
from wagtail.search.query import Phrase, PlainText

from essays.models import EssayIndexPage, EssayPage
from finnish.analysis import lemma
from finnish.indexing import lemma_pair, phrase_options
from search import caches
from search.backends.sqlite.entries import EntryObjects
from search.engine import Search, SearchRequest, build_query
from tests.factories import (
    BookFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    paragraphs,
)
from tests.search.conftest import on_cluster
from tests.search.test_postings import hit_titles

pytestmark = pytest.mark.skipif(
    on_cluster(),
    reason="the database backends' own matching (compiled SQL, entry maps, indexed terms); "
    "the SQLite and PostgreSQL suites run it",
)


def test_compiled_query_cache_stays_bounded_under_threads(monkeypatch):
    """Threads of one server insert and evict at once without errors, and the cache keeps its size."""
    monkeypatch.setattr(caches, "COMPILED_QUERIES", 3)
    monkeypatch.setattr(caches, "_compiled_queries", {})
    switch_interval = sys.getswitchinterval()
    # Threads switch as often as the interpreter allows, so that they interleave inside the cache.
    sys.setswitchinterval(1e-6)
    errors = []

    def compile_many(thread):
        try:
            for number in range(300):
                key = ("test", thread, number)
                assert caches.compiled_once(key, lambda compiler, key=key: (repr(key), [])) == (repr(key), [])
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=compile_many, args=(thread,)) for thread in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch_interval)
    assert errors == []
    assert len(caches._compiled_queries) <= 3


def test_compiled_query_is_reused_for_the_same_key(monkeypatch):
    monkeypatch.setattr(caches, "_compiled_queries", {})
    calls = []

    def compile_sql(compiler):
        calls.append(compiler)
        return ("sql", [])

    caches.compiled_once(("test", "sama"), compile_sql)
    caches.compiled_once(("test", "sama"), compile_sql)
    assert len(calls) == 1


@pytest.mark.django_db
def test_page_without_analysed_text_matches_words_split_between_title_and_intro(site_tree):
    """Wagtail's own page types keep their title and other fields in separate index columns."""
    essay_index = site_tree.essay_index
    essay_index.title = "Esseevarasto"
    essay_index.intro = "Opiskelijoiden kirjoituksia"
    essay_index.save()
    found = get_search_backend().search("esseevarasto kirjoituksia", EssayIndexPage.objects.all(), operator="and")
    assert [page.pk for page in found] == [essay_index.pk]


@pytest.mark.django_db
def test_postgresql_matches_essays_by_their_analysed_text_alone(site_tree):
    """The body vector holds the title's words too, so the title is not joined onto it per row."""
    if connection.vendor != "postgresql":
        pytest.skip("the PostgreSQL query compiler")
    EssayPageFactory(title="Palvelumuotoilu", body=paragraphs("Asiakkaat mukana."))
    with CaptureQueriesContext(connection) as queries:
        found = list(get_search_backend().search("palvelumuotoilu", EssayPage.objects.all(), operator="and"))
    assert [essay.title for essay in found] == ["Palvelumuotoilu"]
    assert not any('"title" || ' in query["sql"] for query in queries.captured_queries)


# What a full-text match is written with: a query of words reads the postings, any other the
# database's full-text index.
MATCH_SQL = {"sqlite": (" MATCH ", "FROM search_posting WHERE"), "postgresql": (" @@ ", "FROM search_posting WHERE")}


def full_text_queries(queries):
    return [query["sql"] for query in queries if any(match in query["sql"] for match in MATCH_SQL[connection.vendor])]


@pytest.fixture
def two_live_essays_and_a_draft(site_tree):
    EssayPageFactory(title="Palvelumuotoilu", body=paragraphs("Palvelumuotoilu alkaa asiakkaasta."))
    EssayPageFactory(title="Asiakasymmärrys", body=paragraphs("Palvelumuotoilu mainitaan kerran."))
    EssayPageFactory(title="Luonnos", body=paragraphs("Palvelumuotoilu kesken.")).unpublish()


def count_ids_best_and_matches(results):
    """The count, sorted ids and best titles of search results, and how many full-text matches
    reading them ran."""
    with CaptureQueriesContext(connection) as queries:
        count = results.count()
        ids = sorted(results.matching_pks())
        best = [essay.title for essay in results.annotate_score("_score")[:20]]
    return count, ids, best, len(full_text_queries(queries.captured_queries))


@pytest.mark.django_db
def test_sqlite_search_matches_the_index_once_for_count_ids_and_best_hits(two_live_essays_and_a_draft):
    """The count, the ids for the facets and the best hits come from one ranked full-text query."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite query compiler")
    results = get_search_backend().search("palvelumuotoilu", EssayPage.objects.live(), operator="and")
    count, ids, best, matches = count_ids_best_and_matches(results)
    assert (count, ids, best[0], matches) == (
        2,
        sorted(EssayPage.objects.live().values_list("pk", flat=True)),
        "Palvelumuotoilu",
        1,
    )


def readable_matches(text):
    return get_search_backend().search(text, EssayPage.objects.readable_by_anyone(), operator="and")


@pytest.mark.django_db
def test_sqlite_matches_readable_essays_without_joining_their_pages(site_tree):
    """Essays anyone may read are told apart in memory, not by reading each match's page rows."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite query compiler")
    EssayPageFactory(title="Julkinen", body=paragraphs("Palvelumuotoilu alkaa asiakkaasta."))
    EssayPageFactory(
        title="Suojattu", body=paragraphs("Palvelumuotoilu alkaa."), visibility=EssayPage.Visibility.PROTECTED
    )
    EssayPageFactory(title="Luonnos", body=paragraphs("Palvelumuotoilu alkaa kesken.")).unpublish()
    # Two words: SQLite ranks one word from the postings, several in the FTS table.
    with CaptureQueriesContext(connection) as queries:
        found = [essay.title for essay in readable_matches("palvelumuotoilu alkaa")[:20]]
    assert found == ["Julkinen"]
    assert readable_matches("palvelumuotoilu alkaa").count() == 1
    matching = full_text_queries(queries.captured_queries)
    assert len(matching) == 1
    assert "wagtailcore_page" not in matching[0]


@pytest.mark.django_db
def test_readable_essays_are_matched_once_for_count_ids_and_best_hits(two_live_essays_and_a_draft):
    """On PostgreSQL too: the ranked rows of every match give the count and the ids."""
    count, ids, best, matches = count_ids_best_and_matches(readable_matches("palvelumuotoilu"))
    assert (count, ids, best[0], matches) == (
        2,
        sorted(EssayPage.objects.live().values_list("pk", flat=True)),
        "Palvelumuotoilu",
        1,
    )


@pytest.fixture
def every_type_about_service_design(site_tree):
    """Two words that an essay, two live concepts and a draft one, a book and a person all hold."""
    EssayPageFactory(title="Palvelumuotoilu", body=paragraphs("Palvelumuotoilu alkaa asiakkaasta."))
    ConceptPageFactory(title="palvelumuotoilu", definition="Palvelumuotoilu alkaa asiakkaan tarpeista.")
    ConceptPageFactory(
        title="asiakaslähtöisyys",
        definition="Palvelumuotoilu alkaa aina asiakkaasta, ja kehittäminen jatkuu niin kauan kuin asiakkaita on.",
    )
    ConceptPageFactory(title="palvelupolku", definition="Palvelumuotoilu alkaa polusta.").unpublish()
    BookFactory(title="Palvelumuotoilu alkaa tästä")
    PersonFactory(name="Palvelumuotoilu Alkaa")


SERVICE_DESIGN_QUERY = "palvelumuotoilu alkaa"


@pytest.mark.django_db
def test_sqlite_search_asks_the_full_text_index_once_for_every_content_type(every_type_about_service_design):
    """The essays' read of the FTS table, every model's matches at once, serves the other four types."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite query compiler")
    with CaptureQueriesContext(connection) as queries:
        search = Search(SearchRequest.from_query({"q": SERVICE_DESIGN_QUERY}), AnonymousUser())
    assert len(full_text_queries(queries.captured_queries)) == 1
    assert search.type_counts == {"essee": 1, "tiivistelma": 0, "kasite": 2, "kirja": 1, "henkilo": 1}


def ranked(pairs):
    """The titles and the scores of (object, score) pairs, in their order."""
    return [str(obj) for obj, _score in pairs], [score for _obj, score in pairs]


@pytest.mark.django_db
def test_content_types_of_one_search_find_what_they_find_searched_alone(every_type_about_service_design):
    """Sharing the essays' matches changes no type's count, hits, order or scores; a draft concept
    stays out of them."""
    search = Search(SearchRequest.from_query({"q": SERVICE_DESIGN_QUERY}), AnonymousUser())
    query = build_query(SERVICE_DESIGN_QUERY.split())
    for code, matches in search.matches.items():
        alone = get_search_backend().search(query, matches.queryset, operator="and").annotate_score("_score")
        titles, scores = ranked([(obj, obj._score) for obj in alone[:20]])
        shared_titles, shared_scores = ranked(matches.best(20, "relevanssi"))
        assert (search.type_counts[code], shared_titles) == (alone.count(), titles), code
        assert shared_scores == pytest.approx(scores, rel=1e-12), code
    concepts, concept_scores = ranked(search.matches["kasite"].best(20, "relevanssi"))
    assert sorted(concepts) == ["asiakaslähtöisyys", "palvelumuotoilu"]
    assert concept_scores[0] > concept_scores[1]


def suggested(queryset, prefix):
    return [essay.title for essay in get_search_backend().autocomplete(prefix, queryset, operator="and")[:8]]


@pytest.mark.django_db
def test_sqlite_suggests_readable_essays_without_joining_their_index_entries(site_tree):
    """Autocomplete over the essays anyone may read ranks the FTS table alone and finds each entry's
    essay in memory, leaving out drafts, protected essays and other types' entries."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite query compiler")
    EssayPageFactory(title="Strategia ja sen toteutus käytännön työssä")
    EssayPageFactory(title="Strategia")
    EssayPageFactory(title="Strategian salaisuudet", visibility=EssayPage.Visibility.PROTECTED)
    EssayPageFactory(title="Strategialuonnos").unpublish()
    ConceptPageFactory(title="strategia")
    with CaptureQueriesContext(connection) as queries:
        # Longer than the title-prefix table's prefixes (search.backends.prefixes).
        found = suggested(EssayPage.objects.readable_by_anyone(), "strategi")
    assert found == ["Strategia", "Strategia ja sen toteutus käytännön työssä"]
    matching = full_text_queries(queries.captured_queries)
    assert len(matching) == 1
    assert "JOIN" not in matching[0]


@pytest.mark.django_db
def test_suggestions_of_readable_essays_rank_as_the_joined_search_does(site_tree):
    for title in ("Strategia ja sen toteutus käytännön työssä", "Strategia", "Strateginen johtaminen strategialla"):
        EssayPageFactory(title=title)
    assert suggested(EssayPage.objects.readable_by_anyone(), "strat") == suggested(EssayPage.objects.live(), "strat")


@pytest.mark.django_db
def test_essay_unpublished_or_protected_leaves_the_readable_matches(site_tree):
    first = EssayPageFactory(title="Ensimmäinen", body=paragraphs("Palvelumuotoilu."))
    second = EssayPageFactory(title="Toinen", body=paragraphs("Palvelumuotoilua."))
    assert readable_matches("palvelumuotoilu").count() == 2
    first.unpublish()
    second.visibility = EssayPage.Visibility.COMMUNITY
    second.save()
    assert readable_matches("palvelumuotoilu").count() == 0


@pytest.mark.django_db
def test_essay_unpublished_through_its_base_page_leaves_the_readable_matches(site_tree):
    essay = EssayPageFactory(title="Ensimmäinen", body=paragraphs("Palvelumuotoilu."))
    assert readable_matches("palvelumuotoilu").count() == 1
    Page.objects.get(pk=essay.pk).unpublish()
    assert readable_matches("palvelumuotoilu").count() == 0


@pytest.mark.django_db
def test_essay_visibility_saved_alone_leaves_the_readable_matches(site_tree):
    essay = EssayPageFactory(title="Ensimmäinen", body=paragraphs("Palvelumuotoilu."))
    assert readable_matches("palvelumuotoilu").count() == 1
    essay.visibility = EssayPage.Visibility.PROTECTED
    essay.save(update_fields=["visibility"])
    assert readable_matches("palvelumuotoilu").count() == 0


@pytest.mark.django_db
def test_entries_read_inside_a_transaction_are_used_but_not_kept(site_tree):
    """A rolled-back transaction hands its entry ids out again; what it added must not be remembered."""
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite index entry map")
    essay = EssayPageFactory(title="Palvelumuotoilu")
    entry = IndexEntry.objects.get(content_type=essay.content_type_id, object_id=str(essay.pk))
    entries = EntryObjects()
    content_types, object_ids = entries.lookup(np.array([entry.pk, entry.pk + 1000]))
    assert content_types.tolist() == [essay.content_type_id, -1]
    assert object_ids.tolist() == [essay.pk, -1]
    assert entries.newest is None


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_entry_map_starts_afresh_when_its_newest_entry_is_gone(site_tree):
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite index entry map")
    entries = EntryObjects()
    first = EssayPageFactory(title="Ensimmäinen")
    first_entry = IndexEntry.objects.get(object_id=str(first.pk), content_type=first.content_type_id)
    entries.lookup(np.array([first_entry.pk]))
    assert entries.newest[0] == first_entry.pk
    first.delete()
    second = EssayPageFactory(title="Toinen")
    second_entry = IndexEntry.objects.get(object_id=str(second.pk), content_type=second.content_type_id)
    _types, object_ids = entries.lookup(np.array([first_entry.pk, second_entry.pk]))
    assert object_ids.tolist() == [-1, second.pk]
    assert entries.newest[0] == second_entry.pk


@pytest.mark.django_db
def test_indexed_terms_are_those_some_index_entry_holds(site_tree):
    EssayPageFactory(title="Palvelumuotoilu", body=paragraphs('Sää "muuttuu" nopeasti.'))
    terms = {"palvelumuotoilu", "sää", "saa", 'muut"tuu', "tuntematon"}
    assert get_search_backend().indexed_terms(terms) == {"palvelumuotoilu", "sää"}


@pytest.mark.django_db
def test_phrase_of_two_unknown_names_finds_endings_beyond_the_alternatives_cap(site_tree):
    """ "zorbasta quuxiskin" is the 132nd of the phrase's sequences; the index holds no other."""
    EssayPageFactory(title="Nimet", body=paragraphs("Tarina kulkee Zorbasta Quuxiskin ja jatkuu."))
    EssayPageFactory(title="Erikseen", body=paragraphs("Zorbasta puhutaan. Quuxiskin mainitaan."))
    assert hit_titles('"Zorbas Quuxis"') == ["Nimet"]


def test_phrase_of_two_words_is_matched_by_the_pair_terms_the_index_holds_beyond_the_cap():
    """Both unknown words keep all 22 endings, as if every one occurred; the pair a text holds is
    the 132nd of their 484."""
    options = phrase_options("Zorbas Quuxis")
    held_pair = lemma_pair("zorbasta", "quuxiskin")
    held = {option for word_options in options for option in word_options} | {held_pair}
    query = build_query([], ["Zorbas Quuxis"], indexed=held.intersection)
    assert (type(query), query.query_string) == (PlainText, held_pair)


def test_phrase_whose_pairs_the_index_lacks_is_matched_by_its_lemma_sequences():
    """An index written before there were pair terms holds the lemmas only."""
    held = {lemma("asiakkaan"), lemma("kokemus")}
    query = build_query([], ["asiakkaan kokemus"], indexed=held.intersection)
    assert (type(query), query.query_string) == (Phrase, f"{lemma('asiakkaan')} {lemma('kokemus')}")


@pytest.mark.django_db
def test_phrase_of_a_number_is_not_taken_for_a_longer_number(site_tree):
    """Joined by the pair joiner, "1 000" would be 10000."""
    EssayPageFactory(title="Tuhat", body=paragraphs("Hinta on 1 000 euroa."))
    EssayPageFactory(title="Kymmenentuhatta", body=paragraphs("Hinta on 10000 euroa."))
    assert hit_titles('"1 000"') == ["Tuhat"]


@pytest.mark.django_db
def test_phrases_of_a_search_ask_the_index_for_their_lemmas_and_their_pairs_once_each(site_tree):
    EssayPageFactory(title="Fraasit", body=paragraphs("Asiakaskokemuksen johtaminen ja palvelun muotoilu."))
    with CaptureQueriesContext(connection) as queries:
        search = Search(
            SearchRequest.from_query({"q": '"asiakaskokemus johtaminen" "palvelu muotoilu"'}), AnonymousUser()
        )
    assert search.type_counts["essee"] == 1
    assert sum("WHERE EXISTS (SELECT 1 FROM" in query["sql"] for query in queries.captured_queries) == 2
