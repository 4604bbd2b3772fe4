"""The grading workflow end to end, through the admin: write, submit, approve or ask for changes."""

import pytest
from django.db import IntegrityError, transaction
from wagtail.models import TaskState, WorkflowState

from essays.models import EssayPage
from grading.models import Award
from grading.roles import WORKFLOW_NAME
from tests.factories import EssayPageFactory
from tests.grading.helpers import essay_form_data, in_progress_state, signed_in, submit, workflow_action_url

pytestmark = pytest.mark.usefixtures("without_index_updates")


def approve(client, essay, points="2", comment="Hyvä essee."):
    state = in_progress_state(essay)
    return client.post(workflow_action_url(essay, "approve", state), {"points": points, "comment": comment})


def test_student_writes_and_submits_an_essay_in_the_admin(people):
    url = f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"
    data = essay_form_data("Kosketuspisteet", "kosketuspisteet", [people.aino], **{"action-submit": "action-submit"})
    signed_in(people.aino.user).post(url, data)
    essay = EssayPage.objects.get(slug="kosketuspisteet")
    assert not essay.live
    assert essay.workflow_in_progress
    assert essay.current_workflow_state.workflow.name == WORKFLOW_NAME


def test_coach_sees_the_submitted_essay_on_the_dashboard(people, submitted_essay):
    html = signed_in(people.marjut.user).get("/admin/").content.decode()
    assert "grading-queue" in html
    assert submitted_essay.title in html


def test_other_teams_coach_does_not_see_the_essay_on_the_dashboard(people, submitted_essay):
    html = signed_in(people.timo.user).get("/admin/").content.decode()
    assert submitted_essay.title not in html


def test_grading_dialog_shows_type_claim_and_suggestion(people, submitted_essay, rule_sets):
    state = in_progress_state(submitted_essay)
    response = signed_in(people.marjut.user).get(workflow_action_url(submitted_essay, "approve", state))
    html = response.json()["html"]
    assert "Yksilöessee" in html
    assert "Säännöt 2024" in html
    assert 'name="points"' in html and 'value="2"' in html
    assert 'name="comment"' in html


def test_approval_publishes_and_awards_points_with_feedback(people, submitted_essay):
    response = approve(signed_in(people.marjut.user), submitted_essay, points="2", comment="Selkeä rakenne.")
    assert response.status_code == 302
    award = Award.objects.get()
    assert (award.student, award.points, award.feedback, award.coach) == (
        people.aino,
        2,
        "Selkeä rakenne.",
        people.marjut.user,
    )
    assert award.team == people.pinkut
    assert EssayPage.objects.get(pk=submitted_essay.pk).live


def test_student_sees_points_and_feedback_after_approval(people, submitted_essay):
    approve(signed_in(people.marjut.user), submitted_essay, points="2", comment="Selkeä rakenne.")
    student = signed_in(people.aino.user)
    own = student.get("/admin/points/own/").content.decode()
    assert "Selkeä rakenne." in own
    assert "2 esseepistettä" in own
    editor = student.get(f"/admin/pages/{submitted_essay.pk}/edit/", follow=True).content.decode()
    assert "Selkeä rakenne." in editor


def test_request_changes_returns_the_essay_to_the_student_as_draft(people, submitted_essay):
    state = in_progress_state(submitted_essay)
    signed_in(people.marjut.user).post(
        workflow_action_url(submitted_essay, "reject", state), {"comment": "Lisää kirjalähde."}
    )
    essay = EssayPage.objects.get(pk=submitted_essay.pk)
    assert essay.current_workflow_state.status == WorkflowState.STATUS_NEEDS_CHANGES
    assert not essay.live
    assert not Award.objects.exists()
    assert "Lisää kirjalähde." in signed_in(people.aino.user).get("/admin/points/own/").content.decode()


