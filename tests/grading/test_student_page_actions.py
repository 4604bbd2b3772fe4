"""A student's essay offers no moving, copying or publishing schedule, in the menus or by address:
an essay lives under the essay index and its grading publishes it."""

import pytest

from essays.models import EssayPage
from tests.factories import EssayPageFactory
from tests.grading.helpers import essay_form_data, signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")


@pytest.fixture
def draft(people):
    essay = EssayPageFactory(title="Oma luonnos", authors=[people.aino], owner=people.aino.user)
    # Wagtail lets whoever may add a page delete, and so move, the drafts they own.
    essay.unpublish()
    return EssayPage.objects.get(pk=essay.pk)


def test_a_students_essay_menu_offers_no_move_or_copy(people, draft):
    html = signed_in(people.aino.user).get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert f"/admin/pages/{draft.pk}/move/" not in html
    assert f"/admin/pages/{draft.pk}/copy/" not in html


@pytest.mark.parametrize("action", ["move", "copy"])
def test_a_student_is_refused_moving_or_copying_their_essay_by_address(people, draft, action):
    student = signed_in(people.aino.user)
    response = student.get(f"/admin/pages/{draft.pk}/{action}/", follow=True)
    assert response.redirect_chain[-1][0] == "/admin/"
    assert "Pahoittelut, mutta sinulla ei ole pääsyä tähän osioon." in response.content.decode()


def test_a_student_copying_by_post_makes_no_second_essay(people, draft):
    student = signed_in(people.aino.user)
    student.post(
        f"/admin/pages/{draft.pk}/copy/",
        {"new_title": "Kopio", "new_slug": "kopio", "new_parent_page": people.site.essay_index.pk},
    )
    assert not EssayPage.objects.filter(title="Kopio").exists()


@pytest.mark.parametrize("action", ["move", "copy"])
def test_an_editor_still_moves_and_copies_essays(people, draft, action):
    assert signed_in(people.editor).get(f"/admin/pages/{draft.pk}/{action}/").status_code == 200


def test_a_students_status_panel_offers_no_publishing_schedule(people, draft):
    html = signed_in(people.aino.user).get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert "schedule-publishing-dialog" not in html
    assert "Aseta ajastus" not in html


def test_an_editors_status_panel_offers_the_publishing_schedule(people, draft):
    html = signed_in(people.editor).get(f"/admin/pages/{draft.pk}/edit/").content.decode()
    assert "schedule-publishing-dialog" in html


def test_a_student_cannot_schedule_their_essay_by_posting_the_fields(people, draft):
    data = essay_form_data(
        "Oma luonnos", draft.slug, [people.aino], go_live_at="2030-01-01 12:00", expire_at="2030-02-01 12:00"
    )
    response = signed_in(people.aino.user).post(f"/admin/pages/{draft.pk}/edit/", data)
    assert response.status_code == 302
    saved = EssayPage.objects.get(pk=draft.pk).get_latest_revision_as_object()
    assert saved.go_live_at is None
    assert saved.expire_at is None


def test_a_students_new_essay_offers_no_publishing_schedule(people):
    html = signed_in(people.aino.user).get(f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/")
    assert "schedule-publishing-dialog" not in html.content.decode()
