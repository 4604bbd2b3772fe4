"""Each spam check on its own: what it refuses, and that an ordinary comment passes."""

import datetime
import hashlib

import pytest
from django.test import Client
from django.utils import timezone

from community.models import Comment
from community.spam import MAX_LINKS, RATE_LIMITS, WORK_PREFIX, FormToken, address_hash, forget_addresses
from tests.community.conftest import comment_data, form_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]


@pytest.fixture
def anonymous(community_settings):
    community_settings.anonymous_comments = True
    community_settings.save()
    return Client(REMOTE_ADDR="192.0.2.10")


def post(client, page, **data):
    return client.post(f"/kommentit/{page.pk}/", comment_data(page, **data))


def test_ordinary_anonymous_comment_passes(essay, anonymous):
    assert post(anonymous, essay, name="Vieras").status_code == 302
    assert Comment.objects.count() == 1


def test_honeypot_filled_is_refused(essay, anonymous):
    response = post(anonymous, essay, name="Botti", kotisivu="https://example.org")
    assert response.status_code == 400
    assert "Kommenttia ei voitu tallentaa." in response.content.decode()
    assert not Comment.objects.exists()


def test_form_sent_too_soon_is_refused(essay, anonymous):
    response = post(anonymous, essay, name="Nopea", tarkiste=form_token(essay, seconds_ago=1))
    assert "Lomake lähetettiin liian nopeasti." in response.content.decode()
    assert not Comment.objects.exists()


def test_form_older_than_half_a_day_is_refused(essay, anonymous):
    response = post(anonymous, essay, name="Hidas", tarkiste=form_token(essay, seconds_ago=13 * 3600))
    assert "Lomake on vanhentunut." in response.content.decode()
    assert not Comment.objects.exists()


def test_token_of_another_page_is_refused(essay, anonymous, site_tree):
    response = post(anonymous, essay, name="Vieras", tarkiste=form_token(site_tree.essay_index))
    assert "Lomake ei kelpaa." in response.content.decode()
    assert not Comment.objects.exists()


def test_forged_token_is_refused(essay, anonymous):
    forged = form_token(essay).rsplit(":", 1)[0] + ":vaarennetty"
    response = post(anonymous, essay, name="Vieras", tarkiste=forged)
    assert "Lomake ei kelpaa." in response.content.decode()


def test_wrong_answer_without_proof_of_work_is_refused(essay, anonymous):
    response = post(anonymous, essay, name="Vieras", vastaus="Tukholma")
    assert "Vastaa tarkistuskysymykseen" in response.content.decode()
    assert not Comment.objects.exists()


def test_proof_of_work_stands_for_the_answer(essay, anonymous):
    token = form_token(essay)
    counter = next(
        n for n in range(10**7) if hashlib.sha256(f"{token}:{n}".encode()).hexdigest().startswith(WORK_PREFIX)
    )
    response = post(anonymous, essay, name="Vieras", tarkiste=token, vastaus="", laskenta=str(counter))
    assert response.status_code == 302


def test_wrong_proof_of_work_is_refused(essay, anonymous):
    token = form_token(essay)
    wrong = next(n for n in range(100) if not FormToken.read(token, essay.pk).work_done(str(n)))
    response = post(anonymous, essay, name="Vieras", tarkiste=token, vastaus="", laskenta=str(wrong))
    assert "Vastaa tarkistuskysymykseen" in response.content.decode()


def test_members_need_no_answer(essay, people, client_for):
    response = post(client_for(people.member), essay, vastaus="")
    assert response.status_code == 302


def test_too_many_links_is_refused(essay, people, client_for):
    links = " ".join(f"https://example.org/{number}" for number in range(MAX_LINKS + 1))
    response = post(client_for(people.member), essay, text=f"Katso nämä: {links}")
    assert f"Kommentissa saa olla enintään {MAX_LINKS} linkkiä." in response.content.decode()


def test_links_up_to_the_limit_pass(essay, people, client_for):
    links = " ".join(f"https://example.org/{number}" for number in range(MAX_LINKS))
    assert post(client_for(people.member), essay, text=f"Katso nämä: {links}").status_code == 302


def test_same_text_twice_is_refused(essay, people, client_for):
    client = client_for(people.member)
    post(client, essay, text="Samaa mieltä!")
    response = post(client, essay, text="  samaa   MIELTÄ! ")
    assert "Olet jo lähettänyt saman kommentin." in response.content.decode()
    assert Comment.objects.count() == 1


def test_account_rate_limit(essay, people, client_for):
    window, most = RATE_LIMITS[0]
    client = client_for(people.member)
    for number in range(most):
        assert post(client, essay, text=f"Kommentti numero {number}").status_code == 302
    response = post(client, essay, text="Vielä yksi")
    assert "Olet kommentoinut paljon lyhyessä ajassa." in response.content.decode()
    assert Comment.objects.count() == most


def test_address_rate_limit_for_anonymous_visitors(essay, anonymous):
    window, most = RATE_LIMITS[0]
    for number in range(most):
        assert post(anonymous, essay, name="Vieras", text=f"Kommentti numero {number}").status_code == 302
    other_browser_same_address = Client(REMOTE_ADDR="192.0.2.10")
    response = post(other_browser_same_address, essay, name="Toinen", text="Vielä yksi")
    assert "Olet kommentoinut paljon lyhyessä ajassa." in response.content.decode()


def test_address_is_stored_only_as_a_keyed_hash(essay, anonymous):
    post(anonymous, essay, name="Vieras")
    comment = Comment.objects.get()
    assert "192.0.2.10" not in str(Comment.objects.values().get())
    assert comment.ip_hash == address_hash(type("Request", (), {"META": {"REMOTE_ADDR": "192.0.2.10"}})())
    assert comment.ip_hash != hashlib.sha256(b"192.0.2.10").hexdigest()


def test_addresses_are_forgotten_after_30_days(essay):
    old = Comment.objects.create(
        page=essay,
        author_name="A",
        text="x",
        ip_hash="a" * 64,
        ip_hashed_at=timezone.now() - datetime.timedelta(days=31),
    )
    recent = Comment.objects.create(
        page=essay,
        author_name="B",
        text="y",
        ip_hash="b" * 64,
        ip_hashed_at=timezone.now() - datetime.timedelta(days=29),
    )
    assert forget_addresses() == 1
    old.refresh_from_db()
    recent.refresh_from_db()
    assert (old.ip_hash, old.ip_hashed_at, recent.ip_hash) == ("", None, "b" * 64)
