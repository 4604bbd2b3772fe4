import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from essays.models import EssayPage
from search.engine import SearchRequest
from tests.factories import (
    BookFactory,
    BookSummaryPageFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
    paragraphs,
)

pytestmark = pytest.mark.django_db


def api(client, **params):
    response = client.get(reverse("search_api"), params)
    assert response.status_code == 200, response.content
    return response.json()


def titles(payload):
    return [result["title"] for result in payload["results"]]


def test_search_page_keeps_its_address():
    assert reverse("search") == "/haku/"


def test_every_word_of_the_query_must_match(client, site_tree):
    """Each word stands for several index terms; one word's terms must not stand in for another's."""
    EssayPageFactory(title="Molemmat", body=paragraphs("Asiakaskokemus ja palvelumuotoilu kulkevat yhdessä."))
    EssayPageFactory(title="Vain toinen", body=paragraphs("Asiakaskokemusta mitataan kohtaamisissa."))
    payload = api(client, q="asiakaskokemusta palvelumuotoilua")
    assert titles(payload) == ["Molemmat"]
    assert payload["count"] == 1


# More words than a snippet shows, none of them a match.
FILLER = " ".join(f"sana{number}" for number in range(60))


def test_snippet_finds_a_match_whose_stem_differs_from_the_query(client, site_tree):
    """ "on" shares only its first letter with "olla": the snippet still starts near it."""
    EssayPageFactory(title="Kaivo", body=paragraphs(f"{FILLER} Kaivo on syvä."))
    snippet = api(client, q="olla")["results"][0]["snippet"]
    assert "<mark>on</mark>" in snippet
    assert "sana0 " not in snippet


def test_snippet_starts_at_an_earlier_match_with_consonant_gradation(client, site_tree):
    EssayPageFactory(title="Tie", body=paragraphs(f"Alussa kadun varrella. {FILLER} Lopussa katu."))
    snippet = api(client, q="katu")["results"][0]["snippet"]
    assert "<mark>kadun</mark>" in snippet
    assert "Lopussa" not in snippet


def test_snippet_starts_at_the_first_of_several_matches(client, site_tree):
    EssayPageFactory(title="Kaksi", body=paragraphs(f"Alussa asiakaskokemus. {FILLER} Lopussa asiakaskokemukseen."))
    snippet = api(client, q="asiakaskokemus")["results"][0]["snippet"]
    assert "Alussa <mark>asiakaskokemus</mark>" in snippet
    assert "Lopussa" not in snippet


def test_essay_hit_names_its_authors_in_order_their_team_once_and_its_books(client, site_tree):
    pinkut = TeamFactory(name="Pinkut")
    ville, anna = PersonFactory(name="Ville Väre", team=pinkut), PersonFactory(name="Anna Aalto", team=pinkut)
    books = [BookFactory(title="Strategiana asiakaskokemus"), BookFactory(title="Palvelumuotoilu")]
    EssayPageFactory(title="Yhteinen", body=paragraphs("Teksti"), authors=[ville, anna], books=books)
    result = api(client, q="yhteinen")["results"][0]
    assert result["authors"] == ["Ville Väre", "Anna Aalto"]
    assert result["teams"] == ["Pinkut"]
    assert result["books"] == ["Strategiana asiakaskokemus", "Palvelumuotoilu"]


def test_results_page_reads_as_many_queries_for_six_essays_as_for_three(client, site_tree):
    """Bylines, books and addresses are read for all hits at once, not per hit. (Fewer than three
    results would also look up a dotted spelling of the query: search.spelling.)"""
    book = BookFactory(title="Lähdekirja")
    # What a server reads once (index sizes, content types, site roots) is read before counting.
    EssayPageFactory(title="Lämmittely", body=paragraphs("Teksti"), books=[book])
    api(client, q="lämmittely")
    queries = {}
    for count in (3, 6):
        author = PersonFactory(name=f"Kirjoittaja {count}", team=TeamFactory(name=f"Joukkotiimi {count}"))
        for number in range(count):
            EssayPageFactory(
                title=f"Joukko{count} {number}", body=paragraphs("Teksti"), authors=[author], books=[book]
            )
        with CaptureQueriesContext(connection) as captured:
            payload = api(client, q=f"joukko{count}")
        assert payload["count"] == count
        queries[count] = len(captured.captured_queries)
    assert queries[6] == queries[3]


