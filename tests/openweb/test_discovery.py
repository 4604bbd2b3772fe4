"""sitemap.xml, robots.txt and the favicon."""

import xml.etree.ElementTree as ET

import pytest
from wagtail.models import Page

from citations.models import Source
from essays.models import Book, Person, Team
from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.django_db

SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
ROOT = "http://localhost"


def sitemap_urls(client):
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    return {loc.text for loc in ET.fromstring(response.content).iter(f"{SITEMAP}loc")}


def readable_by_anyone(client, url):
    """Whether an anonymous reader gets the page itself (not a login redirect, a password form or a 404)."""
    response = client.get(url.removeprefix(ROOT))
    used = {template.name for template in response.templates}
    return response.status_code == 200 and "wagtailcore/password_required.html" not in used


def test_sitemap_lists_exactly_the_pages_anyone_may_read(client, hidden_essays):
    hidden_essays(books=[BookFactory(title="Kirja")])
    EssayPageFactory(title="Julkinen", authors=[PersonFactory(team=TeamFactory())])
    ConceptPageFactory(title="asiakaskokemus")
    candidates = {page.get_full_url() for page in Page.objects.filter(depth__gt=1).specific()}
    candidates |= {ROOT + obj.get_absolute_url() for model in (Book, Person, Team) for obj in model.objects.all()}
    candidates |= {f"{ROOT}/lahteet/{pk}/" for pk in Source.objects.values_list("pk", flat=True)}
    candidates |= {f"{ROOT}/kirjat/", f"{ROOT}/tiimit/", f"{ROOT}/lahteet/"}
    expected = {url for url in candidates if readable_by_anyone(client, url)}
    assert len(expected) < len(candidates)  # the hidden essays are candidates anyone may not read
    assert sitemap_urls(client) == expected


def test_sitemap_is_the_same_for_an_editor(client, hidden_essays, django_user_model):
    hidden_essays()
    anonymous = sitemap_urls(client)
    client.force_login(django_user_model.objects.create_superuser("toimittaja2", "t@example.org", "x"))
    assert sitemap_urls(client) == anonymous


def test_robots_txt_points_to_the_sitemap_and_keeps_crawlers_out_of_the_admin(client, site_tree):
    response = client.get("/robots.txt")
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    lines = response.content.decode().splitlines()
    assert "Disallow: /admin/" in lines
    assert f"Sitemap: {ROOT}/sitemap.xml" in lines


def test_favicon_ico_is_served_at_the_root(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert b"".join(response.streaming_content)[:4] == b"\x00\x00\x01\x00"


def test_pages_name_the_svg_favicon(client, site_tree):
    html = client.get("/").content.decode()
    assert 'rel="icon" href="/static/favicon.svg" type="image/svg+xml"' in html
