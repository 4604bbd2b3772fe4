"""Who sees which essay: public for everybody, community for members, protected for authors and coach."""

import pytest
from pytest_django.asserts import assertContains, assertNotContains

from essays.models import EssayPage
from tests.factories import (
    BookFactory,
    CoachFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
)

pytestmark = pytest.mark.usefixtures("without_index_updates")

PROTECTED = EssayPage.Visibility.PROTECTED
COMMUNITY = EssayPage.Visibility.COMMUNITY


@pytest.fixture
def people(site_tree):
    coach = CoachFactory(name="Kaisa Valmentaja", user=UserFactory(username="valmentaja"))
    team = TeamFactory(name="Pinkut", coach=coach)
    author = PersonFactory(name="Aino Aaltonen", team=team, user=UserFactory(username="aino"))
    return {"coach": coach, "team": team, "author": author, "book": BookFactory(title="Asiakaskokemus")}


def make_essay(people, visibility, title):
    return EssayPageFactory(
        title=title, visibility=visibility, authors=[people["author"]], books=[people["book"]], tags=["asiakaskokemus"]
    )


@pytest.fixture
def protected(people):
    return make_essay(people, PROTECTED, "Salainen essee")


@pytest.fixture
def community(people):
    return make_essay(people, COMMUNITY, "Yhteisön essee")


def pages_listing_essays(site_tree, people):
    """Every page that lists essays, as (name, url)."""
    concept = ConceptPageFactory(title="asiakaskokemus")
    return [
        ("home", site_tree.home.url),
        ("essay index", site_tree.essay_index.url),
        ("book", people["book"].get_absolute_url()),
        ("person", people["author"].get_absolute_url()),
        ("team", people["team"].get_absolute_url()),
        ("concept", concept.url),
    ]


def test_protected_essay_is_hidden_from_anonymous_on_every_listing(client, site_tree, people, protected):
    for name, url in pages_listing_essays(site_tree, people):
        response = client.get(url)
        assert response.status_code == 200, name
        assertNotContains(response, protected.url, msg_prefix=name)
        assertNotContains(response, "Salainen essee", msg_prefix=name)


def test_protected_essay_is_hidden_from_unrelated_member_on_every_listing(member_client, site_tree, people, protected):
    for name, url in pages_listing_essays(site_tree, people):
        assertNotContains(member_client.get(url), protected.url, msg_prefix=name)


def test_protected_essay_is_listed_for_its_author(client_for, site_tree, people, protected):
    client = client_for(people["author"].user)
    for name, url in pages_listing_essays(site_tree, people):
        assertContains(client.get(url), protected.url, msg_prefix=name)


def test_protected_essay_is_listed_for_the_team_coach(client_for, site_tree, people, protected):
    client = client_for(people["coach"].user)
    assertContains(client.get(site_tree.essay_index.url), protected.url)


def test_community_essay_is_hidden_from_anonymous_on_every_listing(client, site_tree, people, community):
    for name, url in pages_listing_essays(site_tree, people):
        assertNotContains(client.get(url), community.url, msg_prefix=name)


def test_community_essay_is_listed_for_signed_in_members(member_client, site_tree, people, community):
    for name, url in pages_listing_essays(site_tree, people):
        assertContains(member_client.get(url), community.url, msg_prefix=name)


def test_hidden_essays_do_not_leak_into_filter_options(client, site_tree, people, protected):
    response = client.get(site_tree.essay_index.url)
    assert response.context["filter_options"]["kirjoittaja"] == []
    assert response.context["essays"].paginator.count == 0


def test_community_essay_page_redirects_anonymous_to_login(client, community):
    response = client.get(community.url)
    assert response.status_code == 302
    assert f"next={community.url}" in response.url


def test_community_essay_page_is_served_to_members(member_client, community):
    assert member_client.get(community.url).status_code == 200


def test_protected_essay_page_redirects_anonymous_to_login(client, protected):
    response = client.get(protected.url)
    assert response.status_code == 302
    assert f"next={protected.url}" in response.url


def test_login_redirect_of_protected_essay_leads_to_a_login_page(client, protected):
    """The redirect must point at a sign-in form that exists, not at a 404."""
    response = client.get(protected.url, follow=True)
    assert response.status_code == 200
    assert "password" in response.content.decode()


def test_protected_essay_page_is_404_for_unrelated_member(member_client, protected):
    assert member_client.get(protected.url).status_code == 404


def test_protected_essay_page_is_served_to_its_author(client_for, people, protected):
    response = client_for(people["author"].user).get(protected.url)
    assert response.status_code == 200
    assertContains(response, "Salainen essee")


def test_protected_essay_page_is_served_to_co_author(client_for, people):
    co_author = PersonFactory(name="Ville Virtanen", team=TeamFactory(), user=UserFactory(username="ville"))
    essay = EssayPageFactory(visibility=PROTECTED, authors=[people["author"], co_author])
    assert client_for(co_author.user).get(essay.url).status_code == 200


def test_protected_essay_page_is_served_to_the_team_coach(client_for, people, protected):
    assert client_for(people["coach"].user).get(protected.url).status_code == 200


def test_protected_essay_page_is_404_for_coach_of_another_team(client_for, people, protected):
    other_coach = CoachFactory(user=UserFactory(username="toinen-valmentaja"))
    TeamFactory(name="Sinetit", coach=other_coach)
    assert client_for(other_coach.user).get(protected.url).status_code == 404


def test_protected_essay_page_is_served_to_editors(superuser_client, protected):
    assert superuser_client.get(protected.url).status_code == 200
