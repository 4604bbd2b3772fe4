"""What a coach meets while grading: every action confirmed in Finnish, a dialog left open after the
essay was decided answered with what happened, the rule for essays graded before, and the essay read
and graded on one page."""

import datetime
import io
import json

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from django.utils import timezone
from openpyxl import load_workbook
from wagtail.models import WorkflowState

from essays.models import EssayPage
from grading.models import Award
from grading.roles import COACHES, DEFAULT_WORKFLOW
from tests.factories import CoachFactory, EssayPageFactory
from tests.grading.helpers import in_progress_state, signed_in, submit, user_in, workflow_action_url

pytestmark = pytest.mark.usefixtures("without_index_updates")
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}


def messages_after(response):
    return [str(message).strip() for message in get_messages(response.wsgi_request)]


def post_action(client, essay, action, data, **headers):
    state = in_progress_state(essay)
    return client.post(workflow_action_url(essay, action, state), data, **headers)


def test_approving_is_confirmed_in_finnish(people, submitted_essay):
    response = post_action(
        signed_in(people.marjut.user), submitted_essay, "approve", {"points": "2", "comment": "Hyvä."}
    )
    assert messages_after(response) == [
        "”Kosketuspisteet” hyväksyttiin ja julkaistiin: kirjoittajalle 2 esseepistettä. "
        "Palautteesi lähetettiin hänelle."
    ]


def test_requesting_changes_is_confirmed_in_finnish(people, submitted_essay):
    response = post_action(signed_in(people.marjut.user), submitted_essay, "reject", {"comment": "Lisää lähteet."})
    assert messages_after(response) == [
        "”Kosketuspisteet” palautettiin kirjoittajalle korjattavaksi. Palautteesi lähetettiin hänelle."
    ]


@pytest.fixture
def pair_essay(people):
    """An essay by Aino and Eetu, submitted for grading."""
    essay = EssayPageFactory(title="Tiimin palvelupolku", authors=[people.aino, people.eetu])
    essay.unpublish()
    submit(essay, people.aino.user)
    return EssayPage.objects.get(pk=essay.pk)


def test_requesting_changes_of_two_authors_is_confirmed_in_the_plural(people, pair_essay):
    response = post_action(signed_in(people.marjut.user), pair_essay, "reject", {"comment": "Lisää lähteet."})
    assert messages_after(response) == [
        "”Tiimin palvelupolku” palautettiin kirjoittajille korjattavaksi. Palautteesi lähetettiin heille."
    ]


def test_approving_two_authors_essay_gives_points_to_each(people, pair_essay):
    response = post_action(signed_in(people.marjut.user), pair_essay, "approve", {"points": "2", "comment": "Hyvä."})
    assert messages_after(response) == [
        "”Tiimin palvelupolku” hyväksyttiin ja julkaistiin: kullekin kirjoittajalle 2 esseepistettä. "
        "Palautteesi lähetettiin heille."
    ]


def request_changes_help(client, essay):
    url = workflow_action_url(essay, "reject", in_progress_state(essay))
    form = BeautifulSoup(json.loads(client.get(url, **XHR).content)["html"], "html.parser")
    return " ".join(form.find(id="id_comment-helptext").get_text().split())


def test_the_request_changes_dialog_speaks_of_the_one_author(people, submitted_essay):
    assert request_changes_help(signed_in(people.marjut.user), submitted_essay) == (
        "Kerro opiskelijalle, mitä muuttaa; essee palaa hänelle luonnoksena."
    )


def test_the_request_changes_dialog_speaks_of_both_authors(people, pair_essay):
    assert request_changes_help(signed_in(people.marjut.user), pair_essay) == (
        "Kerro opiskelijoille, mitä muuttaa; essee palaa heille luonnoksena."
    )


def test_a_dialog_opened_after_the_essay_was_graded_says_so(people, submitted_essay):
    state = in_progress_state(submitted_essay)
    url = workflow_action_url(submitted_essay, "approve", state)
    signed_in(people.editor).post(url, {"points": "2", "comment": "Hyvä."})
    response = signed_in(people.marjut.user).get(url, **XHR)
    assert json.loads(response.content)["step"] == "success"
    assert "jo" in messages_after(response)[0] and "mitään ei muutettu" in messages_after(response)[0]


def test_a_second_window_submitting_after_a_decision_changes_nothing_and_says_so(people, submitted_essay):
    state = in_progress_state(submitted_essay)
    signed_in(people.editor).post(workflow_action_url(submitted_essay, "reject", state), {"comment": "Lisää lähteet."})
    url = workflow_action_url(submitted_essay, "approve", state)
    response = signed_in(people.marjut.user).post(url, {"points": "3", "comment": "Hyvä."}, **XHR)
    assert json.loads(response.content) == {"step": "success", "redirect": "/admin/"}
    assert "palautti esseen ”Kosketuspisteet” korjattavaksi jo" in messages_after(response)[0]
    assert not Award.objects.exists()


def regraded(people, essay):
    """The essay approved with 2 points, then revised and sent again."""
    post_action(signed_in(people.marjut.user), essay, "approve", {"points": "2", "comment": "Hyvä."})
    submit(EssayPage.objects.get(pk=essay.pk), people.aino.user)
    return EssayPage.objects.get(pk=essay.pk)


def test_approving_a_graded_essay_again_asks_only_for_feedback_and_says_points_stay(people, submitted_essay):
    essay = regraded(people, submitted_essay)
    state = in_progress_state(essay)
    html = signed_in(people.marjut.user).get(workflow_action_url(essay, "approve", state)).json()["html"]
    assert 'name="points"' not in html
    assert "pisteet pysyvät ennallaan" in html


