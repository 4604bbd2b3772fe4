"""Every page type and view renders with its metadata and links to what it is connected to."""

import datetime
import re

import pytest
from pytest_django.asserts import assertContains, assertNotContains
from wagtail.test.utils import WagtailPageTestCase

from concepts.models import ConceptRelation
from essaybank.site_structure import ensure_site_structure
from essays.models import EssayIndexPage, EssayType
from tests.factories import (
    BookFactory,
    BookSummaryPageFactory,
    CategoryFactory,
    CoachFactory,
    ConceptPageFactory,
    EssayPageFactory,
    PersonFactory,
    TeamFactory,
    paragraphs,
    words,
)

pytestmark = pytest.mark.usefixtures("without_index_updates")


@pytest.fixture
def world(site_tree):
    """A small connected bank: a team and its coach, two writers, a book, an essay, a summary and a concept."""
    coach = CoachFactory(name="Kaisa Valmentaja")
    team = TeamFactory(name="Pinkut", coach=coach, start_year=2016)
    aino = PersonFactory(name="Aino Aaltonen", team=team)
    ville = PersonFactory(name="Ville Virtanen", team=team)
    book = BookFactory(
        title="Asiakaskokemus", year=2011, publisher="Talentum", author_names=["Janne Löytänä", "Katleena Kortesuo"]
    )
    category = CategoryFactory(number="2.2", name="Tiimityön taidot ja työkalut")
    essay = EssayPageFactory(
        title="Kohtaamiset ratkaisevat",
        slug="kohtaamiset-ratkaisevat",
        written=datetime.date(2018, 5, 26),
        authors=[aino, ville],
        books=[book],
        tags=["asiakaskokemus", "palvelu"],
        categories=[category],
        other_sources=[("source", {"reference": "Blogikirjoitus kosketuspisteistä", "url": "https://example.org/k"})],
    )
    summary = BookSummaryPageFactory(
        title="Tiivistelmä: Asiakaskokemus",
        book=book,
        summary_author=aino,
        written=datetime.date(2019, 3, 4),
        key_insights=[("insight", "Asiakas päättää, millainen kokemus on.")],
    )
    concept = ConceptPageFactory(
        title="asiakaskokemus",
        slug="asiakaskokemus",
        english_term="customer experience",
        synonyms="CX\nasiakkaan kokemus",
        definition="Asiakkaan tulkinta kaikista kohtaamisista yrityksen kanssa.",
        definition_book=book,
        definition_page="11",
    )
    return {
        "site": site_tree,
        "coach": coach,
        "team": team,
        "aino": aino,
        "ville": ville,
        "book": book,
        "category": category,
        "essay": essay,
        "summary": summary,
        "concept": concept,
    }


def link(url, text):
    return f'<a href="{url}">{text}</a>'


# Home page


def test_home_page_is_served_at_site_root(client, world):
    response = client.get("/")
    assert response.status_code == 200
    assert response.context["page"].specific == world["site"].home


def test_home_page_links_to_books_concepts_and_essays(client, world):
    response = client.get("/")
    assertContains(response, 'href="/kirjat/"')
    assertContains(response, f'href="{world["site"].concept_index.url}"')
    assertContains(response, f'href="{world["site"].essay_index.url}"')


def test_home_page_shows_newest_essays(client, world):
    older = EssayPageFactory(title="Vanha essee", written=datetime.date(2015, 1, 1))
    response = client.get("/")
    newest = list(response.context["newest_essays"])
    assert newest[0] == world["essay"]
    assert older in newest
    assertContains(response, link(world["essay"].url, "Kohtaamiset ratkaisevat"), html=True)


def test_home_page_shows_at_most_six_newest_essays(client, site_tree):
    for day in range(1, 9):
        EssayPageFactory(written=datetime.date(2020, 1, day))
    response = client.get("/")
    newest = list(response.context["newest_essays"])
    assert len(newest) == 6
    assert newest[0].written == datetime.date(2020, 1, 8)


