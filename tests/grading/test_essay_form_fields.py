"""The essay form's categories are ticked boxes with help, and a new essay is dated today."""

import datetime
import re

import pytest
from django.utils import timezone

from essays.models import EssayPage
from tests.factories import CategoryFactory
from tests.grading.helpers import essay_form_data, signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")


def add_url(people):
    return f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"


def parsed_date(value):
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise AssertionError(f"not a date: {value!r}")


@pytest.fixture
def categories(db):
    return [CategoryFactory(number="1", name="Oppiminen"), CategoryFactory(number="2.2", name="Tiimityön taidot")]


def test_a_new_essay_is_dated_today(people):
    html = signed_in(people.aino.user).get(add_url(people)).content.decode()
    field = re.search(r'<input[^>]*name="written"[^>]*>', html).group(0)
    assert parsed_date(re.search(r'value="([^"]*)"', field).group(1)) == timezone.localdate()


def test_categories_are_ticked_boxes_with_help(people, categories):
    html = signed_in(people.aino.user).get(add_url(people)).content.decode()
    boxes = re.findall(r'<input type="checkbox" name="categories" value="(\d+)"', html)
    assert sorted(boxes) == sorted(str(category.pk) for category in categories)
    assert '<select name="categories"' not in html
    assert "Rastita jokainen kategoria, johon essee kuuluu." in html


def test_two_ticked_categories_are_both_saved(people, categories):
    data = essay_form_data("Kaksi kategoriaa", "kaksi-kategoriaa", [people.aino])
    data["categories"] = [str(category.pk) for category in categories]
    signed_in(people.aino.user).post(add_url(people), data)
    essay = EssayPage.objects.get(title="Kaksi kategoriaa")
    assert set(essay.get_latest_revision_as_object().categories.all()) == set(categories)