def test_feedback_on_a_graded_essay_is_delivered(
    people, submitted_essay, mailoutbox, django_capture_on_commit_callbacks
):
    essay = regraded(people, submitted_essay)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        post_action(signed_in(people.marjut.user), essay, "approve", {"comment": "Korjaukset hyviä."})
    assert list(Award.objects.values_list("points", flat=True)) == [2]
    body = mailoutbox[0].body
    assert "Korjaukset hyviä." in body
    assert "pisteesi (2 esseepistettä) pysyvät ennallaan" in body


def test_a_graded_essay_sent_again_is_approved_by_buttons_that_give_no_points(people, submitted_essay):
    essay = regraded(people, submitted_essay)
    state = in_progress_state(essay)
    queue = BeautifulSoup(signed_in(people.marjut.user).get("/admin/").content.decode(), "html.parser")
    approve_url = workflow_action_url(essay, "approve", state)
    assert queue.select_one(f'[data-workflow-action-url="{approve_url}"]').get_text(strip=True) == (
        "Hyväksy korjattu versio"
    )
    dialog = BeautifulSoup(signed_in(people.marjut.user).get(approve_url).json()["html"], "html.parser")
    assert dialog.select_one("form button[type=submit]").get_text(strip=True) == "Hyväksy korjattu versio"


def test_an_essay_sent_again_shows_the_day_it_was_sent_again(people, submitted_essay):
    WorkflowState.objects.filter(object_id=str(submitted_essay.pk)).update(
        created_at=timezone.make_aware(datetime.datetime(2021, 10, 12, 12))
    )
    post_action(signed_in(people.marjut.user), submitted_essay, "reject", {"comment": "Lisää lähteet."})
    EssayPage.objects.get(pk=submitted_essay.pk).current_workflow_state.resume(people.aino.user)
    today = timezone.localdate()
    expected = f"{today.day}.{today.month}.{today.year} (lähetetty uudelleen)"
    queue = BeautifulSoup(signed_in(people.marjut.user).get("/admin/").content.decode(), "html.parser")
    assert expected in [cell.get_text(strip=True) for cell in queue.select("td")]
    state = in_progress_state(submitted_essay)
    dialog = signed_in(people.marjut.user).get(workflow_action_url(submitted_essay, "approve", state)).json()["html"]
    facts = " ".join(BeautifulSoup(dialog, "html.parser").select_one("dl").get_text(" ").split())
    assert f"Lähetetty uudelleen {today.day}.{today.month}.{today.year} (ensimmäisen kerran 12.10.2021)" in facts


def test_the_coach_reads_and_grades_on_one_page(people, submitted_essay):
    state = in_progress_state(submitted_essay)
    html = signed_in(people.marjut.user).get(f"/admin/points/grade/{state.pk}/").content.decode()
    assert "Asiakaskokemus syntyy jokaisessa kohtaamisessa." in html
    assert workflow_action_url(submitted_essay, "approve", state) in html
    assert workflow_action_url(submitted_essay, "reject", state) in html


def test_another_teams_coach_cannot_open_the_grading_page(people, submitted_essay):
    state = in_progress_state(submitted_essay)
    response = signed_in(people.timo.user).get(f"/admin/points/grade/{state.pk}/")
    assert response.status_code in (302, 403)
    assert "Asiakaskokemus syntyy" not in response.content.decode()


def test_a_coach_has_no_own_points_menu_but_a_student_has(people):
    assert "/admin/points/own/" not in signed_in(people.marjut.user).get("/admin/").content.decode()
    assert "/admin/points/own/" in signed_in(people.aino.user).get("/admin/").content.decode()


def test_every_xlsx_sheet_name_is_whole(people):
    names = []
    for kind in ("awards", "students", "teams", "terms"):
        response = signed_in(people.editor).get("/admin/points/export/", {"kind": kind, "format": "xlsx"})
        names.append(load_workbook(io.BytesIO(response.getvalue())).active.title)
    assert names == ["Pisteytykset", "Summat opiskelijoittain", "Summat tiimeittäin", "Opiskelijat lukukausittain"]


def test_the_browser_tab_names_the_site(people):
    html = signed_in(people.marjut.user).get("/admin/points/leaderboard/").content.decode()
    assert "<title>Tiimien tulostaulu - Esseepankki</title>" in " ".join(html.split()).replace("> ", ">").replace(
        " <", "<"
    )


def test_wagtails_default_workflow_has_a_finnish_name(db):
    from wagtail.models import Workflow

    assert Workflow.objects.filter(name=DEFAULT_WORKFLOW[1]).exists()
    assert not Workflow.objects.filter(name=DEFAULT_WORKFLOW[0]).exists()


def test_a_coach_opening_own_points_is_sent_to_the_teams_points_in_finnish(people):
    response = signed_in(people.marjut.user).get("/admin/points/own/", follow=True)
    assert response.redirect_chain[-1][0] == f"/admin/points/teams/{people.pinkut.pk}/"
    assert messages_after(response) == ["Esseepisteitä keräävät opiskelijat; tässä ovat tiimiesi pisteet."]
    assert "koulutuksen 100 pisteen tavoitteesta" not in response.content.decode()


def test_an_editor_opening_own_points_is_sent_to_the_leaderboard(people):
    response = signed_in(people.editor).get("/admin/points/own/")
    assert response.status_code == 302
    assert response["Location"] == "/admin/points/leaderboard/"


def test_a_coach_without_a_team_finds_no_own_points(people):
    coach = CoachFactory(name="Ville Valmentaja", user=user_in(COACHES, "ville"))
    assert signed_in(coach.user).get("/admin/points/own/").status_code == 404