def test_home_page_lists_books_and_concepts(client, world):
    response = client.get("/")
    assertContains(response, link(world["book"].get_absolute_url(), "Asiakaskokemus"), html=True)
    assertContains(response, link(world["concept"].url, "asiakaskokemus"), html=True)


def test_home_page_menu_links_to_sections(client, world):
    response = client.get("/")
    for section in (world["site"].essay_index, world["site"].summary_index, world["site"].concept_index):
        assertContains(response, link(section.url, section.title), html=True)


# Essay index


def test_essay_index_lists_essay_with_link_and_authors(client, world):
    response = client.get(world["site"].essay_index.url)
    assert response.status_code == 200
    assertContains(response, link(world["essay"].url, "Kohtaamiset ratkaisevat"), html=True)
    assertContains(response, link(world["aino"].get_absolute_url(), "Aino Aaltonen"), html=True)


def test_essay_index_offers_filter_choices_from_the_essays(client, world):
    response = client.get(world["site"].essay_index.url)
    options = response.context["filter_options"]
    assert [value for value, *_rest in options["kirja"]] == [world["book"].slug]
    assert [value for value, *_rest in options["tiimi"]] == [world["team"].slug]
    assert [value for value, *_rest in options["vuosi"]] == ["2018"]


# Essay page


def test_essay_page_shows_title(client, world):
    response = client.get(world["essay"].url)
    assert response.status_code == 200
    assertContains(response, "<h1>Kohtaamiset ratkaisevat</h1>", html=True)


def test_essay_page_links_each_author_to_person_page(client, world):
    response = client.get(world["essay"].url)
    assertContains(response, link("/ihmiset/aino-aaltonen/", "Aino Aaltonen"), html=True)
    assertContains(response, link("/ihmiset/ville-virtanen/", "Ville Virtanen"), html=True)


def test_essay_page_links_to_authors_team(client, world):
    response = client.get(world["essay"].url)
    assertContains(response, link("/tiimit/pinkut/", "Pinkut"), html=True)


def test_essay_page_shows_team_at_time_of_writing(client, world):
    """An author who has moved to another team is still shown with the team they wrote in."""
    world["aino"].team = TeamFactory(name="Uusi tiimi")
    world["aino"].save()
    response = client.get(world["essay"].url)
    assertContains(response, link("/tiimit/pinkut/", "Pinkut"), html=True)
    assertNotContains(response, "Uusi tiimi")


def test_essay_page_links_to_book(client, world):
    response = client.get(world["essay"].url)
    assertContains(response, link("/kirjat/asiakaskokemus/", "Asiakaskokemus"), html=True)


def test_essay_page_lists_book_sources_with_their_authors(client, world):
    response = client.get(world["essay"].url)
    assertContains(response, "Löytänä")
    assertContains(response, "Kortesuo")


def test_essay_page_links_category_to_filtered_index(client, world):
    response = client.get(world["essay"].url)
    assertContains(response, link("/esseet/?kategoria=2.2", "2.2. Tiimityön taidot ja työkalut"), html=True)


def test_essay_page_links_tags_to_filtered_index(client, world):
    response = client.get(world["essay"].url)
    assertContains(response, link("/esseet/?tagi=asiakaskokemus", "asiakaskokemus"), html=True)
    assertContains(response, link("/esseet/?tagi=palvelu", "palvelu"), html=True)


def test_essay_page_shows_date_as_day_month_year(client, world):
    response = client.get(world["essay"].url)
    assertContains(response, '<time datetime="2018-05-26">26.5.2018</time>', html=True)


def test_essay_page_shows_essay_type(client, world):
    response = client.get(world["essay"].url)
    assertContains(response, EssayType.objects.get(code="individual").name)


def test_essay_page_lists_other_sources(client, world):
    response = client.get(world["essay"].url)
    assertContains(
        response, '<a href="https://example.org/k" rel="nofollow">Blogikirjoitus kosketuspisteistä</a>', html=True
    )