def test_snippet_escapes_html(client, site_tree):
    EssayPageFactory(title="Skripti", body=paragraphs("Asiakaskokemus &lt;script&gt;alert(1)&lt;/script&gt;"))
    snippet = api(client, q="asiakaskokemus")["results"][0]["snippet"]
    assert "<script>" not in snippet


def test_essay_found_by_its_author_marks_the_name_in_the_byline(client, site_tree):
    aino = PersonFactory(name="Aino <Aalto>")
    EssayPageFactory(title="Strategia", body=paragraphs("Muuta tekstiä"), authors=[aino])
    # Essays only: the person's own hit would show her name marked as its title.
    content = client.get(reverse("search"), {"q": "ainon", "laji": "essee"}).content.decode()
    assert "<mark>Aino</mark> &lt;Aalto&gt;" in content


def test_protected_and_community_essays_stay_hidden_from_anonymous(client, site_tree):
    EssayPageFactory(title="Julkinen", body=paragraphs("Salainen resepti"))
    EssayPageFactory(title="Yhteisön", body=paragraphs("Salainen resepti"), visibility=EssayPage.Visibility.COMMUNITY)
    EssayPageFactory(title="Suojattu", body=paragraphs("Salainen resepti"), visibility=EssayPage.Visibility.PROTECTED)
    assert titles(api(client, q="resepti")) == ["Julkinen"]


def test_protected_essay_stays_out_of_facets_for_other_members(member_client, site_tree):
    book = BookFactory(title="Salainen kirja")
    EssayPageFactory(
        title="Suojattu", body=paragraphs("Resepti"), books=[book], visibility=EssayPage.Visibility.PROTECTED
    )
    EssayPageFactory(title="Julkinen", body=paragraphs("Resepti"))
    payload = api(member_client, q="resepti")
    assert titles(payload) == ["Julkinen"]
    assert book.slug not in payload["facets"]["kirja"]


def test_author_finds_own_protected_essay(client_for, site_tree):
    user = UserFactory(username="kirjoittaja")
    author = PersonFactory(name="Oma Kirjoittaja", user=user)
    EssayPageFactory(
        title="Suojattu", body=paragraphs("Resepti"), authors=[author], visibility=EssayPage.Visibility.PROTECTED
    )
    assert titles(api(client_for(user), q="resepti")) == ["Suojattu"]


def test_community_essay_found_by_member(member_client, site_tree):
    EssayPageFactory(title="Yhteisön", body=paragraphs("Resepti"), visibility=EssayPage.Visibility.COMMUNITY)
    assert titles(api(member_client, q="resepti")) == ["Yhteisön"]


def test_autocomplete_never_offers_protected_essay_titles(client, site_tree):
    EssayPageFactory(title="Salaisuuksien kirja", visibility=EssayPage.Visibility.PROTECTED)
    response = client.get(reverse("search_autocomplete"), {"q": "salai"})
    assert response.json()["suggestions"] == []


@pytest.fixture
def faceted(site_tree):
    pinkut, kiitäjät = TeamFactory(name="Pinkut"), TeamFactory(name="Kiitäjät")
    anna, ville = PersonFactory(name="Anna Aalto", team=pinkut), PersonFactory(name="Ville Väre", team=kiitäjät)
    book = BookFactory(title="Strategiana asiakaskokemus")
    EssayPageFactory(
        title="Ensimmäinen", body=paragraphs("Palvelumuotoilu"), authors=[anna], books=[book], tags=["palvelu"]
    )
    EssayPageFactory(
        title="Toinen",
        body=paragraphs("Palvelumuotoilua"),
        authors=[ville],
        tags=["palvelu"],
        written=datetime.date(2021, 1, 2),
    )
    EssayPageFactory(title="Kolmas", body=paragraphs("Palvelumuotoilun"), authors=[anna], books=[book])
    return {"book": book, "pinkut": pinkut, "anna": anna}


