"""The essay index: filters, pagination and a constant number of queries."""

import datetime

import pytest
from django.db import connection
from django.http import QueryDict
from django.test.utils import CaptureQueriesContext

from essays.listing import EssayFilters
from essays.models import EssayType
from tests.factories import BookFactory, CategoryFactory, EssayPageFactory, PersonFactory, TeamFactory

pytestmark = pytest.mark.usefixtures("without_index_updates")


def listed(response):
    return {essay.title for essay in response.context["essays"]}


@pytest.fixture
def bank(site_tree):
    """Three essays that differ in book, author, team, category, tag, type and year."""
    pinkut, sinetit = TeamFactory(name="Pinkut"), TeamFactory(name="Sinetit")
    aino = PersonFactory(name="Aino Aaltonen", team=pinkut)
    ville = PersonFactory(name="Ville Virtanen", team=sinetit)
    asiakaskokemus, tiimi = BookFactory(title="Asiakaskokemus"), BookFactory(title="Tiimiakatemia")
    learning = CategoryFactory(number="1", name="Oppiminen")
    team_skills = CategoryFactory(number="2", name="Tiimityö")
    tools = CategoryFactory(number="2.2", name="Tiimityön taidot ja työkalut")
    blog = EssayType.objects.get(code="blog")
    academic = EssayType.objects.get(code="academic")
    EssayPageFactory(
        title="A",
        authors=[aino],
        books=[asiakaskokemus],
        categories=[learning],
        tags=["asiakaskokemus"],
        essay_type=blog,
        written=datetime.date(2018, 5, 26),
    )
    EssayPageFactory(
        title="B",
        authors=[ville],
        books=[tiimi],
        categories=[tools],
        tags=["tiimi"],
        essay_type=academic,
        written=datetime.date(2019, 1, 2),
    )
    EssayPageFactory(
        title="C",
        authors=[aino, ville],
        books=[asiakaskokemus, tiimi],
        categories=[team_skills],
        tags=["asiakaskokemus", "tiimi"],
        essay_type=academic,
        written=datetime.date(2019, 9, 30),
    )
    return site_tree.essay_index


def test_index_lists_every_essay_newest_first(client, bank):
    response = client.get(bank.url)
    assert [essay.title for essay in response.context["essays"]] == ["C", "B", "A"]


@pytest.mark.parametrize(
    ("parameter", "value", "expected"),
    [
        ("kirja", "asiakaskokemus", {"A", "C"}),
        ("kirjoittaja", "ville-virtanen", {"B", "C"}),
        ("tiimi", "pinkut", {"A", "C"}),
        ("kategoria", "1", {"A"}),
        ("kategoria", "2.2", {"B"}),
        ("tagi", "tiimi", {"B", "C"}),
        ("tyyppi", "academic", {"B", "C"}),
        ("vuosi", "2019", {"B", "C"}),
        ("vuosi", "2018", {"A"}),
    ],
)
def test_index_filters_by_one_parameter(client, bank, parameter, value, expected):
    response = client.get(bank.url, {parameter: value})
    assert response.status_code == 200
    assert listed(response) == expected


def test_parent_category_also_matches_its_subcategories(client, bank):
    """Category "2" lists essays filed under "2" and under "2.2"."""
    response = client.get(bank.url, {"kategoria": "2"})
    assert listed(response) == {"B", "C"}


def test_category_filter_does_not_match_a_number_that_only_starts_alike(client, bank):
    """Category "2" must not match "22" or "2x"; only "2" and "2.*"."""
    EssayPageFactory(title="D", categories=[CategoryFactory(number="22", name="Muu")])
    response = client.get(bank.url, {"kategoria": "2"})
    assert listed(response) == {"B", "C"}


def test_filters_combine(client, bank):
    response = client.get(bank.url, {"kirja": "asiakaskokemus", "tyyppi": "academic", "vuosi": "2019"})
    assert listed(response) == {"C"}


