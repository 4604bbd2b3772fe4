"""Comments: who may write them, where they are shown, replies, escaping and a writer's own removal."""

import pytest
from django.test import Client

from community.models import Comment
from tests.community.conftest import comment_data
from tests.factories import EssayPageFactory, UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]


def url(page):
    return f"/kommentit/{page.pk}/"


def test_member_comment_is_published_under_their_name(essay, people, client_for):
    response = client_for(people.member).post(url(essay), comment_data(essay))
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert (comment.author_name, comment.status, comment.user) == ("Eetu Mäkinen", "approved", people.member)
    assert "Hyvä ja selkeä essee" in client_for(people.member).get(essay.url).content.decode()


def test_anonymous_visitor_cannot_comment_unless_the_setting_allows(essay):
    response = Client().post(url(essay), comment_data(essay, name="Vieras"))
    assert response.status_code == 403
    assert not Comment.objects.exists()


def test_anonymous_comment_waits_for_approval(essay, community_settings):
    community_settings.anonymous_comments = True
    community_settings.save()
    response = Client().post(url(essay), comment_data(essay, name="Vieras"))
    comment = Comment.objects.get()
    assert response.status_code == 302
    assert (comment.author_name, comment.status, comment.user) == ("Vieras", "pending", None)
    assert "Hyvä ja selkeä essee" not in Client().get(essay.url).content.decode()


def test_anonymous_comment_needs_a_name(essay, community_settings):
    community_settings.anonymous_comments = True
    community_settings.save()
    response = Client().post(url(essay), comment_data(essay, name=""))
    assert response.status_code == 400
    assert "Kirjoita nimesi kommentin yhteyteen." in response.content.decode()
    assert not Comment.objects.exists()


def test_text_is_escaped_and_links_are_nofollow(essay, people, client_for):
    text = "Katso https://example.org/sivu?a=1&b=2 tästä.\n\nToinen kappale & <b>ei lihavoitu"
    Comment.objects.create(page=essay, author_name="A", text=text, status="approved")
    html = Client().get(essay.url).content.decode()
    assert '<a href="https://example.org/sivu?a=1&amp;b=2" rel="nofollow ugc">' in html
    assert "&lt;b&gt;ei lihavoitu" in html
    assert "<b>ei lihavoitu" not in html
    assert "<p>Toinen kappale" in html


def test_reply_to_a_reply_hangs_under_the_top_comment(essay, people, client_for):
    top = Comment.objects.create(page=essay, author_name="A", text="Kysymys", status="approved")
    reply = Comment.objects.create(page=essay, parent=top, author_name="B", text="Vastaus", status="approved")
    client_for(people.member).post(url(essay), comment_data(essay, text="Jatkokysymys", parent=reply.pk))
    assert Comment.objects.get(text="Jatkokysymys").parent == top


def test_reply_to_a_comment_of_another_page_is_refused(essay, people, client_for):
    other = EssayPageFactory()
    elsewhere = Comment.objects.create(page=other, author_name="A", text="Muualla", status="approved")
    response = client_for(people.member).post(url(essay), comment_data(essay, parent=elsewhere.pk))
    assert response.status_code == 400
    assert not Comment.objects.filter(page=essay).exists()


def test_writer_deletes_their_own_comment(essay, people, client_for):
    comment = Comment.objects.create(page=essay, user=people.member, author_name="Eetu", text="x", status="approved")
    response = client_for(people.member).post(f"/kommentit/poista/{comment.pk}/")
    assert response.status_code == 302
    assert not Comment.objects.exists()


def test_nobody_else_deletes_a_comment(essay, people, client_for):
    comment = Comment.objects.create(page=essay, user=people.member, author_name="Eetu", text="x", status="approved")
    response = client_for(people.author).post(f"/kommentit/poista/{comment.pk}/")
    assert response.status_code == 404
    assert Comment.objects.filter(pk=comment.pk).exists()


def test_deleted_comment_with_replies_keeps_the_replies_without_its_text(essay, people, client_for):
    comment = Comment.objects.create(
        page=essay, user=people.member, author_name="Eetu", text="Poistettava", status="approved"
    )
    Comment.objects.create(page=essay, parent=comment, author_name="B", text="Vastaus jää", status="approved")
    client_for(people.member).post(f"/kommentit/poista/{comment.pk}/")
    html = Client().get(essay.url).content.decode()
    assert "Vastaus jää" in html
    assert "Poistettava" not in html
    assert Comment.objects.get(pk=comment.pk).user is None


def test_member_comments_wait_when_the_setting_says_so(essay, people, client_for, community_settings):
    community_settings.moderate_member_comments = True
    community_settings.save()
    client_for(people.member).post(url(essay), comment_data(essay))
    assert Comment.objects.get().status == "pending"


def test_own_waiting_comment_is_shown_to_its_writer_only(essay, people, client_for):
    Comment.objects.create(page=essay, user=people.member, author_name="Eetu", text="Odottaa", status="pending")
    assert "Odottaa" in client_for(people.member).get(essay.url).content.decode()
    assert "Odottaa" not in client_for(UserFactory()).get(essay.url).content.decode()
