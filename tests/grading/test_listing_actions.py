"""A student's page list offers only the actions she may use: no link in the essays' "more" menus
or the header leads to a refusal (Wagtail's history link for others' essays did)."""

import pytest
from bs4 import BeautifulSoup

from tests.factories import EssayPageFactory
from tests.grading.helpers import signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")


@pytest.fixture
def essays(people):
    return {
        "own": EssayPageFactory(title="Ainon essee", authors=[people.aino]),
        "other": EssayPageFactory(title="Eetun essee", authors=[people.eetu]),
    }


def offered_links(client, url):
    page = BeautifulSoup(client.get(url).content, "html.parser")
    links = {link["href"] for link in page.select("main a[href^='/admin/pages/'], header a[href^='/admin/pages/']")}
    return {link for link in links if not link.startswith("/admin/pages/search/")}


def test_a_student_is_not_offered_the_history_of_anothers_essay(people, essays):
    links = offered_links(signed_in(people.aino.user), f"/admin/pages/{people.site.essay_index.pk}/")
    assert f"/admin/pages/{essays['other'].pk}/history/" not in links
    assert f"/admin/pages/{essays['own'].pk}/history/" in links


def test_every_page_action_offered_to_a_student_opens(people, essays):
    client = signed_in(people.aino.user)
    links = offered_links(client, f"/admin/pages/{people.site.essay_index.pk}/")
    refused = {}
    for link in sorted(links):
        response = client.get(link)
        # Wagtail answers a refusal by sending the person to the dashboard.
        if response.status_code == 403 or response.get("Location") == "/admin/":
            refused[link] = response.status_code
    assert refused == {}