def test_essay_sources_books_and_others_together_are_in_finnish_alphabetical_order(client, site_tree):
    books = [
        BookFactory(title=title, author_names=[author]) for title, author in (("Ö", "Öhman Ölli"), ("A", "Aalto Anna"))
    ]
    others = [
        ("source", {"reference": reference, "url": ""}) for reference in ("Zetterberg 2020. Z.", "Mäki 2019. M.")
    ]
    essay = EssayPageFactory(books=books, other_sources=others)
    html = client.get(essay.url).content.decode()
    section = html[html.index('class="bibliography"') :]
    positions = [section.index(name) for name in ("Aalto", "Mäki", "Zetterberg", "Öhman")]
    assert positions == sorted(positions)


def test_english_essay_marks_only_its_own_text_english(client, site_tree):
    essay = EssayPageFactory(title="Team learning", language="en", body=paragraphs("We learn together."))
    html = client.get(essay.url).content.decode()
    assert '<html lang="fi">' in html
    assert '<h1 lang="en">Team learning</h1>' in html
    assert re.search(r'<div class="essay-body" lang="en">.*We learn together', html, re.S)
    assert html.count('lang="en"') == 2


def test_english_essay_title_is_marked_english_in_listings(client, site_tree):
    EssayPageFactory(title="Team learning", language="en")
    html = client.get(site_tree.essay_index.url).content.decode()
    assert re.search(r'<a href="[^"]+" lang="en">Team learning</a>', html)


def test_home_page_title_names_the_bank_once(client, world):
    html = client.get("/").content.decode()
    title = re.search(r"<title>(.*?)</title>", html, re.S).group(1).strip()
    assert title == world["site"].home.title


def test_search_button_says_hae(client, world):
    html = client.get("/").content.decode()
    assert '<button type="submit">Hae</button>' in html


def test_essay_page_links_to_concepts_of_its_tags(client, world):
    response = client.get(world["essay"].url)
    assertContains(response, link(world["concept"].url, "asiakaskokemus"), html=True)


def test_essay_page_renders_body_blocks(client, site_tree):
    essay = EssayPageFactory(
        body=[
            ("heading", {"text": "Aluksi", "level": "h2"}),
            ("paragraph", paragraphs("Ensimmäinen kappale.")[0][1]),
            ("quote", {"quote": "Asiakas kokee.", "attribution": "Löytänä"}),
            ("bullet_list", ["yksi", "kaksi"]),
        ]
    )
    response = client.get(essay.url)
    assertContains(response, "<h2>Aluksi</h2>", html=True)
    assertContains(response, "<p>Ensimmäinen kappale.</p>", html=True)
    assertContains(response, "<footer>— Löytänä</footer>", html=True)
    assertContains(response, "<ul><li>yksi</li><li>kaksi</li></ul>", html=True)


def test_essay_reading_time_of_short_essay_is_one_minute_in_finnish(client, site_tree):
    essay = EssayPageFactory(body=paragraphs(words(250)))
    response = client.get(essay.url)
    assertContains(response, "Esseen arvioitu lukuaika on 1 minuutti")


def test_essay_reading_time_over_250_words_is_two_minutes_in_finnish(client, site_tree):
    essay = EssayPageFactory(body=paragraphs(words(200), words(51)))
    response = client.get(essay.url)
    assertContains(response, "Esseen arvioitu lukuaika on 2 minuuttia")


def test_essay_reading_time_is_recomputed_when_body_changes(site_tree):
    essay = EssayPageFactory(body=paragraphs(words(10)))
    essay.body = paragraphs(words(1000))
    essay.save()
    essay.refresh_from_db()
    assert essay.reading_minutes == 4


# Book summaries


def test_summary_index_lists_summary_with_book(client, world):
    response = client.get(world["site"].summary_index.url)
    assert response.status_code == 200
    assertContains(response, link(world["summary"].url, "Tiivistelmä: Asiakaskokemus"), html=True)
    assertContains(response, link(world["book"].get_absolute_url(), "Asiakaskokemus"), html=True)


