"""The essay editor's book chooser names each book with its authors and year."""

import json
import re

import pytest

from tests.factories import BookFactory
from tests.grading.helpers import signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")

CHOOSER = "/admin/snippets/choose/essays/book/"


@pytest.fixture
def two_spellings(db):
    return [
        BookFactory(title="Strategiana asiakaskokemus", year=2020, author_names=["Hannu Saarijärvi"]),
        BookFactory(
            title="Strategiana asiakaskokemus – miksi, mitä, miten",
            year=2021,
            author_names=["Hannu Saarijärvi", "Pekka Puustinen"],
        ),
    ]


def rows_of(html):
    return [
        re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", row)).strip()
        for row in re.findall(r"<tr[^>]*>(.*?)</tr>", html, re.S)[1:]
    ]


def test_the_book_chooser_shows_each_books_authors_and_year(people, two_spellings):
    rows = rows_of(json.loads(signed_in(people.aino.user).get(CHOOSER).content)["html"])
    assert "Strategiana asiakaskokemus Hannu Saarijärvi 2020" in rows
    assert "Strategiana asiakaskokemus – miksi, mitä, miten Hannu Saarijärvi, Pekka Puustinen 2021" in rows


def test_the_book_choosers_next_pages_show_authors_and_year(people, two_spellings):
    response = signed_in(people.aino.user).get(f"{CHOOSER}results/", {"p": "1"})
    assert "Strategiana asiakaskokemus Hannu Saarijärvi 2020" in rows_of(response.content.decode())
