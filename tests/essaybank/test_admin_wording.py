"""Words of the admin a tester found wrong though not English: the tab's site name, the search
button, the essay types' codes, the imported posts' empty list, and the lists' column headings."""

import datetime

import pytest
from bs4 import BeautifulSoup

from grading.models import RuleSet, Term
from grading.roles import EDITORS
from tests.factories import BookFactory, CategoryFactory, PersonFactory, TeamFactory, UserFactory
from tests.grading.helpers import signed_in, user_in

pytestmark = pytest.mark.usefixtures("without_index_updates")


def title_of(response):
    return BeautifulSoup(response.content, "html.parser").title.get_text().strip()


@pytest.fixture
def editor(site_tree):
    return user_in(EDITORS, "toimittaja")


@pytest.mark.parametrize("url", ["/admin/password_reset/", "/admin/password_reset/done/", "/admin/login/"])
def test_the_password_pages_tabs_name_esseepankki(client, site_tree, url):
    assert title_of(client.get(url)).endswith("- Esseepankki")


def test_an_invalid_password_reset_link_names_esseepankki(client, site_tree):
    assert title_of(client.get("/admin/password_reset/confirm/MQ/set-password/")).endswith("- Esseepankki")


def test_the_admins_own_not_found_page_names_esseepankki(editor):
    response = signed_in(editor).get("/admin/ei-ole-olemassa/")
    assert response.status_code == 404
    assert title_of(response).endswith("- Esseepankki")


def test_the_dashboards_search_button_says_hae_as_the_sites_does(editor):
    page = BeautifulSoup(signed_in(editor).get("/admin/").content, "html.parser")
    buttons = [button["value"] for button in page.select("form[role=search] input[type=submit]")]
    assert buttons == ["Hae"]


def test_the_essay_types_list_shows_no_codes(editor):
    page = BeautifulSoup(signed_in(editor).get("/admin/snippets/essays/essaytype/").content, "html.parser")
    headers = [" ".join(th.get_text().split()) for th in page.select("table thead th")]
    cells = {" ".join(td.get_text().split()) for td in page.select("table tbody td")}
    assert "Koodi" not in headers
    assert not cells & {"blog", "individual", "academic"}


def test_an_empty_list_of_imported_posts_says_there_is_nothing_to_check(editor):
    page = signed_in(editor).get("/admin/wordpress-posts/").content.decode()
    assert "Ei tarkistettavia tuotuja artikkeleita." in page


@pytest.mark.parametrize(
    "url",
    [
        "/admin/snippets/essays/person/",
        "/admin/snippets/essays/book/",
        "/admin/snippets/essays/team/",
        "/admin/snippets/essays/essaytype/",
        "/admin/snippets/essays/category/",
        "/admin/snippets/grading/ruleset/",
        "/admin/snippets/grading/term/",
        "/admin/users/",
    ],
)
def test_column_headings_begin_with_a_capital(editor, url):
    PersonFactory(team=TeamFactory(), user=UserFactory())
    BookFactory()
    CategoryFactory()
    RuleSet.objects.create(name="Säännöt 2024", effective_from=datetime.date(2024, 8, 1))
    Term.objects.create(name="Syksy 2024", starts_on=datetime.date(2024, 8, 1), ends_on=datetime.date(2024, 12, 31))
    page = BeautifulSoup(signed_in(editor).get(url).content, "html.parser")
    headings = [" ".join(th.get_text().split()) for th in page.select("table thead th")]
    assert [heading for heading in headings if heading[:1].islower()] == []