def test_summary_page_links_to_book_and_writer(client, world):
    response = client.get(world["summary"].url)
    assert response.status_code == 200
    assertContains(response, link(world["book"].get_absolute_url(), "Asiakaskokemus"), html=True)
    assertContains(response, link(world["aino"].get_absolute_url(), "Aino Aaltonen"), html=True)
    assertContains(response, "4.3.2019")


def test_summary_page_lists_key_insights(client, world):
    response = client.get(world["summary"].url)
    assertContains(response, "<li>Asiakas päättää, millainen kokemus on.</li>", html=True)


# Concepts


def test_concept_index_lists_concepts_in_finnish_order(client, site_tree):
    for term in ("ääni", "öljy", "asiakas", "zeta"):
        ConceptPageFactory(title=term)
    response = client.get(site_tree.concept_index.url)
    assert response.status_code == 200
    assert [concept.title for concept in response.context["concepts"]] == ["asiakas", "zeta", "ääni", "öljy"]


def test_concept_index_shows_english_term(client, world):
    response = client.get(world["site"].concept_index.url)
    assertContains(response, link(world["concept"].url, "asiakaskokemus"), html=True)
    assertContains(response, "customer experience")


def test_concept_page_shows_terms_and_definition_with_source(client, world):
    response = client.get(world["concept"].url)
    assert response.status_code == 200
    assertContains(response, "customer experience")
    assertContains(response, "CX, asiakkaan kokemus")
    assertContains(response, "Asiakkaan tulkinta kaikista kohtaamisista yrityksen kanssa.")
    assertContains(
        response, link(world["book"].get_absolute_url(), "Janne Löytänä, Katleena Kortesuo 2011"), html=True
    )
    assertContains(response, ", 11</footer>")


def test_concept_page_lists_essays_tagged_with_its_term(client, world):
    response = client.get(world["concept"].url)
    assertContains(response, link(world["essay"].url, "Kohtaamiset ratkaisevat"), html=True)


def test_concept_page_lists_essays_tagged_with_a_synonym(client, world):
    essay = EssayPageFactory(title="CX-essee", tags=["cx"])
    response = client.get(world["concept"].url)
    assertContains(response, link(essay.url, "CX-essee"), html=True)


def test_concept_page_omits_essays_with_other_tags(client, world):
    essay = EssayPageFactory(title="Muu essee", tags=["johtaminen"], body=paragraphs("Johtaminen on taitoa."))
    response = client.get(world["concept"].url)
    assertNotContains(response, essay.url)


def test_concept_page_links_to_concepts_it_links(client, world):
    broader = ConceptPageFactory(title="kokemus")
    related = ConceptPageFactory(title="palvelumuotoilu")
    world["concept"].relations = [
        ConceptRelation(kind=ConceptRelation.Kind.BROADER, target=broader),
        ConceptRelation(kind=ConceptRelation.Kind.RELATED, target=related),
    ]
    world["concept"].save()
    response = client.get(world["concept"].url)
    linked = {
        str(heading): [concept.title for concept in concepts]
        for heading, concepts in response.context["linked_concepts"]
    }
    assert linked == {
        str(ConceptRelation.Kind.headings()[ConceptRelation.Kind.BROADER]): ["kokemus"],
        str(ConceptRelation.Kind.headings()[ConceptRelation.Kind.RELATED]): ["palvelumuotoilu"],
    }
    assertContains(response, link(broader.url, "kokemus"), html=True)
    assertContains(response, link(related.url, "palvelumuotoilu"), html=True)


@pytest.mark.parametrize(
    ("kind", "inverse"),
    [
        (ConceptRelation.Kind.BROADER, ConceptRelation.Kind.NARROWER),
        (ConceptRelation.Kind.NARROWER, ConceptRelation.Kind.BROADER),
        (ConceptRelation.Kind.RELATED, ConceptRelation.Kind.RELATED),
    ],
)
def test_concept_link_is_visible_from_the_other_page_with_inverse_kind(client, site_tree, kind, inverse):
    target = ConceptPageFactory(title="kosketuspiste")
    source = ConceptPageFactory(title="asiakaspolku", links=[(kind, target)])
    response = client.get(target.url)
    linked = {
        str(heading): [concept.title for concept in concepts]
        for heading, concepts in response.context["linked_concepts"]
    }
    assert linked == {str(ConceptRelation.Kind.headings()[inverse]): ["asiakaspolku"]}
    assertContains(response, link(source.url, "asiakaspolku"), html=True)


