import gc

import pytest
from wagtail.blocks import StreamValue
from wagtail.rich_text import RichText

from essays.blocks import BodyBlock, OtherSourcesBlock
from finnish import analysis
from finnish.analysis import analyse, lemma, query_forms, tokenize, word_forms
from finnish.indexing import (
    analysed_text,
    held_options,
    lemma_pair,
    phrase_alternatives,
    phrase_options,
    phrase_pairs,
    plain_text,
    query_words,
)


def test_inflected_compound_has_base_form_and_parts():
    assert word_forms("asiakaskokemukseen") == {"asiakaskokemukseen", "asiakaskokemus", "asiakas", "kokemus"}


def test_capitalised_word_is_analysed_like_lowercase():
    assert "asiakaskokemus" in word_forms("Asiakaskokemuksen")


def test_hyphenated_compound_with_clitic_shares_base_form_with_query():
    assert query_forms("tietosuoja-asetus") & word_forms("tietosuoja-asetuskin")


def test_clitic_reading_wins_over_longer_compound():
    """ "asetuskin" is asetus + -kin, not ase + tuskin."""
    assert "asetus" in word_forms("asetuskin")
    assert "tuska" not in word_forms("asetuskin")


@pytest.mark.parametrize(("name", "inflected"), [("Kortesuo", "Kortesuon"), ("Kahneman", "Kahnemanin")])
def test_unknown_names_share_a_form_with_their_inflections(name, inflected):
    assert query_forms(name) & word_forms(inflected)


def test_names_in_nen_match_their_genitive():
    assert "kekkonen" in word_forms("Kekkosen")


def test_finnish_letters_are_not_folded():
    assert word_forms("sää").isdisjoint(word_forms("saa"))


def test_english_word_keeps_its_surface_form():
    assert "customer" in word_forms("customer")


def test_query_forms_leave_out_compound_parts():
    assert "asiakas" not in query_forms("asiakaskokemus")
    assert "asiakaskokemus" in query_forms("asiakaskokemus")


def test_tokenize_gives_hyphenated_word_whole_and_in_parts():
    assert tokenize("Tietosuoja-asetuskin koskee meitä.") == [
        "Tietosuoja-asetuskin",
        "Tietosuoja",
        "asetuskin",
        "koskee",
        "meitä",
    ]


def test_tokenize_keeps_colon_ending_with_its_word():
    assert tokenize("EU:n") == ["EU:n", "EU"]


def test_analyse_lists_forms_word_by_word_in_text_order():
    terms = analyse("Kahvilan asiakkaat")
    assert terms.index("kahvila") < terms.index("asiakas")


def test_analysed_text_drops_hyphens_inside_terms():
    assert "tietosuojaasetus" in analysed_text("tietosuoja-asetuskin").split()


def test_query_words_keep_hyphenated_word_whole():
    assert query_words("tietosuoja-asetus koskee") == ["tietosuoja-asetus", "koskee"]


def test_word_forms_are_cached():
    analysis._forms.cache_clear()
    word_forms("palvelumuotoilun")
    word_forms("palvelumuotoilun")
    assert analysis._forms.cache_info().hits >= 1


def test_forms_and_lemma_of_a_word_ask_voikko_once():
    """Search's forms, originality's lemma and hyphenation's check share one reading per word."""
    analysis._forms.cache_clear()
    analysis.lemma.cache_clear()
    analysis._voikko_readings.cache_clear()
    word_forms("kosketuspisteessä")
    lemma("kosketuspisteessä")
    analysis.is_known_word("kosketuspisteessä")
    info = analysis._voikko_readings.cache_info()
    assert (info.misses, info.hits) == (1, 2)


def test_cached_readings_leave_the_garbage_collectors_watch():
    readings = analysis._voikko_readings("asiakaskokemukseen")
    gc.collect()
    assert readings[0] and not any(gc.is_tracked(value) for value in readings)


def test_cached_forms_leave_the_garbage_collectors_watch():
    """A full cache must not lengthen every full collection: its values are untracked tuples."""
    forms = analysis._forms("asiakaskokemukseen")
    gc.collect()
    assert not any(gc.is_tracked(value) for value in forms)


