"""A week of the grading loop in Debian's Chromium, through the real admin: a student writes an essay
with a citation and sends it for grading, the coach is told, reads it and asks for changes, the
student revises and sends it again, the coach approves it with points, the student sees the points
and the published essay shows its citation and bibliography. Each step clicks what the person would
click and checks what they see, in Finnish.

The tests share one data set and one live server (module_live_server) and run in order; a step
whose predecessor failed fails at once, naming it.
"""

import datetime
import re

import pytest
from django.contrib.auth.models import Group
from django.core import mail

from citations.models import Source
from grading.models import Award, Term
from grading.roles import COACHES, STUDENTS
from tests.factories import CoachFactory, EssayPageFactory, PersonFactory, TeamFactory, UserFactory

WAIT_SECONDS = 20
# A laptop's window: the admin's sidebar shows its labels.
WIDTH, HEIGHT = 1400, 1000
PASSWORD = "Viikko-2026-salasana"
TITLE = "Kohtaamiset asiakkaan polulla"
FIRST_TEXT = "Asiakaskokemus syntyy kohtaamisissa"
REQUESTED_CHANGES = "Kerro vielä, mitä kohtaamisesta opit omassa tiimissäsi."
REVISION = "Omassa tiimissämme opimme kuuntelemaan asiakasta ennen kuin ehdotamme mitään."
FEEDBACK = "Hyvä essee: lähde on merkitty oikein ja oma oppiminen näkyy."


# Twenty more students of the team, with names as long as real ones get.
LONG_NAMES = [
    f"{first} {last}"
    for first, last in zip(
        ["Aleksandra", "Maria-Liisa", "Kristiina", "Johannes", "Valtteri"] * 4,
        ["Kärkkäinen-Väisänen", "Hämäläinen", "Pölönen-Mäntynen", "Östman", "Räsänen-Lindqvist"] * 4,
        strict=True,
    )
]
# Each name once: the fifth of the twenty names would repeat the first otherwise.
LONG_NAMES = [f"{name} {number}" for number, name in enumerate(LONG_NAMES, start=1)]


def account(username, name, group):
    user = UserFactory(username=username, first_name=name.split()[0], last_name=name.split()[1])
    user.set_password(PASSWORD)
    user.save()
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture(scope="module")
def db(committed_module_db):
    """Stands in for pytest-django's `db` in this module, so that the test database is set up: the
    tests share committed data, which a transaction per test would hide from the live server (and,
    on SQLite, whose connection both threads share, roll back)."""


@pytest.fixture(scope="module")
def week(db, module_live_server):
    """Team Pinkut (from 2024) coached by Marjut, with Aino and Eetu and twenty more students whose
    points fill the team table; terms from autumn 2024; one book source to cite."""
    marjut = CoachFactory(name="Marjut Hakala", user=account("marjut", "Marjut Hakala", COACHES))
    pinkut = TeamFactory(name="Pinkut", coach=marjut, start_year=2024)
    aino = PersonFactory(name="Aino Virtanen", team=pinkut, user=account("aino", "Aino Virtanen", STUDENTS))
    PersonFactory(name="Eetu Mäkinen", team=pinkut, user=account("eetu", "Eetu Mäkinen", STUDENTS))
    for year in range(2024, 2029):
        Term.objects.create(
            name=f"Kevät {year}", starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 7, 31)
        )
        Term.objects.create(
            name=f"Syksy {year}", starts_on=datetime.date(year, 8, 1), ends_on=datetime.date(year, 12, 31)
        )
    source = Source.objects.create(
        kind=Source.Kind.BOOK,
        title="Palvelemisesta palveluliiketoimintaan",
        authors="Arantola, Heli\nSimonen, Kari",
        year=2009,
        publisher="Sitra",
        publisher_place="Helsinki",
    )
    team_essay = EssayPageFactory(title="Tiimin yhteinen essee", authors=[aino])
    for number, name in enumerate(LONG_NAMES):
        student = PersonFactory(name=name, team=pinkut)
        Award.objects.create(
            essay=team_essay,
            student=student,
            team=pinkut,
            points=number % 4 + 1,
            coach=marjut.user,
            submitted_on=datetime.date(2025 + number % 3, 3 + number % 2 * 6, 1),
        )
    return module_live_server.url, aino, marjut, source


