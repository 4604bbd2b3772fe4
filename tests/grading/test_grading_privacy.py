"""Whether an essay was graded, returned or by whom is told only to those who may grade it: every
grading address checks the user's permission before it says anything, whatever the task's state."""

import pytest
from django.contrib.messages import get_messages

from essays.models import EssayPage
from grading.models import GradingTask
from tests.factories import EssayPageFactory
from tests.grading.helpers import in_progress_state, signed_in, submit, workflow_action_url

pytestmark = pytest.mark.usefixtures("without_index_updates")
XHR = {"HTTP_X_REQUESTED_WITH": "XMLHttpRequest"}
REFUSED_ROLES = ["author", "other_student", "other_coach", "member"]
GRADERS = ["coach", "editor"]
TITLE = "Segmentointi ja oma asiakas"


def draft_sent_for_grading(people):
    essay = EssayPageFactory(title=TITLE, authors=[people.aino])
    essay.unpublish()
    submit(essay, people.aino.user)
    return EssayPage.objects.get(pk=essay.pk)


@pytest.fixture
def returned_state(people):
    """The task state of Aino's draft, which her coach returned for changes."""
    essay = draft_sent_for_grading(people)
    state = in_progress_state(essay)
    GradingTask.objects.get(pk=state.task_id).request_changes(state, people.marjut.user, comment="Lisää lähteet.")
    state.refresh_from_db()
    return state


@pytest.fixture
def open_state(people):
    return in_progress_state(draft_sent_for_grading(people))


def said(response):
    """The messages and the page the user gets, as one text."""
    texts = [str(message) for message in get_messages(response.wsgi_request)]
    return " ".join([*texts, response.content.decode()])


def refused(response):
    # Not found (an essay the user may not even list) refuses as well.
    if response.status_code == 302 and response["Location"].startswith("/admin/login/"):
        return True  # no admin access at all
    return response.status_code in (403, 404) or (
        response.status_code == 302 and "Pahoittelut, mutta sinulla ei ole pääsyä tähän osioon." in said(response)
    )


def grading_addresses(state):
    essay_id = state.workflow_state.object_id
    return {
        "grade": ("get", f"/admin/points/grade/{state.pk}/"),
        "accept_match": ("post", f"/admin/points/grade/{state.pk}/originality/{essay_id}/accept/"),
        "withdraw_acceptance": ("post", f"/admin/points/grade/{state.pk}/originality/{essay_id}/withdraw/"),
        "action_dialog": ("get", f"/admin/pages/workflow/action/{essay_id}/approve/{state.pk}/"),
        "action_post": ("post", f"/admin/pages/workflow/action/{essay_id}/approve/{state.pk}/"),
        "collect_data": ("get", f"/admin/pages/workflow/collect_action_data/{essay_id}/approve/{state.pk}/"),
        "preview": ("get", f"/admin/pages/workflow/preview/{essay_id}/{state.task_id}/"),
    }


ADDRESSES = ["grade", "accept_match", "withdraw_acceptance", "action_dialog", "action_post", "collect_data", "preview"]


def visit(client, state, address, **headers):
    method, url = grading_addresses(state)[address]
    data = {"points": "3", "comment": "Hyvä."} if method == "post" else None
    return getattr(client, method)(url, data, **headers)


@pytest.mark.parametrize("address", ADDRESSES)
def test_a_finished_grading_is_refused_without_naming_the_essay(address, user_for, returned_state):
    for role in REFUSED_ROLES:
        response = visit(signed_in(user_for(role)), returned_state, address)
        assert refused(response), role
        assert TITLE not in said(response), role
        assert "korjattavaksi" not in said(response), role


@pytest.mark.parametrize("address", ["action_dialog", "action_post", "collect_data"])
def test_a_finished_grading_in_a_dialog_is_refused_without_naming_the_essay(address, user_for, returned_state):
    for role in REFUSED_ROLES:
        response = visit(signed_in(user_for(role)), returned_state, address, **XHR)
        assert response.status_code in (403, 404), role
        assert TITLE not in said(response), role


@pytest.mark.parametrize("address", ADDRESSES)
def test_an_open_grading_is_refused_and_left_open(address, user_for, open_state):
    for role in REFUSED_ROLES:
        response = visit(signed_in(user_for(role)), open_state, address)
        assert refused(response), role
        assert TITLE not in said(response), role
    assert in_progress_state(EssayPage.objects.get(pk=open_state.workflow_state.object_id)) == open_state


@pytest.mark.parametrize("address", ["grade", "action_dialog", "accept_match"])
@pytest.mark.parametrize("role", GRADERS)
def test_those_who_may_grade_are_told_the_grading_was_already_done(role, address, user_for, returned_state):
    response = visit(signed_in(user_for(role)), returned_state, address)
    assert f"Marjut palautti esseen ”{TITLE}” korjattavaksi jo" in said(response)


def test_a_grading_addressed_through_another_page_is_not_found(people, returned_state):
    other = EssayPageFactory(title="Toinen essee", authors=[people.aino])
    url = workflow_action_url(other, "approve", returned_state)
    response = signed_in(people.marjut.user).get(url)
    assert response.status_code == 404
    assert TITLE not in said(response)
