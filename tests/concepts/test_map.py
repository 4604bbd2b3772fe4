"""The concept map, the neighbourhood map, "what links here" and first-mention links."""

import re

from django.urls import reverse
from wagtail.models import Site

from concepts.concept_map import concept_map, neighbourhood_map
from concepts.models import ConceptPage, ConceptSettings
from tests.factories import (
    BookFactory,
    BookSummaryPageFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    paragraphs,
)


def node_links(svg):
    return re.findall(r'<a href="([^"]+)" class="concept-node', svg)


def test_concept_index_draws_every_concept_as_a_link(client, concepts):
    html = client.get(concepts["dialogi"].get_parent().url).content.decode()
    svg = html[html.index("<svg") : html.index("</svg>")]
    assert sorted(node_links(svg)) == sorted(concept.url for concept in concepts.values())


def test_concept_map_draws_each_link_once_with_its_kind(concepts):
    svg = concept_map(ConceptPage.objects.live())
    assert svg.count('class="link-broader"') == 3
    assert svg.count('class="link-related"') == 2


def test_concept_map_keeps_the_picture_inside_its_frame(concepts):
    svg = concept_map(ConceptPage.objects.live())
    xs = [float(x) for x in re.findall(r'<rect x="([-\d.]+)"', svg)]
    ys = [float(y) for y in re.findall(r'<rect x="[-\d.]+" y="([-\d.]+)"', svg)]
    assert min(xs) >= -40 and max(xs) <= 880
    assert min(ys) >= 0 and max(ys) <= 560


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


def test_concept_page_without_links_has_no_neighbourhood_map(client, site_tree):
    concept = ConceptPageFactory(title="yksinäinen")
    assert "<svg" not in client.get(concept.url).content.decode()


def test_concept_page_shows_its_neighbourhood(client, concepts):
    html = client.get(concepts["dialogi"].url).content.decode()
    assert html.count('class="concept-node') == 2


def test_what_links_here_on_a_concept_lists_the_concepts_linking_to_it(client, concepts):
    html = client.get(concepts["palvelumuotoilu"].url).content.decode()
    section = html[html.index('class="what-links-here"') :]
    assert "asiakaspolku" in section


def test_what_links_here_on_a_book_lists_essays_summaries_and_concepts(client, site_tree):
    book = BookFactory(title="Palvelumuotoilu", author_names=["Juha Tuulaniemi"])
    EssayPageFactory(title="Essee kirjasta", books=[book])
    BookSummaryPageFactory(title="Tiivistelmä kirjasta", book=book)
    ConceptPageFactory(title="palvelumuotoilu", definition_book=book)
    html = client.get(book.get_absolute_url()).content.decode()
    section = html[html.index('class="what-links-here"') :]
    assert all(title in section for title in ("Essee kirjasta", "Tiivistelmä kirjasta", "palvelumuotoilu"))


def test_what_links_here_on_a_person_hides_protected_essays_from_the_public(client, site_tree):
    person = PersonFactory(name="Aino Virtanen")
    EssayPageFactory(title="Julkinen essee", authors=[person])
    EssayPageFactory(title="Suojattu essee", authors=[person], visibility="protected")
    html = client.get(reverse("essays:person", args=[person.slug])).content.decode()
    section = html[html.index('class="what-links-here"') :]
    assert "Julkinen essee" in section
    assert "Suojattu essee" not in section


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