def test_facets_count_matching_essays(client, faceted):
    facets = api(client, q="palvelumuotoilu")["facets"]
    assert facets["kirja"] == {faceted["book"].slug: 2}
    assert facets["tiimi"][faceted["pinkut"].slug] == 2
    assert facets["vuosi"] == {"2018": 2, "2021": 1}
    assert facets["type"] == {"essee": 3}


def test_facets_combine_with_each_other(client, faceted):
    payload = api(client, q="palvelumuotoilu", kirja=faceted["book"].slug, tagi="palvelu")
    assert titles(payload) == ["Ensimmäinen"]
    assert payload["facets"]["vuosi"] == {"2018": 1}


def test_concept_facet_limits_to_essays_tagged_with_its_term(client, faceted):
    ConceptPageFactory(title="palvelu", slug="palvelu")
    payload = api(client, q="palvelumuotoilu", kasite="palvelu")
    assert sorted(titles(payload)) == ["Ensimmäinen", "Toinen"]
    assert payload["facets"]["concept"] == {"palvelu": 2}


def test_concept_filter_finds_the_essays_its_count_promises_for_a_tag_with_a_capital_umlaut(client, site_tree):
    ConceptPageFactory(title="älykkyys", slug="alykkyys")
    EssayPageFactory(title="Tunneäly", body=paragraphs("Palvelumuotoilu"), tags=["Älykkyys"])
    payload = api(client, q="palvelumuotoilu", kasite="alykkyys")
    assert (titles(payload), payload["facets"]["concept"]) == (["Tunneäly"], {"alykkyys": 1})


@pytest.mark.parametrize("slug", ["ei-ole", "tagiton"])
def test_concept_filter_that_leaves_no_essay_answers_with_no_results(client, faceted, slug):
    """An unknown concept, or one whose terms tag no essay, is an empty result, not a server error."""
    ConceptPageFactory(title="tagiton", slug="tagiton")
    assert api(client, q="palvelumuotoilu", kasite=slug)["count"] == 0
    assert client.get(reverse("search"), {"q": "palvelumuotoilu", "kasite": slug}).status_code == 200


def test_newest_sort_puts_latest_essay_first(client, faceted):
    assert titles(api(client, q="palvelumuotoilu", jarjestys="uusin"))[0] == "Toinen"


def test_title_sort_uses_finnish_order(client, site_tree):
    for title in ("Öljy ja asiakas", "Zeta ja asiakas", "Ääni ja asiakas", "Aalto ja asiakas"):
        EssayPageFactory(title=title, body=paragraphs("asiakas"))
    assert titles(api(client, q="asiakas", jarjestys="otsikko")) == [
        "Aalto ja asiakas",
        "Zeta ja asiakas",
        "Ääni ja asiakas",
        "Öljy ja asiakas",
    ]


def test_search_page_shows_twenty_results_a_page_by_default(client, site_tree):
    response = client.get(reverse("search"), {"q": "sivutus"})
    assert response.context["results"].paginator.per_page == 20


def test_results_are_paginated(client, site_tree, settings):
    settings.SEARCH_API_RESULTS_PER_PAGE = 2
    for number in range(3):
        EssayPageFactory(title=f"Essee {number}", body=paragraphs("Sivutus"))
    first, second = api(client, q="sivutus"), api(client, q="sivutus", page=2)
    assert (first["count"], first["pages"], len(first["results"]), len(second["results"])) == (3, 2, 2, 1)


def test_phrase_matches_inflected_words_in_order_only(client, site_tree):
    EssayPageFactory(title="Järjestyksessä", body=paragraphs("Asiakaskokemuksen johtaminen on taitoa."))
    EssayPageFactory(title="Väärin päin", body=paragraphs("Johtaminen ja asiakaskokemus ovat eri asioita."))
    assert titles(api(client, q='"asiakaskokemus johtamista"')) == ["Järjestyksessä"]


