"""The student's point-class menu says what the rules in force give each essay type, as the coach's
suggestion and the exports do, and follows the essay type chosen."""

import datetime
import json

import pytest
from bs4 import BeautifulSoup
from django.utils import timezone
from wagtail.models import WorkflowState

from essays.models import EssayPage, EssayType
from grading.models import GradingSettings, PointRule, RuleSet
from tests.factories import EssayPageFactory
from tests.grading.helpers import signed_in, submit

pytestmark = pytest.mark.usefixtures("without_index_updates")

# The demo's rule set: the team essay, the reflection and the podcast differ from the types' defaults.
RULES_2024 = {"blog": 1, "individual": 2, "academic": 3, "reflection": 2, "podcast": 2, "team": 3, "comment": 1}


def rule_set(name, effective_from, points):
    rules = RuleSet.objects.create(name=name, effective_from=effective_from)
    for code, value in points.items():
        PointRule.objects.create(rule_set=rules, essay_type=EssayType.objects.get(code=code), points=value)
    return rules


@pytest.fixture
def rules_in_force(db):
    return rule_set("Pisteytys 2024", datetime.date(2024, 8, 1), RULES_2024)


def menu(client, url):
    select = BeautifulSoup(client.get(url).content.decode(), "html.parser").select_one("select[name=claimed_points]")
    return select


def labels(select):
    return [option.get_text(strip=True) for option in select.select("option") if option["value"]]


def add_url(people):
    return f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"


def test_the_menu_shows_the_points_the_rules_in_force_give(people, rules_in_force):
    assert labels(menu(signed_in(people.aino.user), add_url(people))) == [
        "1 esseepiste – Blogiessee, Kommenttiessee",
        "2 esseepistettä – Yksilöessee, Reflektio, Podcast",
        "3 esseepistettä – Akateeminen essee, Solu- tai tiimiessee",
    ]


def test_an_essay_type_without_a_rule_keeps_its_default_points_in_the_menu(people):
    rule_set("Vain blogit", datetime.date(2024, 8, 1), {"blog": 2})
    options = labels(menu(signed_in(people.aino.user), add_url(people)))
    assert "2 esseepistettä – Blogiessee, Yksilöessee, Solu- tai tiimiessee" in options
    assert "1 esseepiste – Reflektio, Kommenttiessee" in options


def test_an_essay_sent_before_new_rules_keeps_the_menu_of_the_rules_it_was_sent_under(people, rules_in_force):
    rule_set("Pisteytys 2019", datetime.date(2019, 1, 1), {"team": 4})
    team_essay = EssayType.objects.get(code="team")
    essay = EssayPageFactory(title="Tiimin essee", authors=[people.aino], essay_type=team_essay)
    submit(essay, people.aino.user)
    WorkflowState.objects.filter(object_id=str(essay.pk)).update(
        created_at=timezone.make_aware(datetime.datetime(2020, 3, 1, 12))
    )
    EssayPage.objects.get(pk=essay.pk).current_workflow_state.cancel(user=people.editor)
    options = labels(menu(signed_in(people.aino.user), f"/admin/pages/{essay.pk}/edit/"))
    assert "4 esseepistettä – Solu- tai tiimiessee" in options


def test_the_menu_tells_the_page_which_class_each_essay_type_gives(people, rules_in_force):
    select = menu(signed_in(people.aino.user), add_url(people))
    by_type = json.loads(select["data-points-by-type"])
    assert by_type[str(EssayType.objects.get(code="team").pk)] == 3
    assert by_type[str(EssayType.objects.get(code="podcast").pk)] == 2


def test_an_essay_with_a_type_and_no_class_has_its_types_class_selected(people, rules_in_force):
    essay = EssayPageFactory(
        title="Tiimin essee", authors=[people.aino], essay_type=EssayType.objects.get(code="team"), claimed_points=None
    )
    select = menu(signed_in(people.aino.user), f"/admin/pages/{essay.pk}/edit/")
    assert select.select_one("option[selected]").get_text(strip=True).startswith("3 esseepistettä")


def test_a_class_claimed_under_older_rules_stays_selected(people, rules_in_force):
    essay = EssayPageFactory(title="Vanha luokka", authors=[people.aino], claimed_points=5)
    select = menu(signed_in(people.aino.user), f"/admin/pages/{essay.pk}/edit/")
    assert select.select_one("option[selected]").get_text(strip=True) == "5 esseepistettä"
    assert EssayPage.objects.get(pk=essay.pk).claimed_points == 5


def test_points_by_book_leave_the_menu_to_the_types_defaults(people, rules_in_force, grading_settings):
    grading_settings.point_system = GradingSettings.PointSystem.BOOK
    grading_settings.save()
    options = labels(menu(signed_in(people.aino.user), add_url(people)))
    assert "2 esseepistettä – Yksilöessee, Solu- tai tiimiessee" in options
