"""The Atom feeds: parsed as Atom, Finnish titles, only essays anyone may read."""

import feedparser
import pytest
from taggit.models import Tag

from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory, PersonFactory, TeamFactory, paragraphs

pytestmark = pytest.mark.django_db

HIDDEN_TITLES = {"Yhteisön essee", "Suojattu essee", "Luonnosessee", "Salasanaessee"}


def atom(client, url):
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    feed = feedparser.parse(response.content)
    assert feed.version == "atom10", feed.bozo_exception if feed.bozo else feed.version
    return feed


def titles(feed):
    return [entry.title for entry in feed.entries]


def test_newest_essays_feed_lists_public_essays_newest_first(client, site_tree):
    import datetime

    EssayPageFactory(title="Vanha", written=datetime.date(2019, 1, 1))
    EssayPageFactory(title="Uusi", written=datetime.date(2024, 1, 1))
    feed = atom(client, "/syotteet/esseet/")
    assert feed.feed.title == "Esseepankki: uusimmat esseet"
    assert titles(feed) == ["Uusi", "Vanha"]


def test_an_entry_links_to_the_essay_and_names_its_authors_and_first_lines(client, site_tree):
    essay = EssayPageFactory(
        title="Kohtaamiset",
        authors=[PersonFactory(name="Aino Virtanen")],
        body=paragraphs("Asiakaskokemus syntyy kohtaamisissa."),
    )
    entry = atom(client, "/syotteet/esseet/").entries[0]
    assert entry.link == "http://localhost" + essay.url
    assert entry.author == "Aino Virtanen"
    assert entry.summary == "Asiakaskokemus syntyy kohtaamisissa."


def test_newest_essays_feed_leaves_out_every_essay_anyone_may_not_read(client, hidden_essays):
    hidden_essays()
    EssayPageFactory(title="Julkinen")
    assert titles(atom(client, "/syotteet/esseet/")) == ["Julkinen"]


def test_signed_in_reader_gets_the_same_feed_as_anyone(client, hidden_essays, django_user_model):
    hidden_essays()
    client.force_login(django_user_model.objects.create_superuser("paatoimittaja", "p@example.org", "x"))
    assert set(titles(atom(client, "/syotteet/esseet/"))) & HIDDEN_TITLES == set()


def test_book_feed_lists_the_books_public_essays(client, hidden_essays):
    book = BookFactory(title="Strategiana asiakaskokemus")
    hidden_essays(books=[book])
    EssayPageFactory(title="Kirjasta", books=[book])
    EssayPageFactory(title="Muusta")
    feed = atom(client, f"/syotteet/kirjat/{book.slug}/")
    assert feed.feed.title == "Esseepankki: esseet kirjasta Strategiana asiakaskokemus"
    assert titles(feed) == ["Kirjasta"]


def test_person_feed_lists_the_persons_public_essays(client, hidden_essays):
    person = PersonFactory(name="Eetu Mäkinen")
    hidden_essays(authors=[person])
    EssayPageFactory(title="Eetun", authors=[person])
    EssayPageFactory(title="Toisen")
    feed = atom(client, f"/syotteet/ihmiset/{person.slug}/")
    assert feed.feed.title == "Esseepankki: kirjoittajan Eetu Mäkinen esseet"
    assert titles(feed) == ["Eetun"]


def test_team_feed_lists_the_teams_public_essays(client, hidden_essays):
    team = TeamFactory(name="Pinkut")
    member = PersonFactory(team=team)
    hidden_essays(authors=[member])
    EssayPageFactory(title="Tiimin", authors=[member])
    EssayPageFactory(title="Muun tiimin")
    feed = atom(client, f"/syotteet/tiimit/{team.slug}/")
    assert feed.feed.title == "Esseepankki: tiimin Pinkut esseet"
    assert titles(feed) == ["Tiimin"]


def test_tag_feed_lists_the_tags_public_essays(client, hidden_essays):
    hidden_essays(tags=["tiimityö"])
    EssayPageFactory(title="Tagattu", tags=["tiimityö"])
    EssayPageFactory(title="Tagiton")
    tag = Tag.objects.get(name="tiimityö")
    feed = atom(client, f"/syotteet/tagit/{tag.slug}/")
    assert feed.feed.title == "Esseepankki: esseet tagilla tiimityö"
    assert titles(feed) == ["Tagattu"]


def test_concept_feed_lists_public_essays_linked_to_the_concept(client, hidden_essays):
    concept = ConceptPageFactory(title="kosketuspiste", slug="kosketuspiste")
    hidden_essays(body=paragraphs("Jokainen kosketuspiste ratkaisee."))
    EssayPageFactory(title="Kosketuksista", body=paragraphs("Jokainen kosketuspiste ratkaisee."))
    EssayPageFactory(title="Muuta", body=paragraphs("Ei mitään yhteistä."))
    feed = atom(client, f"/syotteet/kasitteet/{concept.slug}/")
    assert feed.feed.title == "Esseepankki: esseet käsitteestä kosketuspiste"
    assert titles(feed) == ["Kosketuksista"]


def test_a_restricted_concept_has_no_feed(client, site_tree):
    from wagtail.models import PageViewRestriction

    concept = ConceptPageFactory(title="salaisuus", slug="salaisuus")
    PageViewRestriction.objects.create(page=concept, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(f"/syotteet/kasitteet/{concept.slug}/").status_code == 404


def test_an_unknown_book_has_no_feed(client, site_tree):
    assert client.get("/syotteet/kirjat/ei-ole/").status_code == 404


def test_book_page_links_its_feed_in_the_head_and_visibly(client, site_tree):
    book = BookFactory(title="Palvelumuotoilu")
    html = client.get(book.get_absolute_url()).content.decode()
    assert (
        f'<link rel="alternate" type="application/atom+xml" title="Esseepankki: esseet kirjasta Palvelumuotoilu" href="http://localhost/syotteet/kirjat/{book.slug}/">'
        in html
    )
    assert f'<a href="/syotteet/kirjat/{book.slug}/" type="application/atom+xml">' in html


def test_essay_index_with_a_tag_chosen_links_the_tags_feed(client, site_tree):
    EssayPageFactory(tags=["oppiminen"])
    tag = Tag.objects.get(name="oppiminen")
    html = client.get(site_tree.essay_index.url, {"tagi": "oppiminen"}).content.decode()
    assert f'href="/syotteet/tagit/{tag.slug}/"' in html


@pytest.mark.parametrize("kind", ["tagit", "kasitteet", "kirjat", "ihmiset", "tiimit"])
def test_a_slug_no_record_can_have_is_a_404(client, site_tree, kind):
    assert client.get(f"/syotteet/{kind}/a%00b/").status_code == 404
