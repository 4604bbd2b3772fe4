"""The site under its production settings: pages render once collectstatic has run, malformed
requests are a Finnish 400 page or a JSON 400 from the API, error pages are Finnish in the site's
layout (the 500 page without a database), and the security headers are sent."""

import importlib
import os
import sys
from unittest import mock

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client, RequestFactory, override_settings
from django.views import defaults

from essaybank import errors
from tests.factories import EssayPageFactory

PRODUCTION_ENVIRONMENT = {
    "DJANGO_SECRET_KEY": "production-settings-under-test-0123456789abcdefghijklmnop",
    "DJANGO_ALLOWED_HOSTS": "testserver",
}
# The test database stays; everything else is as production sets it.
KEPT_FROM_TESTS = {"DATABASES"}


def production_values():
    """The settings of essaybank.settings.production, imported with the production environment."""
    base = importlib.import_module("essaybank.settings.base")
    try:
        with mock.patch.dict(os.environ, PRODUCTION_ENVIRONMENT):
            importlib.reload(base)
            sys.modules.pop("essaybank.settings.production", None)
            production = importlib.import_module("essaybank.settings.production")
    finally:
        importlib.reload(base)
    return {name: getattr(production, name) for name in dir(production) if name.isupper()}


@pytest.fixture(scope="module")
def production_settings(tmp_path_factory):
    """Production settings with their static files collected, as `make static` does."""
    # Only what differs: overriding INSTALLED_APPS, even unchanged, would make every app ready again.
    values = {
        name: value
        for name, value in production_values().items()
        if name not in KEPT_FROM_TESTS and getattr(settings, name, None) != value
    }
    values["STATIC_ROOT"] = tmp_path_factory.mktemp("staticfiles")
    with override_settings(**values):
        call_command("collectstatic", interactive=False, verbosity=0)
        yield values


@pytest.fixture
def production(production_settings, site_tree):
    with override_settings(**production_settings):
        yield Client(raise_request_exception=False)


def get(client, path):
    return client.get(path, secure=True)


def test_pages_render_with_hashed_static_files(production):
    EssayPageFactory(title="Asiakaskokemus arjessa")
    response = get(production, "/esseet/")
    assert response.status_code == 200
    assert "Asiakaskokemus arjessa" in response.content.decode()
    assert "/static/css/site." in response.content.decode()
    assert 'href="/static/css/site.css"' not in response.content.decode()


def test_plain_http_is_sent_to_https(production):
    response = production.get("/esseet/")
    assert response.status_code == 301
    assert response["Location"] == "https://testserver/esseet/"


@pytest.mark.parametrize(
    "path",
    [
        "/esseet/?vuosi=0000",
        "/esseet/?vuosi=²⁰²⁴",
        "/haku/?q=asiakas&vuosi=٢٠٢٤",
        "/haku/?q=asiakas&sivu=0",
        "/haku/?q=%00",
    ],
)
def test_malformed_page_requests_are_a_finnish_400_page_in_the_site_layout(production, path):
    response = get(production, path)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    assert "Osoitetta ei voitu lukea" in html
    assert 'id="site-search"' in html
    assert "/static/css/site." in html


@pytest.mark.parametrize(
    "path",
    [
        "/api/search/?q=asiakas&vuosi=0000",
        "/api/search/?q=asiakas&vuosi=²⁰²⁴",
        "/api/search/?q=asiakas&sivu=-1",
        "/api/search/?q=%00",
        "/api/search/autocomplete/?q=" + "x" * 1000,
        "/api/search/?" + "&".join(f"kentta{number}=1" for number in range(10_001)),
    ],
)
def test_malformed_api_requests_are_a_json_400(production, path):
    response = get(production, path)
    assert response.status_code == 400
    assert response["Content-Type"] == "application/json"
    assert response.json()["error"]


def test_an_unknown_api_address_is_a_json_404(production):
    response = get(production, "/api/olematon/")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"


def test_a_missing_page_is_a_finnish_404_page_in_the_site_layout(production):
    response = get(production, "/ei-tallaista-sivua/")
    assert response.status_code == 404
    html = response.content.decode()
    assert "Sivua ei löytynyt" in html
    assert 'id="site-search"' in html


def test_no_access_is_a_finnish_403_page_in_the_site_layout(production_settings, site_tree):
    from django.core.exceptions import PermissionDenied

    with override_settings(**production_settings):
        request = RequestFactory().get("/esseet/", secure=True)
        response = defaults.permission_denied(request, PermissionDenied())
    html = response.content.decode()
    assert response.status_code == 403
    assert "Ei pääsyä" in html
    assert 'id="site-search"' in html


def test_a_form_sent_without_its_token_is_a_finnish_403_page(production_settings, site_tree):
    with override_settings(**production_settings):
        client = Client(enforce_csrf_checks=True)
        response = client.post("/admin/login/", {"username": "a", "password": "b"}, secure=True)
    assert response.status_code == 403
    assert "Lomake on vanhentunut" in response.content.decode()


def test_a_server_error_page_is_finnish_and_needs_no_database(production_settings):
    """Without the django_db mark any query fails the test, as it would with the database down."""
    with override_settings(**production_settings):
        response = errors.server_error(RequestFactory().get("/esseet/", secure=True))
    html = response.content.decode()
    assert response.status_code == 500
    assert "Jokin meni vikaan" in html
    assert 'name="q"' in html


def test_a_page_that_fails_for_want_of_a_database_answers_the_server_error_page(production_settings):
    with override_settings(**production_settings):
        response = Client(raise_request_exception=False).get("/esseet/", secure=True)
    assert response.status_code == 500
    assert "Jokin meni vikaan" in response.content.decode()


def test_production_answers_carry_the_security_headers(production):
    response = get(production, "/")
    assert response["Strict-Transport-Security"] == "max-age=31536000; includeSubDomains; preload"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"
    policy = response["Content-Security-Policy"]
    assert "script-src 'self'" in policy
    assert "object-src 'none'" in policy
    assert "frame-ancestors 'self'" in policy


def test_production_runs_without_debug_and_with_secure_cookies(production_settings):
    with override_settings(**production_settings):
        assert settings.DEBUG is False
        assert settings.SESSION_COOKIE_SECURE is True
        assert settings.CSRF_COOKIE_SECURE is True


def test_an_editor_form_posted_without_its_script_written_inputs_is_a_finnish_400(admin_client, site_tree):
    essay = EssayPageFactory(parent=site_tree.essay_index, title="Lomakkeen kohde")
    response = admin_client.post(
        f"/admin/pages/{essay.pk}/edit/", {"title": "Uusi otsikko", "slug": essay.slug}, secure=True
    )
    assert response.status_code == 400
    assert "Lomaketta ei voitu lukea" in response.content.decode()
    essay.refresh_from_db()
    assert essay.title == "Lomakkeen kohde"
