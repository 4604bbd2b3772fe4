"""Concepts: terms, synonyms, links in both directions and the essays that discuss them."""

import pytest
from django.contrib.auth.models import AnonymousUser
from pytest_django.asserts import assertContains, assertNotContains

from concepts.models import ConceptRelation
from essays.models import EssayPage
from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory, paragraphs

pytestmark = pytest.mark.usefixtures("without_index_updates")

BROADER, NARROWER, RELATED = ConceptRelation.Kind.BROADER, ConceptRelation.Kind.NARROWER, ConceptRelation.Kind.RELATED


def linked(concept):
    return {kind_of(heading): [page.title for page in pages] for heading, pages in concept.linked_concepts()}


def kind_of(heading):
    return {str(text): kind for kind, text in ConceptRelation.Kind.headings().items()}[str(heading)]


@pytest.fixture
def concepts(site_tree):
    """asiakaskokemus with a broader, a narrower and a related concept, all linked from its own page."""
    kokemus = ConceptPageFactory(title="kokemus")
    kosketuspiste = ConceptPageFactory(title="kosketuspiste")
    palvelumuotoilu = ConceptPageFactory(title="palvelumuotoilu")
    asiakaskokemus = ConceptPageFactory(
        title="asiakaskokemus",
        english_term="customer experience",
        synonyms="CX\nasiakkaan kokemus",
        links=[(BROADER, kokemus), (NARROWER, kosketuspiste), (RELATED, palvelumuotoilu)],
    )
    return {
        "asiakaskokemus": asiakaskokemus,
        "kokemus": kokemus,
        "kosketuspiste": kosketuspiste,
        "palvelumuotoilu": palvelumuotoilu,
    }


def test_synonyms_are_one_per_line(site_tree):
    concept = ConceptPageFactory(synonyms="CX\n\n  asiakkaan kokemus  \n")
    assert concept.synonym_list() == ["CX", "asiakkaan kokemus"]


def test_tag_names_are_term_english_term_and_synonyms_casefolded(concepts):
    assert concepts["asiakaskokemus"].tag_names() == {
        "asiakaskokemus",
        "customer experience",
        "cx",
        "asiakkaan kokemus",
    }


def test_links_made_on_a_page_are_grouped_by_kind(concepts):
    assert linked(concepts["asiakaskokemus"]) == {
        BROADER: ["kokemus"],
        NARROWER: ["kosketuspiste"],
        RELATED: ["palvelumuotoilu"],
    }


def test_broader_link_shows_as_narrower_on_the_broader_concept(concepts):
    assert linked(concepts["kokemus"]) == {NARROWER: ["asiakaskokemus"]}


def test_narrower_link_shows_as_broader_on_the_narrower_concept(concepts):
    assert linked(concepts["kosketuspiste"]) == {BROADER: ["asiakaskokemus"]}


def test_related_link_shows_as_related_on_both_pages(concepts):
    assert linked(concepts["palvelumuotoilu"]) == {RELATED: ["asiakaskokemus"]}


def test_inverse_links_render_as_links_on_the_other_page(client, concepts):
    response = client.get(concepts["kokemus"].url)
    assertContains(response, f'<a href="{concepts["asiakaskokemus"].url}">asiakaskokemus</a>', html=True)
    assertContains(response, str(ConceptRelation.Kind.headings()[NARROWER]))


def test_linked_concepts_are_in_finnish_order(site_tree):
    targets = [ConceptPageFactory(title=term) for term in ("öljy", "ääni", "zeta", "asiakas")]
    concept = ConceptPageFactory(title="käsite", links=[(RELATED, target) for target in targets])
    assert linked(concept) == {RELATED: ["asiakas", "zeta", "ääni", "öljy"]}


def test_deleting_a_concept_removes_links_to_it(concepts):
    concepts["kokemus"].delete()
    assert BROADER not in linked(concepts["asiakaskokemus"])


def test_concept_page_lists_essays_tagged_with_its_term(client, concepts):
    essay = EssayPageFactory(title="Kohtaamiset", tags=["asiakaskokemus"], body=paragraphs("Muuta tekstiä."))
    response = client.get(concepts["asiakaskokemus"].url)
    assertContains(response, f'<a href="{essay.url}">Kohtaamiset</a>', html=True)


@pytest.mark.parametrize("tag", ["cx", "customer experience", "asiakkaan kokemus"])
def test_concept_page_lists_essays_tagged_with_english_term_or_synonym(client, concepts, tag):
    essay = EssayPageFactory(title="Synonyymiessee", tags=[tag], body=paragraphs("Muuta tekstiä."))
    response = client.get(concepts["asiakaskokemus"].url)
    assertContains(response, f'<a href="{essay.url}">Synonyymiessee</a>', html=True)


def test_concept_page_omits_essays_that_do_not_discuss_it(client, concepts):
    essay = EssayPageFactory(title="Johtamisesta", tags=["johtaminen"], body=paragraphs("Johtaminen on taitoa."))
    response = client.get(concepts["asiakaskokemus"].url)
    assertNotContains(response, essay.url)


def test_concept_page_hides_protected_essays_from_anonymous(client, concepts):
    essay = EssayPageFactory(title="Salainen", tags=["asiakaskokemus"], visibility=EssayPage.Visibility.PROTECTED)
    response = client.get(concepts["asiakaskokemus"].url)
    assertNotContains(response, essay.url)


def test_concept_lists_each_essay_once(concepts):
    EssayPageFactory(title="Kaksi tagia", tags=["asiakaskokemus", "cx"])
    essays = list(concepts["asiakaskokemus"].essays(AnonymousUser()))
    assert [essay.title for essay in essays] == ["Kaksi tagia"]


def test_essay_page_links_to_concepts_of_its_tags(client, concepts):
    essay = EssayPageFactory(tags=["cx"])
    response = client.get(essay.url)
    assertContains(response, f'<a href="{concepts["asiakaskokemus"].url}">asiakaskokemus</a>', html=True)


def test_definition_source_links_to_the_book_with_page(client, site_tree):
    book = BookFactory(title="Asiakaskokemus", year=2011, author_names=["Janne Löytänä", "Katleena Kortesuo"])
    concept = ConceptPageFactory(definition="Tulkinta kohtaamisista.", definition_book=book, definition_page="11")
    response = client.get(concept.url)
    assertContains(
        response, f'<a href="{book.get_absolute_url()}">Janne Löytänä, Katleena Kortesuo 2011</a>', html=True
    )


def test_concept_index_shows_definition_excerpt(client, site_tree):
    ConceptPageFactory(title="segmentointi", definition="Asiakkaiden jakaminen ryhmiin tarpeiden mukaan.")
    response = client.get(site_tree.concept_index.url)
    assertContains(response, "Asiakkaiden jakaminen ryhmiin tarpeiden mukaan.")


def test_unpublished_concept_is_not_in_the_index(client, site_tree):
    draft = ConceptPageFactory(title="luonnos")
    draft.unpublish()
    response = client.get(site_tree.concept_index.url)
    assert draft not in response.context["concepts"]
