"""The recogniser of hand-typed citations, on the forms real essays use."""

import pytest

from citations.models import sources_for_matching
from citations.recognition import find_broken_citations, find_citations, normalize_pages, resolve, surname_matches

# (text, expected [(book key, pages)], narrative?) — None as a book key: recognised, no source.
CASES = [
    ("Asiakas kokee (Kortesuo & Löytänä 2011, 11).", [("kortesuo", "11")], False),
    ("Asiakas kokee (Löytänä & Kortesuo 2011, 11).", [("kortesuo", "11")], False),
    ("Näin todetaan (Arantola & Simonen 2009, 29.)", [("arantola", "29")], False),
    ("Näin todetaan (Arantola & Simonen 2009, 29–32).", [("arantola", "29–32")], False),
    ("Näin todetaan (Simonen & Arantola 2009, 29-32).", [("arantola", "29–32")], False),
    ("Kortesuo & Löytänä (2011, 11–14) kirjoittavat tästä.", [("kortesuo", "11–14")], True),
    ("Arantola & Simonen (2009, 29–32) erottavat palvelut.", [("arantola", "29–32")], True),
    ("(s.79. Saarijärvi, H & Puustinen, P. 2020…)", [("saarijarvi", "79")], False),
    ("(s. 79. Saarijärvi, H. & Puustinen, P. 2020)", [("saarijarvi", "79")], False),
    ("(Saarijärvi, H. & Puustinen, P. 2020, 52)", [("saarijarvi", "52")], False),
    ("(Saarijärvi & Puustinen 2020)", [("saarijarvi", "")], False),
    ("(Saarijärvi ja Puustinen 2020, 52)", [("saarijarvi", "52")], False),
    ("(Puustinen & Saarijärvi 2020, 52)", [("saarijarvi", "52")], False),
    ("Saarijärvi ja Puustinen (2020, 52) korostavat strategiaa.", [("saarijarvi", "52")], True),
    ("Saarijärven ja Puustisen (2020) mukaan asiakas on keskiössä.", [("saarijarvi", "")], True),
    ("Löytänän ja Kortesuon (2011) teos on klassikko.", [("kortesuo", "")], True),
    ("Pääasiallisena lähteenä on Tuulaniemen (2011) kirja.", [("tuulaniemi", "")], True),
    ("Kosketuspisteitä ovat ihmiset (Tuulaniemi 2011, 78–80).", [("tuulaniemi", "78–80")], False),
    ("Kosketuspisteitä ovat ihmiset (Tuulaniemi 2011, s. 78).", [("tuulaniemi", "78")], False),
    ("Kahnemanin (2011) mukaan muisti valehtelee.", [("kahneman", "")], True),
    ("Muisti valehtelee (Kahneman 2011, 380).", [("kahneman", "380")], False),
    ("Tiedon luominen (Nonaka & Takeuchi 1995, 62–72) on kierre.", [("nonaka", "62–72")], False),
    ("Nonakan ja Takeuchin (1995) malli tunnetaan.", [("nonaka", "")], True),
    ("Tiedon luominen (Nonaka ym. 1995, 62) on kierre.", [("nonaka", "62")], False),
    ("Liiketoimintamalli (Osterwalder & Pigneur 2010, 14) kuvaa arvon.", [("osterwalder", "14")], False),
    ("Sengen (1990) oppiva organisaatio", [("senge", "")], True),
    ("Senge (1990, 3) kirjoittaa.", [("senge", "3")], True),
    (
        "Kaksi lähdettä (Tuulaniemi 2011, 78; Kahneman 2011, 380) samassa.",
        [("tuulaniemi", "78"), ("kahneman", "380")],
        False,
    ),
    ("Tiimiakatemia ja Kahneman (2011) sopivat yhteen.", [("kahneman", "")], True),
    ("Lähteinä ovat Saarijärvi ja Puustinen (2020) sekä muut.", [("saarijarvi", "")], True),
    ("Väärä vuosi (Kortesuo & Löytänä 2012, 11).", [(None, "11")], False),
    ("Tuntematon kirjoittaja (Virtanen 2019, 5).", [(None, "5")], False),
    ("Vain toinen kirjoittaja (Kortesuo 2011, 11) ilman ym.-merkintää.", [(None, "11")], False),
]

NOT_CITATIONS = [
    "Yritys perustettiin vuonna (2011) Tampereella.",
    "Tiimissä oli (12 jäsentä) ja valmentaja.",
    "Katso taulukko (kuva 3).",
    "Hinta oli (noin 20 euroa) vuonna 2019.",
]


@pytest.mark.parametrize(("text", "expected", "narrative"), CASES, ids=[case[0][:40] for case in CASES])
def test_recogniser_links_citation_to_its_source(books, text, expected, narrative):
    found = resolve(find_citations(text), sources_for_matching())
    wanted = [(books[key].source if key else None, pages) for key, pages in expected]
    assert [(citation.source, citation.pages) for citation in found] == wanted
    assert all(citation.narrative is narrative for citation in found)


@pytest.mark.parametrize("text", NOT_CITATIONS)
def test_brackets_that_are_not_citations_are_left_alone(books, text):
    assert find_citations(text) == []


def test_narrative_citation_spans_the_author_names_and_the_brackets(books):
    text = "Kirjassaan Saarijärvi ja Puustinen (2020, 52) korostavat."
    [citation] = resolve(find_citations(text), sources_for_matching())
    assert citation.text == "Saarijärvi ja Puustinen (2020, 52)"


def test_unmatched_leading_words_are_dropped_from_a_narrative_citation(books):
    [citation] = resolve(find_citations("Tiimiakatemia ja Kahneman (2011) sopivat."), sources_for_matching())
    assert citation.text == "Kahneman (2011)"


@pytest.mark.parametrize(
    ("cited", "family", "expected"),
    [
        ("Löytänän", "Löytänä", True),
        ("Puustisen", "Puustinen", True),
        ("Tuulaniemen", "Tuulaniemi", True),
        ("Kahnemanin", "Kahneman", True),
        ("Kortesuo", "Kortesuon", False),
        ("Korte", "Kortesuo", False),
        ("Simonen", "Simola", False),
    ],
)
def test_surname_matches_inflected_forms_only(cited, family, expected):
    assert surname_matches(cited, family) is expected


@pytest.mark.parametrize(("typed", "normal"), [("s. 29-32.", "29–32"), ("79", "79"), ("pp. 11 – 14", "11–14")])
def test_pages_are_normalised_to_numbers_and_en_dashes(typed, normal):
    assert normalize_pages(typed) == normal


@pytest.mark.parametrize(
    "text",
    [
        "Näin (Arantola & Lisäsin viitteen toiseen kappaleeseen.Simonen 2009, 29–32) todetaan.",
        "Näin (Arantola & Simonen tähän lisäys 2009) todetaan.",
        "Näin (Kortesuo lisäys 2011, 11) todetaan.",
    ],
)
def test_a_citation_with_text_typed_into_it_is_found_as_broken(text):
    assert find_citations(text) == []
    assert [found.year for found in find_broken_citations(text)] == [text[text.index("20") :][:4]]


@pytest.mark.parametrize(
    "text",
    [
        "Yritys (Nokia perustettiin 1865) kasvoi.",
        "Vuonna (perustettu 2009) alkoi.",
        "Ks. luku (Liite 3).",
        "Asiakas kokee (Kortesuo & Löytänä 2011, 11).",
    ],
)
def test_a_parenthesis_that_is_no_broken_citation_is_left_alone(text):
    assert find_broken_citations(text) == []
