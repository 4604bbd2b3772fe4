"""Each of the project's own admin views names itself in the sticky header, not only "Koti" (home)."""

import pytest
from bs4 import BeautifulSoup

from grading.models import Award
from tests.factories import BookFactory
from tests.grading.helpers import in_progress_state, signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")


def header_trail(client, url):
    """The breadcrumb labels of the sticky header, the last one the title shown in bold."""
    response = client.get(url)
    assert response.status_code == 200, (url, response.status_code)
    header = BeautifulSoup(response.text, "html.parser").select_one("header.w-slim-header")
    return [" ".join(item.get_text().split()) for item in header.select("nav ol > li")]


@pytest.fixture
def award(people, submitted_essay):
    return Award.objects.create(
        essay=submitted_essay,
        student=people.aino,
        team=people.pinkut,
        points=2,
        coach=people.marjut.user,
        submitted_on=submitted_essay.written,
    )


def test_the_grading_view_is_headed_by_the_essays_title(people, submitted_essay):
    url = f"/admin/points/grade/{in_progress_state(submitted_essay).pk}/"
    assert header_trail(signed_in(people.marjut.user), url) == ["Koti", "Kosketuspisteet"]


def test_my_points_is_headed_by_its_title(people):
    assert header_trail(signed_in(people.aino.user), "/admin/points/own/")[-1] == "Omat pisteet"


def test_a_teams_points_are_headed_by_the_teams_name(people):
    trail = header_trail(signed_in(people.marjut.user), f"/admin/points/teams/{people.pinkut.pk}/")
    assert trail[-1] == "Tiimin Pinkut pisteet"


def test_the_leaderboard_and_awards_are_headed_by_their_titles(people):
    client = signed_in(people.marjut.user)
    titles = [header_trail(client, url)[-1] for url in ("/admin/points/leaderboard/", "/admin/points/awards/")]
    assert "Koti" not in titles
    assert len(set(titles)) == 2


def test_correcting_an_award_is_headed_under_the_awards(people, award):
    trail = header_trail(signed_in(people.marjut.user), f"/admin/points/awards/{award.pk}/correct/")
    assert trail[0] == "Koti"
    assert trail[-1] not in ("Koti", trail[1])
    assert len(trail) == 3


def test_the_merge_view_is_headed_by_its_title_under_the_books(people):
    book = BookFactory(title="Strategina asiakaskokemus")
    trail = header_trail(signed_in(people.editor), f"/admin/merge/book/{book.pk}/")
    assert trail[0] == "Koti"
    assert "Strategina asiakaskokemus" in trail[-1]
    assert len(trail) == 3