def test_filters_combine_to_nothing(client, bank):
    response = client.get(bank.url, {"tiimi": "pinkut", "kategoria": "2.2"})
    assert listed(response) == set()
    assert response.status_code == 200


def test_essay_with_two_matching_authors_is_listed_once(client, bank):
    response = client.get(bank.url, {"tagi": "asiakaskokemus", "kirja": "asiakaskokemus"})
    assert [essay.title for essay in response.context["essays"]] == ["C", "A"]


def test_unknown_filter_value_lists_nothing(client, bank):
    response = client.get(bank.url, {"kirjoittaja": "ei-ketaan"})
    assert response.status_code == 200
    assert listed(response) == set()


def test_selected_filter_is_marked_in_the_options(client, bank):
    response = client.get(bank.url, {"tiimi": "sinetit"})
    selected = [
        value for value, _text, _count, is_selected in response.context["filter_options"]["tiimi"] if is_selected
    ]
    assert selected == ["sinetit"]


def test_filter_options_count_essays(client, bank):
    response = client.get(bank.url)
    counts = {value: count for value, _text, count, _selected in response.context["filter_options"]["kirjoittaja"]}
    assert counts == {"aino-aaltonen": 2, "ville-virtanen": 2}


def options_of(response, name):
    return {value: count for value, _text, count, _selected in response.context["filter_options"][name]}


def test_filter_counts_honour_every_other_chosen_filter(client, bank):
    response = client.get(bank.url, {"tiimi": "pinkut"})
    assert options_of(response, "kirja") == {"asiakaskokemus": 2, "tiimiakatemia": 1}


def test_a_filters_own_options_are_counted_without_its_choice(client, bank):
    response = client.get(bank.url, {"tiimi": "pinkut"})
    assert options_of(response, "tiimi") == {"pinkut": 2, "sinetit": 2}


def test_options_that_would_list_nothing_are_not_offered(client, bank):
    response = client.get(bank.url, {"tyyppi": "blog"})
    assert options_of(response, "kirja") == {"asiakaskokemus": 1}


def test_a_chosen_option_that_lists_nothing_stays_chosen_with_count_zero(client, bank):
    response = client.get(bank.url, {"tiimi": "sinetit", "kategoria": "1"})
    chosen = [option for option in response.context["filter_options"]["kategoria"] if option[3]]
    assert chosen == [("1", "1. Oppiminen", 0, True)]


def test_an_empty_result_offers_to_drop_each_chosen_filter(client, bank):
    html = client.get(bank.url, {"tiimi": "pinkut", "kategoria": "2.2"}).content.decode()
    assert "Esseitä ei vielä ole" not in html
    section = html[html.index('class="filters-empty"') :]
    assert "?kategoria=2.2" in section and "ilman suodatinta Tiimi: Pinkut" in section
    assert "?tiimi=pinkut" in section and "ilman suodatinta Kategoria: 2.2. Tiimityön taidot ja työkalut" in section


@pytest.mark.parametrize("year", ["abc", "19", "20190", "2019-01", "²⁰¹⁹", "2019.0"])
def test_invalid_year_is_bad_request(client, bank, year):
    response = client.get(bank.url, {"vuosi": year})
    assert response.status_code == 400


def test_overlong_filter_value_is_bad_request(client, bank):
    response = client.get(bank.url, {"tagi": "x" * 201})
    assert response.status_code == 400


def test_null_character_in_a_filter_is_bad_request(client, bank):
    assert client.get(bank.url, {"kirja": "a\x00b"}).status_code == 400


@pytest.mark.parametrize(
    ("query", "error"),
    [
        ("tagi=" + "x" * 201, "Suodatin tagi on liian pitkä tai sisältää virheellisiä merkkejä."),
        ("kirja=a%00b", "Suodatin kirja on liian pitkä tai sisältää virheellisiä merkkejä."),
        ("vuosi=19", "Vuosi annetaan neljällä numerolla."),
        ("vuosi=19&tyyppi=%00", "Suodatin tyyppi on liian pitkä tai sisältää virheellisiä merkkejä."),
    ],
)
def test_filter_error_names_what_is_wrong(query, error):
    filters = EssayFilters(QueryDict(query))
    assert not filters.is_valid()
    assert filters.error == error


