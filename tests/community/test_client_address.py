"""Behind a reverse proxy (DJANGO_PROXY_COUNT) the sign-in lockout and the comment limits count each
reader by the address the proxy appended to X-Forwarded-For, not by the proxy's own address; without
a proxy, or past the proxies, an address a client writes there itself is ignored."""

import pytest
from django.test import Client, override_settings

from community.models import Comment
from community.spam import address_hash
from tests.community.conftest import comment_data
from tests.factories import UserFactory

PASSWORD = "oikea-salasana-123"
PROXY = "127.0.0.1"


def sign_in(client, username, password, forwarded_for):
    return client.post(
        "/admin/login/",
        {"username": username, "password": password},
        REMOTE_ADDR=PROXY,
        HTTP_X_FORWARDED_FOR=forwarded_for,
    )


def stored_address(client, page, forwarded_for):
    """The address hash the comment posted with this X-Forwarded-For was stored with."""
    client.post(f"/kommentit/{page.pk}/", comment_data(page), REMOTE_ADDR=PROXY, HTTP_X_FORWARDED_FOR=forwarded_for)
    return Comment.objects.get().ip_hash


def hash_of(address):
    return address_hash(type("Request", (), {"META": {"REMOTE_ADDR": address}})())


@pytest.fixture
def account(db):
    return UserFactory(username="aino", is_superuser=True, password=PASSWORD)


@pytest.fixture
def member(people):
    client = Client()
    client.force_login(people.member)
    return client


@override_settings(AXES_ENABLED=True, PROXY_COUNT=1)
def test_wrong_passwords_behind_the_proxy_lock_out_that_reader_only(account):
    guesser = Client()
    for number in range(5):
        sign_in(guesser, f"arvattu{number}", "arvaus", "203.0.113.9")
    assert sign_in(guesser, "aino", PASSWORD, "203.0.113.9").status_code == 429
    assert sign_in(Client(), "aino", PASSWORD, "198.51.100.4").status_code == 302


@override_settings(PROXY_COUNT=1)
def test_comment_behind_the_proxy_is_counted_by_the_address_the_proxy_appended(essay, member):
    assert stored_address(member, essay, "6.6.6.6, 198.51.100.4") == hash_of("198.51.100.4")


@override_settings(PROXY_COUNT=2)
def test_with_two_proxies_the_address_the_outer_one_appended_counts(essay, member):
    assert stored_address(member, essay, "6.6.6.6, 198.51.100.4, 10.0.0.2") == hash_of("198.51.100.4")


def test_without_a_proxy_a_forwarded_address_is_ignored(essay, member):
    assert stored_address(member, essay, "198.51.100.4") == hash_of(PROXY)


@override_settings(PROXY_COUNT=1)
def test_a_forwarded_value_that_is_no_address_keeps_the_proxys(essay, member):
    assert stored_address(member, essay, "<script>") == hash_of(PROXY)
