"""Automatic linking of essays to the concepts they discuss."""

import pytest
from django.urls import reverse

from concepts.linking import Lexicon
from concepts.models import EssayConceptLink
from tests.factories import ConceptPageFactory, EssayPageFactory, paragraphs

# (title, text, the concepts a careful reader would link)
ESSAYS = [
    (
        "Asiakaskokemus syntyy kohtaamisissa",
        "Asiakaskokemus on asiakkaan tulkinta kaikista kohtaamisista yrityksen kanssa. Kahvilassamme huomasimme, "
        "että asiakaskokemukseen vaikuttaa eniten henkilökunnan ystävällisyys. Kosketuspisteitä ovat kassa, "
        "verkkosivu ja pöytien siisteys.",
        {"asiakaskokemus", "kosketuspiste"},
    ),
    (
        "Kuntosalin uusi palvelu",
        "Käytimme palvelumuotoilun menetelmiä uuden kuntosalipalvelun kehittämisessä. Piirsimme asiakaspolun "
        "ensimmäisestä yhteydenotosta jäsenyyden päättymiseen. Palvelumuotoilija haastatteli jäseniä.",
        {"palvelumuotoilu", "asiakaspolku"},
    ),
    (
        "Verkkokaupan asiakasryhmät",
        "Jaoimme verkkokaupan ostajat ryhmiin ostokäyttäytymisen mukaan. Segmentoinnin avulla löysimme kolme "
        "selvää ryhmää. Jokaiselle ryhmälle muotoiltiin oma arvolupaus.",
        {"segmentointi", "arvolupaus"},
    ),
    (
        "Huippuhetket muistetaan",
        "Kahnemanin huippu–loppu-sääntö selittää, miksi muistamme kokemuksesta vain sen huipun ja lopun. "
        "Tapahtumajärjestäjänä panostimme siksi illan päätökseen.",
        {"huippu–loppu-sääntö"},
    ),
    (
        "Kanvaasi tiimin työkaluna",
        "Täytimme tiimin kanssa liiketoimintamallikanvaasin. Liiketoimintamallin yhdeksän osaa auttoivat "
        "näkemään, mistä tulot syntyvät. Ansaintamalli perustuu kuukausimaksuun.",
        {"liiketoimintamalli"},
    ),
    (
        "Ajattelemme yhdessä",
        "Tiimioppiminen edellyttää, että jäsenet ajattelevat yhdessä. Dialogissa kuunnellaan ennen kuin "
        "väitellään. Treeneissämme harjoittelimme dialogia joka viikko.",
        {"tiimioppiminen", "dialogi"},
    ),
    (
        "A night at the hostel",
        "We mapped the customer journey of a hostel guest. Every touchpoint from booking to check-out was rated. "
        "The customer experience was weakest at breakfast.",
        {"asiakaspolku", "kosketuspiste", "asiakaskokemus"},
    ),
    (
        "Haastattelut opettivat",
        "Asiakasymmärrystä ei synny toimistossa. Haastattelimme kahtakymmentä ostajaa ja opimme, että "
        "asiakastuntemus on tiimin tärkein pääoma.",
        {"asiakasymmärrys"},
    ),
    (
        "Johtaminen pienyrityksessä",
        "Asiakaskokemuksen johtaminen vaatii mittareita ja sitoutunutta johtoa. Keräsimme palautetta jokaisen "
        "kosketuspisteen jälkeen, jotta asiakaskokemus paranisi.",
        {"asiakaskokemuksen johtaminen", "asiakaskokemus", "kosketuspiste"},
    ),
    (
        "Myyntipuhelun perusteet",
        "Myyntipuhelu alkaa kysymyksellä. Kuuntele, mitä asiakas tarvitsee, ja tarjoa ratkaisua vasta sitten. "
        "Harjoittelimme puheluita pareittain.",
        set(),
    ),
    (
        "Nopeampi verkkosivu",
        "Verkkoasiakaskokemuksen parantaminen alkoi sivuston nopeudesta. Mobiilissa ostoskori katosi, mikä "
        "heikensi verkkoasiakaskokemusta entisestään.",
        {"asiakaskokemus"},
    ),
    (
        "Messuilla testattua",
        "Arvolupauksen pitää vastata ostajan ongelmaan. Testasimme arvolupausta messuilla ja muutimme "
        "liiketoimintamallia palautteen perusteella.",
        {"arvolupaus", "liiketoimintamalli"},
    ),
    (
        "Jonot lyhyemmiksi",
        "Asiakaspalvelun jonotusaikoja lyhennettiin lisäämällä chat. Asiakaspalvelijat saivat koulutusta "
        "vaikeisiin tilanteisiin ja asiakasmäärät kasvoivat.",
        set(),
    ),
    (
        "Kirjaston polku",
        "Kirjaston palvelupolku alkaa jo verkkosivulta. Kosketuspisteet kartoitettiin palvelumuotoilun keinoin.",
        {"asiakaspolku", "kosketuspiste", "palvelumuotoilu"},
    ),
    (
        "Team learning podcast",
        "In this podcast we discuss team learning. Dialogue is the core of learning together, as Senge writes.",
        {"tiimioppiminen", "dialogi"},
    ),
    (
        "Ensimmäinen vuosi",
        "Ensimmäinen vuosi yrittäjänä oli kokemus, jota en unohda. Opin budjetoinnista ja ajankäytöstä.",
        set(),
    ),
    (
        "Mittarit kuntoon",
        "Mittasimme CX:ää suositteluindeksillä. Asiakkaan kokemus heikkeni, kun toimitusajat pitenivät.",
        {"asiakaskokemus"},
    ),
    (
        "Kohderyhmän valinta",
        "Markkinoiden segmentointi auttoi valitsemaan kohderyhmän. Opiskelijat ja eläkeläiset osoittautuivat "
        "parhaiksi ostajaryhmiksi.",
        {"segmentointi"},
    ),
]