def test_concept_link_made_on_both_pages_is_listed_once(client, site_tree):
    target = ConceptPageFactory(title="kosketuspiste")
    source = ConceptPageFactory(title="asiakaspolku", links=[(ConceptRelation.Kind.RELATED, target)])
    target.relations = [ConceptRelation(kind=ConceptRelation.Kind.RELATED, target=source)]
    target.save()
    response = client.get(target.url)
    assertContains(response, link(source.url, "asiakaspolku"), html=True, count=1)


def test_concept_page_hides_links_to_unpublished_concepts(client, site_tree):
    target = ConceptPageFactory(title="kosketuspiste")
    draft = ConceptPageFactory(title="luonnos", links=[(ConceptRelation.Kind.RELATED, target)])
    draft.unpublish()
    response = client.get(target.url)
    assert response.context["linked_concepts"] == []


# Books, people and teams


def test_book_list_links_every_book_in_finnish_order(client, site_tree):
    books = {title: BookFactory(title=title) for title in ("Öljy ja vesi", "Asiakaskokemus", "Zeta", "Ääni")}
    response = client.get("/kirjat/")
    assert response.status_code == 200
    assert [book.title for book in response.context["books"]] == ["Asiakaskokemus", "Zeta", "Ääni", "Öljy ja vesi"]
    assert books["Ääni"].get_absolute_url() == "/kirjat/%C3%A4%C3%A4ni/"
    assertContains(response, link(books["Ääni"].get_absolute_url(), "Ääni"), html=True)


def test_book_page_shows_its_facts(client, world):
    world["book"].points = 2
    world["book"].recommendation = 3
    world["book"].isbn = "978-952-14-1234-5"
    world["book"].pages = 250
    world["book"].save()
    response = client.get("/kirjat/asiakaskokemus/")
    assert response.status_code == 200
    for fact in ("Janne Löytänä, Katleena Kortesuo", "2011", "Talentum", "978-952-14-1234-5", "3/3"):
        assertContains(response, fact)
    assertContains(response, "<dt>Sivumäärä</dt><dd>250</dd>", html=True)


def test_book_page_lists_every_essay_about_it(client, world):
    second = EssayPageFactory(title="Toinen essee", books=[BookFactory(), world["book"]])
    unrelated = EssayPageFactory(title="Muu essee", books=[BookFactory()])
    response = client.get("/kirjat/asiakaskokemus/")
    assertContains(response, link(world["essay"].url, "Kohtaamiset ratkaisevat"), html=True)
    assertContains(response, link(second.url, "Toinen essee"), html=True)
    assertNotContains(response, unrelated.url)


def test_book_page_lists_every_summary_of_it(client, world):
    second = BookSummaryPageFactory(title="Toinen tiivistelmä", book=world["book"])
    response = client.get("/kirjat/asiakaskokemus/")
    assertContains(response, link(world["summary"].url, "Tiivistelmä: Asiakaskokemus"), html=True)
    assertContains(response, link(second.url, "Toinen tiivistelmä"), html=True)


def test_book_page_lists_concepts_defined_in_it(client, world):
    response = client.get("/kirjat/asiakaskokemus/")
    assertContains(response, link(world["concept"].url, "asiakaskokemus"), html=True)


def test_book_page_of_unknown_book_is_404(client, site_tree):
    assert client.get("/kirjat/ei-ole/").status_code == 404


def test_book_with_finnish_letters_has_a_working_address(client, site_tree):
    book = BookFactory(title="Tiimiyrittäjän käsikirja")
    response = client.get(book.get_absolute_url())
    assert response.status_code == 200
    assert response.context["book"] == book


