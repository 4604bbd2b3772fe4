"""The admin's layout at a laptop's width in Debian's Chromium: the essay form's fields stay inside
the window, and the coach's grading queue wraps essay titles between words only."""

import pytest
from django.conf import settings
from django.test import Client

from essays.models import EssayType
from grading.roles import COACHES, STUDENTS
from tests.factories import CoachFactory, EssayPageFactory, PersonFactory, TeamFactory
from tests.grading.helpers import submit, user_in

WIDTH, HEIGHT = 1400, 1000
WAIT_SECONDS = 20
# A long compound, as Finnish titles have: Wagtail's listings would break it inside the word.
TITLE = "Tiimiyrittäjyysvalmennusohjelmien asiakaskokemuskyselyt"


@pytest.fixture(scope="module")
def db(committed_module_db):
    """Stands in for pytest-django's `db`: the live server's thread reads the module's committed data."""


@pytest.fixture(scope="module")
def week(db, module_live_server):
    marjut = CoachFactory(name="Marjut Hakala", user=user_in(COACHES, "marjut"))
    pinkut = TeamFactory(name="Pinkut", coach=marjut, start_year=2024)
    aino = PersonFactory(name="Aino Virtanen", team=pinkut, user=user_in(STUDENTS, "aino"))
    essay = EssayPageFactory(title=TITLE, authors=[aino], essay_type=EssayType.objects.get(code="individual"))
    essay.unpublish()
    submit(essay, aino.user)
    draft = EssayPageFactory(title="Luonnos", authors=[aino])
    return {"server": module_live_server.url, "coach": marjut.user, "student": aino.user, "draft": draft}


def open_as(browser, week, user, path):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    client = Client()
    client.force_login(user)
    browser.set_window_size(WIDTH, HEIGHT)
    browser.get(f"{week['server']}/admin/login/")
    browser.delete_all_cookies()
    browser.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    )
    browser.get(f"{week['server']}{path}")
    WebDriverWait(browser, WAIT_SECONDS).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "main")), "no admin page"
    )


def test_the_essay_forms_visibility_stays_inside_a_laptops_window(browser, week):
    open_as(browser, week, week["student"], f"/admin/pages/{week['draft'].pk}/edit/")
    right, window = browser.execute_script(
        "return [document.querySelector('select[name=visibility]').getBoundingClientRect().right,"
        " document.documentElement.clientWidth];"
    )
    assert right <= window


WORDS_ON_ONE_LINE = """
const cell = [...document.querySelectorAll('td.title')].find((td) => td.textContent.includes(arguments[0]));
const text = cell.firstChild;
const split = [];
let start = 0;
for (const word of text.textContent.split(' ')) {
    const at = text.textContent.indexOf(word, start);
    const range = document.createRange();
    range.setStart(text, at);
    range.setEnd(text, at + word.length);
    const lines = new Set([...range.getClientRects()].map((rect) => Math.round(rect.top)));
    if (lines.size > 1) split.push(word);
    start = at + word.length;
}
return split;
"""


def test_the_grading_queue_breaks_titles_between_words_only(browser, week):
    open_as(browser, week, week["coach"], "/admin/")
    assert browser.execute_script(WORDS_ON_ONE_LINE, TITLE) == []
