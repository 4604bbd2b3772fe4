"""The essay of the month: coaches and editors nominate, members vote once a month, the winner shows."""

import datetime

import pytest
from django.test import Client

from community.models import EssayOfMonth, MonthlyVote, Nomination
from community.month import decide, month_of, previous_month
from tests.factories import EssayPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]


def nominate(client, essay, reason="Hyvä"):
    return client.post(f"/kuukauden-essee/ehdota/{essay.pk}/", {"reason": reason})


@pytest.mark.parametrize("who", ["coach", "editor"])
def test_coaches_and_editors_nominate(essay, people, client_for, who):
    response = nominate(client_for(getattr(people, who)), essay)
    assert response.status_code == 302
    assert Nomination.objects.get().month == month_of()


def test_members_cannot_nominate(essay, people, client_for):
    assert nominate(client_for(people.member), essay).status_code == 403
    assert not Nomination.objects.exists()


def test_protected_essay_cannot_be_nominated(people, client_for):
    essay = EssayPageFactory(visibility="protected", authors=[people.author_person])
    assert nominate(client_for(people.editor), essay).status_code == 400
    assert not Nomination.objects.exists()


def test_member_votes_once_a_month(essay, people, client_for):
    other = EssayPageFactory(authors=[people.author_person])
    first = Nomination.objects.create(month=month_of(), essay=essay)
    second = Nomination.objects.create(month=month_of(), essay=other)
    client = client_for(people.member)
    client.post(f"/kuukauden-essee/aanesta/{first.pk}/")
    client.post(f"/kuukauden-essee/aanesta/{second.pk}/")
    assert list(MonthlyVote.objects.values_list("nomination", flat=True)) == [first.pk]


def test_anonymous_visitor_cannot_vote(essay):
    nomination = Nomination.objects.create(month=month_of(), essay=essay)
    response = Client().post(f"/kuukauden-essee/aanesta/{nomination.pk}/")
    assert response.status_code == 302
    assert not MonthlyVote.objects.exists()


def test_vote_for_a_past_month_is_refused(essay, people, client_for):
    nomination = Nomination.objects.create(month=previous_month(month_of()), essay=essay)
    assert client_for(people.member).post(f"/kuukauden-essee/aanesta/{nomination.pk}/").status_code == 400


def test_winner_has_the_most_votes_and_shows_on_the_home_page(essay, people, client_for, site_tree):
    last = previous_month(month_of())
    loser = Nomination.objects.create(month=last, essay=EssayPageFactory(title="Toiseksi tullut"))
    winner = Nomination.objects.create(month=last, essay=essay)
    MonthlyVote.objects.create(month=last, nomination=winner, user=people.member)
    MonthlyVote.objects.create(month=last, nomination=winner, user=people.coach)
    MonthlyVote.objects.create(month=last, nomination=loser, user=people.editor)
    html = Client().get("/").content.decode()
    assert f"Kuukauden essee {last.month}/{last.year}" in html
    assert "Asiakaskokemus arjessa" in html
    assert EssayOfMonth.objects.get().votes == 2


def test_tie_goes_to_the_earlier_nomination(essay, people):
    last = previous_month(month_of())
    first = Nomination.objects.create(month=last, essay=essay)
    later = Nomination.objects.create(month=last, essay=EssayPageFactory())
    MonthlyVote.objects.create(month=last, nomination=later, user=people.member)
    MonthlyVote.objects.create(month=last, nomination=first, user=people.coach)
    assert decide(last).essay_id == essay.pk


def test_current_month_has_no_winner_yet(essay, people):
    nomination = Nomination.objects.create(month=month_of(), essay=essay)
    MonthlyVote.objects.create(month=month_of(), nomination=nomination, user=people.member)
    assert decide(month_of()) is None


def test_winner_keeps_a_badge_and_is_listed_among_past_winners(essay):
    EssayOfMonth.objects.create(month=datetime.date(2025, 3, 1), essay=essay, votes=4)
    assert "Kuukauden essee 3/2025" in Client().get(essay.url).content.decode()
    archive = Client().get("/kuukauden-essee/").content.decode()
    assert "Asiakaskokemus arjessa" in archive
    assert "4 ääntä" in archive


def test_past_winner_the_reader_may_not_see_is_not_listed(people):
    hidden = EssayPageFactory(title="Yhteisön essee", visibility="community", authors=[people.author_person])
    EssayOfMonth.objects.create(month=datetime.date(2025, 3, 1), essay=hidden, votes=1)
    assert "Yhteisön essee" not in Client().get("/kuukauden-essee/").content.decode()


def test_nomination_reason_is_escaped(essay, people, client_for):
    nominate(client_for(people.coach), essay, reason="Hyvä & selkeä")
    html = client_for(people.member).get("/kuukauden-essee/").content.decode()
    assert "Hyvä &amp; selkeä" in html
