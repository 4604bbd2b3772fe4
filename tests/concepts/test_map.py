"""The concept map, the neighbourhood map, "what links here" and first-mention links."""

import itertools
import os
import re
import shutil

import graphviz
import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils.html import escape
from wagtail.models import Site

from concepts.concept_map import concept_map, neighbourhood_map
from concepts.models import ConceptPage, ConceptRelation, ConceptSettings
from tests.factories import (
    BookFactory,
    BookSummaryPageFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    paragraphs,
)


@pytest.fixture(autouse=True)
def graphviz_dot():
    """Graphviz lays the maps out; `make system` installs Debian's graphviz (in CI it must be there)."""
    if shutil.which("dot") is None:
        if os.environ.get("CI"):
            pytest.fail("Graphviz's dot is not installed (Debian: apt-get install graphviz)")
        pytest.skip("Graphviz's dot is not installed (Debian: apt-get install graphviz)")


def node_links(svg):
    return re.findall(r'<a href="([^"]+)" class="concept-node', svg)


def boxes(svg):
    """(x, y, width, height) of each concept's box."""
    return [
        tuple(float(value) for value in match)
        for match in re.findall(r'<rect x="([-\d.]+)" y="([-\d.]+)" width="([\d.]+)" height="([\d.]+)"', svg)
    ]


def overlap(first, second):
    (x1, y1, w1, h1), (x2, y2, w2, h2) = first, second
    return x1 < x2 + w2 and x2 < x1 + w1 and y1 < y2 + h2 and y2 < y1 + h1


def test_concept_index_draws_every_concept_as_a_link(client, concepts):
    html = client.get(concepts["dialogi"].get_parent().url).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert sorted(node_links(svg)) == sorted(concept.url for concept in concepts.values())


def test_concept_map_draws_each_link_once_with_its_kind(concepts):
    svg = concept_map(ConceptPage.objects.live())
    assert svg.count('class="link-broader"') == 3
    assert svg.count('class="link-related"') == 2


