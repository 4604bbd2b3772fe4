"""In a real browser, under the Content-Security-Policy: the proof of work stands in for the check
question, and the rating form saves a choice made with the keyboard and announces the new average."""

import time

import pytest

from community.models import Comment, CommunitySettings, Rating
from tests.factories import EssayPageFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT_SECONDS = 60


def policy_violations(browser):
    return [entry["message"] for entry in browser.get_log("browser") if "Content Security Policy" in entry["message"]]


@pytest.fixture
def open_site(site_tree):
    from wagtail.models import Site

    settings = CommunitySettings.for_site(Site.objects.get(is_default_site=True))
    settings.anonymous_comments = settings.anonymous_ratings = True
    settings.save()
    return EssayPageFactory(title="Asiakaskokemus arjessa")


def test_browser_does_the_proof_of_work_and_the_comment_is_sent(browser, live_server, open_site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get_log("browser")
    browser.get(f"{live_server.url}{open_site.url}")
    loaded = time.monotonic()
    form = browser.find_element(By.CSS_SELECTOR, "#kommentit > form.comment-form")
    form.find_element(By.NAME, "name").send_keys("Selainvieras")
    form.find_element(By.NAME, "text").send_keys("Kommentti selaimesta, skriptit päällä.")
    WebDriverWait(browser, WAIT_SECONDS).until(
        lambda _driver: form.find_element(By.NAME, "laskenta").get_attribute("value")
    )
    assert not form.find_element(By.CSS_SELECTOR, ".check-question").is_displayed()
    # A person takes longer than the minimum time to write; the test waits it out.
    time.sleep(max(0, 5 - (time.monotonic() - loaded)))
    form.find_element(By.CSS_SELECTOR, "button[type=submit]").click()
    WebDriverWait(browser, WAIT_SECONDS).until(lambda driver: "#kommentti-" in driver.current_url)
    assert Comment.objects.get().author_name == "Selainvieras"
    assert policy_violations(browser) == []


def test_rating_chosen_with_the_keyboard_is_saved_and_announced(browser, live_server, open_site):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait

    browser.delete_all_cookies()
    browser.get(f"{live_server.url}{open_site.url}")
    browser.find_element(By.CSS_SELECTOR, 'input[name="stars"][value="4"]').send_keys(Keys.SPACE)
    text = browser.find_element(By.CSS_SELECTOR, ".rating-text")
    WebDriverWait(browser, WAIT_SECONDS).until(lambda _driver: text.text == "4,0 / 5 · 1 ääni")
    assert text.get_attribute("aria-live") == "polite"
    assert list(Rating.objects.values_list("stars", flat=True)) == [4]
