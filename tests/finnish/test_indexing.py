"""The text a page's StreamField body is indexed by (finnish.indexing.StreamSearchField), and the
analysed text every searchable model indexes (analysed_text)."""

import itertools

import pytest
from modelsearch import index
from wagtail.rich_text import RichText

from essays.models import EssayPage
from finnish import indexing
from finnish.indexing import (
    StreamSearchField,
    analysed_text,
    lemma_pair,
    pairable,
    text_analysis,
    text_for_indexing,
)

BODY = [
    ("heading", {"text": "Asiakaskokemus & laatu", "level": "h2"}),
    (
        "paragraph",
        RichText(
            '<p>Kohtaamisessa <b>syntyy</b> <a linktype="page" id="3">kokemus</a>.</p><ul><li>yksi</li>'
            "<li>kaksi</li></ul><p>Rivi<br/>toinen</p>"
        ),
    ),
    ("paragraph", RichText("<p>Tutkimus &amp; kehitys, 3 &lt; 5 ja <i>kursiivi</i></p>")),
    ("paragraph", RichText('<p><a href="https://example.com/?a=1&amp;b=2">linkki</a> sisältää merkin</p>')),
    ("quote", {"quote": "Sää ei saa pettää.", "attribution": "Kahneman"}),
    ("bullet_list", ["ensimmäinen kohta", "toinen kohta"]),
    (
        "table",
        {"data": [["Vuosi", "Määrä"], ["2018", "1 000"]], "first_row_is_table_header": True, "table_caption": ""},
    ),
]


@pytest.mark.django_db
def test_a_body_is_indexed_by_the_text_wagtails_search_field_gives(site_tree):
    essay = EssayPage(title="Essee", body=BODY)
    assert StreamSearchField("body").get_value(essay) == index.SearchField("body").get_value(essay)


def test_plain_rich_text_loses_its_tags_with_a_space_after_each_block():
    assert text_for_indexing("<p>yksi <b>kaksi</b></p><p>kolme</p>") == "yksi kaksi kolme"


def test_rich_text_with_an_entity_keeps_the_character_it_stands_for():
    assert text_for_indexing("<p>Tutkimus &amp; kehitys</p>") == "Tutkimus & kehitys"


def pairs_over_the_whole_run(*texts):
    """analysed_text's terms as it is defined: the values' forms, their lemmas in one run, and each
    two neighbouring lemmas of that run as a pair term, across the values' borders too."""
    analysed = [text_analysis.function(text) for text in texts]
    run = [lemma for _forms, lemmas, _pairs in analysed for lemma in lemmas]
    pairs = [lemma_pair(first, second) for first, second in itertools.pairwise(run) if pairable(first, second)]
    return " ".join([*(forms for forms, _lemmas, _pairs in analysed if forms), *run, *pairs])


@pytest.mark.parametrize(
    "texts",
    [
        ("Palautteen antaminen", "Tiimi oppii yhdessä. Hyvä palaute on täsmällistä.", "Aino Aaltonen"),
        ("", "Yksi", "", "kaksi kolme", "1 000 euroa", "vuonna 2019"),
        ("Otsikko", "", "—"),
    ],
)
def test_analysed_text_pairs_lemmas_across_values_as_over_one_run(texts):
    assert analysed_text(*texts) == pairs_over_the_whole_run(*texts)


def counting_analysis(monkeypatch):
    """The texts finnish.indexing analyses word by word from now on."""
    analysed = []
    analysis = indexing._analysis

    def counted(text):
        analysed.append(text)
        return analysis(text)

    monkeypatch.setattr(indexing, "_analysis", counted)
    return analysed


def test_short_text_is_analysed_once_however_often_met(monkeypatch):
    analysed = counting_analysis(monkeypatch)
    name = "Kerttu Lyhyttekstinen"
    indexing._short_text_analysis.cache_clear()
    assert text_analysis(name) == text_analysis(name)
    assert analysed == [name]


def test_long_text_is_not_kept(monkeypatch):
    analysed = counting_analysis(monkeypatch)
    body = "Palaute auttaa tiimiä oppimaan. " * 20
    text_analysis(body)
    text_analysis(body)
    assert analysed == [body, body]
