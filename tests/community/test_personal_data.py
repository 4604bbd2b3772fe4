"""Comments, votes and nominations in the per-person export and erasure (the register_personal_data hook)."""

import json

import pytest
from django.utils import timezone
from wagtail import hooks

from community.models import Comment, MonthlyVote, Nomination, Rating, RatingTotals
from community.month import month_of
from community.ratings import cast_vote
from essays.models import Person
from tests.factories import EssayPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]


def community_entry():
    entries = [entry() for entry in hooks.get_hooks("register_personal_data")]
    return next(entry for entry in entries if entry["name"] == "community")


@pytest.fixture
def member_person(people):
    return Person.objects.get(user=people.member)


@pytest.fixture
def activity(essay, people, member_person):
    comment = Comment.objects.create(
        page=essay, user=people.member, author_name="Eetu Mäkinen", text="Oma kommentti", status="approved"
    )
    Comment.objects.create(page=essay, author_name="Eetu Mäkinen", text="Vanha tuotu", status="approved")
    cast_vote(essay, 4, user=people.member)
    cast_vote(essay, 2, user=people.coach)
    nomination = Nomination.objects.create(month=month_of(), essay=essay, nominated_by=people.member)
    MonthlyVote.objects.create(month=month_of(), nomination=nomination, user=people.member)
    return comment


def test_hook_gives_name_export_and_erase():
    entry = community_entry()
    assert callable(entry["export"]) and callable(entry["erase"])


def test_export_holds_comments_votes_and_nominations_as_json(activity, member_person):
    data = json.loads(json.dumps(community_entry()["export"](member_person)))
    assert [(c["text"], c["matched_by"]) for c in data["comments"]] == [
        ("Oma kommentti", "account"),
        ("Vanha tuotu", "name"),
    ]
    assert [rating["stars"] for rating in data["ratings"]] == [4]
    assert len(data["nominations"]) == len(data["essay_of_month_votes"]) == 1


def test_erase_removes_the_persons_records_and_corrects_the_totals(activity, essay, member_person, people):
    erased = community_entry()["erase"](member_person)
    totals = RatingTotals.objects.get(page_id=essay.pk)
    assert erased == 4
    assert not Comment.objects.filter(user=people.member).exists()
    assert not Rating.objects.filter(user=people.member).exists()
    assert not MonthlyVote.objects.exists()
    assert Nomination.objects.get().nominated_by is None
    assert (totals.count, totals.average) == (1, 2.0)


def test_person_without_account_has_only_name_matches(essay):
    person = Person.objects.create(name="Ilman Tunnusta")
    Comment.objects.create(page=essay, author_name="Ilman Tunnusta", text="Nimellä", created_at=timezone.now())
    entry = community_entry()
    assert [c["text"] for c in entry["export"](person)["comments"]] == ["Nimellä"]
    assert entry["erase"](person) == 0


def test_other_essay_comments_are_untouched_by_erasure(activity, member_person, people):
    other = EssayPageFactory()
    Comment.objects.create(page=other, user=people.coach, author_name="Marjut", text="Jää", status="approved")
    community_entry()["erase"](member_person)
    assert Comment.objects.filter(text="Jää").exists()
