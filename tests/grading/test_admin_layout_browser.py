"""The admin's layout at a laptop's width in Debian's Chromium: the essay form's fields stay inside
the window, its point class follows the essay type chosen, the coach's grading queue wraps essay
titles between words only and lines its buttons up, comment moderation filters in one row, and the
checks panel counts the essay's body, and the calendar of the date written reads and writes 5.12.2026."""

import pytest
from django.conf import settings
from django.test import Client

from essays.models import EssayType
from grading.roles import COACHES, STUDENTS
from tests.factories import CoachFactory, EssayPageFactory, PersonFactory, TeamFactory, paragraphs
from tests.grading.helpers import submit, user_in

WIDTH, HEIGHT = 1400, 1000
WAIT_SECONDS = 20
# A long compound, as Finnish titles have: Wagtail's listings would break it inside the word.
TITLE = "Tiimiyrittäjyysvalmennusohjelmien asiakaskokemuskyselyt"
DRAFT_BODY = "Asiakaskokemus syntyy jokaisessa kohtaamisessa, myös kassajonossa."


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
    draft = EssayPageFactory(title="Luonnos", authors=[aino], body=paragraphs(DRAFT_BODY))
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


LINE_STARTS = """
const boxes = [...document.querySelectorAll(arguments[0])].map((element) => element.getBoundingClientRect());
const lines = {};
for (const box of boxes) {
    const top = Math.round(box.top);
    lines[top] = Math.min(lines[top] ?? Infinity, Math.round(box.left));
}
return Object.values(lines);
"""


def test_the_grading_queues_buttons_line_up_when_they_wrap(browser, week):
    browser.set_window_size(WIDTH, HEIGHT)
    open_as(browser, week, week["coach"], "/admin/")
    starts = browser.execute_script(LINE_STARTS, ".grading-queue tbody tr:first-child td:last-child .button")
    assert len(starts) >= 1
    assert len(set(starts)) == 1, starts


def test_the_comment_filters_sit_in_one_row_under_the_comments_heading(browser, week):
    open_as(browser, week, week["coach"], "/admin/kommentit/")
    starts = browser.execute_script(LINE_STARTS, "nav[aria-label] li a.button")
    assert len(starts) == 1, starts
    heading = browser.execute_script(
        "return document.querySelector('header.w-slim-header ol > li:last-child').innerText"
    )
    assert heading.strip() == "Kommentit"


def test_the_checks_panel_counts_the_essays_body_alone(browser, week):
    from selenium.webdriver.support.ui import WebDriverWait

    open_as(browser, week, week["student"], f"/admin/pages/{week['draft'].pk}/edit/")
    browser.find_element("css selector", "button[data-side-panel-toggle='checks']").click()
    count = WebDriverWait(browser, WAIT_SECONDS).until(
        lambda _: (
            browser.find_element("css selector", "[data-content-word-count]").text.strip() not in ("", "-")
            and browser.find_element("css selector", "[data-content-word-count]").text.strip()
        ),
        "the checks panel counted no words",
    )
    assert int(count) == len(DRAFT_BODY.split())


def test_choosing_an_essay_type_selects_its_point_class(browser, week):
    from selenium.webdriver.support.ui import Select

    open_as(browser, week, week["student"], f"/admin/pages/add/essays/essaypage/{week['draft'].get_parent().pk}/")
    essay_type, point_class = (Select(browser.find_element("name", name)) for name in ("essay_type", "claimed_points"))
    essay_type.select_by_visible_text("Blogiessee")
    first = point_class.first_selected_option.text
    essay_type.select_by_visible_text("Akateeminen essee")
    assert (first, point_class.first_selected_option.text) == (
        "1 esseepiste – Blogiessee, Reflektio, Kommenttiessee",
        "3 esseepistettä – Akateeminen essee",
    )


VISIBLE_CALENDAR_DAY = """
const calendar = [...document.querySelectorAll('.xdsoft_datetimepicker')].find((element) => element.offsetParent);
return calendar && calendar.querySelector(`.xdsoft_date[data-date="${arguments[0]}"]:not(.xdsoft_other_month)`);
"""


def test_the_calendar_opens_at_the_date_shown_and_writes_the_day_picked_the_same_way(browser, week):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    open_as(browser, week, week["student"], f"/admin/pages/{week['draft'].pk}/edit/")
    field = browser.find_element("name", "written")
    written = week["draft"].written
    assert field.get_attribute("value") == f"{written.day}.{written.month}.{written.year}"
    field.click()

    def click_day(_):
        day = browser.execute_script(VISIBLE_CALENDAR_DAY, 7)
        if day is None:
            return False
        try:
            day.click()
        except StaleElementReferenceException:
            # The calendar draws its days again just after opening: the day is found anew.
            return False
        return True

    WebDriverWait(browser, WAIT_SECONDS).until(click_day, "no calendar opened")
    browser.find_element("name", "title").click()
    assert field.get_attribute("value") == f"7.{written.month}.{written.year}"