def test_phrase_matches_an_inflected_unknown_name(client, site_tree):
    EssayPageFactory(title="Nimi ensin", body=paragraphs("Kahnemanin kirjassa kerrotaan ajattelusta."))
    EssayPageFactory(title="Nimi lopussa", body=paragraphs("Kirjassa Kahneman kertoo ajattelusta."))
    assert titles(api(client, q='"Kahneman kirja"')) == ["Nimi ensin"]


def test_phrase_and_a_word_outside_it_both_narrow_the_hits(client, site_tree):
    EssayPageFactory(title="Molemmat", body=paragraphs("Asiakaskokemuksen johtaminen vaatii kirjan."))
    EssayPageFactory(title="Vain fraasi", body=paragraphs("Asiakaskokemuksen johtaminen on taitoa."))
    EssayPageFactory(title="Vain sana", body=paragraphs("Kirja johtamisesta ja asiakaskokemuksesta."))
    assert titles(api(client, q='kirja "asiakaskokemus johtamista"')) == ["Molemmat"]


def test_words_of_a_phrase_are_not_searched_apart_from_it():
    request = SearchRequest.from_query({"q": 'kirja "asiakkaan kokemus" "tiimi" Kortesuo'})
    assert request.loose_words == ["kirja", "tiimi", "Kortesuo"]
    assert request.words == ["kirja", "asiakkaan", "kokemus", "tiimi", "Kortesuo"]


def test_narrow_facet_finds_a_match_ranked_below_many_others(client, site_tree, monkeypatch):
    """The ranked SQLite search reads the index in growing chunks until the facet's essays are found."""
    monkeypatch.setattr("search.backends.database.CHUNK", 1)
    book = BookFactory(title="Harvinainen kirja")
    for number in range(6):
        EssayPageFactory(title=f"Sivutus {number}", body=paragraphs("Sivutus sivutus sivutus"))
    EssayPageFactory(title="Kirjan essee", body=paragraphs("Sivutus ja paljon muuta tekstiä tässä."), books=[book])
    payload = api(client, q="sivutus", kirja=book.slug)
    assert (titles(payload), payload["count"]) == (["Kirjan essee"], 1)


def test_essay_dwelling_on_every_query_word_ranks_first(client, site_tree):
    """Relevance grows with how much an essay says about the words, for one word and for several."""
    for number in range(5):
        EssayPageFactory(title=f"Muuta {number}", body=paragraphs("Tiimi kokoontuu aamulla suunnittelemaan viikkoa."))
    EssayPageFactory(
        title="Ohimennen",
        body=paragraphs(
            "Asiakaskokemus mainitaan kerran. " + "Tiimi kirjoittaa raporttia. " * 30 + "Samoin palvelumuotoilu."
        ),
    )
    EssayPageFactory(
        title="Aiheesta",
        body=paragraphs("Asiakaskokemus ja palvelumuotoilu. Palvelumuotoilu parantaa asiakaskokemusta."),
    )
    assert titles(api(client, q="asiakaskokemus"))[0] == "Aiheesta"
    assert titles(api(client, q="asiakaskokemus palvelumuotoilu"))[0] == "Aiheesta"


def test_books_in_an_index_of_many_essays_are_found_and_suggested(client, site_tree, monkeypatch):
    """A model with few entries among many is found from the postings, and suggested by SQLite's
    probed plan for an autocomplete prefix."""
    monkeypatch.setattr("search.backends.database.MANY_ENTRIES", 5)
    for number in range(6):
        EssayPageFactory(title=f"Palvelumuotoilu {number}", body=paragraphs("Palvelumuotoilu arjessa."))
    BookFactory(title="Palvelumuotoilun perusteet")
    assert titles(api(client, q="palvelumuotoilua", type="kirja")) == ["Palvelumuotoilun perusteet"]
    suggestions = client.get(reverse("search_autocomplete"), {"q": "palvelumuotoilun"}).json()["suggestions"]
    assert [suggestion["title"] for suggestion in suggestions] == ["Palvelumuotoilun perusteet"]


