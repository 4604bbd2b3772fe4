"""Words typed without the dots of ä and ö: the search offers the dotted spelling the index holds."""

import pytest
from django.urls import reverse

from finnish.umlauts import dotted_spellings
from tests.factories import ConceptPageFactory, EssayPageFactory, PersonFactory, paragraphs

pytestmark = pytest.mark.django_db


def api(client, **params):
    response = client.get(reverse("search_api"), params)
    assert response.status_code == 200, response.content
    return response.json()


def test_dotted_spellings_dot_some_or_all_a_and_o_letters():
    assert set(dotted_spellings("sao")) == {"säo", "saö", "säö"}


def test_a_word_with_dots_already_has_no_dotted_spellings():
    assert dotted_spellings("hämalainen") == []


def test_a_name_typed_without_dots_is_offered_as_people_write_it(client, site_tree):
    PersonFactory(name="Veera Hämäläinen")
    payload = api(client, q="hamalainen")
    assert payload["count"] == 0
    assert payload["suggestion"] == "Hämäläinen"


def test_a_compound_typed_without_dots_is_offered_dotted(client, site_tree):
    EssayPageFactory(title="Tiimin työ", body=paragraphs("Päätöksenteko on tiimin yhteinen asia."))
    assert api(client, q="paatoksenteko")["suggestion"] == "päätöksenteko"


def test_an_inflected_form_no_text_holds_is_offered_by_its_base_form(client, site_tree):
    EssayPageFactory(title="Tiimin työ", body=paragraphs("Päätöksenteko on tiimin yhteinen asia."))
    assert api(client, q="paatoksenteossa")["suggestion"] == "päätöksenteossa"


def test_the_other_words_of_the_query_are_kept(client, site_tree):
    ConceptPageFactory(title="käsite", definition="Sana, jolla ajatus nimetään.")
    assert api(client, q="Uusi kasite")["suggestion"] == "Uusi käsite"


def test_a_search_that_finds_enough_offers_nothing(client, site_tree):
    for number in range(3):
        EssayPageFactory(title=f"Saa {number}", body=paragraphs("Tiimi saa palautetta. Sää oli kaunis."))
    assert api(client, q="saa")["count"] == 3
    assert api(client, q="saa")["suggestion"] is None


def test_a_word_no_dotted_spelling_of_which_is_held_offers_nothing(client, site_tree):
    EssayPageFactory(title="Muuta", body=paragraphs("Asiakaskokemus syntyy kohtaamisissa."))
    assert api(client, q="kasvatus")["suggestion"] is None


def test_undotted_search_still_finds_nothing_dotted(client, site_tree):
    """ä stays a letter of its own in ranking: the suggestion is offered, not searched for."""
    PersonFactory(name="Veera Hämäläinen")
    assert api(client, q="hamalainen")["results"] == []


def test_search_page_offers_the_dotted_search_as_a_link_keeping_the_type(client, site_tree):
    PersonFactory(name="Veera Hämäläinen")
    response = client.get(reverse("search"), {"q": "hamalainen", "laji": "henkilo"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'Tarkoititko: <a href="/haku/?q=H%C3%A4m%C3%A4l%C3%A4inen&amp;laji=henkilo">Hämäläinen</a>?' in html
