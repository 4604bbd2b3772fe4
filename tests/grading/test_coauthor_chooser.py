"""The co-author chooser of a student's essay editor: students only, own team first in Finnish
order, found by typing part of a name even among many."""

import re

import pytest

from tests.factories import PersonFactory
from tests.grading.helpers import signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")

RESULTS = "/admin/student-chooser/results/"


def names(response):
    """The names listed in the chooser's results, in order."""
    assert response.status_code == 200
    html = response.content.decode()
    return [name.strip() for name in re.findall(r"data-chooser-modal-choice[^>]*>\s*([^<]+?)\s*<", html)]


def test_students_of_the_own_team_come_first_in_finnish_order(people):
    PersonFactory(name="Ähtäri Aapo", team=people.pinkut)
    PersonFactory(name="Zacharias Öberg", team=people.kipina)
    listed = names(signed_in(people.aino.user).get(RESULTS))
    assert listed == ["Aino Virtanen", "Eetu Mäkinen", "Ähtäri Aapo", "Iida Koskinen", "Zacharias Öberg"]


def test_the_other_teams_student_comes_first_for_her(people):
    assert names(signed_in(people.iida.user).get(RESULTS))[0] == "Iida Koskinen"


def test_typing_part_of_a_name_finds_the_student(people):
    assert names(signed_in(people.aino.user).get(RESULTS, {"q": "mäki"})) == ["Eetu Mäkinen"]


def test_a_name_is_found_whatever_the_case_of_its_umlauts(people):
    PersonFactory(name="Ähtäri Öhman", team=people.kipina)
    assert names(signed_in(people.aino.user).get(RESULTS, {"q": "ÄHTÄRI öhm"})) == ["Ähtäri Öhman"]


def test_every_word_typed_must_match(people):
    client = signed_in(people.aino.user)
    assert names(client.get(RESULTS, {"q": "iida kosk"})) == ["Iida Koskinen"]
    assert names(client.get(RESULTS, {"q": "iida virt"})) == []


def test_a_student_beyond_the_first_page_is_found_by_typing(people):
    for number in range(30):
        PersonFactory(name=f"Aaro Aaltonen {number:02d}", team=people.kipina)
    client = signed_in(people.aino.user)
    assert "Sanni Salmela" not in names(client.get(RESULTS))
    PersonFactory(name="Sanni Salmela", team=people.kipina)
    assert "Sanni Salmela" not in names(client.get(RESULTS))
    assert names(client.get(RESULTS, {"q": "sanni"})) == ["Sanni Salmela"]


def test_a_student_finds_no_coaches(people):
    client = signed_in(people.aino.user)
    assert names(client.get(RESULTS, {"q": "marjut"})) == []
    assert not any(name in names(client.get(RESULTS)) for name in ("Marjut Hakala", "Timo Lehtinen"))


def test_the_chooser_speaks_finnish(people):
    html = signed_in(people.aino.user).get("/admin/student-chooser/").content.decode()
    assert "Valitse kirjoittaja" in html
    assert "Nimi tai sen osa" in html
    assert "Choose" not in html and "Search term" not in html


def test_someone_without_admin_access_gets_no_names(people):
    response = signed_in(people.member).get(RESULTS)
    assert response.status_code in (302, 403)
    assert "Aino Virtanen" not in response.content.decode()
