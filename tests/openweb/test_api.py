"""The content API (Wagtail's API v2 at /api/v2/): responses valid under docs/openapi.json, paged,
and never a way around visibility."""

import json

import pytest
from django.conf import settings
from openapi_core import OpenAPI
from openapi_core.contrib.django import DjangoOpenAPIRequest, DjangoOpenAPIResponse
from wagtail.models import PageViewRestriction

from tests.factories import (
    BookFactory,
    BookSummaryPageFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    paragraphs,
)

pytestmark = pytest.mark.django_db

HIDDEN_TITLES = {"Yhteisön essee", "Suojattu essee", "Luonnosessee", "Salasanaessee"}


@pytest.fixture(scope="module")
def openapi():
    return OpenAPI.from_file_path(str(settings.BASE_DIR / "docs" / "openapi.json"))


def get(client, openapi, url, status=200, **params):
    """The response's JSON, after checking the response against the OpenAPI description."""
    response = client.get(url, params)
    assert response.status_code == status, response.content
    openapi.validate_response(DjangoOpenAPIRequest(response.wsgi_request), DjangoOpenAPIResponse(response))
    return response.json()


@pytest.fixture
def content(hidden_essays):
    """Public content of every kind, linked to each other, beside one hidden essay of each kind."""
    book = BookFactory(title="Strategiana asiakaskokemus", author_names=["Hannu Saarijärvi", "Pekka Puustinen"])
    author = PersonFactory(name="Aino Virtanen")
    broader = ConceptPageFactory(title="asiakaskokemus", english_term="customer experience")
    concept = ConceptPageFactory(
        title="kosketuspiste", synonyms="kontaktipiste", definition_book=book, links=[("broader", broader)]
    )
    text = paragraphs("Jokainen kosketuspiste ratkaisee asiakaskokemuksen.")
    hidden = hidden_essays(books=[book], authors=[author], body=text, tags=["asiakas"])
    essay = EssayPageFactory(title="Julkinen", books=[book], authors=[author], body=text, tags=["asiakas"])
    summary = BookSummaryPageFactory(book=book, summary_author=author)
    return {"book": book, "author": author, "concept": concept, "essay": essay, "summary": summary, "hidden": hidden}


def test_openapi_description_is_served(client, site_tree):
    served = client.get("/api/v2/openapi.json").json()
    with open(settings.BASE_DIR / "docs" / "openapi.json", encoding="utf-8") as description:
        assert served == json.load(description)


@pytest.mark.parametrize("endpoint", ["pages", "essays", "summaries", "concepts", "books", "people"])
def test_listings_and_details_match_the_openapi_description(client, openapi, content, endpoint):
    listing = get(client, openapi, f"/api/v2/{endpoint}/")
    assert listing["items"]
    get(client, openapi, f"/api/v2/{endpoint}/", fields="*")
    for item in listing["items"]:
        get(client, openapi, f"/api/v2/{endpoint}/{item['id']}/")


def test_essay_detail_links_its_authors_books_and_concepts(client, openapi, content):
    essay = get(client, openapi, f"/api/v2/essays/{content['essay'].pk}/")
    assert essay["authors"][0]["title"] == "Aino Virtanen"
    assert essay["authors"][0]["detail_url"] == f"http://localhost/api/v2/people/{content['author'].pk}/"
    assert essay["books"][0]["html_url"] == "http://localhost" + content["book"].get_absolute_url()
    assert {concept["title"] for concept in essay["concepts"]} == {"kosketuspiste", "asiakaskokemus"}


def test_concept_detail_links_its_broader_concept_and_essays(client, openapi, content):
    concept = get(client, openapi, f"/api/v2/concepts/{content['concept'].pk}/")
    assert concept["synonyms"] == ["kontaktipiste"]
    assert [link["title"] for link in concept["concepts"]["broader"]] == ["asiakaskokemus"]
    assert [link["title"] for link in concept["essays"]] == ["Julkinen"]


def test_listing_is_paged(client, openapi, site_tree):
    for number in range(3):
        EssayPageFactory(title=f"Essee {number}")
    first = get(client, openapi, "/api/v2/essays/", limit=2)
    second = get(client, openapi, "/api/v2/essays/", limit=2, offset=2)
    assert first["meta"]["total_count"] == 3
    assert len(first["items"]) == 2
    assert len(second["items"]) == 1


def test_an_unknown_parameter_is_a_400(client, openapi, site_tree):
    assert "message" in get(client, openapi, "/api/v2/essays/", status=400, visibility="protected")


def test_search_is_left_to_the_search_api(client, openapi, site_tree):
    get(client, openapi, "/api/v2/pages/", status=400, search="essee")


