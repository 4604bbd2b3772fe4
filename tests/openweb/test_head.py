"""Meta description, canonical address and Open Graph tags on every page; the print stylesheet."""

from html.parser import HTMLParser

import pytest
from django.contrib.staticfiles import finders

from tests.factories import (
    BookFactory,
    BookSummaryPageFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    TeamFactory,
    paragraphs,
)

pytestmark = pytest.mark.django_db


class HeadTags(HTMLParser):
    def __init__(self):
        super().__init__()
        self.meta, self.links = {}, {}

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "meta" and ("name" in attrs or "property" in attrs):
            self.meta[attrs.get("name") or attrs["property"]] = attrs["content"]
        elif tag == "link":
            self.links.setdefault(attrs["rel"], attrs)


def head(client, url):
    response = client.get(url)
    assert response.status_code == 200
    parser = HeadTags()
    parser.feed(response.content.decode())
    return parser


def test_essay_is_described_by_its_first_lines_as_an_article(client, site_tree):
    essay = EssayPageFactory(title="Kohtaamiset", body=paragraphs("Asiakaskokemus syntyy kohtaamisissa. " * 20))
    tags = head(client, essay.url)
    assert tags.meta["description"].startswith("Asiakaskokemus syntyy kohtaamisissa. Asiakaskokemus")
    assert len(tags.meta["description"]) <= 200
    assert tags.meta["og:type"] == "article"
    assert tags.meta["og:title"] == "Kohtaamiset"
    assert tags.meta["article:published_time"] == "2018-05-26"


def test_canonical_address_is_absolute_from_the_sites_root_url(client, site_tree):
    essay = EssayPageFactory(title="Kohtaamiset")
    tags = head(client, essay.url + "?utm_source=x")
    assert tags.links["canonical"]["href"] == "http://localhost" + essay.url
    assert tags.meta["og:url"] == "http://localhost" + essay.url


def test_concept_is_described_by_its_definition(client, site_tree):
    concept = ConceptPageFactory(title="kosketuspiste", definition="Kohta, jossa asiakas kohtaa yrityksen.")
    assert head(client, concept.url).meta["description"] == "Kohta, jossa asiakas kohtaa yrityksen."


def test_book_is_described_by_its_details(client, site_tree):
    book = BookFactory(title="Palvelumuotoilu", author_names=["Katja Tuulaniemi"], publisher="Talentum", year=2011)
    tags = head(client, book.get_absolute_url())
    assert tags.meta["description"] == "Palvelumuotoilu. Katja Tuulaniemi, Talentum, 2011."
    assert tags.links["canonical"]["href"] == "http://localhost" + book.get_absolute_url()


def test_an_editors_search_description_wins(client, site_tree):
    essay = EssayPageFactory(search_description="Toimittajan kuvaus.")
    assert head(client, essay.url).meta["description"] == "Toimittajan kuvaus."


def test_description_is_escaped(client, site_tree):
    # As the editor stores it: the rich text's own characters as entities.
    essay = EssayPageFactory(body=paragraphs("Lainaus &quot;&lt;script&gt;&quot; &amp; tässä."))
    html = client.get(essay.url).content.decode()
    assert '<meta name="description" content="Lainaus &quot;&lt;script&gt;&quot; &amp; tässä.">' in html


@pytest.mark.parametrize(
    "url",
    ["/", "/esseet/", "/tiivistelmat/", "/kasitteet/", "/kirjat/", "/tiimit/", "/lahteet/", "/haku/?q=tiimi"],
)
def test_every_listing_has_a_description_a_canonical_address_and_open_graph_tags(client, site_tree, url):
    tags = head(client, url)
    assert tags.meta["description"]
    assert tags.links["canonical"]["href"] == "http://localhost" + url.split("?")[0]
    assert {"og:title", "og:description", "og:url", "og:type", "og:site_name"} <= tags.meta.keys()


def test_person_team_and_summary_pages_have_descriptions(client, site_tree):
    team = TeamFactory(name="Pinkut")
    person = PersonFactory(name="Aino Virtanen", team=team)
    summary = BookSummaryPageFactory(body=paragraphs("Kirja kertoo johtamisesta."))
    assert head(client, person.get_absolute_url()).meta["description"] == "Aino Virtanen, Pinkut"
    assert head(client, team.get_absolute_url()).meta["description"] == "Pinkut"
    assert head(client, summary.url).meta["description"] == "Kirja kertoo johtamisesta."


def test_print_stylesheet_is_linked_for_print_only(client, site_tree):
    essay = EssayPageFactory()
    html = client.get(essay.url).content.decode()
    assert '<link rel="stylesheet" href="/static/css/print.css" media="print">' in html


def test_print_stylesheet_hides_the_sites_chrome_and_keeps_the_references():
    with open(finders.find("css/print.css"), encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    hidden = css.split("{ display: none")[0]
    for selector in (".site-header", ".site-footer", ".search-form", ".facets", "nav", ".related-essays"):
        assert selector in hidden
    assert ".essay-links > section:not(.bibliography)" in hidden