def linked_terms(essay):
    return set(EssayConceptLink.objects.filter(essay=essay, linked=True).values_list("concept__title", flat=True))


@pytest.fixture
def linked_essays(concepts):
    return [(EssayPageFactory(title=title, body=paragraphs(text)), expected) for title, text, expected in ESSAYS]


def test_automatic_linking_has_precision_and_recall_of_at_least_0_9(linked_essays):
    """Measured over the whole test set: each automatic link is a pair a careful reader made too."""
    found = {(essay.pk, term) for essay, _expected in linked_essays for term in linked_terms(essay)}
    expected = {(essay.pk, term) for essay, terms in linked_essays for term in terms}
    true_positives = len(found & expected)
    precision = true_positives / len(found)
    recall = true_positives / len(expected)
    assert len(ESSAYS) >= 15
    assert precision >= 0.9, sorted(found - expected)
    assert recall >= 0.9, sorted(expected - found)


def test_concept_is_found_in_any_inflected_form(concepts):
    essay = EssayPageFactory(body=paragraphs("Panostimme asiakaskokemukseen ja mittasimme asiakaskokemuksia."))
    assert "asiakaskokemus" in linked_terms(essay)


def test_concept_is_found_as_the_head_of_a_compound(site_tree):
    ConceptPageFactory(title="kokemus")
    essay = EssayPageFactory(body=paragraphs("Verkkoasiakaskokemuksen parantaminen oli tavoitteemme."))
    assert linked_terms(essay) == {"kokemus"}


def test_concept_is_not_found_as_a_modifier_of_a_compound(site_tree):
    ConceptPageFactory(title="asiakas")
    essay = EssayPageFactory(body=paragraphs("Asiakaskokemus ja asiakaspalvelu paranivat."))
    assert linked_terms(essay) == set()


def test_concept_published_later_finds_the_essays_published_before(site_tree):
    essay = EssayPageFactory(body=paragraphs("Dialogissa kuunnellaan."))
    ConceptPageFactory(title="dialogi")
    assert linked_terms(essay) == {"dialogi"}


def test_link_disappears_when_the_essay_no_longer_mentions_the_concept(concepts):
    essay = EssayPageFactory(body=paragraphs("Dialogissa kuunnellaan."))
    essay.body = paragraphs("Nyt puhutaan muusta.")
    essay.save_revision().publish()
    assert linked_terms(essay) == set()


def test_link_removed_by_an_editor_stays_removed_after_later_saves(concepts):
    essay = EssayPageFactory(body=paragraphs("Dialogissa kuunnellaan."))
    EssayConceptLink.objects.filter(essay=essay, concept=concepts["dialogi"]).update(
        linked=False, origin=EssayConceptLink.Origin.MANUAL
    )
    essay.save_revision().publish()
    assert linked_terms(essay) == set()


def test_link_added_by_an_editor_stays_after_later_saves(concepts):
    essay = EssayPageFactory(body=paragraphs("Puhuimme yhdessä."))
    EssayConceptLink.objects.create(essay=essay, concept=concepts["dialogi"], origin=EssayConceptLink.Origin.MANUAL)
    essay.save_revision().publish()
    assert linked_terms(essay) == {"dialogi"}


def test_editor_link_made_in_the_admin_is_manual(superuser_client, concepts):
    essay = EssayPageFactory(body=paragraphs("Puhuimme yhdessä."))
    response = superuser_client.post(
        reverse("concept_links:add"), {"essay": essay.pk, "concept": concepts["dialogi"].pk, "linked": "on"}
    )
    assert response.status_code == 302
    assert EssayConceptLink.objects.get(essay=essay).origin == EssayConceptLink.Origin.MANUAL


def test_concept_page_lists_the_most_substantial_essay_first(client, concepts):
    EssayPageFactory(title="Ohimennen", body=paragraphs("Dialogi mainitaan kerran."))
    EssayPageFactory(
        title="Perusteellinen",
        body=paragraphs("Dialogi on taito.", "Dialogissa kuunnellaan.", "Dialogia harjoitellaan."),
    )
    html = client.get(concepts["dialogi"].url).content.decode()
    assert html.index("Perusteellinen") < html.index("Ohimennen")


def test_essay_page_shows_the_concepts_found(client, concepts):
    essay = EssayPageFactory(body=paragraphs("Tiimioppiminen vaatii aikaa."))
    html = client.get(essay.url).content.decode()
    assert f'href="{concepts["tiimioppiminen"].url}"' in html


def test_a_lexicon_names_the_distinct_words_that_match_a_term_word_with_what_they_match():
    lexicon = Lexicon()
    kokemus = lexicon.term_word("asiakaskokemus")
    words = {"asiakaskokemuksen", "verkkoasiakaskokemus", "kahvila", "asiakas"}
    assert lexicon.matched(words) == {"asiakaskokemuksen": (kokemus,), "verkkoasiakaskokemus": (kokemus,)}


def test_a_lexicon_judges_words_again_once_a_term_word_is_added():
    lexicon = Lexicon()
    lexicon.term_word("asiakaskokemus")
    assert "asiakas" not in lexicon.matched({"asiakas", "asiakaskokemus"})
    asiakas = lexicon.term_word("asiakas")
    assert lexicon.matched({"asiakas", "asiakaskokemus"})["asiakas"] == (asiakas,)
