"""The site, the admin and the search box work under the Content-Security-Policy in a real browser."""

import pytest

from tests.factories import EssayPageFactory, UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT_SECONDS = 10


def policy_violations(browser):
    return [entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]


def test_public_pages_and_search_box_run_under_the_policy(browser, live_server, site_tree):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    essay = EssayPageFactory(title="Asiakaskokemus arjessa")
    browser.get_log("browser")
    for path in ("/", essay.url, "/esseet/", "/kasitteet/"):
        browser.get(f"{live_server.url}{path}")
    browser.get(f"{live_server.url}/haku/")
    box = browser.find_element(By.ID, "search-page-q")
    box.send_keys("asiakas")
    listbox = browser.find_element(By.ID, box.get_attribute("aria-controls"))
    WebDriverWait(browser, WAIT_SECONDS).until(lambda _driver: listbox.is_displayed())
    violations = policy_violations(browser)
    assert violations == [], "\n".join(violations)


def test_admin_page_editor_and_userbar_run_under_the_policy(browser, live_server, site_tree):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    user = UserFactory(username="paakayttaja", is_superuser=True)
    user.set_password("Salasana-2026")
    user.save()
    essay = EssayPageFactory(title="Muokattava essee")
    browser.get_log("browser")
    browser.get(f"{live_server.url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys("paakayttaja")
    browser.find_element(By.NAME, "password").send_keys("Salasana-2026")
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, WAIT_SECONDS).until(lambda driver: driver.current_url.endswith("/admin/"))
    browser.get(f"{live_server.url}/admin/pages/{essay.pk}/edit/")
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda driver: driver.find_elements(By.CSS_SELECTOR, "[data-draftail-input], .Draftail-Editor")
    )
    browser.get(f"{live_server.url}{essay.url}")
    WebDriverWait(browser, WAIT_SECONDS).until(lambda driver: driver.find_elements(By.TAG_NAME, "wagtail-userbar"))
    violations = policy_violations(browser)
    assert violations == [], "\n".join(violations)
