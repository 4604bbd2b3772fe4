"""Every role's search box in the admin leads to results it may see, never to a refusal."""

import re

import pytest

from tests.grading.helpers import signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")

REFUSAL = "Pahoittelut, mutta sinulla ei ole pääsyä tähän osioon."
ROLES = {
    "coach": lambda people: people.marjut.user,
    "student": lambda people: people.aino.user,
    "editor": lambda people: people.editor,
}


def dashboard_search_action(html):
    form = re.search(r'<form\s[^>]*action="([^"]+)"[^>]*role="search"', html, re.S)
    return form.group(1)


@pytest.mark.parametrize("role", ROLES)
def test_the_dashboard_search_answers_every_role(people, role):
    client = signed_in(ROLES[role](people))
    action = dashboard_search_action(client.get("/admin/").content.decode())
    response = client.get(action, {"q": "asiakaskokemus"}, follow=True)
    assert response.status_code == 200
    assert REFUSAL not in response.content.decode()
    assert response.redirect_chain == [] or response.redirect_chain[-1][0] != "/admin/"


def test_a_coachs_dashboard_search_searches_the_bank_as_a_reader(people):
    client = signed_in(people.marjut.user)
    action = dashboard_search_action(client.get("/admin/").content.decode())
    response = client.get(action, {"q": "asiakaskokemus"})
    assert response.status_code == 302
    assert response["Location"] == "/haku/?q=asiakaskokemus"


@pytest.mark.parametrize("role", ROLES)
def test_the_sidebar_search_is_offered_only_where_it_answers(people, role):
    client = signed_in(ROLES[role](people))
    html = client.get("/admin/").content.decode()
    offered = "/admin/pages/search/" in html
    response = client.get("/admin/pages/search/", {"q": "asiakaskokemus"}, follow=True)
    answers = response.redirect_chain == [] and REFUSAL not in response.content.decode()
    assert offered == answers