def test_counts_and_facets_cover_every_match_not_only_the_page(client, site_tree, settings):
    settings.SEARCH_API_RESULTS_PER_PAGE = 2
    for number in range(3):
        EssayPageFactory(title=f"Essee {number}", body=paragraphs("Laskenta"), written=datetime.date(2019, 5, 1))
    payload = api(client, q="laskenta")
    assert (len(payload["results"]), payload["count"], payload["facets"]["vuosi"]) == (2, 3, {"2019": 3})


def test_results_page_shows_highlighted_hits_and_facets(client, faceted):
    response = client.get(reverse("search"), {"q": "palvelumuotoilu"})
    content = response.content.decode()
    assert response.status_code == 200
    assert "<mark>Palvelumuotoilua</mark>" in content
    assert "Pinkut (2)" in content


def test_no_results_page_suggests_nearest_concept(client, site_tree):
    ConceptPageFactory(title="palvelumuotoilu")
    response = client.get(reverse("search"), {"q": "palvelumuotoliu"})
    assert response.context["suggestions"] == ["palvelumuotoilu"]


def test_essay_facets_are_left_out_while_another_content_type_is_shown(client, faceted):
    """Essay facets do not narrow concepts: offering them there led to empty pages."""
    ConceptPageFactory(title="palvelumuotoilu")
    payload = api(client, q="palvelumuotoilu", type="kasite")
    assert titles(payload) == ["palvelumuotoilu"]
    assert payload["facets"]["type"] == {"essee": 3, "kasite": 1}
    assert set(payload["facets"]) == {"type", "concept"} and not payload["facets"]["concept"]


def test_filtered_search_without_results_offers_the_search_without_filters(client, faceted):
    ConceptPageFactory(title="palvelumuotoilu")
    response = client.get(reverse("search"), {"q": "palvelumuotoilu", "vuosi": "2019"})
    assert response.context["results"].paginator.count == 0
    assert 'href="/haku/?q=palvelumuotoilu"' in response.content.decode()
    assert "palvelumuotoilu" not in response.context["suggestions"]


@pytest.mark.parametrize("query", ["😀", '"""', "-"])
def test_search_without_words_says_so(client, site_tree, query):
    response = client.get(reverse("search"), {"q": query})
    assert response.status_code == 200
    assert "Haussa ei ole sanoja" in response.content.decode()


def test_autocomplete_suggests_titles_with_finnish_letters(client, site_tree):
    ConceptPageFactory(title="asiakasymmärrys")
    suggestions = client.get(reverse("search_autocomplete"), {"q": "asiakasymm"}).json()["suggestions"]
    assert [suggestion["title"] for suggestion in suggestions] == ["asiakasymmärrys"]


def test_autocomplete_offers_concepts_books_and_people_before_essays(client, site_tree):
    EssayPageFactory(title="Asiakasymmärryksen essee")
    ConceptPageFactory(title="asiakasymmärrys")
    BookFactory(title="Asiakasymmärryksen kirja")
    suggestions = client.get(reverse("search_autocomplete"), {"q": "asiakasymm"}).json()["suggestions"]
    assert [suggestion["type"] for suggestion in suggestions] == ["kasite", "kirja", "essee"]


def test_autocomplete_full_before_the_essays_does_not_search_them(client, site_tree):
    """Essays are the most titles by far; once the other types fill the suggestions they are not asked."""
    EssayPageFactory(title="Asiakasymmärryksen essee")
    for number in range(8):
        BookFactory(title=f"Asiakasymmärrys {number}")
    with CaptureQueriesContext(connection) as queries:
        suggestions = client.get(reverse("search_autocomplete"), {"q": "asiakasymm"}).json()["suggestions"]
    assert {suggestion["type"] for suggestion in suggestions} == {"kirja"}
    assert not [query for query in queries.captured_queries if EssayPage._meta.db_table in query["sql"]]


