"""The cluster backends on a live cluster (the suite run with OPENSEARCH_URL or ELASTICSEARCH_URL
set, as .ci/run does on OpenSearch): what only a cluster shows. The rest of the search suite runs
there too; test_cluster_faults covers a cluster that fails."""

import datetime

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from modelsearch.backends import get_search_backend
from modelsearch.backends.elasticsearchbase import ElasticsearchBaseSearchBackend

from essays.models import EssayPage, EssayType
from search.backends import cluster
from search.backends.elasticsearch.backend import FinnishElasticsearchBackend
from search.backends.opensearch.backend import FinnishOpenSearchBackend
from search.engine import Search, SearchRequest, build_query
from tests.factories import (
    BookFactory,
    CategoryFactory,
    CoachFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
    paragraphs,
)
from tests.search.conftest import on_cluster

live = pytest.mark.skipif(not on_cluster(), reason="needs a search cluster: set OPENSEARCH_URL (make opensearch)")


@pytest.mark.parametrize("backend_class", [FinnishElasticsearchBackend, FinnishOpenSearchBackend])
def test_index_settings_keep_finnish_letters(backend_class):
    backend = backend_class({"URLS": ["http://127.0.0.1:9"]})
    analyzers = backend.settings["settings"]["analysis"]["analyzer"]
    assert all("asciifolding" not in analyzer["filter"] for analyzer in analyzers.values())


def test_stock_settings_fold_letters_for_comparison():
    analyzers = ElasticsearchBaseSearchBackend.settings["settings"]["analysis"]["analyzer"]
    assert any("asciifolding" in analyzer["filter"] for analyzer in analyzers.values())


@live
@pytest.mark.django_db
def test_update_index_fills_the_cluster_and_search_finds_an_inflected_word(site_tree, settings):
    def found():
        search = Search(SearchRequest.from_query({"q": "asiakaskokemukseen"}), AnonymousUser())
        return search.answered_by, [hit.obj.pk for hit in search.hits]

    backends = settings.WAGTAILSEARCH_BACKENDS
    settings.WAGTAILSEARCH_BACKENDS = {name: {**conf, "AUTO_UPDATE": False} for name, conf in backends.items()}
    essay = EssayPageFactory(title="Asiakaskokemus kahvilan arjessa", body=paragraphs("Asiakaskokemus syntyy."))
    settings.WAGTAILSEARCH_BACKENDS = backends
    label = get_search_backend().label
    assert found() == (label, [])
    call_command("update_index", backend_name="default", verbosity=0)
    assert found() == (label, [essay.pk])


@live
@pytest.mark.django_db
def test_ids_of_every_match_are_scrolled_page_after_page(site_tree, monkeypatch):
    """Counts and facets cover every match: ids only, a full page at a time, to the last page."""
    monkeypatch.setattr(cluster, "ID_PAGE_SIZE", 2)
    essays = [EssayPageFactory(title=f"Sivu {number}", body=paragraphs("Sivutus")) for number in range(5)]
    results = get_search_backend().search(build_query(["sivutus"]), EssayPage.objects.live(), operator="and")
    assert (sorted(results.matching_pks()), results.count()) == (sorted(essay.pk for essay in essays), 5)


@live
@pytest.mark.django_db
def test_match_the_database_no_longer_shows_is_neither_counted_nor_ranked(site_tree):
    shown, withdrawn = (EssayPageFactory(title=title, body=paragraphs("Sivutus")) for title in ("Näkyvä", "Poistuva"))
    # Unpublished without the cluster hearing of it, as while the cluster was down.
    EssayPage.objects.filter(pk=withdrawn.pk).update(live=False)
    search = Search(SearchRequest.from_query({"q": "sivutus"}), AnonymousUser())
    assert (search.type_counts["essee"], [hit.obj.pk for hit in search.hits]) == (1, [shown.pk])


@live
@pytest.mark.django_db
def test_facet_returns_every_bucket(site_tree):
    """Eleven years: the stock backend returned ten buckets."""
    for year in range(2010, 2021):
        EssayPageFactory(body=paragraphs("Vuosikatsaus"), written=datetime.date(year, 1, 1))
    results = get_search_backend().search(build_query(["vuosikatsaus"]), EssayPage.objects.live(), operator="and")
    assert len(results.facet("written")) == 11


@live
@pytest.mark.django_db
def test_autocomplete_matches_a_long_finnish_word_typed_whole(site_tree):
    essay = EssayPageFactory(title="Asiakaskokemuksen johtaminen")
    found = get_search_backend().autocomplete("asiakaskokemuksen", EssayPage.objects.live(), operator="and")
    assert [page.pk for page in found] == [essay.pk]


@live
@pytest.mark.django_db
def test_api_names_the_cluster_that_answered(site_tree, client):
    EssayPageFactory(title="Vastaus", body=paragraphs("Asiakaskokemus"))
    payload = client.get("/api/search/", {"q": "asiakaskokemus"}).json()
    assert (payload["backend"], payload["count"]) == (get_search_backend().label, 1)


