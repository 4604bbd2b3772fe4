"""Wagtail's page privacy holds on every public listing (issue 20, finding 5).

A page an editor restricts (a password, signed-in members only, members of some groups) is left
out of /haku/, /api/search/, autocomplete, /esseet/, book pages and the other listings for every
reader who does not pass the restriction: signed-in members pass LOGIN, members of one of the
groups pass GROUPS, and only editors see a password-protected page listed.
"""

from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group, Permission
from django.test import Client
from wagtail.models import BaseViewRestriction, PageViewRestriction

from essays.models import EssayPage
from essays.privacy import hidden_paths
from tests.factories import (
    BookFactory,
    BookSummaryPageFactory,
    ConceptPageFactory,
    EssayPageFactory,
    UserFactory,
)

QUERY = "vaitiolovelvollisuus"
PREFIX = "vaitiolo"
KINDS = [BaseViewRestriction.LOGIN, BaseViewRestriction.GROUPS, BaseViewRestriction.PASSWORD]


@pytest.fixture
def book(db):
    return BookFactory(title="Luottamuksen kirja")


@pytest.fixture
def readers(db, client_for):
    """Clients of an anonymous reader, a signed-in member, a member of the group "Luottamus"
    and an editor."""
    group = Group.objects.create(name="Luottamus")
    insider = UserFactory(username="luottamuksen-jasen")
    insider.groups.add(group)
    editor = UserFactory(username="toimittaja")
    editor.user_permissions.add(Permission.objects.get(codename="change_essaypage", content_type__app_label="essays"))
    return SimpleNamespace(
        group=group,
        anonymous=Client(),
        member=client_for(UserFactory(username="tavallinen-jasen")),
        insider=client_for(insider),
        editor=client_for(editor),
    )


def restrict(page, kind, group):
    restriction = PageViewRestriction.objects.create(page=page, restriction_type=kind, password="salasana")
    if kind == BaseViewRestriction.GROUPS:
        restriction.groups.add(group)
    return restriction


def passing(readers, kind):
    """The readers who pass a restriction of this kind, and those who do not."""
    passes = {
        BaseViewRestriction.LOGIN: {"member", "insider", "editor"},
        BaseViewRestriction.GROUPS: {"insider", "editor"},
        BaseViewRestriction.PASSWORD: {"editor"},
    }[kind]
    return passes, {"anonymous", "member", "insider", "editor"} - passes


def listings(page, book, site_tree):
    """(name, url, parameters) of each public listing that shows a page of this kind."""
    searches = [("haku", "/haku/", {"q": QUERY}), ("api", "/api/search/", {"q": QUERY})]
    if isinstance(page, EssayPage):
        return [
            *searches,
            ("autocomplete", "/api/search/autocomplete/", {"q": PREFIX}),
            ("esseet", site_tree.essay_index.url, {}),
            ("book", book.get_absolute_url(), {}),
        ]
    if page.specific_class.__name__ == "BookSummaryPage":
        return [*searches, ("tiivistelmat", site_tree.summary_index.url, {}), ("book", book.get_absolute_url(), {})]
    return [
        *searches,
        ("autocomplete", "/api/search/autocomplete/", {"q": PREFIX}),
        ("kasitteet", site_tree.concept_index.url, {}),
        ("book", book.get_absolute_url(), {}),
    ]


def shown(client, url, parameters, page):
    response = client.get(url, parameters)
    assert response.status_code == 200, (url, response.status_code)
    return page.slug in response.content.decode()


def make_page(kind_of_page, book):
    if kind_of_page == "essay":
        return EssayPageFactory(title="Vaitiolovelvollisuus asiakastyössä", slug="salainen-essee", books=[book])
    if kind_of_page == "summary":
        return BookSummaryPageFactory(
            title="Vaitiolovelvollisuus tiivistettynä", slug="salainen-tiivistelma", book=book
        )
    return ConceptPageFactory(title="vaitiolovelvollisuus", slug="salainen-kasite", definition_book=book)


def assert_listed_only_for(readers, kind, page, book, site_tree):
    passes, fails = passing(readers, kind)
    for name, url, parameters in listings(page, book, site_tree):
        for reader in sorted(passes):
            assert shown(getattr(readers, reader), url, parameters, page), f"{reader} misses it on {name}"
        for reader in sorted(fails):
            assert not shown(getattr(readers, reader), url, parameters, page), f"{reader} sees it on {name}"


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize("kind_of_page", ["essay", "summary", "concept"])
def test_restricted_page_is_listed_only_for_readers_who_pass_the_restriction(
    site_tree, readers, book, kind, kind_of_page
):
    page = make_page(kind_of_page, book)
    restrict(page, kind, readers.group)
    assert_listed_only_for(readers, kind, page, book, site_tree)


@pytest.mark.parametrize("kind", KINDS)
def test_restricting_a_section_hides_the_essays_under_it(site_tree, readers, book, kind):
    essay = make_page("essay", book)
    restrict(site_tree.essay_index, kind, readers.group)
    passes, fails = passing(readers, kind)
    for reader in fails:
        client = getattr(readers, reader)
        assert not shown(client, "/haku/", {"q": QUERY}, essay), reader
        assert not shown(client, "/api/search/autocomplete/", {"q": PREFIX}, essay), reader
        assert not shown(client, book.get_absolute_url(), {}, essay), reader
    for reader in passes:
        assert shown(getattr(readers, reader), "/haku/", {"q": QUERY}, essay), reader


def test_a_restriction_added_or_removed_is_honoured_by_the_next_search(site_tree, readers, book):
    """The essays anyone may read are kept in memory (essays.facets, search.caches): a restriction
    replaces them both ways."""
    essay = make_page("essay", book)
    searches = [("/haku/", {"q": QUERY}), ("/api/search/", {"q": QUERY}), ("/api/search/autocomplete/", {"q": PREFIX})]
    assert all(shown(readers.anonymous, url, parameters, essay) for url, parameters in searches)
    restriction = restrict(essay, BaseViewRestriction.LOGIN, readers.group)
    assert not any(shown(readers.anonymous, url, parameters, essay) for url, parameters in searches)
    assert all(shown(readers.member, url, parameters, essay) for url, parameters in searches)
    restriction.delete()
    assert all(shown(readers.anonymous, url, parameters, essay) for url, parameters in searches)
    assert shown(readers.anonymous, site_tree.essay_index.url, {}, essay)


def test_a_password_still_opens_the_page_itself(site_tree, readers, book):
    """A password unlocks the page's own view (Wagtail's check), though never a listing."""
    essay = make_page("essay", book)
    restriction = restrict(essay, BaseViewRestriction.PASSWORD, readers.group)
    response = readers.anonymous.post(
        f"/_util/authenticate_with_password/{restriction.pk}/{essay.pk}/",
        {"password": "salasana", "return_url": essay.url},
    )
    assert response.status_code == 302
    page = readers.anonymous.get(essay.url)
    assert page.status_code == 200
    assert "Vaitiolovelvollisuus asiakastyössä" in page.content.decode()
    assert not shown(readers.anonymous, "/haku/", {"q": QUERY}, essay)


def test_hidden_paths_keep_only_the_outermost_sections(site_tree, readers, book):
    essay = make_page("essay", book)
    restrict(site_tree.essay_index, BaseViewRestriction.LOGIN, readers.group)
    restrict(essay, BaseViewRestriction.PASSWORD, readers.group)
    assert hidden_paths() == (site_tree.essay_index.path,)
