"""Grading e-mail: coaches hear of essays sent to them, authors of their points or of the changes asked
for, in Finnish, with links to the site's own address."""

import pytest
from django.test import override_settings

from essays.models import EssayType
from grading.models import GradingTask
from tests.factories import EssayPageFactory, UserFactory
from tests.grading.helpers import essay_form_data, in_progress_state, signed_in, submit
from tests.test_settings import run_python

pytestmark = pytest.mark.usefixtures("without_index_updates")

BASE_URL = "http://esseet.example.fi:8443"


@pytest.fixture
def sent(mailoutbox, django_capture_on_commit_callbacks):
    """Runs what a request commits, then gives the e-mails sent, by recipient."""

    def collect(action, *args, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            action(*args, **kwargs)
        return {message.to[0]: message for message in mailoutbox}

    return collect


def new_essay(authors):
    essay = EssayPageFactory(
        title="Kosketuspisteet", authors=authors, essay_type=EssayType.objects.get(code="individual")
    )
    essay.unpublish()
    return essay


def grade(essay, user, action, **kwargs):
    state = in_progress_state(essay)
    task = GradingTask.objects.get(pk=state.task_id)
    if action == "approve":
        task.approve(state, user, **kwargs)
    else:
        task.request_changes(state, user, **kwargs)


@override_settings(WAGTAILADMIN_BASE_URL=BASE_URL)
def test_the_coach_of_the_authors_team_gets_a_finnish_email_on_submission(people, sent):
    UserFactory(username="yllapito", is_superuser=True)
    mail = sent(submit, new_essay([people.aino]), people.aino.user)
    assert set(mail) == {people.marjut.user.email}
    message = mail[people.marjut.user.email]
    assert message.subject == "Essee odottaa arviointiasi: Kosketuspisteet"
    assert "Aino Virtanen lähetti esseen ”Kosketuspisteet” arvioitavaksesi." in message.body
    assert f"{BASE_URL}/admin/" in message.body


@override_settings(WAGTAILADMIN_BASE_URL=BASE_URL)
def test_the_coachs_email_links_to_the_grading_page_where_the_essay_is_read_and_graded(people, sent, client_for):
    essay = new_essay([people.aino])
    message = sent(submit, essay, people.aino.user)[people.marjut.user.email]
    link = f"{BASE_URL}/admin/points/grade/{in_progress_state(essay).pk}/"
    assert f"Lue ja arvioi: {link}" in message.body
    html = client_for(people.marjut.user).get(link.removeprefix(BASE_URL)).content.decode()
    assert "Pyydä muutoksia" in html and "Hyväksy ja anna pisteet" in html


def test_coauthors_from_two_teams_reach_both_coaches(people, sent):
    mail = sent(submit, new_essay([people.aino, people.iida]), people.aino.user)
    assert set(mail) == {people.marjut.user.email, people.timo.user.email}


def test_a_resubmitted_essay_is_announced_as_sent_again(people, sent, mailoutbox):
    essay = new_essay([people.aino])
    sent(submit, essay, people.aino.user)
    sent(grade, essay, people.marjut.user, "reject", comment="Lisää lähteet.")
    mailoutbox.clear()
    state = essay.current_workflow_state
    mail = sent(state.resume, people.aino.user)
    assert mail[people.marjut.user.email].subject == "Uudelleen arvioitavaksesi: Kosketuspisteet"


def test_authors_hear_of_their_points_and_feedback_on_approval(people, sent, mailoutbox):
    essay = new_essay([people.aino, people.eetu])
    sent(submit, essay, people.aino.user)
    mailoutbox.clear()
    mail = sent(grade, essay, people.marjut.user, "approve", points=2, comment="Selkeä rakenne.")
    assert set(mail) == {people.aino.user.email, people.eetu.user.email}
    body = mail[people.eetu.user.email].body
    assert mail[people.eetu.user.email].subject == "Esseesi hyväksyttiin: Kosketuspisteet"
    assert "Sait 2 esseepistettä." in body
    assert "Selkeä rakenne." in body


def test_authors_hear_their_essay_was_returned_for_changes_never_rejected(people, sent, mailoutbox):
    essay = new_essay([people.aino])
    sent(submit, essay, people.aino.user)
    mailoutbox.clear()
    mail = sent(grade, essay, people.marjut.user, "reject", comment="Lisää vähintään yksi kirjalähde.")
    message = mail[people.aino.user.email]
    assert message.subject == "Esseesi palautettiin korjattavaksi: Kosketuspisteet"
    assert "Lisää vähintään yksi kirjalähde." in message.body
    assert "palautti esseen ”Kosketuspisteet” korjattavaksi" in message.body
    assert "hylät" not in (message.subject + message.body).lower()


def test_the_dashboard_counts_the_essays_waiting_for_the_coach(people, client_for):
    submit(new_essay([people.aino]), people.aino.user)
    html = client_for(people.marjut.user).get("/admin/").content.decode()
    assert "1 essee odottaa arviointiasi" in html


def test_with_two_authors_the_coach_reads_who_sent_it_and_both_authors(people, sent):
    message = sent(submit, new_essay([people.aino, people.eetu]), people.eetu.user)[people.marjut.user.email]
    assert "Eetu Mäkinen lähetti esseen ”Kosketuspisteet” arvioitavaksesi." in message.body
    assert "Kirjoittajat: Aino Virtanen ja Eetu Mäkinen." in message.body
    assert "Aino Virtanen, Eetu Mäkinen" not in message.body


def test_a_resubmission_by_one_of_two_authors_names_who_sent_it(people, sent, mailoutbox):
    essay = new_essay([people.aino, people.eetu])
    sent(submit, essay, people.aino.user)
    sent(grade, essay, people.marjut.user, "reject", comment="Lisää lähteet.")
    mailoutbox.clear()
    message = sent(essay.current_workflow_state.resume, people.eetu.user)[people.marjut.user.email]
    assert "Eetu Mäkinen korjasi esseen ”Kosketuspisteet” ja lähetti sen uudelleen arvioitavaksesi." in message.body


def test_grading_email_comes_from_esseepankki_not_webmaster(people, sent):
    message = sent(submit, new_essay([people.aino]), people.aino.user)[people.marjut.user.email]
    assert message.from_email == "Esseepankki <esseepankki@localhost>"


def test_the_sender_address_is_read_from_the_environment():
    result = run_python(
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE'] = 'essaybank.settings.dev'; django.setup(); "
        "from django.conf import settings; print(settings.DEFAULT_FROM_EMAIL)",
        DJANGO_DEFAULT_FROM_EMAIL="Esseepankki <esseet@example.fi>",
    )
    assert result.stdout.strip() == "Esseepankki <esseet@example.fi>"


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_links_in_an_email_sent_while_answering_a_request_use_its_host_and_port(
    people, mailoutbox, django_capture_on_commit_callbacks
):
    client = signed_in(people.aino.user)
    url = f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"
    data = essay_form_data("Kosketuspisteet", "kosketuspisteet", [people.aino], **{"action-submit": "action-submit"})
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, data, HTTP_HOST="localhost:8077")
    body = next(message.body for message in mailoutbox if message.to == [people.marjut.user.email])
    assert "http://localhost:8077/admin/points/grade/" in body
    assert "127.0.0.1:8000" not in body


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_the_password_reset_link_uses_the_requests_host_and_port(people, client, mailoutbox):
    client.post("/admin/password_reset/", {"email": people.aino.user.email}, HTTP_HOST="localhost:8077")
    assert "http://localhost:8077/admin/password_reset/confirm/" in mailoutbox[0].body
    assert "127.0.0.1:8000" not in mailoutbox[0].body
