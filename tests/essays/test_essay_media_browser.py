"""An essay with a student's image and a table, in Debian's Chromium: the image fits a phone's width
and offers smaller renditions, and the table editor speaks Finnish without console errors."""

import json

import pytest
from django.conf import settings
from django.test import Client
from wagtail_factories import ImageFactory

from tests.factories import EssayPageFactory, UserFactory

PHONE_WIDTH = 390
WAIT_SECONDS = 20


@pytest.fixture(scope="module")
def db(committed_module_db):
    """Stands in for pytest-django's `db`: the live server's thread reads the module's committed data."""


@pytest.fixture(scope="module")
def essay(db, module_live_server):
    image = ImageFactory(title="Asiakaspolun kaavio", file__width=1600, file__height=900)
    table = {
        "data": [["Vaihe", "Kosketuspiste"], ["Ennen", "Verkkosivu"]],
        "table_header_choice": "row",
        "first_row_is_table_header": True,
        "first_col_is_header": False,
        "table_caption": "",
    }
    body = [
        {"type": "paragraph", "value": "<p>Asiakaspolku kulkee kosketuspisteestä toiseen.</p>"},
        {"type": "image", "value": {"image": image.pk, "caption": "Asiakaspolku"}},
        {"type": "table", "value": table},
    ]
    return EssayPageFactory(title="Asiakaspolku kuvana", body=json.dumps(body))


def set_width(browser, width):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride", {"width": width, "height": 800, "deviceScaleFactor": 1, "mobile": True}
    )


def signed_in_browser(browser, server_url):
    """The browser carries a superuser's session, as if signed in through the form."""
    client = Client()
    client.force_login(UserFactory(username="paakayttaja", is_superuser=True, is_staff=True))
    browser.get(f"{server_url}/admin/login/")
    browser.add_cookie(
        {"name": settings.SESSION_COOKIE_NAME, "value": client.cookies[settings.SESSION_COOKIE_NAME].value}
    )


def test_an_essays_image_fits_a_phones_width(browser, essay, module_live_server):
    set_width(browser, PHONE_WIDTH)
    try:
        browser.get(f"{module_live_server.url}{essay.url}")
        widths = browser.execute_script(
            "return [document.documentElement.scrollWidth, document.documentElement.clientWidth,"
            " document.querySelector('figure.captioned-image img').getBoundingClientRect().width];"
        )
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    document_width, viewport_width, image_width = widths
    assert document_width <= viewport_width
    assert image_width <= viewport_width


def test_an_essays_image_offers_smaller_renditions(browser, essay, module_live_server):
    browser.get(f"{module_live_server.url}{essay.url}")
    srcset = browser.execute_script("return document.querySelector('figure.captioned-image img').srcset;")
    widths = sorted(int(candidate.split()[-1].rstrip("w")) for candidate in srcset.split(","))
    assert widths[0] <= PHONE_WIDTH + 10
    assert len(widths) >= 2


def test_editing_an_essay_with_a_table_logs_no_errors(browser, essay, module_live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    signed_in_browser(browser, module_live_server.url)
    browser.get_log("browser")
    browser.get(f"{module_live_server.url}/admin/pages/{essay.pk}/edit/")
    WebDriverWait(browser, WAIT_SECONDS).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, ".handsontable")), "no table editor"
    )
    severe = [entry["message"] for entry in browser.get_log("browser") if entry["level"] == "SEVERE"]
    assert severe == []


def test_the_table_editors_header_choices_are_in_finnish(browser, essay, module_live_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    signed_in_browser(browser, module_live_server.url)
    browser.get(f"{module_live_server.url}/admin/pages/{essay.pk}/edit/")
    select = WebDriverWait(browser, WAIT_SECONDS).until(
        expected_conditions.presence_of_element_located((By.CSS_SELECTOR, "select[id$='-table-header-choice']")),
        "no header choice",
    )
    options = [option.get_attribute("textContent").strip() for option in select.find_elements(By.TAG_NAME, "option")]
    assert options == [
        "Valitse otsikkosolut",
        "Ensimmäinen rivi",
        "Ensimmäinen sarake",
        "Ensimmäinen rivi ja ensimmäinen sarake",
        "Ei otsikkosoluja",
    ]
