"""The search box's suggestions in a real browser: Debian's Chromium, driven by Selenium (the
`browser` fixture of tests/conftest.py)."""

import pytest

from tests.factories import ConceptPageFactory

# The live server answers from its own thread, which sees only committed rows; the page tree the
# migrations made is restored after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

WAIT_SECONDS = 10


@pytest.fixture
def search_box(browser, live_server, site_tree):
    from selenium.webdriver.common.by import By

    ConceptPageFactory(title="Asiakaskokemus", slug="asiakaskokemus")
    ConceptPageFactory(title="Asiakasymmärrys", slug="asiakasymmarrys")
    browser.get(f"{live_server.url}/haku/")
    return browser.find_element(By.ID, "search-page-q")


def suggestions_of(browser, box, count):
    """The suggestion texts once the list the box controls holds `count` of them.

    Read inside the wait: the list of a shorter prefix may still be showing, or be replaced
    while it is read.
    """
    from selenium.common.exceptions import StaleElementReferenceException
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    listbox = browser.find_element(By.ID, box.get_attribute("aria-controls"))

    def texts(_driver):
        shown = [option.text for option in listbox.find_elements(By.CSS_SELECTOR, '[role="option"]')]
        return shown if len(shown) == count and listbox.is_displayed() else None

    return WebDriverWait(browser, WAIT_SECONDS, ignored_exceptions=[StaleElementReferenceException]).until(texts)


def test_typing_lists_matching_titles_with_finnish_letters(browser, search_box):
    search_box.send_keys("asiakasy")
    assert suggestions_of(browser, search_box, 1) == ["Asiakasymmärrys · käsite"]
    assert search_box.get_attribute("aria-expanded") == "true"


def test_arrow_key_marks_a_suggestion_and_enter_opens_it(browser, search_box, live_server):
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    search_box.send_keys("asiakasym")
    suggestions_of(browser, search_box, 1)
    search_box.send_keys(Keys.ARROW_DOWN)
    active = search_box.get_attribute("aria-activedescendant")
    assert browser.find_element("id", active).get_attribute("aria-selected") == "true"
    search_box.send_keys(Keys.ENTER)
    WebDriverWait(browser, WAIT_SECONDS).until(lambda driver: "/asiakasymmarrys/" in driver.current_url)


def test_escape_closes_the_suggestions_and_keeps_what_was_typed(browser, search_box):
    from selenium.webdriver.common.keys import Keys

    search_box.send_keys("asiakas")
    suggestions_of(browser, search_box, 2)
    search_box.send_keys(Keys.ESCAPE)
    assert search_box.get_attribute("aria-expanded") == "false"
    assert search_box.get_attribute("value") == "asiakas"


@pytest.mark.parametrize("width", [1366, 320], ids=lambda width: f"{width}px")
@pytest.mark.parametrize(("path", "box_id"), [("/", "site-search"), ("/haku/", "search-page-q")])
def test_suggestions_open_below_the_box_and_never_cover_it_or_its_button(
    browser, live_server, site_tree, width, path, box_id
):
    from selenium.webdriver.common.by import By

    ConceptPageFactory(title="Asiakaskokemus", slug="asiakaskokemus")
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": width, "height": 700, "deviceScaleFactor": 1, "mobile": False}
    )
    try:
        browser.get(f"{live_server.url}{path}")
        box = browser.find_element(By.ID, box_id)
        box.send_keys("asiakask")
        suggestions_of(browser, box, 1)
        listbox = browser.find_element(By.ID, box.get_attribute("aria-controls"))
        button = box.find_element(By.XPATH, "ancestor::form//button")
        below = browser.execute_script(
            "const [list, box, button] = [...arguments].map((element) => element.getBoundingClientRect());"
            "return list.top >= box.bottom && list.top >= button.bottom;",
            listbox,
            box,
            button,
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert below is True
