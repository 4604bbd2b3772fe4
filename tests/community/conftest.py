import datetime
import secrets
from types import SimpleNamespace

import pytest
from django.contrib.auth.models import Group
from django.utils import timezone

from community.models import CommunitySettings
from community.spam import FormToken
from grading.roles import COACHES, EDITORS, STUDENTS
from tests.factories import CoachFactory, EssayPageFactory, PersonFactory, TeamFactory, UserFactory


def user_in(group_name, username):
    user = UserFactory(username=username, first_name=username.capitalize())
    user.groups.add(Group.objects.get(name=group_name))
    return user


def form_token(page, *, seconds_ago=30, question=0):
    """A signed comment-form token for the page, shown `seconds_ago` seconds ago."""
    shown = timezone.now() - datetime.timedelta(seconds=seconds_ago)
    return FormToken(page.pk, secrets.token_hex(16), question, shown).sign()


def comment_data(page, text="Hyvä ja selkeä essee, kiitos!", **extra):
    """What the comment form posts, with a token old enough to pass the minimum time; an
    anonymous visitor's answer to question 0 (the capital of Finland) is included."""
    return {"text": text, "tarkiste": form_token(page), "vastaus": "Helsinki", "kotisivu": "", **extra}


@pytest.fixture
def people(db):
    """A team with its coach, two authors, another team's coach, a member and an editor."""
    coach = CoachFactory(name="Marjut Hakala", user=user_in(COACHES, "valmentaja"))
    team = TeamFactory(name="Pinkut", coach=coach)
    author = PersonFactory(name="Aino Virtanen", team=team, user=user_in(STUDENTS, "aino"))
    author.user.email = "aino@example.org"
    author.user.save()
    other_coach = CoachFactory(name="Olli Ojala", user=user_in(COACHES, "toinen"))
    TeamFactory(name="Muut", coach=other_coach)
    member = PersonFactory(name="Eetu Mäkinen", team=TeamFactory(name="Kolmas"), user=user_in(STUDENTS, "eetu"))
    return SimpleNamespace(
        coach=coach.user,
        other_coach=other_coach.user,
        author=author.user,
        author_person=author,
        member=member.user,
        member_person=member,
        editor=user_in(EDITORS, "toimittaja"),
    )


@pytest.fixture
def essay(people):
    return EssayPageFactory(title="Asiakaskokemus arjessa", authors=[people.author_person])


@pytest.fixture
def community_settings(db):
    """The default site's community settings, for a test to change."""
    from wagtail.models import Site

    return CommunitySettings.for_site(Site.objects.get(is_default_site=True))
