"""The originality panel in *Lue ja arvioi*, in Debian's Chromium: a submitted essay with a paragraph
copied from a teammate's essay shows the match with its share and the shared passage marked; the
coach marks the match acceptable and withdraws that again. Shares the weekly flow's data set, live
server and browser helpers (tests/grading/test_weekly_flow_browser.py)."""

import random

import pytest

from essays.models import Person
from tests.grading import test_weekly_flow_browser as flow
from tests.grading.helpers import in_progress_state
from tests.grading.test_originality import essay_of, submitted
from tests.grading.test_weekly_flow_browser import (
    click,
    errors_in_console,
    main_text,
    message_saying,
    shown,
    sign_in,
    the,
    wait,
)
from tests.originality.textgen import sentence

# The flow's committed database and data set (its accounts, team and terms) serve this module too.
db = flow.db
week = flow.week

SOURCE_TITLE = "Eetun essee kohtaamisista"


def sentences(seed, count):
    rng = random.Random(seed)
    return [sentence(rng) for _ in range(count)]


COPIED = sentences(11, 12)
OWN = sentences(12, 12)


@pytest.fixture(scope="module")
def copied(week):
    """Eetu's published essay, and Aino's essay sent for grading whose first half is copied from it."""
    _url, aino, _marjut, _source = week
    eetu = Person.objects.get(name="Eetu Mäkinen")
    essay_of(eetu, COPIED + sentences(13, 12), title=SOURCE_TITLE)
    return submitted(aino, COPIED + OWN, title="Ainon kopioitu essee")


def open_grading(browser, week, essay):
    base_url, *_rest = week
    sign_in(browser, base_url, "marjut")
    browser.get(f"{base_url}/admin/points/grade/{in_progress_state(essay).pk}/")
    return the(browser, "#originality li.originality-match", what="the match")


def test_the_panel_shows_the_copied_paragraph_with_its_share_and_marks_the_shared_passage(week, copied, browser):
    match = open_grading(browser, week, copied)
    share = int(match.get_attribute("data-share"))
    assert 40 <= share <= 60
    summary = the(browser, "#originality summary", what="the match's summary")
    assert SOURCE_TITLE in summary.text
    assert f"päällekkäisyys {share} %" in summary.text
    # A match over the flagging share that no coach has accepted opens by itself.
    assert browser.execute_script("return arguments[0].parentElement.open", summary) is True
    marked = wait(browser, lambda _driver: shown(browser, "#originality mark"), "no shared passage is marked")
    marked_text = " ".join(element.text for element in marked)
    assert COPIED[0] in marked_text
    assert OWN[0] not in marked_text
    assert errors_in_console(browser, week[0]) == []


def test_the_coach_accepts_the_match_and_withdraws_the_acceptance(week, copied, browser):
    from selenium.webdriver.support.ui import Select

    open_grading(browser, week, copied)
    Select(the(browser, "#originality select[name=reason]", what="the reason")).select_by_visible_text(
        "Lainaus lähteineen"
    )
    the(browser, "#originality input[name=explanation]", what="the explanation").send_keys("Lähde mainittu.")
    click(browser, the(browser, "#originality button", "Merkitse hyväksyttäväksi"))
    message_saying(browser, f"Päällekkäisyys esseen ”{SOURCE_TITLE}” kanssa merkittiin hyväksyttäväksi.")
    assert "Merkitty hyväksyttäväksi: Lainaus lähteineen" in main_text(browser)
    assert "Lähde mainittu." in main_text(browser)

    click(browser, the(browser, "#originality button", "Peru hyväksyntä"))
    message_saying(browser, f"Päällekkäisyyden hyväksyntä esseen ”{SOURCE_TITLE}” kanssa peruttiin.")
    assert "Merkitty hyväksyttäväksi" not in main_text(browser)
    assert the(browser, "#originality button", "Merkitse hyväksyttäväksi")
    assert errors_in_console(browser, week[0]) == []
