"""Each role against each action, through the admin as a person would use it.

Roles: a student (author of the essay), another student (co-author or not), the coach of the author's
team, the coach of another team, an editor, and a signed-in member with no role. Each action is
tried and its effect checked in the database, so a refusal that still changes something fails.
"""

import pytest
from django.contrib.auth import get_user_model

from essays.models import Book, EssayPage
from grading.models import Award
from grading.roles import WORKFLOW_NAME
from tests.factories import EssayPageFactory
from tests.grading.helpers import essay_form_data, in_progress_state, signed_in, submit, workflow_action_url

pytestmark = pytest.mark.usefixtures("without_index_updates")

ROLES = ["author", "co_author", "other_student", "coach", "other_coach", "editor", "member"]


@pytest.fixture
def essay(people):
    """A published essay by Aino and Eetu of team Pinkut."""
    return EssayPageFactory(title="Yhteinen essee", slug="yhteinen-essee", authors=[people.aino, people.eetu])


@pytest.fixture
def solo_essay(people):
    """A published essay by Aino alone."""
    return EssayPageFactory(title="Oma essee", slug="oma-essee", authors=[people.aino])


def add_essay(client, people, writer):
    url = f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"
    client.post(url, essay_form_data("Uusi essee", "uusi-essee", [writer]))
    return EssayPage.objects.filter(slug="uusi-essee").exists()


def edit_essay(client, page):
    data = essay_form_data("Muokattu otsikko", page.slug, page.authors())
    client.post(f"/admin/pages/{page.pk}/edit/", data)
    return EssayPage.objects.get(pk=page.pk).get_latest_revision().as_object().title == "Muokattu otsikko"


def publish_essay(client, page):
    data = essay_form_data("Julkaistu otsikko", page.slug, page.authors(), **{"action-publish": "action-publish"})
    client.post(f"/admin/pages/{page.pk}/edit/", data)
    return EssayPage.objects.get(pk=page.pk).title == "Julkaistu otsikko"


def grade(client, page, people):
    submit(page, people.aino.user)
    state = in_progress_state(page)
    client.post(workflow_action_url(page, "approve", state), {"points": "3", "comment": "Hyvä."})
    return Award.objects.filter(essay=page).exists()


def correct_points(client, page, people):
    award = Award.objects.create(
        essay=page,
        student=people.aino,
        team=people.pinkut,
        points=2,
        coach=people.marjut.user,
        submitted_on=page.written,
    )
    client.post(f"/admin/points/awards/{award.pk}/correct/", {"points": "3", "feedback": "Korjaus."})
    return Award.objects.filter(corrects=award).exists()


def add_book(client):
    client.post(
        "/admin/snippets/essays/book/add/",
        {
            "title": "Uusi kirja",
            "authors-TOTAL_FORMS": "0",
            "authors-INITIAL_FORMS": "0",
            "authors-MIN_NUM_FORMS": "0",
            "authors-MAX_NUM_FORMS": "1000",
            "points": "2",
        },
    )
    return Book.objects.filter(title="Uusi kirja").exists()


def add_user(client):
    client.post(
        "/admin/users/new/",
        {
            "username": "uusi",
            "email": "uusi@example.org",
            "first_name": "Uusi",
            "last_name": "Opiskelija",
            "password1": "Pitka-salasana-99",
            "password2": "Pitka-salasana-99",
        },
    )
    return get_user_model().objects.filter(username="uusi").exists()


def add_rule_set(client):
    from grading.models import RuleSet

    client.post(
        "/admin/snippets/grading/ruleset/add/",
        {
            "name": "Säännöt 2030",
            "effective_from": "2030-01-01",
            "notes": "",
            "rules-TOTAL_FORMS": "0",
            "rules-INITIAL_FORMS": "0",
            "rules-MIN_NUM_FORMS": "0",
            "rules-MAX_NUM_FORMS": "1000",
        },
    )
    return RuleSet.objects.filter(name="Säännöt 2030").exists()


MATRIX = {
    # action: the roles that may do it
    "add_essay": {"author", "co_author", "other_student", "editor"},
    "edit_own_essay": {"author", "editor"},
    "edit_co_authored_essay": {"author", "co_author", "editor"},
    "publish_essay": {"editor"},
    "grade": {"coach", "editor"},
    "correct_points": {"coach", "editor"},
    "add_book": {"editor"},
    "add_rule_set": {"editor"},
    "add_user": {"editor"},
}


def perform(action, client, people, essay, solo_essay, writer):
    if action == "add_essay":
        return add_essay(client, people, writer)
    if action == "edit_own_essay":
        return edit_essay(client, solo_essay)
    if action == "edit_co_authored_essay":
        return edit_essay(client, essay)
    if action == "publish_essay":
        return publish_essay(client, essay)
    if action == "grade":
        return grade(client, essay, people)
    if action == "correct_points":
        return correct_points(client, essay, people)
    if action == "add_book":
        return add_book(client)
    if action == "add_rule_set":
        return add_rule_set(client)
    return add_user(client)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("action", list(MATRIX))
def test_permission_matrix(action, role, user_for, people, essay, solo_essay):
    user = user_for(role)
    # A student adds an essay of their own; anyone else tries one by Aino.
    writer = {"co_author": people.eetu, "other_student": people.iida}.get(role, people.aino)
    assert perform(action, signed_in(user), people, essay, solo_essay, writer) is (role in MATRIX[action])


def test_coach_cannot_open_the_editor_of_a_students_essay(people, essay):
    response = signed_in(people.marjut.user).get(f"/admin/pages/{essay.pk}/edit/")
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_student_cannot_approve_own_essay(people, solo_essay):
    submit(solo_essay, people.aino.user)
    state = in_progress_state(solo_essay)
    response = signed_in(people.aino.user).post(
        workflow_action_url(solo_essay, "approve", state), {"points": "9", "comment": "Itse hyväksytty."}
    )
    assert response.status_code in (302, 403)
    assert not Award.objects.exists()
    assert in_progress_state(solo_essay) == state


def test_student_can_submit_own_essay_for_grading(people, solo_essay):
    data = essay_form_data("Oma essee", solo_essay.slug, [people.aino], **{"action-submit": "action-submit"})
    signed_in(people.aino.user).post(f"/admin/pages/{solo_essay.pk}/edit/", data)
    assert EssayPage.objects.get(pk=solo_essay.pk).workflow_in_progress


def test_essay_index_uses_the_grading_workflow(people):
    assert people.site.essay_index.get_workflow().name == WORKFLOW_NAME


def test_student_opening_the_revert_of_an_essay_by_someone_without_an_account_is_refused(people):
    from tests.factories import PersonFactory

    ghost = PersonFactory(name="Arkiston Kirjoittaja", team=people.pinkut, user=None)
    essay = EssayPageFactory(title="Vanha essee", authors=[ghost])
    revision = essay.save_revision()
    response = signed_in(people.aino.user).get(f"/admin/pages/{essay.pk}/revisions/{revision.pk}/revert/")
    assert response.status_code in (302, 403)
