"""Points as the tester's walk met them: a revised version's feedback reaches the student's points
pages, a correction reads as a replacement and questions points far from the rule, and teams level
on points share a rank."""

import pytest
from bs4 import BeautifulSoup

from essays.models import EssayPage
from grading.models import Award
from tests.factories import EssayPageFactory, PersonFactory, TeamFactory
from tests.grading.helpers import in_progress_state, signed_in, submit, workflow_action_url

pytestmark = pytest.mark.usefixtures("without_index_updates")


def approve(people, essay, data):
    state = in_progress_state(essay)
    signed_in(people.marjut.user).post(workflow_action_url(essay, "approve", state), data)


@pytest.fixture
def reapproved(people, submitted_essay):
    """Aino's essay approved with 2 points, revised, sent again and approved with new feedback."""
    approve(people, submitted_essay, {"points": "2", "comment": "Hyvä."})
    submit(EssayPage.objects.get(pk=submitted_essay.pk), people.aino.user)
    approve(people, EssayPage.objects.get(pk=submitted_essay.pk), {"comment": "Hyvä lisäys, kiitos."})
    return submitted_essay


def text_of(html):
    return " ".join(BeautifulSoup(html, "html.parser").get_text(" ").split())


def test_a_revised_versions_feedback_is_on_own_points(people, reapproved):
    page = text_of(signed_in(people.aino.user).get("/admin/points/own/").content.decode())
    assert "Palaute korjatuista versioista" in page
    assert "Hyvä lisäys, kiitos." in page


def test_a_revised_versions_feedback_is_the_dashboards_latest(people, reapproved):
    html = signed_in(people.aino.user).get("/admin/").content.decode()
    panel = BeautifulSoup(html, "html.parser").select_one("#grading-own-points-content") or BeautifulSoup(
        html, "html.parser"
    )
    latest = [" ".join(item.get_text(" ").split()) for item in panel.select("h3 + ul li")]
    assert latest[0] == "Kosketuspisteet : pisteet ennallaan. Hyvä lisäys, kiitos."


def test_the_edit_page_names_the_points_a_revised_version_keeps(people, reapproved):
    from django.contrib.messages import get_messages

    response = signed_in(people.aino.user).get(f"/admin/pages/{reapproved.pk}/edit/")
    shown = [str(message).strip() for message in get_messages(response.wsgi_request)]
    assert "Valmentajan palaute (2 esseepistettä): Hyvä lisäys, kiitos." in shown


@pytest.fixture
def corrected(people):
    essay = EssayPageFactory(title="Blogi asiakaskokemuksesta", authors=[people.aino])
    award = Award.objects.create(
        essay=essay,
        student=people.aino,
        team=people.pinkut,
        points=1,
        suggested_points=1,
        coach=people.marjut.user,
        submitted_on=essay.written,
    )
    award.correct(2, "Laajempi kuin blogi.", people.marjut.user)
    return award


@pytest.mark.parametrize("url", ["/admin/points/own/", "/admin/points/awards/"])
def test_a_correction_names_the_points_it_replaces(people, corrected, url):
    user = people.aino.user if url.endswith("own/") else people.marjut.user
    page = text_of(signed_in(user).get(url).content.decode())
    assert "aiemmin 1 esseepiste" in page
    assert "korjaa:" not in page


def test_the_correction_form_starts_with_no_points(people):
    essay = EssayPageFactory(title="Blogi", authors=[people.aino])
    award = Award.objects.create(
        essay=essay, student=people.aino, team=people.pinkut, points=1, suggested_points=1, submitted_on=essay.written
    )
    html = signed_in(people.marjut.user).get(f"/admin/points/awards/{award.pk}/correct/").content.decode()
    field = BeautifulSoup(html, "html.parser").select_one("input[name=points]")
    assert not field.get("value")


@pytest.fixture
def blog_award(people):
    essay = EssayPageFactory(title="Blogi", authors=[people.aino])
    return Award.objects.create(
        essay=essay, student=people.aino, team=people.pinkut, points=1, suggested_points=1, submitted_on=essay.written
    )


def test_points_far_from_the_rule_are_questioned_not_saved(people, blog_award):
    url = f"/admin/points/awards/{blog_award.pk}/correct/"
    response = signed_in(people.marjut.user).post(url, {"points": "21", "feedback": "Korjaus."})
    page = text_of(response.content.decode())
    assert "21 esseepistettä on kaukana säännön antamasta (1 esseepiste)" in page
    assert "Kyllä, pisteet ovat oikein" in page
    assert not Award.objects.filter(corrects=blog_award).exists()


def test_points_far_from_the_rule_are_saved_once_confirmed(people, blog_award):
    url = f"/admin/points/awards/{blog_award.pk}/correct/"
    signed_in(people.marjut.user).post(url, {"points": "5", "feedback": "Laaja työ.", "confirm_far": "on"})
    assert Award.objects.get(corrects=blog_award).points == 5


def test_points_near_the_rule_need_no_confirmation(people, blog_award):
    url = f"/admin/points/awards/{blog_award.pk}/correct/"
    response = signed_in(people.marjut.user).post(url, {"points": "3", "feedback": "Akateeminen."})
    assert response.status_code == 302
    assert Award.objects.get(corrects=blog_award).points == 3


def test_teams_level_on_points_share_a_rank(people):
    liekki = TeamFactory(name="Liekki", coach=people.timo, start_year=2022)
    PersonFactory(name="Oona Laine", team=liekki)
    essay = EssayPageFactory(title="Pisteitä", authors=[people.iida])
    Award.objects.create(essay=essay, student=people.iida, team=people.kipina, points=2, submitted_on=essay.written)
    html = signed_in(people.editor).get("/admin/points/leaderboard/").content.decode()
    rows = [
        [cell.get_text(strip=True) for cell in row.select("td")[:2]]
        for row in BeautifulSoup(html, "html.parser").select("tbody tr")
    ]
    assert rows == [["1.", "Kipinä"], ["2.", "Liekki"], ["2.", "Pinkut"]]
