"""The coach is warned of a copy before approving it: the queue row and the grading dialogs show the
highest overlap no coach has accepted, from 30 %, and the passages open side by side."""

from unittest import mock

import pytest
from bs4 import BeautifulSoup

from originality import matching
from tests.grading.helpers import in_progress_state, signed_in, workflow_action_url
from tests.grading.test_originality import ORIGINAL, OTHER_TOPIC, accept_url, essay_of, grading_page, submitted

pytestmark = pytest.mark.usefixtures("without_index_updates")


def overlap_warning(html):
    """The overlap share the coach is warned of in this HTML, or None."""
    found = BeautifulSoup(html, "html.parser").select_one(".grading-overlap")
    return None if found is None else (int(found["data-overlap"]), " ".join(found.get_text().split()))


def test_the_dashboard_queue_row_warns_of_a_copied_essay_with_its_share(people):
    essay_of(people.aino, ORIGINAL, title="Ainon julkaistu essee")
    submitted(people.eetu, ORIGINAL, title="Eetun essee")
    html = signed_in(people.marjut.user).get("/admin/").content.decode()
    assert overlap_warning(html) == (100, "Päällekkäisyys 100 %")


def test_the_approve_dialog_warns_of_a_copied_essay_with_its_share(people):
    essay_of(people.aino, ORIGINAL, title="Ainon julkaistu essee")
    essay = submitted(people.eetu, ORIGINAL, title="Eetun essee")
    url = workflow_action_url(essay, "approve", in_progress_state(essay))
    share, text = overlap_warning(signed_in(people.marjut.user).get(url).json()["html"])
    assert share == 100
    assert "Päällekkäisyys 100 % pankin toisen esseen kanssa." in text
    assert "Näytä rinnakkain" in text


def test_an_essay_overlapping_less_than_the_notable_share_gives_no_warning(people):
    essay_of(people.aino, ORIGINAL[:4] + OTHER_TOPIC[:4], title="Osittain sama")
    essay = submitted(people.eetu, ORIGINAL[4:] + OTHER_TOPIC[4:], title="Eetun essee")
    assert overlap_warning(signed_in(people.marjut.user).get("/admin/").content.decode()) is None
    assert overlap_warning(grading_page(people.marjut.user, essay).content.decode()) is None


def test_an_accepted_overlap_gives_no_warning(people):
    source = essay_of(people.aino, ORIGINAL, title="Ainon julkaistu essee")
    essay = submitted(people.eetu, ORIGINAL, title="Eetun essee")
    signed_in(people.marjut.user).post(accept_url(essay, source), {"reason": "quotation"})
    assert overlap_warning(signed_in(people.marjut.user).get("/admin/").content.decode()) is None
    url = workflow_action_url(essay, "approve", in_progress_state(essay))
    assert overlap_warning(signed_in(people.marjut.user).get(url).json()["html"]) is None


def test_a_notable_match_is_shown_side_by_side_open_with_a_visible_label(people):
    essay_of(people.aino, ORIGINAL, title="Ainon julkaistu essee")
    essay = submitted(people.eetu, ORIGINAL, title="Eetun essee")
    page = BeautifulSoup(grading_page(people.marjut.user, essay).content.decode(), "html.parser")
    details = page.select_one(".originality-match details")
    assert details.has_attr("open")
    assert details.summary.select_one(".originality-toggle").get_text(strip=True) == "Näytä rinnakkain"


def test_the_grading_page_compares_the_essay_with_the_bank_once(people):
    """The warning comes from the matches the page shows, not from a second comparison."""
    essay_of(people.aino, ORIGINAL, title="Ainon julkaistu essee")
    essay = submitted(people.eetu, ORIGINAL, title="Eetun essee")
    with mock.patch("originality.matching.shares", wraps=matching.shares) as shares:
        html = grading_page(people.marjut.user, essay).content.decode()
    assert overlap_warning(html)[0] == 100
    assert shares.call_count == 1


def test_an_accepted_overlap_gives_no_warning_on_the_grading_page(people):
    source = essay_of(people.aino, ORIGINAL, title="Ainon julkaistu essee")
    essay = submitted(people.eetu, ORIGINAL, title="Eetun essee")
    signed_in(people.marjut.user).post(accept_url(essay, source), {"reason": "quotation"})
    assert overlap_warning(grading_page(people.marjut.user, essay).content.decode()) is None
