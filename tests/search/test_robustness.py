"""Search answers every input with a normal page or a clear 400, never a server error."""

import pytest
from django.urls import reverse
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

pytestmark = pytest.mark.django_db

NASTY = [
    "",
    " ",
    '"',
    '"asiakas',
    "a\x00b",
    "\x07\x1b",
    "x" * 10_240,
    "' OR 1=1; DROP TABLE wagtailcore_page; --",
    "title:(foo AND bar) OR baz~2 ^3 [a TO b] {c TO d} *:*",
    "NEAR(a b) AND NOT c*",
    "😀 🇫🇮 asiakas",
    "tietosuoja--asetus---",
    "::: -- ''",
]


@pytest.mark.parametrize("text", NASTY)
@pytest.mark.parametrize("url_name", ["search", "search_api", "search_autocomplete"])
def test_nasty_query_gives_page_or_400(client, site_tree, url_name, text):
    assert client.get(reverse(url_name), {"q": text}).status_code in (200, 400)


def test_too_long_query_is_a_clear_400(client, site_tree):
    response = client.get(reverse("search_api"), {"q": "x" * 10_240})
    assert response.status_code == 400
    assert "error" in response.json()


@pytest.mark.parametrize(
    "params",
    [
        {"sivu": "-1"},
        {"sivu": "0"},
        {"sivu": "²"},
        {"sivu": "abc"},
        {"jarjestys": "x"},
        {"laji": "ei"},
        {"vuosi": "19"},
    ],
)
def test_bad_parameters_are_a_clear_400(client, site_tree, params):
    assert client.get(reverse("search"), {"q": "asiakas", **params}).status_code == 400


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=st.text(max_size=300), page=st.one_of(st.none(), st.text(max_size=5)))
def test_generated_queries_never_give_server_error(client, corpus, text, page):
    params = {"q": text} if page is None else {"q": text, "sivu": page}
    for url_name in ("search", "search_api", "search_autocomplete"):
        assert client.get(reverse(url_name), params).status_code in (200, 400)


@pytest.mark.parametrize("text", ["-", " - ", "--"])
def test_admin_search_of_a_query_without_terms_is_a_normal_page(superuser_client, site_tree, text):
    """Wagtail's admin passes raw text to the backend; PostgreSQL's parser finds no terms in it."""
    assert superuser_client.get("/admin/pages/search/", {"q": text}).status_code == 200
