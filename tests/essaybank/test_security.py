"""Answers carry a Content-Security-Policy, guessing passwords locks the guesser out, and uploads are
served only when a setting says so."""

import pytest
from django.test import override_settings

from tests.factories import UserFactory

PASSWORD = "Oikea-salasana-2026"


@pytest.mark.parametrize("path", ["/", "/haku/?q=asiakas", "/esseet/"])
def test_public_pages_allow_scripts_only_from_the_site(client, site_tree, path):
    policy = client.get(path)["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    assert directives["script-src"].split()[0] == "'self'"
    assert "'unsafe-inline'" not in directives["script-src"]
    assert "'unsafe-eval'" not in directives["script-src"]
    assert directives["object-src"] == "'none'"


def test_public_pages_never_allow_inline_scripts_even_for_editors(admin_client, site_tree):
    policy = admin_client.get("/")["Content-Security-Policy"]
    assert "'unsafe-inline'" not in policy.split("script-src", 1)[1].split(";", 1)[0]


@pytest.fixture
def account(db):
    return UserFactory(username="aino", is_superuser=True, password=PASSWORD)


def sign_in(client, username, password, address="10.0.0.1"):
    return client.post(
        "/admin/login/", {"username": username, "password": password}, REMOTE_ADDR=address, follow=False
    )


@override_settings(AXES_ENABLED=True)
def test_five_wrong_passwords_lock_the_account(client, account):
    for _ in range(5):
        sign_in(client, "aino", "arvaus")
    response = sign_in(client, "aino", PASSWORD, address="10.0.0.2")
    assert response.status_code == 429
    assert "Liian monta kirjautumisyritystä" in response.content.decode()
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_wrong_passwords_for_many_accounts_lock_the_address(client, account):
    for number in range(5):
        sign_in(client, f"arvattu{number}", "arvaus")
    assert sign_in(client, "aino", PASSWORD).status_code == 429
    assert "_auth_user_id" not in client.session


@override_settings(AXES_ENABLED=True)
def test_a_few_wrong_passwords_do_not_lock_the_account(client, account):
    for _ in range(3):
        sign_in(client, "aino", "arvaus")
    response = sign_in(client, "aino", PASSWORD)
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(account.pk)


@pytest.mark.parametrize(("serve_media", "status"), [(True, 200), (False, 404)])
def test_uploaded_files_are_served_when_the_setting_says_so(
    client, site_tree, settings, tmp_path, serve_media, status
):
    import importlib

    from django.urls import clear_url_caches

    import essaybank.urls

    (tmp_path / "kuva.txt").write_text("sisältö")
    settings.MEDIA_ROOT = tmp_path
    settings.SERVE_MEDIA = serve_media
    try:
        importlib.reload(essaybank.urls)
        clear_url_caches()
        assert client.get("/media/kuva.txt").status_code == status
    finally:
        settings.SERVE_MEDIA = False
        importlib.reload(essaybank.urls)
        clear_url_caches()