def test_concept_map_keeps_every_box_inside_the_picture(concepts):
    svg = concept_map(ConceptPage.objects.live())
    width, height = (float(value) for value in re.search(r'viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups())
    assert all(x >= 0 and y >= 0 and x + w <= width and y + h <= height for x, y, w, h in boxes(svg))


def test_no_two_boxes_of_the_concept_map_overlap(concepts):
    drawn = boxes(concept_map(ConceptPage.objects.live()))
    assert len(drawn) == len(concepts)
    assert not [pair for pair in itertools.combinations(drawn, 2) if overlap(*pair)]


def test_concept_map_is_drawn_one_unit_to_a_pixel_so_labels_keep_their_size(concepts):
    svg = concept_map(ConceptPage.objects.live())
    size = re.search(r'<svg[^>]* width="([\d.]+)" height="([\d.]+)" viewBox="0 0 ([\d.]+) ([\d.]+)"', svg).groups()
    assert size[:2] == size[2:]
    assert int(re.search(r'<svg[^>]* font-size="(\d+)"', svg).group(1)) >= 12


def test_concept_map_links_are_named_by_the_finnish_term_outside_any_image_role(concepts):
    svg = concept_map(ConceptPage.objects.live())
    assert 'role="img"' not in svg
    assert "customer experience" not in svg
    assert re.search(r'class="concept-node"[^>]*>.*?<text[^>]*>asiakaskokemus</text></a>', svg)


def test_concept_map_layout_is_reused_until_a_link_changes(concepts, monkeypatch):
    cache.clear()
    calls = []
    pipe = graphviz.Digraph.pipe
    monkeypatch.setattr(
        graphviz.Digraph, "pipe", lambda self, *args, **kwargs: calls.append(1) or pipe(self, *args, **kwargs)
    )
    concept_map(ConceptPage.objects.live())
    concept_map(ConceptPage.objects.live())
    assert len(calls) == 1
    segmentointi = concepts["segmentointi"]
    segmentointi.relations.add(ConceptRelation(kind=ConceptRelation.Kind.RELATED, target=concepts["asiakasymmärrys"]))
    segmentointi.save_revision().publish()
    concept_map(ConceptPage.objects.live())
    assert len(calls) == 2


@pytest.mark.parametrize("title", ['lainaus "x"', "kenoviiva \\", "<b>rohkea</b>", "rivi\\nvaihto"])
def test_concept_map_draws_any_title_as_text(site_tree, title):
    concept = ConceptPageFactory(title=title)
    svg = concept_map([concept, ConceptPageFactory(title="toinen")])
    assert f">{escape(title)}</text>" in svg


def test_concept_map_is_the_same_every_time(concepts):
    assert concept_map(ConceptPage.objects.live()) == concept_map(ConceptPage.objects.live())


def test_neighbourhood_shows_only_the_concept_and_its_direct_links(concepts):
    svg = neighbourhood_map(concepts["asiakaspolku"])
    assert sorted(node_links(svg)) == sorted(
        concepts[term].url for term in ("asiakaspolku", "palvelumuotoilu", "kosketuspiste")
    )


def test_neighbourhood_puts_the_broader_concept_above_and_the_narrower_below(concepts):
    svg = neighbourhood_map(concepts["asiakaspolku"])

    def top(term):
        match = re.search(rf'href="{re.escape(concepts[term].url)}"[^>]*>.*?<rect x="[-\d.]+" y="([-\d.]+)"', svg)
        return float(match.group(1))

    assert top("palvelumuotoilu") < top("asiakaspolku") < top("kosketuspiste")


def test_neighbourhood_boxes_do_not_overlap(concepts):
    drawn = boxes(neighbourhood_map(concepts["asiakaspolku"]))
    assert not [pair for pair in itertools.combinations(drawn, 2) if overlap(*pair)]


def test_concept_index_lists_each_concept_with_its_links_in_words(client, concepts):
    html = client.get(concepts["dialogi"].get_parent().url).content.decode()
    listing = html[html.index('class="concept-list"') :]
    entry = listing[listing.index(">asiakaspolku</a>") : listing.index(">asiakasymmärrys</a>")]
    assert "Laajemmat käsitteet" in entry and concepts["palvelumuotoilu"].url in entry
    assert "Suppeammat käsitteet" in entry and concepts["kosketuspiste"].url in entry


def test_concept_page_without_links_has_no_neighbourhood_map(client, site_tree):
    concept = ConceptPageFactory(title="yksinäinen")
    assert "<svg" not in client.get(concept.url).content.decode()


def test_concept_page_shows_its_neighbourhood(client, concepts):
    html = client.get(concepts["dialogi"].url).content.decode()
    assert html.count('class="concept-node') == 2


def without_maps(html):
    return re.sub(r"<svg.*?</svg>", "", html, flags=re.S)


def test_concept_page_lists_each_linked_concept_once(client, concepts):
    html = without_maps(client.get(concepts["palvelumuotoilu"].url).content.decode())
    assert html.count(f'href="{concepts["asiakaspolku"].url}"') == 1


def test_book_page_lists_each_essay_summary_and_concept_once(client, site_tree):
    book = BookFactory(title="Palvelumuotoilu", author_names=["Juha Tuulaniemi"])
    essay = EssayPageFactory(title="Essee kirjasta", books=[book])
    summary = BookSummaryPageFactory(title="Tiivistelmä kirjasta", book=book)
    concept = ConceptPageFactory(title="palvelumuotoilu", definition_book=book)
    html = client.get(book.get_absolute_url()).content.decode()
    assert [html.count(f'href="{page.url}"') for page in (essay, summary, concept)] == [1, 1, 1]


def test_person_page_lists_each_essay_once_and_hides_protected_ones_from_the_public(client, site_tree):
    person = PersonFactory(name="Aino Virtanen")
    public = EssayPageFactory(title="Julkinen essee", authors=[person])
    EssayPageFactory(title="Suojattu essee", authors=[person], visibility="protected")
    html = client.get(reverse("essays:person", args=[person.slug])).content.decode()
    assert html.count(f'href="{public.url}"') == 1
    assert "Suojattu essee" not in html


def test_first_mentions_are_not_linked_by_default(client, concepts):
    essay = EssayPageFactory(body=paragraphs("Dialogi on taito. Dialogi vaatii harjoitusta."))
    assert "concept-mention" not in client.get(essay.url).content.decode()


def test_site_setting_links_the_first_mention_of_each_concept(client, concepts):
    settings = ConceptSettings.for_site(Site.objects.get(is_default_site=True))
    settings.link_first_mentions = True
    settings.save()
    essay = EssayPageFactory(body=paragraphs("Dialogissa kuunnellaan. Dialogi vaatii tiimioppimista."))
    html = client.get(essay.url).content.decode()
    assert re.findall(r'<a class="concept-mention" href="([^"]+)">([^<]+)</a>', html) == [
        (concepts["dialogi"].url, "Dialogissa"),
        (concepts["tiimioppiminen"].url, "tiimioppimista"),
    ]