def test_autocomplete_does_not_fold_ä_to_a(client, site_tree):
    ConceptPageFactory(title="sääntö")
    response = client.get(reverse("search_autocomplete"), {"q": "saan"})
    assert response.json()["suggestions"] == []


def test_search_page_box_names_the_autocomplete_endpoint(client, site_tree):
    content = client.get(reverse("search"), {"q": "x"}).content.decode()
    assert 'data-autocomplete="/api/search/autocomplete/"' in content


@pytest.mark.parametrize(
    ("title", "query"), [("ISO 9001:2015 käytännössä", "2015"), ("1:1-keskustelut", "keskustelut")]
)
def test_word_after_a_colon_in_a_title_finds_the_essay(client, site_tree, title, query):
    """The analysed text holds every piece of a word with a colon, as database parsers split it."""
    EssayPageFactory(title=title, body=paragraphs("Laatu ja johtaminen."))
    assert titles(api(client, q=query)) == [title]


def test_concept_named_by_the_query_comes_first(client, site_tree):
    """A reader typing a concept's term, in any inflection, is looking for that concept's page,
    however often shorter texts repeat the word."""
    ConceptPageFactory(
        title="kosketuspiste",
        definition="Asiakaskokemus syntyy kosketuspisteissä: asiakaskokemus, asiakaskokemus, asiakaskokemus.",
    )
    ConceptPageFactory(
        title="asiakaskokemus",
        definition="Asiakkaan kokonaiskuva yrityksestä. " + "Se rakentuu monista kohtaamisista ja tunteista. " * 8,
    )
    payload = api(client, q="asiakaskokemukseen")
    assert titles(payload)[0] == "asiakaskokemus"
    assert sorted(titles(payload)) == ["asiakaskokemus", "kosketuspiste"]


def test_named_concept_is_shown_once_across_the_pages_of_results(client, site_tree, settings):
    settings.SEARCH_API_RESULTS_PER_PAGE = 2
    for number in range(3):
        EssayPageFactory(title=f"Essee {number}", body=paragraphs("Asiakaskokemus " * 5))
    # By its score alone the long definition would come last, on the second page.
    ConceptPageFactory(title="asiakaskokemus", definition="Asiakkaan kokonaiskuva. " + "Pitkä selitys. " * 20)
    first, second = api(client, q="asiakaskokemus"), api(client, q="asiakaskokemus", page=2)
    shown = titles(first) + titles(second)
    assert shown[0] == "asiakaskokemus"
    assert (len(shown), len(set(shown)), first["count"]) == (4, 4, 4)


def test_pages_of_equally_relevant_hits_of_several_types_neither_repeat_nor_skip_a_hit(client, site_tree, settings):
    """Each page asks every type for its best hits up to the page's end; among equal scores that
    prefix must be the same on every page, or a hit shows twice and another never."""
    settings.SEARCH_API_RESULTS_PER_PAGE = 4
    for number in range(7):
        EssayPageFactory(title="Tasapeli", body=paragraphs("Tasapeli"))
        BookSummaryPageFactory(title="Tasapeli", body=paragraphs("Tasapeli"))
        # Titles of the same length: books are told apart by their title.
        BookFactory(title=f"Tasapeli {number}")
    first = api(client, q="tasapeli")
    pages = [first] + [api(client, q="tasapeli", page=number) for number in range(2, first["pages"] + 1)]
    shown = [(result["type"], result["url"]) for page in pages for result in page["results"]]
    assert (len(shown), len(set(shown)), first["count"]) == (21, 21, 21)


def test_equally_relevant_essays_come_newest_first(client, site_tree):
    essays = [EssayPageFactory(title="Tasapeli", body=paragraphs("Tasapeli")) for _ in range(5)]
    urls = [result["url"] for result in api(client, q="tasapeli")["results"]]
    assert urls == [f"http://testserver{essay.url}" for essay in reversed(essays)]
