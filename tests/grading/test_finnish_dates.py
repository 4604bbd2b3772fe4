"""Dates read d.m.yyyy and times "klo 10.12" wherever a user sees them: lists, reports, the status
panel, messages, and the essay form's date field, which also takes what it shows."""

import datetime
import json
import re

import pytest
from bs4 import BeautifulSoup
from django.contrib.messages import get_messages
from wagtail.users.models import UserProfile

from essays.models import EssayPage
from tests.grading.helpers import essay_form_data, in_progress_state, signed_in, workflow_action_url

pytestmark = pytest.mark.usefixtures("without_index_updates")
DATE_TIME = re.compile(r"\b\d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}\b")


def text_of(response):
    return " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())


def test_the_rule_sets_list_gives_effective_dates_as_d_m_yyyy(people, rule_sets):
    text = text_of(signed_in(people.editor).get("/admin/snippets/grading/ruleset/"))
    assert "1.8.2024" in text
    assert "elokuuta" not in text


def test_the_essay_form_shows_the_date_written_in_finnish_order(people, submitted_essay):
    page = BeautifulSoup(
        signed_in(people.aino.user).get(f"/admin/pages/{submitted_essay.pk}/edit/").content, "html.parser"
    )
    assert page.find("input", attrs={"name": "written"})["value"] == "26.5.2018"


def test_the_essay_forms_calendar_writes_dates_without_leading_zeros(people, submitted_essay):
    html = signed_in(people.aino.user).get(f"/admin/pages/{submitted_essay.pk}/edit/").content.decode()
    [config] = re.findall(r'initDateChooser\("id_written", (\{.*?\})\);', html)
    assert json.loads(config)["format"] == "j.n.Y"


def test_a_date_typed_d_m_yyyy_is_saved(people):
    url = f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"
    data = essay_form_data("Kosketuspisteet", "kosketuspisteet", [people.aino], written="5.12.2026")
    signed_in(people.aino.user).post(url, data)
    assert EssayPage.objects.get(slug="kosketuspisteet").written == datetime.date(2026, 12, 5)


def test_an_english_admin_user_can_save_the_date_the_field_shows(people):
    profile = UserProfile.get_for_user(people.aino.user)
    profile.preferred_language = "en"
    profile.save()
    url = f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"
    data = essay_form_data("Kosketuspisteet", "kosketuspisteet", [people.aino], written="5.12.2026")
    signed_in(people.aino.user).post(url, data)
    assert EssayPage.objects.get(slug="kosketuspisteet").written == datetime.date(2026, 12, 5)


def test_wagtails_time_tag_is_left_as_wagtail_ships_it():
    """The status panel's times come from a tag of our own, not from one put in Wagtail's library."""
    from wagtail.admin.templatetags import wagtailadmin_tags

    tag = wagtailadmin_tags.register.tags["timesince_last_update"]
    assert tag.__wrapped__ is wagtailadmin_tags.timesince_last_update


def test_the_site_history_gives_times_with_klo(people, submitted_essay):
    html = signed_in(people.editor).get("/admin/reports/site-history/").content.decode()
    tooltips = [
        element["data-w-tooltip-content-value"]
        for element in BeautifulSoup(html, "html.parser").select("[data-w-tooltip-content-value]")
    ]
    assert any(DATE_TIME.fullmatch(tooltip) for tooltip in tooltips), tooltips
    assert "kello" not in html


def test_the_status_panel_writes_todays_time_with_a_dot(people, submitted_essay):
    text = text_of(signed_in(people.aino.user).get(f"/admin/pages/{submitted_essay.pk}/edit/"))
    assert re.search(r"\b\d{1,2}\.\d{2}, Aino\b", text)
    assert not re.search(r"\b\d{2}:\d{2}\b", text)


def test_a_late_dialog_says_when_the_essay_was_decided_with_klo(people, submitted_essay):
    url = workflow_action_url(submitted_essay, "approve", in_progress_state(submitted_essay))
    signed_in(people.editor).post(url, {"points": "2", "comment": "Hyvä."})
    response = signed_in(people.marjut.user).get(url, HTTP_X_REQUESTED_WITH="XMLHttpRequest")
    assert json.loads(response.content)["step"] == "success"
    [message] = [str(message) for message in get_messages(response.wsgi_request)]
    assert DATE_TIME.search(message), message
