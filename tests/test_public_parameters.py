"""Every parameter of every public page and API answers a page or a clear 400, never a server
error, whatever a reader, a crawler or an attacker sends."""

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import BookFactory, EssayPageFactory, PersonFactory, TeamFactory

PARAMETERS = [
    "q",
    "sivu",
    "page",
    "laji",
    "type",
    "jarjestys",
    "kasite",
    "kirja",
    "kirjoittaja",
    "tiimi",
    "kategoria",
    "tagi",
    "tyyppi",
    "vuosi",
]
API_PATHS = {"/api/search/", "/api/search/autocomplete/"}

values = st.one_of(
    st.text(max_size=40),
    st.sampled_from(["0000", "9999", "²⁰²⁴", "٢٠٢٤", "-1", "0", "1e9", "99999999999999999999", "\x00", "x" * 300]),
)


@pytest.fixture
def public_paths(site_tree):
    team = TeamFactory(name="Pinkut")
    person = PersonFactory(name="Aino Aaltonen", team=team)
    book = BookFactory(title="Asiakaskokemus")
    EssayPageFactory(title="Asiakaskokemus arjessa", authors=[person], books=[book], tags=["asiakas"])
    return [
        "/",
        "/esseet/",
        "/haku/",
        "/api/search/",
        "/api/search/autocomplete/",
        "/kirjat/",
        f"/kirjat/{book.slug}/",
        f"/ihmiset/{person.slug}/",
        "/tiimit/",
        f"/tiimit/{team.slug}/",
        "/lahteet/",
        "/kasitteet/",
        "/kuukauden-essee/",
    ]


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(query=st.dictionaries(st.sampled_from(PARAMETERS), values, max_size=4))
def test_any_parameters_give_a_page_or_a_clear_400(client, public_paths, query):
    for path in public_paths:
        response = client.get(path, query)
        assert response.status_code in (200, 400), (path, query, response.status_code)
        if response.status_code == 400 and path in API_PATHS:
            assert "error" in response.json()


@pytest.mark.parametrize("path", ["/esseet/", "/haku/?q=asiakas", "/api/search/?q=asiakas"])
@pytest.mark.parametrize("year", ["0000", "²⁰²⁴", "10000"])
def test_impossible_years_are_a_clear_400(client, site_tree, path, year):
    separator = "&" if "?" in path else "?"
    assert client.get(f"{path}{separator}vuosi={year}").status_code == 400