# The browser helpers; selenium is imported inside them so that collecting the suite needs no browser.


def wait(browser, condition, message):
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.support.ui import WebDriverWait

    return WebDriverWait(browser, WAIT_SECONDS, ignored_exceptions=[StaleElementReferenceException]).until(
        condition, message
    )


def click(browser, element):
    """Scroll the element to the middle of the window and click it once nothing covers it."""
    from selenium.common.exceptions import ElementClickInterceptedException

    browser.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", element)
    refusals = []

    def clicked(_driver):
        try:
            element.click()
        except ElementClickInterceptedException as error:
            refusals[:] = [error.msg]
            return False
        return True

    wait(browser, clicked, f"could not click {element.text or element.get_attribute('outerHTML')[:200]!r}: {refusals}")


def shown(browser, css, text=None):
    """The visible elements matching css (and whose text, or accessible label, is text)."""
    from selenium.webdriver.common.by import By

    found = []
    for element in browser.find_elements(By.CSS_SELECTOR, css):
        if not element.is_displayed():
            continue
        names = {element.text.strip(), (element.get_attribute("aria-label") or "").split("\n")[0].strip()}
        if text is None or text in names:
            found.append(element)
    return found


def the(browser, css, text=None, what=None):
    """The one visible element matching css and text, waited for."""
    return wait(browser, lambda _driver: shown(browser, css, text)[:1], f"{what or text or css} is not shown")[0]


def message_saying(browser, text):
    """The admin's message to the person once it says text (a page may still be on its way)."""
    seen = []

    def saying(_driver):
        seen[:] = [element.text for element in shown(browser, ".messages li")]
        return any(text in message for message in seen)

    wait(browser, saying, f"no message says {text!r}; shown: {seen}")


def main_text(browser):
    from selenium.webdriver.common.by import By

    return browser.find_element(By.TAG_NAME, "main").text