def test_person_page_lists_their_essays(client, world):
    own = EssayPageFactory(title="Oma essee", authors=[world["aino"]])
    others = EssayPageFactory(title="Toisen essee")
    response = client.get("/ihmiset/aino-aaltonen/")
    assert response.status_code == 200
    assertContains(response, "<h1>Aino Aaltonen</h1>", html=True)
    assertContains(response, link(world["essay"].url, "Kohtaamiset ratkaisevat"), html=True)
    assertContains(response, link(own.url, "Oma essee"), html=True)
    assertNotContains(response, others.url)


def test_person_page_links_to_their_team_and_summaries(client, world):
    response = client.get("/ihmiset/aino-aaltonen/")
    assertContains(response, link("/tiimit/pinkut/", "Pinkut"), html=True)
    assertContains(response, link(world["summary"].url, "Tiivistelmä: Asiakaskokemus"), html=True)


def test_person_page_of_coach_links_to_coached_teams(client, world):
    response = client.get(world["coach"].get_absolute_url())
    assert response.status_code == 200
    assertContains(response, link("/tiimit/pinkut/", "Pinkut"), html=True)


def test_person_page_of_unknown_person_is_404(client, site_tree):
    assert client.get("/ihmiset/ei-ole/").status_code == 404


def test_team_list_links_every_team_in_finnish_order(client, site_tree):
    for name in ("Öljyt", "Pinkut", "Äänet"):
        TeamFactory(name=name)
    response = client.get("/tiimit/")
    assert response.status_code == 200
    assert [team.name for team in response.context["teams"]] == ["Pinkut", "Äänet", "Öljyt"]
    assertContains(response, link("/tiimit/pinkut/", "Pinkut"), html=True)


def test_team_page_lists_members_coach_and_essays(client, world):
    response = client.get("/tiimit/pinkut/")
    assert response.status_code == 200
    assertContains(response, link("/ihmiset/aino-aaltonen/", "Aino Aaltonen"), html=True)
    assertContains(response, link("/ihmiset/ville-virtanen/", "Ville Virtanen"), html=True)
    assertContains(response, link(world["coach"].get_absolute_url(), "Kaisa Valmentaja"), html=True)
    assertContains(response, link(world["essay"].url, "Kohtaamiset ratkaisevat"), html=True)
    assertContains(response, "2016")


def test_team_page_lists_essay_of_two_team_members_once(client, world):
    response = client.get("/tiimit/pinkut/")
    assert list(response.context["essays"]) == [world["essay"]]


def test_team_page_of_unknown_team_is_404(client, site_tree):
    assert client.get("/tiimit/ei-ole/").status_code == 404


# Every page type with Wagtail's own helper


class EveryPageTypeIsRenderableTests(WagtailPageTestCase):
    def setUp(self):
        self.home = ensure_site_structure()

    def test_home_page(self):
        self.assertPageIsRenderable(self.home)

    def test_section_pages(self):
        for section in self.home.get_children().specific():
            with self.subTest(section=section.title):
                self.assertPageIsRenderable(section)

    def test_essay_index_with_filters(self):
        EssayPageFactory(tags=["palvelu"])
        self.assertPageIsRenderable(EssayIndexPage.objects.get(), query_data={"tagi": "palvelu", "sivu": "1"})

    def test_essay_page(self):
        self.assertPageIsRenderable(EssayPageFactory(books=[BookFactory()], tags=["palvelu"]))

    def test_book_summary_page(self):
        self.assertPageIsRenderable(BookSummaryPageFactory())

    def test_concept_page(self):
        self.assertPageIsRenderable(ConceptPageFactory(links=[("related", ConceptPageFactory())]))


@pytest.mark.parametrize("prefix", ["kirjat", "ihmiset", "tiimit"])
def test_a_record_slug_no_record_can_have_is_a_404(client, site_tree, prefix):
    assert client.get(f"/{prefix}/a%00b/").status_code == 404
