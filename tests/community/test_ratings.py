"""Star ratings: one vote per reader, changeable, stored totals with an imported baseline."""

import decimal

import pytest
from django.test import Client

from community.imports import load_rating_baselines
from community.models import Rating, RatingTotals
from community.ratings import rating_text
from tests.factories import EssayPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]


def rate(client, page, stars, **headers):
    return client.post(f"/arviot/{page.pk}/", {"stars": str(stars)}, **headers)


def totals(page):
    return RatingTotals.objects.get(page_id=page.pk)


@pytest.mark.parametrize(
    ("count", "average", "expected"),
    [(1, 4.0, "4,0 / 5 · 1 ääni"), (12, 4.2, "4,2 / 5 · 12 ääntä"), (3, 13 / 3, "4,3 / 5 · 3 ääntä")],
)
def test_rating_text_has_one_decimal_and_number_agreement(count, average, expected):
    assert rating_text(RatingTotals(count=count, average=average)) == expected


def test_no_votes_reads_as_no_ratings_yet():
    assert rating_text(RatingTotals()) == "Ei vielä arvioita"


def test_member_vote_updates_the_totals(essay, people, client_for):
    response = rate(client_for(people.member), essay, 4)
    assert response.status_code == 302
    assert (totals(essay).count, totals(essay).average) == (1, 4.0)


def test_a_second_vote_changes_the_first(essay, people, client_for):
    client = client_for(people.member)
    rate(client, essay, 1)
    rate(client, essay, 5)
    assert Rating.objects.get().stars == 5
    assert (totals(essay).count, totals(essay).vote_sum) == (1, 5)


def test_zero_stars_is_a_vote(essay, people, client_for):
    rate(client_for(people.member), essay, 0)
    assert (totals(essay).count, totals(essay).average) == (1, 0.0)


def test_author_cannot_rate_their_own_essay(essay, people, client_for):
    response = rate(client_for(people.author), essay, 5)
    assert response.status_code == 302
    assert not Rating.objects.exists()
    assert "Et voi arvioida omaa esseetäsi." in client_for(people.author).get(essay.url).content.decode()


@pytest.mark.parametrize("stars", ["6", "-1", "4.5", "", "viisi"])
def test_rating_outside_0_to_5_is_refused(essay, people, client_for, stars):
    response = client_for(people.member).post(f"/arviot/{essay.pk}/", {"stars": stars})
    assert response.status_code == 400
    assert "Arvio on 0–5 tähteä." in response.content.decode()
    assert not Rating.objects.exists()
    assert not RatingTotals.objects.filter(vote_count__gt=0).exists()


def test_anonymous_vote_is_refused_unless_allowed(essay):
    response = rate(Client(), essay, 3)
    assert response.status_code == 302
    assert not Rating.objects.exists()


def test_anonymous_browser_changes_its_vote_through_its_cookie(essay, community_settings):
    community_settings.anonymous_ratings = True
    community_settings.save()
    browser = Client(REMOTE_ADDR="10.0.0.1")
    rate(browser, essay, 2)
    rate(browser, essay, 4, REMOTE_ADDR="10.0.0.2")
    assert list(Rating.objects.values_list("stars", flat=True)) == [4]
    assert Rating.objects.get().voter_key


def test_anonymous_vote_without_the_cookie_from_the_same_address_is_the_same_vote(essay, community_settings):
    community_settings.anonymous_ratings = True
    community_settings.save()
    rate(Client(REMOTE_ADDR="10.0.0.1"), essay, 2)
    rate(Client(REMOTE_ADDR="10.0.0.1"), essay, 5)
    assert list(Rating.objects.values_list("stars", flat=True)) == [5]


def test_anonymous_votes_from_different_browsers_and_addresses_both_count(essay, community_settings):
    community_settings.anonymous_ratings = True
    community_settings.save()
    rate(Client(REMOTE_ADDR="10.0.0.1"), essay, 2)
    rate(Client(REMOTE_ADDR="10.0.0.2"), essay, 4)
    assert (totals(essay).count, totals(essay).average) == (2, 3.0)


def test_forged_voter_cookie_is_not_taken(essay, community_settings):
    community_settings.anonymous_ratings = True
    community_settings.save()
    rate(Client(REMOTE_ADDR="10.0.0.1"), essay, 2)
    forger = Client(REMOTE_ADDR="10.0.0.9")
    forger.cookies["arvioija"] = Rating.objects.get().voter_key
    rate(forger, essay, 5)
    assert sorted(Rating.objects.values_list("stars", flat=True)) == [2, 5]


def test_new_votes_add_to_an_imported_baseline(essay, people, client_for):
    load_rating_baselines([("1", decimal.Decimal("4.00"), 9)], {"1": essay})
    rate(client_for(people.member), essay, 1)
    assert (totals(essay).count, totals(essay).average) == (10, 3.7)


def test_script_gets_the_new_text_as_json(essay, people, client_for):
    response = rate(client_for(people.member), essay, 4, HTTP_ACCEPT="application/json")
    assert response.json() == {"stars": 4, "count": 1, "text": "4,0 / 5 · 1 ääni"}


def test_rating_widget_is_a_form_of_labelled_radio_buttons(essay, people, client_for):
    html = client_for(people.member).get(essay.url).content.decode()
    assert '<form class="rating-form" method="post"' in html
    assert "<legend>Arvioi essee</legend>" in html
    assert '<input type="radio" name="stars" value="1">' in html
    assert "<span>1 tähti</span>" in html


def test_rating_shows_in_essay_lists(essay, people, client_for, site_tree):
    rate(client_for(people.member), essay, 4)
    assert "4,0 / 5 · 1 ääni" in Client().get(site_tree.essay_index.url).content.decode()


def test_essay_index_sorts_best_rated_first(people, client_for, site_tree):
    low = EssayPageFactory(title="Heikompi", authors=[people.author_person])
    high = EssayPageFactory(title="Vahvempi", authors=[people.author_person])
    EssayPageFactory(title="Arvioimaton", authors=[people.author_person])
    client = client_for(people.member)
    rate(client, low, 2)
    rate(client, high, 5)
    html = Client().get(site_tree.essay_index.url + "?jarjestys=arvio").content.decode()
    assert html.index("Vahvempi") < html.index("Heikompi") < html.index("Arvioimaton")


def test_essay_index_refuses_an_unknown_order(site_tree):
    assert Client().get(site_tree.essay_index.url + "?jarjestys=satunnainen").status_code == 400