def sign_in(browser, base_url, username):
    """A person signs in on their own computer: no cookie of the previous person is left."""
    from selenium.webdriver.common.by import By

    browser.delete_all_cookies()
    browser.set_window_size(WIDTH, HEIGHT)
    browser.get(f"{base_url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys(username)
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    click(browser, browser.find_element(By.CSS_SELECTOR, "form button[type=submit]"))
    wait(browser, lambda driver: driver.current_url == f"{base_url}/admin/", f"{username} could not sign in")


def errors_in_console(browser, base_url):
    """The distinct severe console messages of the site's pages and scripts since the last call,
    each cut to its first line."""
    messages = {
        entry["message"].split("\\n")[0].split("\n")[0]
        for entry in browser.get_log("browser")
        if entry["level"] == "SEVERE" and entry["message"].startswith(base_url)
    }
    return sorted(messages)


def add_paragraph(browser):
    """A paragraph block at the end of the body, its editor focused."""
    from selenium.common.exceptions import (
        ElementClickInterceptedException,
        ElementNotInteractableException,
        StaleElementReferenceException,
    )

    def opened_block_menu(driver):
        # The body's buttons are found afresh each time: the block field may still be redrawing itself.
        try:
            button = driver.find_elements("css selector", "[data-contentpath=body] button.c-sf-add-button")[-1]
            driver.execute_script("arguments[0].scrollIntoView({block: 'center', behavior: 'instant'})", button)
            button.click()
        except (
            IndexError,
            ElementClickInterceptedException,
            ElementNotInteractableException,
            StaleElementReferenceException,
        ):
            return False
        return True

    wait(browser, opened_block_menu, "the body's block menu did not open")
    click(browser, the(browser, ".w-combobox__option", "Kappale"))
    body = the(browser, "[data-contentpath=body]", what="the body field")
    editors = wait(
        browser,
        lambda _driver: body.find_elements("css selector", ".public-DraftEditor-content"),
        "choosing Kappale gave no text editor",
    )
    click(browser, editors[-1])
    return editors[-1]


def type_date(browser, name, value):
    """Fill a date field without focusing it: focus opens a calendar that stays over the fields
    below (the body's block button) for the rest of the page's life in a headless browser."""
    field = browser.find_element("name", name)
    browser.execute_script(
        "arguments[0].value = arguments[1];arguments[0].dispatchEvent(new Event('change', {bubbles: true}));",
        field,
        value,
    )
    assert field.get_attribute("value") == value


def type_into(browser, editor, text):
    """Type into a rich-text editor and wait, as a person glancing at it would, until the editor has
    stored the text in its form field (Draftail stores it 250 ms after the last key)."""
    editor.send_keys(text)
    words = text.split()[-2:]
    wait(
        browser,
        lambda driver: any(
            all(word in (field.get_attribute("value") or "") for word in words)
            for field in driver.find_elements("css selector", "[data-contentpath=body] input[name$='-value']")
        ),
        f"the editor did not store {text!r}",
    )


def cite(browser, source_label, pages):
    """Choose a source and pages in the citation dialog and insert the citation."""
    from selenium.webdriver.support.ui import Select

    dialog = the(browser, ".modal-content", what="the citation dialog")
    assert "Lisää lähdeviite" in dialog.text, dialog.text
    Select(dialog.find_element("name", "source")).select_by_visible_text(source_label)
    dialog.find_element("name", "pages").send_keys(pages)
    click(browser, dialog.find_element("css selector", "button[type=submit]"))
    wait(browser, lambda _driver: not shown(browser, ".modal-content"), "the citation dialog did not close")


SOURCE_LABEL = "Arantola & Simonen 2009: Palvelemisesta palveluliiketoimintaan"
DONE = set()


def after(step):
    """Fail at once when the step this one continues from did not complete."""
    if step.__name__ not in DONE:
        pytest.fail(f"continues from {step.__name__}, which did not complete")


SENT = []


@pytest.fixture(autouse=True)
def keep_mail():
    """Keep what each step sent: pytest-django empties the outbox before every test."""
    yield
    SENT.extend(mail.outbox)


def mail_to(address, subject):
    """The e-mails sent so far to the address with the subject given."""
    return [message for message in SENT + mail.outbox if message.to == [address] and message.subject == subject]


def workflow_dialog(browser):
    """The dialog a coach's grading action opens, its Finnish heading checked."""
    return the(browser, ".modal-content form", what="the grading dialog").find_element(
        "xpath", "ancestor::*[contains(@class, 'modal-content')]"
    )


def test_student_writes_an_essay_with_a_citation_and_sends_it_for_grading(week, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import Select

    base_url, aino, _marjut, _source = week
    sign_in(browser, base_url, "aino")
    click(browser, the(browser, ".sidebar-menu-item__link, button", "Sivut"))
    click(browser, the(browser, ".c-page-explorer a", "Esseet"))
    click(browser, the(browser, "a", "Lisää alasivu"))
    the(browser, "input[name=title]", what="the essay editor").send_keys(TITLE)
    author = browser.find_element("name", "essay_authors-0-person")
    chosen = browser.find_element("id", f"{author.get_attribute('id')}-chooser")
    assert "Aino Virtanen" in chosen.text, "the author is not the student writing"
    type_date(browser, "written", "01.12.2026")
    Select(browser.find_element("name", "essay_type")).select_by_visible_text("Yksilöessee")
    point_class = Select(browser.find_element("name", "claimed_points"))
    point_class.select_by_visible_text(
        next(o.text for o in point_class.options if o.text.startswith("2 esseepistettä"))
    )

    editor = add_paragraph(browser)
    editor.send_keys(FIRST_TEXT)
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ARROW_LEFT * len("kohtaamisissa")).key_up(
        Keys.SHIFT
    ).perform()
    click(browser, the(browser, ".Draftail-ToolbarButton", "Lähdeviite"))
    cite(browser, SOURCE_LABEL, "29–32")
    assert editor.text == f"{FIRST_TEXT} (Arantola & Simonen 2009, 29–32)"

    click(
        browser, the(browser, "footer .dropdown-toggle, footer [data-w-dropdown-target=toggle]", what="more actions")
    )
    click(browser, the(browser, "footer button", "Lähetä arvioitavaksi"))
    message_saying(browser, f"Essee ”{TITLE}” tallennettiin ja lähetettiin arvioitavaksi.")
    assert errors_in_console(browser, base_url) == []
    DONE.add("test_student_writes_an_essay_with_a_citation_and_sends_it_for_grading")


def test_coach_is_told_reads_the_essay_and_asks_for_changes(week, browser):
    after(test_student_writes_an_essay_with_a_citation_and_sends_it_for_grading)
    base_url, _aino, marjut, _source = week
    told = mail_to(marjut.user.email, f"Essee odottaa arviointiasi: {TITLE}")
    assert len(told) == 1, f"the coach got {[m.subject for m in SENT if m.to == [marjut.user.email]]}"
    assert "Aino Virtanen lähetti esseen" in told[0].body, told[0].body
    link = re.search(r"Lue ja arvioi: (\S+)", told[0].body)
    assert link and link.group(1).startswith(f"{base_url}/admin/points/grade/"), "no link to the grading page"

    sign_in(browser, base_url, "marjut")
    queue = the(browser, "#grading-queue-section, [id^=grading-queue]", what="the grading queue")
    assert "1 essee odottaa arviointiasi" in queue.text, queue.text
    click(browser, the(browser, "a", "Lue ja arvioi"))
    essay = the(browser, "article.grading-essay", what="the essay on the grading page")
    assert f"{FIRST_TEXT} (Arantola & Simonen 2009, 29–32)" in essay.text, essay.text
    click(browser, the(browser, "button", "Pyydä muutoksia"))
    dialog = workflow_dialog(browser)
    assert "Pyydä muutoksia" in dialog.text and "Kerro opiskelijalle, mitä muuttaa" in dialog.text, dialog.text
    dialog.find_element("name", "comment").send_keys(REQUESTED_CHANGES)
    click(browser, the(browser, ".modal-content button[type=submit]", "Pyydä muutoksia"))
    message_saying(browser, f"”{TITLE}” palautettiin kirjoittajalle korjattavaksi. Palautteesi lähetettiin hänelle.")
    assert "1 essee odottaa arviointiasi" not in main_text(browser)
    assert errors_in_console(browser, base_url) == []
    DONE.add("test_coach_is_told_reads_the_essay_and_asks_for_changes")


def test_student_sees_the_requested_changes_revises_and_sends_again(week, browser):
    after(test_coach_is_told_reads_the_essay_and_asks_for_changes)
    base_url, aino, _marjut, _source = week
    assert mail_to(aino.user.email, f"Esseesi palautettiin korjattavaksi: {TITLE}"), "the student was not told"

    sign_in(browser, base_url, "aino")
    requests = the(browser, "#grading-own-points-section, [id^=grading-own-points]", what="the points panel")
    assert "Valmentajan pyytämät muutokset" in requests.text and REQUESTED_CHANGES in requests.text, requests.text
    click(browser, requests.find_element("link text", TITLE))
    message_saying(browser, REQUESTED_CHANGES)
    message_saying(browser, "Lähetä uudelleen arvioitavaksi")
    type_into(browser, add_paragraph(browser), REVISION)
    click(browser, the(browser, "footer button", "Lähetä uudelleen arvioitavaksi"))
    message_saying(browser, f"Essee ”{TITLE}” lähetettiin arvioitavaksi.")

    click(browser, the(browser, ".sidebar-menu-item__link, button", "Pisteet"))
    click(browser, the(browser, "a", "Omat pisteet"))
    page = main_text(browser)
    assert "Valmentajan pyytämät muutokset" not in page, "the answered request is still listed"
    assert errors_in_console(browser, base_url) == []
    DONE.add("test_student_sees_the_requested_changes_revises_and_sends_again")


def test_coach_approves_with_points_and_the_student_sees_them(week, browser):
    after(test_student_sees_the_requested_changes_revises_and_sends_again)
    base_url, aino, marjut, _source = week
    assert mail_to(marjut.user.email, f"Uudelleen arvioitavaksesi: {TITLE}"), "the coach was not told"

    sign_in(browser, base_url, "marjut")
    click(browser, the(browser, "a", "Lue ja arvioi"))
    assert REVISION in the(browser, "article.grading-essay", what="the revised essay").text
    click(browser, the(browser, "button", "Hyväksy ja anna pisteet"))
    dialog = workflow_dialog(browser)
    points = dialog.find_element("name", "points")
    assert points.get_attribute("value") == "2", "the points the rules suggest are not offered"
    dialog.find_element("name", "comment").send_keys(FEEDBACK)
    click(browser, the(browser, ".modal-content button[type=submit]", "Hyväksy ja anna pisteet"))
    message_saying(browser, f"”{TITLE}” hyväksyttiin ja julkaistiin: kirjoittajalle 2 esseepistettä.")
    assert errors_in_console(browser, base_url) == []

    approved = mail_to(aino.user.email, f"Esseesi hyväksyttiin: {TITLE}")
    assert approved and "2 esseepistettä" in approved[0].body and FEEDBACK in approved[0].body
    sign_in(browser, base_url, "aino")
    click(browser, the(browser, ".sidebar-menu-item__link, button", "Pisteet"))
    click(browser, the(browser, "a", "Omat pisteet"))
    page = main_text(browser)
    assert "Yhteensä 2 esseepistettä" in page and FEEDBACK in page, page
    assert errors_in_console(browser, base_url) == []
    DONE.add("test_coach_approves_with_points_and_the_student_sees_them")


def test_published_essay_shows_the_formatted_citation_and_the_bibliography(week, browser):
    after(test_coach_approves_with_points_and_the_student_sees_them)
    base_url, _aino, _marjut, _source = week
    browser.delete_all_cookies()
    browser.get(f"{base_url}/esseet/")
    click(browser, the(browser, "a", TITLE))
    body = the(browser, ".essay-body", what="the essay's text").text
    assert f"{FIRST_TEXT} (Arantola & Simonen 2009, 29–32)" in body, body
    bibliography = the(browser, ".bibliography", what="the bibliography").text
    entry = "Arantola, Heli & Simonen, Kari 2009. Palvelemisesta palveluliiketoimintaan. Helsinki: Sitra."
    assert entry in bibliography, bibliography
    assert errors_in_console(browser, base_url) == []


def caret_after(browser, editor, text):
    """Put the caret in the editor right after the first occurrence of text."""
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    click(browser, editor)
    offset = editor.text.index(text) + len(text)
    ActionChains(browser).send_keys(Keys.HOME).send_keys(Keys.ARROW_RIGHT * offset).perform()


def test_citation_button_keeps_every_word_and_inserts_after_a_selection_or_at_the_caret(week, browser):
    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    base_url, _aino, _marjut, _source = week
    sign_in(browser, base_url, "aino")
    click(browser, the(browser, ".sidebar-menu-item__link, button", "Sivut"))
    click(browser, the(browser, ".c-page-explorer a", "Esseet"))
    click(browser, the(browser, "a", "Lisää alasivu"))
    editor = add_paragraph(browser)
    editor.send_keys("Asiakaskokemus syntyy kohtaamisissa asiakkaan kanssa")

    # A selection: the toolbar that appears over it.
    caret_after(browser, editor, "kohtaamisissa")
    ActionChains(browser).key_down(Keys.SHIFT).send_keys(Keys.ARROW_LEFT * len("syntyy kohtaamisissa")).key_up(
        Keys.SHIFT
    ).perform()
    click(browser, the(browser, ".Draftail-ToolbarButton", "Lähdeviite"))
    cite(browser, SOURCE_LABEL, "11")
    assert editor.text == "Asiakaskokemus syntyy kohtaamisissa (Arantola & Simonen 2009, 11) asiakkaan kanssa"

    # A caret between two words: the block's "+" menu.
    caret_after(browser, editor, "Asiakaskokemus")
    click(browser, the(browser, ".Draftail-BlockToolbar__trigger", what="the block's + button"))
    click(browser, the(browser, "[role=option]", "Lähdeviite"))
    cite(browser, SOURCE_LABEL, "29")
    assert editor.text == (
        "Asiakaskokemus (Arantola & Simonen 2009, 29) syntyy kohtaamisissa (Arantola & Simonen 2009, 11) "
        "asiakkaan kanssa"
    )

    # A caret at the end of the text, right after a word: the command palette of "/".
    caret_after(browser, editor, "kanssa")
    editor.send_keys("/")
    click(browser, the(browser, "[role=option]", "Lähdeviite"))
    cite(browser, SOURCE_LABEL, "30–31")
    assert editor.text == (
        "Asiakaskokemus (Arantola & Simonen 2009, 29) syntyy kohtaamisissa (Arantola & Simonen 2009, 11) "
        "asiakkaan kanssa (Arantola & Simonen 2009, 30–31)"
    )
    assert errors_in_console(browser, base_url) == []


def table_overflow(browser):
    """[sideways overflow of the team table's container, of the whole page], in CSS pixels."""
    return browser.execute_script(
        "const box = document.querySelector('main table.listing').parentElement;"
        "const page = document.documentElement;"
        "return [box.scrollWidth - box.clientWidth, page.scrollWidth - page.clientWidth];"
    )


@pytest.mark.parametrize(("width", "table_fits"), [(1400, True), (1024, False)], ids=["1400px", "1024px"])
def test_team_points_table_fits_a_laptop_and_scrolls_inside_itself_on_a_smaller_screen(
    week, browser, width, table_fits
):
    base_url, _aino, _marjut, _source = week
    sign_in(browser, base_url, "marjut")
    browser.set_window_size(width, HEIGHT)
    click(browser, the(browser, ".sidebar-menu-item__link, button", "Pisteet"))
    click(browser, the(browser, "a", "Tiimien tulostaulu"))
    click(browser, the(browser, "main a", "Pinkut"))
    assert the(browser, "h1", what="the page title").text == "Tiimin Pinkut pisteet"
    rows = the(browser, "main table.listing", what="the team table").find_elements("css selector", "tbody tr")
    assert len(rows) == 22, "the table does not list the team's 22 students"
    table, page = table_overflow(browser)
    assert page <= 0, f"the page scrolls sideways by {page} px at {width} px"
    if table_fits:
        assert table <= 0, f"the team table overflows its container by {table} px at {width} px"
    assert errors_in_console(browser, base_url) == []


QUICK_TITLE = "Nopea tallennus"
QUICK_TEXT = "Viimeiset sanat tallentuvat vaikka tallennan heti"


def test_a_draft_saved_straight_after_typing_keeps_the_last_words(week, browser):
    """Draftail stores typed text a moment after the last key; a save clicked within that moment
    used to store the paragraph without it."""
    from selenium.webdriver.support.ui import Select

    from essays.models import EssayPage

    base_url = week[0]
    sign_in(browser, base_url, "eetu")
    click(browser, the(browser, ".sidebar-menu-item__link, button", "Sivut"))
    click(browser, the(browser, ".c-page-explorer a", "Esseet"))
    click(browser, the(browser, "a", "Lisää alasivu"))
    the(browser, "input[name=title]", what="the essay editor").send_keys(QUICK_TITLE)
    type_date(browser, "written", "02.12.2026")
    Select(browser.find_element("name", "essay_type")).select_by_visible_text("Yksilöessee")
    editor = add_paragraph(browser)
    save = the(browser, "footer button", "Tallenna luonnos")

    editor.send_keys(QUICK_TEXT)
    browser.execute_script("arguments[0].click()", save)

    message_saying(browser, f"Essee ”{QUICK_TITLE}” luotu")
    essay = EssayPage.objects.get(title=QUICK_TITLE)
    paragraphs = [block.value.source for block in essay.get_latest_revision_as_object().body]
    assert any(QUICK_TEXT in paragraph for paragraph in paragraphs), paragraphs
