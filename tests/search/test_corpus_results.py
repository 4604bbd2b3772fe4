"""Results pages and the JSON API over the quality-set corpus, which is built once for the module."""

import pytest
from modelsearch.backends import get_search_backend

from search.engine import backend_label
from tests.search.test_views import api

pytestmark = pytest.mark.django_db


def test_results_span_every_content_type(client, corpus):
    payload = api(client, q="asiakaskokemus")
    types = {result["type"] for result in payload["results"]}
    assert {"essee", "kirja"} <= types


def test_api_names_the_backend_and_counts(client, corpus):
    payload = api(client, q="kosketuspisteitä")
    assert payload["backend"] == backend_label(get_search_backend())
    assert payload["count"] == len(payload["results"]) > 0
    assert payload["query"] == "kosketuspisteitä"


def test_api_results_carry_type_title_url_snippet_and_score(client, corpus):
    result = api(client, q="Kahneman")["results"][0]
    assert {"type", "title", "url", "snippet", "score"} <= set(result)
    assert result["url"].startswith("http")


def test_api_type_parameter_limits_results(client, corpus):
    payload = api(client, q="asiakaskokemus", type="kirja")
    assert {result["type"] for result in payload["results"]} == {"kirja"}


def test_snippet_highlights_inflected_match(client, corpus):
    snippet = api(client, q="asiakaskokemus", type="essee")["results"][0]["snippet"]
    assert "<mark>Asiakaskokemus</mark>" in snippet or "<mark>asiakaskokemus" in snippet.lower()


def test_snippet_highlights_compound_for_its_part(client, corpus):
    payload = api(client, q="kosketuspiste", type="essee")
    assert "<mark>kosketuspisteet</mark>" in payload["results"][0]["snippet"]