def titles_everywhere(client, content):
    """Every title the API shows of essays, by every listing, filter, field and lookup a client may try."""
    essay_index = content["essay"].get_parent()
    urls = [
        ("/api/v2/essays/", {"fields": "*", "limit": 20}),
        ("/api/v2/essays/", {"order": "random"}),
        ("/api/v2/pages/", {"fields": "*", "limit": 20}),
        ("/api/v2/pages/", {"type": "essays.EssayPage", "fields": "*"}),
        ("/api/v2/pages/", {"type": "essays.EssayPage,concepts.ConceptPage"}),
        ("/api/v2/pages/", {"child_of": essay_index.pk}),
        ("/api/v2/pages/", {"descendant_of": essay_index.pk - 1}),
        ("/api/v2/essays/", {"child_of": essay_index.pk}),
        ("/api/v2/books/", {"fields": "*"}),
        ("/api/v2/people/", {"fields": "*"}),
        ("/api/v2/concepts/", {"fields": "*"}),
        ("/api/v2/summaries/", {"fields": "*"}),
        (f"/api/v2/books/{content['book'].pk}/", {}),
        (f"/api/v2/people/{content['author'].pk}/", {}),
        (f"/api/v2/concepts/{content['concept'].pk}/", {}),
    ]
    seen = set()
    for url, params in urls:
        response = client.get(url, params)
        assert response.status_code == 200, (url, response.content)
        seen.add(json.dumps(response.json(), ensure_ascii=False))
    return " ".join(seen)


def test_no_listing_or_link_shows_an_essay_anyone_may_not_read(client, content):
    shown = titles_everywhere(client, content)
    assert "Julkinen" in shown
    for title in HIDDEN_TITLES:
        assert title not in shown


def test_an_editor_gets_no_more_than_anyone(client, content, django_user_model):
    client.force_login(django_user_model.objects.create_superuser("paatoimittaja", "p@example.org", "x"))
    shown = titles_everywhere(client, content)
    for title in HIDDEN_TITLES:
        assert title not in shown


@pytest.mark.parametrize("endpoint", ["essays", "pages"])
def test_a_hidden_essay_is_not_found_by_its_id(client, openapi, content, endpoint):
    for essay in content["hidden"]:
        get(client, openapi, f"/api/v2/{endpoint}/{essay.pk}/", status=404)


@pytest.mark.parametrize("endpoint", ["essays", "pages"])
def test_a_hidden_essay_is_not_found_by_its_path_or_id(client, openapi, content, endpoint):
    for essay in content["hidden"]:
        get(client, openapi, f"/api/v2/{endpoint}/find/", status=404, html_path=essay.url)
        get(client, openapi, f"/api/v2/{endpoint}/find/", status=404, id=essay.pk)


def test_a_public_essay_is_found_by_its_path(client, openapi, content):
    response = client.get("/api/v2/pages/find/", {"html_path": content["essay"].url})
    assert response.status_code == 302
    assert response["Location"].startswith(f"http://localhost/api/v2/pages/{content['essay'].pk}/")


def test_a_restricted_section_is_no_parent_and_its_pages_are_not_found(client, openapi, site_tree):
    """child_of a restricted section answers as for a page that does not exist."""
    concept = ConceptPageFactory(title="salainen käsite")
    PageViewRestriction.objects.create(page=site_tree.concept_index, restriction_type=PageViewRestriction.LOGIN)
    error = get(client, openapi, "/api/v2/pages/", status=400, child_of=site_tree.concept_index.pk)
    assert error["message"] == "parent page doesn't exist"
    assert get(client, openapi, "/api/v2/concepts/")["items"] == []
    get(client, openapi, f"/api/v2/concepts/{concept.pk}/", status=404)


@pytest.mark.parametrize(
    "params",
    [
        {"limit": "-1"},
        {"limit": "1000"},
        {"offset": "x"},
        {"offset": "-5"},
        {"child_of": "abc"},
        {"descendant_of": "99999999999999999999"},
        {"type": "essays.Nope"},
        {"type": "auth.User"},
        {"fields": "password"},
        {"fields": "essay_authors"},
        {"order": "user"},
        {"limit": "²"},
        {"html_path": "\x00"},
    ],
)
@pytest.mark.parametrize("endpoint", ["pages", "essays", "books", "people"])
def test_bad_parameters_are_a_clear_400(client, site_tree, endpoint, params):
    response = client.get(f"/api/v2/{endpoint}/", params)
    assert response.status_code == 400, response.content
    assert response.json()["message"]


def test_essays_are_filtered_by_a_field(client, openapi, site_tree):
    EssayPageFactory(title="Suomeksi")
    EssayPageFactory(title="In English", language="en")
    listing = get(client, openapi, "/api/v2/essays/", language="en")
    assert [item["title"] for item in listing["items"]] == ["In English"]


def test_a_path_no_page_can_have_is_a_404(client, openapi, site_tree):
    get(client, openapi, "/api/v2/pages/find/", status=404, html_path="/esseet/a\x00b/")
