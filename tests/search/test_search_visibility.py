"""Site search at /haku/: finds pages, hides essays the reader may not see."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from essays.models import EssayPage
from tests.factories import (
    BookSummaryPageFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    UserFactory,
)


def found(response, *pages):
    """Which of these pages the result list links to."""
    assert response.status_code == 200
    html = response.content.decode()
    return {page for page in pages if f'href="{page.url}"' in html}


@pytest.fixture
def essay(site_tree):
    return EssayPageFactory(title="Kohtaamiset ratkaisevat", tags=["asiakaskokemus"])


def test_search_finds_essay_by_title(client, essay):
    response = client.get("/haku/", {"q": "Kohtaamiset"})
    assert found(response, essay) == {essay}
    assertContains(response, "Kohtaamiset")


def test_search_finds_concepts_and_summaries(client, site_tree):
    concept = ConceptPageFactory(title="asiakaskokemus")
    summary = BookSummaryPageFactory(title="Tiivistelmä: asiakaskokemus")
    response = client.get("/haku/", {"q": "asiakaskokemus"})
    assert found(response, concept, summary) == {concept, summary}


def test_search_keeps_a_umlaut_distinct(client, site_tree):
    """'sää' (weather) is not 'saa' (gets)."""
    weather = EssayPageFactory(title="Sää ja asiakas")
    gets = EssayPageFactory(title="Saa asiakas")
    assert found(client.get("/haku/", {"q": "sää"}), weather, gets) == {weather}


def test_search_without_query_shows_no_results(client, site_tree):
    essay = EssayPageFactory(title="Mikä tahansa")
    response = client.get("/haku/")
    assert found(response, essay) == set()


def test_search_with_huge_query_is_not_a_server_error(client, site_tree):
    assert client.get("/haku/", {"q": "asiakas " * 2000}).status_code in (200, 400)


def test_search_with_nul_character_is_not_a_server_error(client, site_tree):
    assert client.get("/haku/", {"q": "asia\x00kas"}).status_code in (200, 400)


def test_search_hides_protected_essay_from_anonymous(client, site_tree):
    hidden = EssayPageFactory(title="Salainen asiakaskokemus", visibility=EssayPage.Visibility.PROTECTED)
    response = client.get("/haku/", {"q": "Salainen"})
    assert found(response, hidden) == set()
    assertNotContains(response, "Salainen asiakaskokemus")


def test_search_hides_community_essay_from_anonymous_but_not_from_members(client, member_client, site_tree):
    essay = EssayPageFactory(title="Yhteisöllinen asiakaskokemus", visibility=EssayPage.Visibility.COMMUNITY)
    assert found(client.get("/haku/", {"q": "Yhteisöllinen"}), essay) == set()
    assert found(member_client.get("/haku/", {"q": "Yhteisöllinen"}), essay) == {essay}


def test_search_shows_protected_essay_to_its_author(client_for, site_tree):
    author = PersonFactory(user=UserFactory(username="kirjoittaja"))
    essay = EssayPageFactory(title="Salainen pohdinta", visibility=EssayPage.Visibility.PROTECTED, authors=[author])
    assert found(client_for(author.user).get("/haku/", {"q": "Salainen"}), essay) == {essay}


def test_imported_essay_is_found_by_search(client, site_tree):
    import json

    from essaybank.importer import Importer

    record = {
        "id": "haku-1",
        "title": "Kosketuspisteet kartalle",
        "written": "26.5.2018",
        "authors": [{"name": "Aino Aaltonen", "team": "Pinkut"}],
        "body": "Palvelupolku koostuu kosketuspisteistä.",
    }
    report = Importer().run([json.dumps(record)])
    assert report.errors == []
    essay = EssayPage.objects.get()
    assert found(client.get("/haku/", {"q": "Kosketuspisteet"}), essay) == {essay}
