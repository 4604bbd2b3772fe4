"""Named records' slugs: the name's own while free, numbered after it while taken."""

import pytest

from essays.models import Team


@pytest.mark.django_db
def test_a_free_name_gets_its_own_slug():
    assert Team.objects.create(name="Pinkit Äijät").slug == "pinkit-äijät"


@pytest.mark.django_db
def test_names_of_the_same_slug_are_numbered_in_turn():
    teams = [Team.objects.create(name=name) for name in ("Pinkit", "Pinkit!", "Pinkit?")]
    assert [team.slug for team in teams] == ["pinkit", "pinkit-2", "pinkit-3"]


@pytest.mark.django_db
def test_a_slug_starting_another_is_not_taken_by_it():
    Team.objects.create(name="Pinkit Oy")
    assert Team.objects.create(name="Pinkit").slug == "pinkit"


@pytest.mark.django_db
def test_a_renamed_record_keeps_its_slug():
    team = Team.objects.create(name="Pinkit")
    team.name = "Pinkut"
    team.save()
    team.refresh_from_db()
    assert team.slug == "pinkit"
