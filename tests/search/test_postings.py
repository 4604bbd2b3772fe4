import json
import sys

import pytest
from django.contrib.auth.models import AnonymousUser
from django.contrib.sessions.models import Session
from django.core.management import call_command
from django.db import connection
from modelsearch.backends import get_search_backend
from modelsearch.query import And, Not, Phrase, PlainText
from wagtail.search.models import IndexEntry

from essays.models import Book, EssayPage
from finnish.analysis import lemma
from finnish.indexing import lemma_pair
from search.backends.postings import (
    TERM_RE,
    body_terms,
    numbered,
    term_frequencies,
    term_weights,
    term_weights_json,
    word_clauses,
)
from search.engine import Search, SearchRequest
from search.models import Posting
from tests.factories import BookFactory, EssayPageFactory, paragraphs


def posted_weights(essay):
    """{term: weight} of the essay's postings."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT term, weight FROM search_posting WHERE content_type_id = %s AND object_id = %s",
            [essay.content_type_id, essay.pk],
        )
        return dict(cursor.fetchall())


def hit_titles(query):
    return [hit.title for hit in Search(SearchRequest.from_query({"q": query}), AnonymousUser()).hits[:10]]


@pytest.mark.parametrize(
    ("query", "clauses"),
    [
        (PlainText("Kotiottelu kotiottelun", operator="or"), [["kotiottelu", "kotiottelun"]]),
        (PlainText("kotiottelu yleisö", operator="and"), [["kotiottelu"], ["yleisö"]]),
        (And([PlainText("a b", operator="or"), PlainText("c", operator="or")]), [["a", "b"], ["c"]]),
        (Phrase("kotiottelu alkaa"), None),
        (And([PlainText("a", operator="or"), Phrase("b c")]), None),
        (Not(PlainText("a", operator="or")), None),
        (PlainText("-", operator="and"), None),
        (PlainText("e_mail", operator="and"), None),
        (PlainText("", operator="and"), None),
    ],
)
def test_word_clauses_stand_for_queries_of_words_alone(query, clauses):
    assert word_clauses(query) == clauses


@pytest.mark.parametrize(("model", "expected"), [(EssayPage, True), (Book, True), (Session, False)])
def test_only_models_with_numbered_objects_are_ranked_from_postings(model, expected):
    """Postings hold numeric object ids; a model keyed by text is left to the full-text index."""
    assert numbered(model) is expected


def test_term_weight_grows_with_mentions_and_shrinks_with_length():
    short = term_weights("", "kotiottelu alkaa")
    repeated = term_weights("", "kotiottelu alkaa kotiottelu")
    long = term_weights("", "kotiottelu alkaa " + " ".join(f"sana{number}" for number in range(500)))
    assert repeated["kotiottelu"] > short["kotiottelu"] > long["kotiottelu"]


def test_title_mention_weighs_more_than_a_body_mention():
    assert term_weights("Kotiottelu", "alkaa")["kotiottelu"] > term_weights("", "kotiottelu alkaa")["kotiottelu"]


def test_term_weights_as_json_hold_every_weight_exactly():
    """SQLite's triggers read the weights from this JSON: every term, ä and ö kept, at full precision."""
    title, body = "Pääkaupunki ja Öljy", "pääkaupunki öljy öljy 1 000 sana0pari " + " ".join(["sää"] * 7)
    assert json.loads(term_weights_json(title, body)) == term_weights(title, body)


def test_lower_case_changes_which_characters_make_words_only_for_the_dotted_capital_i():
    """body_terms counts a body's words from its lower case, except where it holds U+0130."""
    changed = [
        character
        for character in map(chr, range(sys.maxunicode + 1))
        if not 0xD800 <= ord(character) <= 0xDFFF
        and [bool(TERM_RE.fullmatch(part)) for part in character.lower()] != [bool(TERM_RE.fullmatch(character))]
    ]
    assert changed == ["\u0130"]


