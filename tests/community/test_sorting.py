"""Lists sorted by what readers did: /esseet/ by rating and by comments, search by rating."""

import re

import pytest
from django.test import Client

from community.models import Comment
from community.ratings import cast_vote
from tests.factories import ConceptPageFactory, EssayPageFactory, UserFactory, paragraphs


@pytest.fixture
def essays(db):
    voter = UserFactory(username="arvioija")
    made = {
        title: EssayPageFactory(title=title, body=paragraphs("Palvelumuotoilu ja asiakaskokemus."))
        for title in ("Keskinkertainen", "Paras", "Arvioimaton")
    }
    cast_vote(made["Keskinkertainen"], 3, user=voter)
    cast_vote(made["Paras"], 5, user=voter)
    return made


def order_in(html, titles):
    return sorted(titles, key=html.index)


def test_search_sorts_by_rating(essays):
    html = Client().get("/haku/?q=palvelumuotoilu&laji=essee&jarjestys=arvio").content.decode()
    assert order_in(html, ["Keskinkertainen", "Paras", "Arvioimaton"]) == ["Paras", "Keskinkertainen", "Arvioimaton"]


def test_search_by_rating_that_finds_a_concept_puts_it_after_the_rated_essays(essays):
    concept = ConceptPageFactory(title="Palvelumuotoilu", definition="Palvelujen suunnittelu asiakkaan näkökulmasta.")
    response = Client().get("/haku/?q=palvelumuotoilu&jarjestys=arvio")
    assert response.status_code == 200
    hits = re.findall(r'<h2 class="hit-title"><a href="([^"]*)"', response.content.decode())
    expected = [essays["Paras"].url, essays["Keskinkertainen"].url, essays["Arvioimaton"].url, concept.url]
    assert hits == expected


def test_search_offers_the_rating_order(essays):
    assert '<option value="arvio"' in Client().get("/haku/?q=palvelumuotoilu").content.decode()


def test_essay_index_sorts_most_discussed_first(essays, site_tree):
    for text in ("Yksi", "Kaksi"):
        Comment.objects.create(page=essays["Arvioimaton"], author_name="A", text=text, status="approved")
    Comment.objects.create(page=essays["Paras"], author_name="A", text="Kolme", status="approved")
    Comment.objects.create(page=essays["Keskinkertainen"], author_name="A", text="Roskaa", status="spam")
    html = Client().get(site_tree.essay_index.url + "?jarjestys=keskustelluin").content.decode()
    assert order_in(html, ["Keskinkertainen", "Paras", "Arvioimaton"]) == ["Arvioimaton", "Paras", "Keskinkertainen"]


def test_essay_index_keeps_the_order_across_pages(essays, site_tree, settings):
    settings.ESSAYS_PER_PAGE = 2
    html = Client().get(site_tree.essay_index.url + "?jarjestys=arvio").content.decode()
    assert "jarjestys=arvio&amp;sivu=2" in html