@pytest.fixture
def bank(site_tree):
    """Essays of every visibility (one a draft) by a coached team's student and by another
    student, with books, tags, categories, types and years, and a concept two tags name; the
    readers who see different sets of them. Every essay holds the word searched for, no other
    page does."""
    coach = CoachFactory(name="Veera Valmentaja", user=UserFactory(username="valmentaja"))
    student = PersonFactory(
        name="Aino Opiskelija", team=TeamFactory(name="Pinkut", coach=coach), user=UserFactory(username="aino")
    )
    other = PersonFactory(name="Eero Toinen", user=UserFactory(username="eero"))
    books = [BookFactory(title="Palvelumuotoilu"), BookFactory(title="Strategiana asiakaskokemus")]
    learning, teamwork = CategoryFactory(number="1", name="Oppiminen"), CategoryFactory(number="1.1", name="Tiimi")
    blog = EssayType.objects.get(code="blog")
    concept = ConceptPageFactory(title="Palvelupolku", synonyms="asiakaspolku")
    essays = [
        {"authors": [student], "books": books[:1], "tags": ["palvelupolku"], "categories": [learning]},
        {
            "authors": [other],
            "books": books,
            "tags": ["Asiakaspolku", "kahvi"],
            "visibility": EssayPage.Visibility.COMMUNITY,
        },
        {
            "authors": [student],
            "tags": ["palvelupolku"],
            "categories": [teamwork],
            "visibility": EssayPage.Visibility.PROTECTED,
        },
        {"authors": [other], "books": books[1:], "essay_type": blog, "visibility": EssayPage.Visibility.PROTECTED},
        {"authors": [student, other], "tags": ["kahvi"], "essay_type": blog, "written": datetime.date(2021, 2, 3)},
        {"authors": [student], "books": books[:1], "tags": ["palvelupolku"]},
    ]
    pages = [
        EssayPageFactory(title=f"Kahvilan arki {number}", body=paragraphs("Kahvilan aamu alkaa."), **fields)
        for number, fields in enumerate(essays)
    ]
    pages[-1].unpublish()
    readers = {
        "anonymous": AnonymousUser(),
        "student": student.user,
        "coach": coach.user,
        "other student": other.user,
        "editor": UserFactory(username="toimittaja", is_superuser=True),
    }
    return readers, books, concept


def compared(params, user):
    """What the results page shows of a search on the cluster and on the database: the backend
    that answered, the counts, facets, concept counts and the hits of the first page."""
    database = get_search_backend(get_search_backend().fallback)
    answers = []
    for backend in (None, database):
        search = Search(SearchRequest.from_query(params), user, backend)
        hits = sorted(hit.key for hit in search.hits[:20])
        answers.append((search.answered_by, search.type_counts, search.facets, search.concept_counts, hits))
    return answers


@live
@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["anonymous", "student", "coach", "other student", "editor"])
def test_cluster_counts_and_facets_equal_the_database_for_each_reader(bank, reader):
    readers, _books, _concept = bank
    on_cluster, on_database = compared({"q": "kahvila"}, readers[reader])
    assert on_cluster[0] == get_search_backend().label
    assert on_cluster[1:] == on_database[1:]


@live
@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["anonymous", "student", "coach"])
def test_cluster_counts_and_facets_equal_the_database_within_a_chosen_book(bank, reader):
    readers, books, _concept = bank
    on_cluster, on_database = compared({"q": "kahvila", "kirja": books[0].slug}, readers[reader])
    assert on_cluster[1:] == on_database[1:]


@live
@pytest.mark.django_db
@pytest.mark.parametrize("reader", ["anonymous", "other student"])
def test_cluster_counts_and_facets_equal_the_database_within_a_chosen_concept(bank, reader):
    readers, _books, concept = bank
    on_cluster, on_database = compared({"q": "kahvila", "kasite": concept.slug}, readers[reader])
    assert on_cluster[1:] == on_database[1:]


@live
@pytest.mark.django_db
def test_results_page_counts_and_facets_come_without_reading_every_match(bank, monkeypatch):
    """Count, facets, concept counts and the first hits from one request, no scrolling."""

    def scrolled(self):
        raise AssertionError("every match's id was read")

    monkeypatch.setattr(cluster.ClusterSearchResults, "_every_matching_pk", scrolled)
    readers, _books, _concept = bank
    search = Search(SearchRequest.from_query({"q": "kahvila"}), readers["coach"])
    described = search.describe_all(search.hits[:20])
    assert (search.type_counts["essee"], len(described), len(search.facets["kirja"])) == (4, 4, 2)
    assert [count for _slug, _title, count, _chosen in search.concept_counts] == [3]


@live
@pytest.mark.django_db
def test_bulk_loading_pauses_refreshes_and_replicas_and_restores_them(site_tree):
    index = get_search_backend().get_index_for_model(EssayPage)

    def settings():
        answer = index.es.indices.get_settings(index=index.name)
        values = answer[next(iter(answer))]["settings"]["index"]
        return values.get("refresh_interval"), values["number_of_replicas"]

    before = settings()
    with index.bulk_loading():
        during = settings()
    assert (during, settings()) == (("-1", "0"), before)