@pytest.mark.parametrize(
    "body",
    [
        "Kotiottelu alkaa, 1\u00a0000 katsojaa_ja ΟΔΟΣ’Α ja ΟΔΟΣ",
        "İstanbulin İİ-kokous ja iİi",
        "huippu–loppu-sääntö: ½ ja ² ja Ⅻ-luku\tsana\u2028rivi kotiottelu kotiottelu.",
        "",
        "  ,  ",
    ],
)
def test_body_terms_count_the_words_of_the_text_as_it_is_and_the_terms_of_its_lower_case(body):
    counts, words = body_terms(body)
    assert words == len(TERM_RE.findall(body))
    assert counts == term_frequencies("", body)[0]
    assert sorted(counts.elements()) == sorted(TERM_RE.findall(body.lower()))


@pytest.mark.django_db
def test_postings_follow_an_essay_through_edits_and_deletion(site_tree):
    essay = EssayPageFactory(title="Palvelumuotoilu", body=paragraphs("Kotiottelu alkaa."))
    assert {"palvelumuotoilu", "kotiottelu"} <= set(posted_weights(essay))
    essay.body = paragraphs("Vierasottelu alkaa.")
    essay.save_revision().publish()
    assert "vierasottelu" in posted_weights(essay)
    assert "kotiottelu" not in posted_weights(essay)
    essay.delete()
    assert posted_weights(essay) == {}


@pytest.mark.django_db
def test_postings_hold_the_weights_of_the_indexed_text(site_tree):
    """On PostgreSQL the weights are worked out in SQL from the vectors: they must agree with
    term_weights over the entry's text, which SQLite's triggers call."""
    essay = EssayPageFactory(title="Palvelumuotoilu", body=paragraphs("Kotiottelu alkaa ja kotiottelu jatkuu."))
    entry = IndexEntry.objects.get(content_type=essay.content_type_id, object_id=str(essay.pk))
    if connection.vendor == "postgresql":
        expected = term_weights(entry.title_text, entry.body_text)
    else:
        expected = term_weights(entry.title, entry.body)
    assert posted_weights(essay) == pytest.approx(expected, rel=1e-6)


@pytest.mark.django_db
def test_word_mentioned_more_often_ranks_its_essay_first(site_tree):
    """The same words, so the same length; the older essay, which would come first on a tie."""
    EssayPageFactory(title="Usein", body=paragraphs("Kotiottelu alkoi. Kotiottelu alkoi. Kotiottelu alkoi."))
    EssayPageFactory(title="Kerran", body=paragraphs("Kotiottelu alkoi."))
    assert hit_titles("kotiottelu") == ["Usein", "Kerran"]


@pytest.mark.django_db
def test_rarer_word_of_two_weighs_more_in_the_ranking(site_tree):
    """Both essays mention the two words four times in all, in texts of the same words; the one
    that says the rarer word more often comes first, though it is the older (first on a tie)."""
    for number in range(4):
        EssayPageFactory(title=f"Muu {number}", body=paragraphs("Asiakas on tärkeä."))
    EssayPageFactory(title="Harvinainen", body=paragraphs("Asiakas. Hinta hinta hinta."))
    EssayPageFactory(title="Yleinen", body=paragraphs("Asiakas asiakas asiakas. Hinta."))
    assert hit_titles("asiakas hinta") == ["Harvinainen", "Yleinen"]


@pytest.mark.django_db
def test_equally_relevant_essays_come_newest_first(site_tree):
    EssayPageFactory(title="Vanhempi", body=paragraphs("Kotiottelu alkaa."))
    EssayPageFactory(title="Uudempi", body=paragraphs("Kotiottelu alkaa."))
    assert hit_titles("kotiottelu") == ["Uudempi", "Vanhempi"]


