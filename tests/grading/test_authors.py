"""Students credit only themselves and fellow students; each author's team is their own."""

import re

import pytest
from django.forms import ModelChoiceField
from django.utils import translation

from essays.models import EssayAuthor, EssayPage
from tests.factories import PersonFactory
from tests.grading.helpers import essay_form_data, signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")


def add_url(people):
    return f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"


def test_student_cannot_save_an_essay_credited_only_to_another_student(people):
    data = essay_form_data("Toisen nimissä", "toisen-nimissa", [people.iida], **{"action-submit": "action-submit"})
    response = signed_in(people.aino.user).post(add_url(people), data)
    assert not EssayPage.objects.filter(title="Toisen nimissä").exists()
    assert "lisää itsesi kirjoittajiin" in response.content.decode()


def test_student_cannot_make_a_coach_a_co_author(people):
    data = essay_form_data("Valmentajan kanssa", "valmentajan-kanssa", [people.aino, people.marjut])
    response = signed_in(people.aino.user).post(add_url(people), data)
    assert not EssayPage.objects.filter(title="Valmentajan kanssa").exists()
    # Coaches are not among the authors a student can choose.
    with translation.override("fi"):
        refused = str(ModelChoiceField.default_error_messages["invalid_choice"])
    assert refused in response.content.decode()


def test_student_adds_a_fellow_student_as_co_author(people):
    data = essay_form_data("Yhdessä", "yhdessa", [people.aino, people.iida])
    signed_in(people.aino.user).post(add_url(people), data)
    essay = EssayPage.objects.get(title="Yhdessä")
    assert {author.person for author in essay.essay_authors.all()} == {people.aino, people.iida}


def test_an_authors_team_is_their_own_whatever_the_form_says(people):
    data = essay_form_data("Väärä tiimi", "vaara-tiimi", [people.aino])
    data["essay_authors-0-team"] = str(people.kipina.pk)
    signed_in(people.aino.user).post(add_url(people), data)
    assert EssayAuthor.objects.get(essay__title="Väärä tiimi").team == people.pinkut


def test_student_without_a_person_cannot_save_an_essay(people):
    lone = PersonFactory(name="Ilman Tiliä", team=people.pinkut, user=None)
    data = essay_form_data("Irrallinen", "irrallinen", [lone])
    signed_in(people.member).post(add_url(people), data)
    assert not EssayPage.objects.filter(title="Irrallinen").exists()


def test_new_essay_form_offers_the_signed_in_student_as_author(people):
    html = signed_in(people.aino.user).get(add_url(people)).content.decode()
    field = re.search(r'<input[^>]*name="essay_authors-0-person"[^>]*>', html).group(0)
    assert f'value="{people.aino.pk}"' in field
    assert "Aino Virtanen" in re.search(r"data-chooser-title[^>]*>([^<]*)<", html).group(1)
    assert 'name="essay_authors-TOTAL_FORMS" value="1"' in html


def test_editor_credits_any_student(people):
    data = essay_form_data("Toimittajan lisäämä", "toimittajan-lisaama", [people.iida])
    signed_in(people.editor).post(add_url(people), data)
    assert EssayPage.objects.get(slug="toimittajan-lisaama").authors() == [people.iida]