def test_student_edits_and_resubmits_after_changes_requested(people, submitted_essay):
    state = in_progress_state(submitted_essay)
    signed_in(people.marjut.user).post(
        workflow_action_url(submitted_essay, "reject", state), {"comment": "Lisää kirjalähde."}
    )
    data = essay_form_data(
        "Kosketuspisteet, korjattu", submitted_essay.slug, [people.aino], **{"action-submit": "action-submit"}
    )
    signed_in(people.aino.user).post(f"/admin/pages/{submitted_essay.pk}/edit/", data)
    essay = EssayPage.objects.get(pk=submitted_essay.pk)
    assert essay.workflow_in_progress
    assert in_progress_state(essay).revision.as_object().title == "Kosketuspisteet, korjattu"
    approve(signed_in(people.marjut.user), essay, points="2")
    assert EssayPage.objects.get(pk=essay.pk).title == "Kosketuspisteet, korjattu"
    assert Award.objects.count() == 1


def test_request_changes_needs_feedback(people, submitted_essay):
    state = in_progress_state(submitted_essay)
    signed_in(people.marjut.user).post(workflow_action_url(submitted_essay, "reject", state), {"comment": ""})
    assert in_progress_state(submitted_essay) == state


def test_approval_without_points_awards_nothing(people, submitted_essay):
    response = approve(signed_in(people.marjut.user), submitted_essay, points="")
    assert response.status_code == 302
    assert not Award.objects.exists()
    assert in_progress_state(submitted_essay).status == TaskState.STATUS_IN_PROGRESS


def test_approval_with_malformed_points_awards_nothing(people, submitted_essay):
    response = approve(signed_in(people.marjut.user), submitted_essay, points="kaksi")
    assert response.status_code == 302
    assert not Award.objects.exists()


def test_co_authors_get_one_award_each(people):
    essay = EssayPageFactory(authors=[people.aino, people.eetu])
    submit(essay, people.aino.user)
    approve(signed_in(people.marjut.user), essay, points="2")
    assert sorted(Award.objects.values_list("student__name", "points")) == [
        ("Aino Virtanen", 2),
        ("Eetu Mäkinen", 2),
    ]


def test_approving_twice_awards_once(people, submitted_essay):
    coach = signed_in(people.marjut.user)
    state = in_progress_state(submitted_essay)
    url = workflow_action_url(submitted_essay, "approve", state)
    coach.post(url, {"points": "2", "comment": "Hyvä."})
    retried = coach.post(url, {"points": "2", "comment": "Hyvä."})
    assert retried.status_code == 302
    assert Award.objects.count() == 1


def test_second_coach_approving_the_same_task_awards_once(people, submitted_essay):
    state = in_progress_state(submitted_essay)
    url = workflow_action_url(submitted_essay, "approve", state)
    signed_in(people.marjut.user).post(url, {"points": "2", "comment": "Hyvä."})
    signed_in(people.editor).post(url, {"points": "3", "comment": "Vielä parempi."})
    assert list(Award.objects.values_list("points", flat=True)) == [2]


def test_regrading_a_resubmitted_essay_keeps_the_first_award(people, submitted_essay):
    """Sent again after publication, the essay is approved, but the award stands; changes are corrections."""
    coach = signed_in(people.marjut.user)
    approve(coach, submitted_essay, points="2")
    submit(EssayPage.objects.get(pk=submitted_essay.pk), people.aino.user)
    approve(coach, submitted_essay, points="3")
    assert list(Award.objects.values_list("points", flat=True)) == [2]
    assert not EssayPage.objects.get(pk=submitted_essay.pk).workflow_in_progress


def test_database_refuses_a_second_award_for_the_same_author_and_essay(people, submitted_essay):
    fields = {"essay": submitted_essay, "student": people.aino, "points": 2, "submitted_on": submitted_essay.written}
    Award.objects.create(**fields)
    with pytest.raises(IntegrityError), transaction.atomic():
        Award.objects.create(**fields)


def test_approval_after_an_award_already_written_does_not_fail(people, submitted_essay):
    """A request that lost a race finds the award in the database and leaves it alone."""
    Award.objects.create(essay=submitted_essay, student=people.aino, points=1, submitted_on=submitted_essay.written)
    response = approve(signed_in(people.marjut.user), submitted_essay, points="2")
    assert response.status_code == 302
    assert list(Award.objects.values_list("points", flat=True)) == [1]
    assert EssayPage.objects.get(pk=submitted_essay.pk).live