@pytest.mark.django_db
def test_readable_and_joined_searches_rank_alike(site_tree):
    """Essays anyone may read are checked against held members, other querysets by a query over
    the matched ids: the same order and scores either way."""
    for number, text in enumerate(["Kotiottelu.", "Kotiottelu, kotiottelu.", "Yleisö ja kotiottelu.", "Ei."]):
        EssayPageFactory(title=f"Essee {number}", body=paragraphs(text))
    backend = get_search_backend()
    readable = list(backend.search("kotiottelu", EssayPage.objects.readable_by_anyone()).annotate_score("_score")[:10])
    live = list(backend.search("kotiottelu", EssayPage.objects.live()).annotate_score("_score")[:10])
    assert [essay.title for essay in readable] == [essay.title for essay in live]
    assert [essay._score for essay in readable] == pytest.approx([essay._score for essay in live])
    assert len(readable) == 3


@pytest.mark.django_db
def test_phrase_ranks_only_essays_holding_its_words_in_order(site_tree):
    EssayPageFactory(title="Hajallaan", body=paragraphs("Kokemus syntyy, kun asiakas palaa."))
    EssayPageFactory(title="Kerran", body=paragraphs("Asiakkaan kokemus ratkaisee."))
    EssayPageFactory(title="Kahdesti", body=paragraphs("Asiakkaan kokemus ratkaisee. Asiakkaan kokemus kantaa."))
    assert hit_titles('"asiakkaan kokemus"') == ["Kahdesti", "Kerran"]


@pytest.mark.django_db
def test_postings_hold_each_two_neighbouring_lemmas_as_one_term(site_tree):
    """The pair term must come through each database's own tokenizer whole."""
    essay = EssayPageFactory(title="Sää", body=paragraphs("Sään ennuste pettää."))
    posted = posted_weights(essay)
    assert {lemma_pair(lemma("sään"), lemma("ennuste")), lemma_pair(lemma("ennuste"), lemma("pettää"))} <= set(posted)
    assert lemma_pair(lemma("sään"), lemma("pettää")) not in posted


@pytest.mark.django_db
def test_phrase_of_three_words_needs_them_in_order_not_only_its_pairs(site_tree):
    """Both essays hold the pairs "asiakas kokemus" and "kokemus ratkaista"; only one the three in a row."""
    EssayPageFactory(title="Peräkkäin", body=paragraphs("Asiakkaan kokemus ratkaisee."))
    EssayPageFactory(title="Erikseen", body=paragraphs("Asiakkaan kokemus kasvaa. Kokemus ratkaisee."))
    assert hit_titles('"asiakkaan kokemus ratkaisee"') == ["Peräkkäin"]


@pytest.mark.django_db
def test_term_held_by_another_model_is_counted_but_not_matched(site_tree):
    """The first search of a term reads its postings of every model, to count them; only the
    searched model's objects are hits."""
    BookFactory(title="Kotiottelun järjestäminen")
    EssayPageFactory(title="Essee", body=paragraphs("Kotiottelu alkaa."))
    backend = get_search_backend()
    assert [essay.title for essay in backend.search("kotiottelu", EssayPage.objects.live())] == ["Essee"]
    assert [book.title for book in backend.search("kotiottelu", Book.objects.all())] == ["Kotiottelun järjestäminen"]


@pytest.mark.django_db
def test_rebuilding_the_index_leaves_each_entry_its_postings(site_tree):
    essay = EssayPageFactory(title="Palvelumuotoilu", body=paragraphs("Kotiottelu alkaa."))
    before = posted_weights(essay)
    call_command("update_index", verbosity=0)
    assert posted_weights(essay) == pytest.approx(before)
    assert "kotiottelu" in before


@pytest.mark.django_db
def test_posting_model_reads_what_the_triggers_wrote(site_tree):
    essay = EssayPageFactory(title="Sää", body=paragraphs("Sään ennuste pettää."))
    postings = Posting.objects.filter(content_type=essay.content_type_id, object_id=essay.pk)
    assert dict(postings.values_list("term", "weight")) == pytest.approx(posted_weights(essay))
