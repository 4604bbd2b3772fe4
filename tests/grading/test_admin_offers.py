"""What the admin offers each person: only reports they may open, a Finnish sign-in page that names
the site, and time zones a browser accepts."""

import pytest

from essays.models import EssayPage
from tests.factories import EssayPageFactory
from tests.grading.helpers import signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")

PAGE_TYPES_REPORT = "/admin/reports/page-types-usage/"


@pytest.fixture
def protected_essay_of_another_team(people):
    return EssayPageFactory(
        title="Ainon suojattu essee", visibility=EssayPage.Visibility.PROTECTED, authors=[people.aino]
    )


def test_page_types_report_is_not_offered_to_a_student_it_refuses(people, protected_essay_of_another_team):
    student = signed_in(people.iida.user)
    assert PAGE_TYPES_REPORT not in student.get("/admin/").content.decode()
    assert student.get(PAGE_TYPES_REPORT).status_code == 404


def test_page_types_report_is_offered_to_an_editor(people, protected_essay_of_another_team):
    editor = signed_in(people.editor)
    assert PAGE_TYPES_REPORT in editor.get("/admin/").content.decode()
    assert editor.get(PAGE_TYPES_REPORT).status_code == 200


def test_sign_in_page_names_the_site_and_labels_the_password_in_finnish(client, db):
    html = client.get("/admin/login/").content.decode()
    assert "Kirjaudu Esseepankkiin" in html
    assert "Salasana" in html
    assert "Password" not in html
    assert "Wagtail</title>" not in html


def test_account_settings_offer_only_time_zones_a_browser_accepts(people):
    html = signed_in(people.aino.user).get("/admin/account/").content.decode()
    assert "Europe/Helsinki" in html
    assert "localtime" not in html
