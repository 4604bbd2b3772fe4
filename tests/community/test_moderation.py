"""Moderation in the admin by the coach of an author's team or an editor, and the authors' notices."""

import pytest
from bs4 import BeautifulSoup
from django.core import mail
from django.test import Client, override_settings

from community.models import Comment, CommentEdit
from tests.community.conftest import comment_data
from tests.factories import EssayPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]


@pytest.fixture
def waiting(essay):
    return Comment.objects.create(page=essay, author_name="Vieras", text="Odottava kommentti", status="pending")


def moderate(client, comment, action):
    return client.post(f"/admin/kommentit/{comment.pk}/{action}/")


def test_coach_of_the_authors_team_approves(waiting, people, client_for):
    response = moderate(client_for(people.coach), waiting, "hyvaksy")
    waiting.refresh_from_db()
    assert response.status_code == 302
    assert (waiting.status, waiting.moderated_by) == ("approved", people.coach)


def test_editor_marks_as_spam(waiting, people, client_for):
    moderate(client_for(people.editor), waiting, "roskaa")
    waiting.refresh_from_db()
    assert waiting.status == "spam"


def test_coach_of_another_team_cannot_moderate(waiting, people, client_for):
    response = moderate(client_for(people.other_coach), waiting, "hyvaksy")
    waiting.refresh_from_db()
    assert response.status_code == 404
    assert waiting.status == "pending"


def test_author_cannot_moderate_comments_on_their_essay(waiting, people, client_for):
    response = moderate(client_for(people.author), waiting, "hyvaksy")
    waiting.refresh_from_db()
    assert response.status_code == 404
    assert waiting.status == "pending"


def test_queue_lists_only_the_coachs_own_teams_comments(waiting, people, client_for):
    assert "Odottava kommentti" in client_for(people.coach).get("/admin/kommentit/").content.decode()
    assert "Odottava kommentti" not in client_for(people.other_coach).get("/admin/kommentit/").content.decode()


def test_queue_is_closed_to_students(waiting, people, client_for):
    response = client_for(people.member).get("/admin/kommentit/")
    assert (response.status_code, response["Location"]) == (302, "/admin/")


def test_dashboard_counts_the_waiting_comments(waiting, people, client_for):
    html = client_for(people.coach).get("/admin/").content.decode()
    assert "1 kommentti odottaa hyväksyntää." in html


def test_edit_keeps_the_previous_text_as_a_trace(waiting, people, client_for):
    client_for(people.coach).post(
        f"/admin/kommentit/{waiting.pk}/muokkaa/", {"text": "Siistitty kommentti", "reason": "Kirjoitusvirhe"}
    )
    waiting.refresh_from_db()
    trace = CommentEdit.objects.get()
    assert waiting.text == "Siistitty kommentti"
    assert (trace.previous_text, trace.reason, trace.edited_by) == (
        "Odottava kommentti",
        "Kirjoitusvirhe",
        people.coach,
    )


def test_edit_refuses_markup(waiting, people, client_for):
    response = client_for(people.coach).post(
        f"/admin/kommentit/{waiting.pk}/muokkaa/", {"text": "<script>alert(1)</script>", "reason": ""}
    )
    waiting.refresh_from_db()
    assert response.status_code == 200
    assert waiting.text == "Odottava kommentti"
    assert not CommentEdit.objects.exists()


def test_approval_emails_the_author_in_finnish(waiting, people, client_for):
    moderate(client_for(people.coach), waiting, "hyvaksy")
    assert [message.to for message in mail.outbox] == [["aino@example.org"]]
    assert mail.outbox[0].subject == "Uusi kommentti esseeseesi ”Asiakaskokemus arjessa”"
    assert "Odottava kommentti" in mail.outbox[0].body


def test_each_coauthor_gets_a_notice_of_their_own(people, client_for):
    people.member.email = "eetu@example.org"
    people.member.save()
    essay = EssayPageFactory(title="Yhteinen essee", authors=[people.author_person, people.member_person])
    comment = Comment.objects.create(page=essay, author_name="Vieras", text="Hyvä pari", status="pending")
    moderate(client_for(people.coach), comment, "hyvaksy")
    assert sorted(message.to for message in mail.outbox) == [["aino@example.org"], ["eetu@example.org"]]


@override_settings(WAGTAILADMIN_BASE_URL="http://127.0.0.1:8000")
def test_the_approval_emails_link_carries_the_requests_host_and_port(waiting, people, client_for):
    client = client_for(people.coach)
    client.post(f"/admin/kommentit/{waiting.pk}/hyvaksy/", HTTP_HOST="localhost:8077")
    assert f"http://localhost:8077{waiting.page.url}#kommentti-{waiting.pk}" in mail.outbox[0].body


def test_author_is_emailed_once_however_often_it_is_approved(waiting, people, client_for):
    client = client_for(people.coach)
    moderate(client, waiting, "hyvaksy")
    moderate(client, waiting, "odottamaan")
    moderate(client, waiting, "hyvaksy")
    assert len(mail.outbox) == 1


def test_author_is_not_emailed_of_their_own_comment(essay, people, client_for):
    client_for(people.author).post(f"/kommentit/{essay.pk}/", comment_data(essay))
    assert Comment.objects.get().status == "approved"
    assert mail.outbox == []


def test_authors_dashboard_shows_new_comments(essay, people, client_for):
    client_for(people.member).post(f"/kommentit/{essay.pk}/", comment_data(essay, text="Kiinnostava näkökulma"))
    html = client_for(people.author).get("/admin/").content.decode()
    assert "Uudet kommentit esseisiisi" in html
    assert "Kiinnostava näkökulma" in html


def test_rejected_comment_is_not_shown(waiting, people, client_for):
    moderate(client_for(people.coach), waiting, "hylkaa")
    assert "Odottava kommentti" not in Client().get(waiting.page.url).content.decode()


def header_trail(response):
    """The sticky header's breadcrumb labels; the last is the heading shown."""
    header = BeautifulSoup(response.content.decode(), "html.parser").select_one("header.w-slim-header")
    return [" ".join(item.get_text().split()) for item in header.select("nav ol > li")]


def test_the_queue_is_headed_comments_not_home(waiting, people, client_for):
    assert header_trail(client_for(people.coach).get("/admin/kommentit/")) == ["Koti", "Kommentit"]


def test_editing_a_comment_is_headed_under_the_comments(waiting, people, client_for):
    trail = header_trail(client_for(people.coach).get(f"/admin/kommentit/{waiting.pk}/muokkaa/"))
    assert trail == ["Koti", "Kommentit", "Muokkaa kommenttia"]