@pytest.mark.parametrize("implementation", ["_PyVoikko", "_LibVoikko"])
def test_both_voikko_implementations_give_noun_compound_parts(implementation):
    """libvoikko gives roots of derived parts ("palvella"); both must yield "palvelu"."""
    try:
        voikko = getattr(analysis, implementation)()
    except (ImportError, OSError) as error:
        pytest.skip(f"{implementation} not installed: {error}")
    readings = voikko.analyses("palvelumuotoilun")
    assert ("palvelumuotoilu", ["palvelu", "muotoilu"]) in readings


@pytest.mark.parametrize(
    ("baseform", "wordbases", "parts"),
    [
        ("järjestelytyökalu", "+järjestel(järjestää)(+lä)+y(+y)+työ(työ)+kalu(kalu)", ["järjestely", "työ", "kalu"]),
        ("sijoitteluapu", "+sijoit(sijoittaa)tel(+ella)+u(+u)+apu(apu)", ["sijoittelu", "apu"]),
        ("Firefox-ohjelma", "+firefox(Fire=fox)+-+ohjelma(ohjelma)", ["Firefox", "ohjelma"]),
        ("poistumisehto", "+poist(poistaa)umis(+ua)+ehto(ehto)", ["poistaa", "ehto"]),
    ],
)
def test_libvoikko_parts_read_derivations_inside_a_morpheme(baseform, wordbases, parts):
    """A suffix's base form right after a root's, letters after a base form and "=" inside one are
    libvoikko's notation, not parts of their own ("lä)y", "ua)", "fire=fox")."""
    assert analysis._LibVoikko._parts(baseform, wordbases) == (baseform, parts)


def test_inflected_words_share_their_lemma():
    assert lemma("asiakaskokemuksen") == lemma("asiakaskokemus") == "asiakaskokemus"


def test_phrase_alternatives_cover_an_unknown_name_with_case_endings():
    assert "kahnemanin kirja" in phrase_alternatives(phrase_options("Kahneman kirjassa"))


def test_phrase_alternatives_drop_terms_no_text_holds_before_the_cap():
    """Two unknown words stand for 484 sequences; the one the index holds is kept, not cut off."""
    held = {"zorbasta", "quuxiskin", "muuta"}
    assert phrase_alternatives(held_options(phrase_options("Zorbas Quuxis"), held)) == ["zorbasta quuxiskin"]


def test_phrase_alternatives_keep_a_word_no_text_holds_so_the_phrase_matches_nothing():
    assert phrase_alternatives(held_options(phrase_options("Kahneman kirjassa"), {"kirja"})) == ["kahneman kirja"]


def test_analysed_text_ends_with_one_lemma_per_word_in_order_then_their_pairs():
    first, second, third = lemma("asiakaskokemus"), lemma("johtaminen"), lemma("kannattaa")
    expected = f" {first} {second} {third} {lemma_pair(first, second)} {lemma_pair(second, third)}"
    assert analysed_text("Asiakaskokemuksen johtamista kannattaa").endswith(expected)


def test_phrase_pairs_are_none_where_a_digit_would_meet_the_joiner():
    assert phrase_pairs([["hinta"], ["1"], ["000"]]) is None


def test_analysed_text_pairs_no_lemmas_with_a_digit_beside_the_joiner():
    assert lemma_pair("1", "000") not in analysed_text("Hinta 1 000 euroa").split()


def test_phrase_pairs_join_each_two_neighbouring_words_options():
    assert phrase_pairs([["a", "b"], ["c"], ["d"]]) == [
        [lemma_pair("a", "c"), lemma_pair("b", "c")],
        [lemma_pair("c", "d")],
    ]


def test_plain_text_of_a_body_holds_its_prose_not_block_settings():
    body = StreamValue(
        BodyBlock(),
        [
            ("heading", {"text": "Lähtökohta", "level": "h2"}),
            ("paragraph", RichText("<p>Asiakas <b>kokee</b> palvelun.</p>")),
            ("quote", {"quote": "Laatu on tapa.", "attribution": "Kortesuo"}),
            ("bullet_list", ["ensimmäinen", "toinen"]),
        ],
    )
    assert plain_text(body).split() == (
        "Lähtökohta Asiakas kokee palvelun. Laatu on tapa. Kortesuo ensimmäinen toinen".split()
    )


def test_plain_text_of_other_sources_leaves_out_their_addresses():
    sources = StreamValue(
        OtherSourcesBlock(), [("source", {"reference": "Palvelumuotoilun opas", "url": "https://example.org/opas"})]
    )
    assert plain_text(sources) == "Palvelumuotoilun opas"
