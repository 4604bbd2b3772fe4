"""What editors and imports write into a source is text on every page that formats it."""

import pytest
from django.urls import reverse
from wagtail.models import Site

from citations.formatting import STYLES
from citations.models import CitationSettings, Source
from tests.factories import EssayPageFactory

PAYLOAD = "<img src=x onerror=alert(1)>"


@pytest.fixture
def hostile_source(db):
    return Source.objects.create(
        kind=Source.Kind.WEBPAGE,
        title=f"Otsikko{PAYLOAD}",
        authors=f"Hyökkääjä{PAYLOAD}, Aino",
        publisher=f"Pub\"'>{PAYLOAD}",
        publisher_place=f"Helsinki{PAYLOAD}",
        url=f'https://example.fi/"{PAYLOAD}',
        year=2020,
    )


def use_style(style):
    settings = CitationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.citation_style = style
    settings.save()


@pytest.mark.parametrize("style", sorted(STYLES))
def test_source_page_shows_hostile_fields_as_text(client, site_tree, hostile_source, style):
    use_style(style)
    html = client.get(reverse("citations:source", args=[hostile_source.pk])).content.decode()
    assert PAYLOAD not in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html


@pytest.mark.parametrize("style", sorted(STYLES))
def test_essay_citing_a_hostile_source_shows_it_as_text(client, site_tree, hostile_source, style):
    use_style(style)
    link = f'<a linktype="citation" id="{hostile_source.pk}" pages="11" form="parenthetical">x</a>'
    essay = EssayPageFactory(title="Viittaava", body=[("paragraph", f"<p>Näin {link}.</p>")])
    html = client.get(essay.url).content.decode()
    assert PAYLOAD not in html
    assert "Hyökkääjä&lt;img src=x onerror=alert(1)&gt;" in html


def test_a_styles_own_angle_brackets_are_text(client, site_tree, db):
    use_style("metropolia")
    source = Source.objects.create(
        kind=Source.Kind.WEBPAGE, title="Verkkosivu", authors="Sivu, Aino", url="https://example.fi/a", year=2021
    )
    html = client.get(reverse("citations:source", args=[source.pk])).content.decode()
    assert "&lt;https://example.fi/a&gt;" in html
