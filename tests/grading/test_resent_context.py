"""A coach grading an essay sent again sees what was asked and can compare the new version with the
one returned; the comparison is for those who may grade the essay only."""

import pytest
from bs4 import BeautifulSoup

from essays.models import EssayPage
from grading.models import GradingTask
from tests.factories import EssayPageFactory
from tests.grading.helpers import in_progress_state, signed_in, submit

pytestmark = pytest.mark.usefixtures("without_index_updates")


@pytest.fixture
def resent(people):
    """Aino's essay returned by Marjut with a request, revised with a new paragraph and sent again."""
    essay = EssayPageFactory(title="Kosketuspisteet", authors=[people.aino])
    essay.unpublish()
    submit(essay, people.aino.user)
    state = in_progress_state(essay)
    GradingTask.objects.get(pk=state.task_id).request_changes(state, people.marjut.user, comment="Lisää lähteet.")
    essay = EssayPage.objects.get(pk=essay.pk)
    essay.title = "Kosketuspisteet asiakkaan polulla"
    essay.save_revision(user=people.aino.user)
    essay.current_workflow_state.resume(people.aino.user)
    return in_progress_state(essay)


def facts(client, state):
    html = client.get(f"/admin/points/grade/{state.pk}/").content.decode()
    section = BeautifulSoup(html, "html.parser").select_one("section.help-block dl")
    return {dt.get_text(strip=True): dt.find_next_sibling("dd") for dt in section.select("dt")}


def test_the_coach_who_asked_sees_what_they_asked(people, resent):
    found = facts(signed_in(people.marjut.user), resent)
    assert found["Pyysit"].get_text(strip=True) == "Lisää lähteet."


def test_another_grader_sees_who_asked_what(people, resent):
    found = facts(signed_in(people.editor), resent)
    assert found["Marjut pyysi"].get_text(strip=True) == "Lisää lähteet."


def test_the_grading_page_links_the_comparison_with_the_returned_version(people, resent):
    found = facts(signed_in(people.marjut.user), resent)
    link = found["Muutokset"].select_one("a")
    assert (link.get_text(strip=True), link["href"]) == (
        "Vertaa edelliseen versioon",
        f"/admin/points/grade/{resent.pk}/compare/",
    )


def test_the_comparison_shows_what_changed(people, resent):
    html = signed_in(people.marjut.user).get(f"/admin/points/grade/{resent.pk}/compare/").content.decode()
    page = BeautifulSoup(html, "html.parser")
    assert page.select_one(".addition").get_text(strip=True) == "asiakkaan polulla"
    assert "palautettu korjattavaksi" in page.get_text()


def test_a_first_sending_has_nothing_to_compare(people, submitted_essay):
    state = in_progress_state(submitted_essay)
    assert "Muutokset" not in facts(signed_in(people.marjut.user), state)
    assert signed_in(people.marjut.user).get(f"/admin/points/grade/{state.pk}/compare/").status_code == 404


def test_the_comparison_is_refused_to_those_who_may_not_grade(people, resent):
    for user in (people.aino.user, people.iida.user, people.timo.user):
        response = signed_in(user).get(f"/admin/points/grade/{resent.pk}/compare/")
        assert response.status_code in (302, 403, 404)
        assert "asiakkaan polulla" not in response.content.decode()
