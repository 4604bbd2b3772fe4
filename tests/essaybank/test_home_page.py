"""The home page and the site structure every Esseepankki site has."""

import datetime

import pytest
from pytest_django.asserts import assertContains
from wagtail.models import Page, Site

from concepts.models import ConceptIndexPage
from essaybank.models import HomePage
from essaybank.site_structure import ensure_site_structure
from essays.models import BookSummaryIndexPage, EssayIndexPage
from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory

pytestmark = pytest.mark.usefixtures("without_index_updates")


def test_site_structure_has_home_and_three_sections(site_tree):
    assert [type(page.specific) for page in site_tree.home.get_children()] == [
        EssayIndexPage,
        BookSummaryIndexPage,
        ConceptIndexPage,
    ]
    assert all(page.live for page in site_tree.home.get_children())


def test_home_page_is_the_default_sites_root(site_tree):
    assert Site.objects.get(is_default_site=True).root_page_id == site_tree.home.pk


def test_ensure_site_structure_is_idempotent(site_tree):
    pages = Page.objects.count()
    assert ensure_site_structure() == site_tree.home
    assert Page.objects.count() == pages


def test_ensure_site_structure_removes_wagtails_welcome_page(site_tree):
    assert not Page.objects.filter(depth=2).exclude(pk=site_tree.home.pk).exists()


def test_ensure_site_structure_restores_a_deleted_section(site_tree):
    site_tree.concept_index.delete()
    ensure_site_structure()
    assert ConceptIndexPage.objects.child_of(site_tree.home).live().exists()


def test_home_page_speaks_finnish(client, site_tree):
    response = client.get("/")
    assertContains(response, '<html lang="fi">')
    assertContains(response, "Selaa kirjoja")


def test_home_page_lists_books_in_finnish_order(client, site_tree):
    for title in ("Öljy", "Ääni", "Asiakaskokemus"):
        BookFactory(title=title)
    response = client.get("/")
    assert [book.title for book in response.context["books"]] == ["Asiakaskokemus", "Ääni", "Öljy"]


def test_home_page_lists_concepts_in_finnish_order(client, site_tree):
    for term in ("öljy", "ääni", "asiakas"):
        ConceptPageFactory(title=term)
    response = client.get("/")
    assert [concept.title for concept in response.context["concepts"]] == ["asiakas", "ääni", "öljy"]


def test_home_page_shows_newest_essays_first(client, site_tree):
    old = EssayPageFactory(title="Vanha", written=datetime.date(2015, 1, 1))
    new = EssayPageFactory(title="Uusi", written=datetime.date(2021, 1, 1))
    assert list(client.get("/").context["newest_essays"]) == [new, old]


def test_unpublished_essay_is_not_on_home_page(client, site_tree):
    draft = EssayPageFactory(title="Luonnos")
    draft.unpublish()
    assert list(client.get("/").context["newest_essays"]) == []


def test_there_is_one_home_page(site_tree):
    assert HomePage.objects.count() == 1