def test_filter_values_are_stripped_and_empty_ones_left_out():
    filters = EssayFilters(QueryDict("tagi=+tiimi+&kirja=&vuosi=2019&sivu=2"))
    assert filters.is_valid()
    assert filters.values == {"tagi": "tiimi", "vuosi": "2019"}
    assert filters.query_string == "tagi=tiimi&vuosi=2019"


def test_no_filters_is_false():
    assert not EssayFilters(QueryDict("sivu=2"))


def test_index_pages_hold_twenty_essays_by_default(client, site_tree):
    assert client.get(site_tree.essay_index.url).context["essays"].paginator.per_page == 20


def test_index_shows_a_page_of_essays_at_a_time(client, site_tree, settings):
    settings.ESSAYS_PER_PAGE = 3
    person = PersonFactory()
    for day in range(1, 6):
        EssayPageFactory(title=f"Essee {day:02d}", written=datetime.date(2020, 1, day), authors=[person])
    first = client.get(site_tree.essay_index.url)
    second = client.get(site_tree.essay_index.url, {"sivu": "2"})
    assert len(first.context["essays"]) == 3
    assert first.context["essays"].paginator.num_pages == 2
    assert [essay.title for essay in second.context["essays"]] == ["Essee 02", "Essee 01"]
    assert 'href="?sivu=2"' in first.content.decode()


def test_pagination_links_keep_the_filters(client, site_tree, settings):
    settings.ESSAYS_PER_PAGE = 2
    person = PersonFactory(name="Aino Aaltonen")
    for day in range(1, 4):
        EssayPageFactory(written=datetime.date(2020, 1, day), authors=[person], tags=["palvelu"])
    response = client.get(site_tree.essay_index.url, {"tagi": "palvelu"})
    assert 'href="?tagi=palvelu&amp;sivu=2"' in response.content.decode()


@pytest.mark.parametrize("page", ["abc", "99", "-1"])
def test_invalid_page_number_shows_a_page_not_an_error(client, bank, page):
    response = client.get(bank.url, {"sivu": page})
    assert response.status_code == 200


def make_rich_essays(count):
    """Essays with 2 authors, 2 books, 2 tags and a category each, as real essays have."""
    category = CategoryFactory(number="3", name="Asiakkuudet")
    for number in range(count):
        authors = [PersonFactory(), PersonFactory()]
        EssayPageFactory(
            title=f"Essee {number}",
            written=datetime.date(2018, 1, 1) + datetime.timedelta(days=number),
            authors=authors,
            books=[BookFactory(), BookFactory()],
            tags=[f"tagi{number}", "yhteinen"],
            categories=[category],
        )


def count_queries(client, url, params=None):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url, params or {})
    assert response.status_code == 200
    return len(queries), response


def test_index_query_count_does_not_grow_with_essays(client, site_tree, settings):
    settings.ESSAYS_PER_PAGE = 4
    url = site_tree.essay_index.url
    filtered = {"tagi": "yhteinen", "kategoria": "3", "vuosi": "2018"}
    make_rich_essays(3)
    client.get(url)  # warm per-process caches (site root paths, content types)
    few, response = count_queries(client, url)
    few_filtered, _response = count_queries(client, url, filtered)
    assert len(response.context["essays"]) == 3
    make_rich_essays(3)
    client.get(url)  # the facets are read again after the change
    many, response = count_queries(client, url)
    many_filtered, _response = count_queries(client, url, filtered)
    assert len(response.context["essays"]) == 4
    assert response.context["essays"].paginator.num_pages == 2
    assert (many, many_filtered) == (few, few_filtered)
