"""An essay page's related essays: same book, same concept, same author, previous and next."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory, PersonFactory, paragraphs

pytestmark = pytest.mark.django_db


def related_html(client, essay):
    html = client.get(essay.url).content.decode()
    start = html.find('<section class="related-essays"')
    return html[start : html.index("</section>", start)] if start >= 0 else ""


def test_other_essays_on_the_same_book_are_offered(client, site_tree):
    book = BookFactory(title="Palvelumuotoilu")
    essay = EssayPageFactory(title="Tämä", books=[book])
    EssayPageFactory(title="Samasta kirjasta", books=[book])
    EssayPageFactory(title="Muusta kirjasta", books=[BookFactory()])
    html = related_html(client, essay)
    assert "Muita esseitä kirjasta Palvelumuotoilu" in html
    assert "Samasta kirjasta" in html
    assert "Muusta kirjasta" not in html


def test_other_essays_on_the_same_concept_are_offered(client, site_tree):
    ConceptPageFactory(title="kosketuspiste")
    essay = EssayPageFactory(title="Tämä", body=paragraphs("Kosketuspiste on tärkeä."))
    EssayPageFactory(title="Toinen kosketus", body=paragraphs("Jokainen kosketuspiste ratkaisee."))
    html = related_html(client, essay)
    assert "Muita esseitä käsitteestä kosketuspiste" in html
    assert "Toinen kosketus" in html


def test_more_by_the_author_with_previous_and_next(client, site_tree):
    aino = PersonFactory(name="Aino Virtanen")
    first = EssayPageFactory(title="Ensimmäinen", authors=[aino], written=datetime.date(2020, 1, 1))
    essay = EssayPageFactory(title="Keskimmäinen", authors=[aino], written=datetime.date(2021, 1, 1))
    last = EssayPageFactory(title="Viimeinen", authors=[aino], written=datetime.date(2022, 1, 1))
    html = related_html(client, essay)
    assert "Lisää kirjoittajalta Aino Virtanen" in html
    assert f'<a href="{first.url}" rel="prev">Ensimmäinen</a>' in html
    assert f'<a href="{last.url}" rel="next">Viimeinen</a>' in html


def test_essays_the_reader_may_not_read_are_never_offered(client, hidden_essays):
    aino = PersonFactory(name="Aino Virtanen")
    book = BookFactory(title="Palvelumuotoilu")
    hidden_essays(authors=[aino], books=[book])
    essay = EssayPageFactory(title="Julkinen", authors=[aino], books=[book])
    html = related_html(client, essay)
    for title in ("Yhteisön essee", "Suojattu essee", "Luonnosessee", "Salasanaessee"):
        assert title not in html


def test_a_signed_in_member_is_offered_community_essays(client, hidden_essays, django_user_model):
    aino = PersonFactory(name="Aino Virtanen")
    hidden_essays(authors=[aino])
    essay = EssayPageFactory(title="Julkinen", authors=[aino])
    client.force_login(django_user_model.objects.create_user("jasen", "j@example.org", "x"))
    html = related_html(client, essay)
    assert "Yhteisön essee" in html
    assert "Suojattu essee" not in html


def page_queries(client, essay):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(essay.url).status_code == 200
    return len(queries)


def test_the_query_count_does_not_grow_with_the_number_of_essays(client, site_tree):
    aino = PersonFactory(name="Aino Virtanen")
    book = BookFactory()
    ConceptPageFactory(title="kosketuspiste")
    text = paragraphs("Kosketuspiste on tärkeä.")
    essay = EssayPageFactory(authors=[aino], books=[book], body=text, written=datetime.date(2021, 1, 1))
    for year in (2019, 2023):
        EssayPageFactory(authors=[aino], books=[book], body=text, written=datetime.date(year, 1, 1))
    page_queries(client, essay)  # caches filled (site, settings) on the first request
    few = page_queries(client, essay)
    for number in range(8):
        EssayPageFactory(authors=[aino], books=[book], body=text, written=datetime.date(2010 + number, 1, 1))
    assert page_queries(client, essay) == few
