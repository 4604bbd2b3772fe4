"""People with user accounts in the three roles, rule sets, and an essay waiting for grading."""

import datetime
from types import SimpleNamespace

import pytest

from essays.models import EssayPage, EssayType
from grading.models import GradingSettings, PointRule, RuleSet
from grading.roles import COACHES, EDITORS, STUDENTS
from tests.factories import CoachFactory, EssayPageFactory, PersonFactory, TeamFactory, UserFactory
from tests.grading.helpers import submit, user_in


@pytest.fixture
def people(site_tree):
    """Team Pinkut coached by Marjut, with students Aino and Eetu; team Kipinä coached by Timo, with
    student Iida; an editor, and a member with no role."""
    marjut = CoachFactory(name="Marjut Hakala", user=user_in(COACHES, "marjut"))
    timo = CoachFactory(name="Timo Lehtinen", user=user_in(COACHES, "timo"))
    pinkut = TeamFactory(name="Pinkut", coach=marjut, start_year=2021)
    kipina = TeamFactory(name="Kipinä", coach=timo, start_year=2022)
    aino = PersonFactory(name="Aino Virtanen", team=pinkut, user=user_in(STUDENTS, "aino"))
    eetu = PersonFactory(name="Eetu Mäkinen", team=pinkut, user=user_in(STUDENTS, "eetu"))
    iida = PersonFactory(name="Iida Koskinen", team=kipina, user=user_in(STUDENTS, "iida"))
    return SimpleNamespace(
        site=site_tree,
        pinkut=pinkut,
        kipina=kipina,
        marjut=marjut,
        timo=timo,
        aino=aino,
        eetu=eetu,
        iida=iida,
        editor=user_in(EDITORS, "toimittaja"),
        member=UserFactory(username="jasen"),
    )


@pytest.fixture
def user_for(people):
    """The account of a role as the permission tests name it: user_for("coach") is Marjut's."""
    return {
        "author": people.aino.user,
        "co_author": people.eetu.user,
        "other_student": people.iida.user,
        "coach": people.marjut.user,
        "other_coach": people.timo.user,
        "editor": people.editor,
        "member": people.member,
    }.__getitem__


@pytest.fixture
def rule_sets(db):
    """Points by essay type: the 2019 rules, and the 2024 rules that raise the academic essay to 4."""
    older = RuleSet.objects.create(name="Säännöt 2019", effective_from=datetime.date(2019, 1, 1))
    newer = RuleSet.objects.create(name="Säännöt 2024", effective_from=datetime.date(2024, 8, 1))
    for rule_set, academic in ((older, 3), (newer, 4)):
        for code, points in (("blog", 1), ("individual", 2), ("academic", academic)):
            PointRule.objects.create(rule_set=rule_set, essay_type=EssayType.objects.get(code=code), points=points)
    return SimpleNamespace(older=older, newer=newer)


@pytest.fixture
def grading_settings(site_tree):
    return GradingSettings.for_site(site_tree.home.get_site())


@pytest.fixture
def submitted_essay(people):
    """A new individual essay by Aino, submitted for grading."""
    essay = EssayPageFactory(
        title="Kosketuspisteet", authors=[people.aino], essay_type=EssayType.objects.get(code="individual")
    )
    # A new essay is not live until its grading publishes it.
    essay.unpublish()
    submit(essay, people.aino.user)
    return EssayPage.objects.get(pk=essay.pk)
