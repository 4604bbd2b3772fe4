"""The editor's admin: sources and concept links to manage, lists in Finnish, and two records of one
book or one person merged into the one kept (everything moves, the other's address redirects)."""

import datetime
import re

import pytest
from bs4 import BeautifulSoup
from wagtail.contrib.redirects.models import Redirect
from wagtail.rich_text import RichText

from citations.models import Source
from essays.merging import merge
from essays.models import Book, EssayAuthor, EssayBookSource, Person
from grading.models import Award
from tests.factories import BookFactory, BookSummaryPageFactory, EssayPageFactory, PersonFactory, UserFactory

pytestmark = pytest.mark.usefixtures("without_index_updates")


@pytest.fixture
def two_books(site_tree):
    kept = BookFactory(title="Strategiana asiakaskokemus", author_names=["Harri Saarijärvi"])
    typo = BookFactory(title="Strategina asiakaskokemus", author_names=["H. Saarijärvi"])
    return kept, typo


def test_essays_summaries_and_awards_move_to_the_kept_book(two_books):
    kept, typo = two_books
    essay = EssayPageFactory(books=[typo])
    summary = BookSummaryPageFactory(book=typo)
    student = essay.authors()[0]
    Award.objects.create(essay=essay, student=student, points=2, book=typo, submitted_on=datetime.date(2025, 1, 1))
    merge(kept, typo)
    assert EssayBookSource.objects.get(essay=essay).book == kept
    assert summary.__class__.objects.get(pk=summary.pk).book == kept
    assert Award.objects.get().book == kept
    assert not Book.objects.filter(pk=typo.pk).exists()


def test_the_kept_book_keeps_its_own_authors_and_source(two_books):
    kept, typo = two_books
    source = Source.objects.get(book=kept)
    merge(kept, typo)
    assert [author.name for author in kept.authors.all()] == ["Harri Saarijärvi"]
    assert Source.objects.filter(book=kept).get() == source


def test_a_draft_naming_the_merged_book_names_the_kept_one(two_books):
    kept, typo = two_books
    essay = EssayPageFactory(books=[kept])
    essay.book_sources = [EssayBookSource(book=typo)]
    essay.save_revision()
    merge(kept, typo)
    draft = essay.__class__.objects.get(pk=essay.pk).get_latest_revision_as_object()
    assert [source.book for source in draft.book_sources.all()] == [kept]


def test_the_merged_books_address_redirects_to_the_kept_one(two_books):
    kept, typo = two_books
    old_url = typo.get_absolute_url()
    merge(kept, typo)
    redirect = Redirect.objects.get(old_path=Redirect.normalise_path(old_url))
    assert redirect.link == kept.get_absolute_url()


def test_a_persons_essays_and_account_move_to_the_kept_person(site_tree):
    kept = PersonFactory(name="Aino Virtanen")
    typo = PersonFactory(name="Aino Virtanen-Korhonen", user=UserFactory(username="aino"))
    essay = EssayPageFactory(authors=[typo])
    merge(kept, typo)
    assert EssayAuthor.objects.get(essay=essay).person == kept
    assert Person.objects.get(pk=kept.pk).user.username == "aino"


def test_an_essay_crediting_both_records_credits_the_kept_one_once(site_tree):
    kept, typo = PersonFactory(name="Eetu Mäkinen"), PersonFactory(name="Eetu Makinen")
    essay = EssayPageFactory(authors=[kept, typo])
    merge(kept, typo)
    assert [authorship.person for authorship in EssayAuthor.objects.filter(essay=essay)] == [kept]


def merge_url(book):
    return f"/admin/merge/book/{book.pk}/"


def choose(client, typo, kept):
    """Step one: the other record and the one to keep; answers the confirmation page."""
    return client.post(merge_url(typo), {"other": kept.pk, "keep": "other"})


def token_of(response):
    soup = BeautifulSoup(response.content.decode(), "html.parser")
    return soup.find("input", attrs={"name": "token"})["value"]


def page_text(response):
    return " ".join(BeautifulSoup(response.content.decode(), "html.parser").get_text().split())


@pytest.fixture
def cited_typo(two_books, people):
    """The misspelt book with an essay, a summary, an in-text citation and an award."""
    kept, typo = two_books
    link = f'<a linktype="citation" id="{typo.source.pk}" pages="12" form="parenthetical">(Saarijärvi 2020, 12)</a>'
    essay = EssayPageFactory(
        books=[typo], authors=[people.aino], body=[("paragraph", RichText(f"<p>Näin {link}.</p>"))]
    )
    BookSummaryPageFactory(book=typo)
    Award.objects.create(essay=essay, student=people.aino, points=2, book=typo, submitted_on=datetime.date(2025, 1, 1))
    return typo


def test_the_records_offered_are_told_apart_by_their_authors_and_number(people, two_books, client_for):
    kept, typo = two_books
    soup = BeautifulSoup(client_for(people.editor).get(merge_url(typo)).content.decode(), "html.parser")
    offered = [option.get_text() for option in soup.select("select[name=other] option")]
    assert f"Strategiana asiakaskokemus (Harri Saarijärvi, 2011, nro {kept.pk})" in offered


def test_choosing_the_records_shows_what_moves_and_merges_nothing(people, two_books, cited_typo, client_for):
    kept, typo = two_books
    response = choose(client_for(people.editor), typo, kept)
    assert response.status_code == 200
    text = page_text(response)
    for moved in ("Esseet: 1", "Kirjatiivistelmät: 1", "Lähdeviitteet: 1", "Pisteytykset: 1"):
        assert moved in text
    assert "Yhdistämistä ei voi perua." in text
    assert Book.objects.filter(pk=typo.pk).exists()


def test_the_confirmation_shows_addresses_as_people_read_them(people, client_for):
    kept = BookFactory(title="Strategiana asiakaskokemus – Miksi, mitä, miten?")
    typo = BookFactory(title="Strategiana asiakaskokemus – Miksi, mitä, miten")
    text = page_text(choose(client_for(people.editor), typo, kept))
    assert "/kirjat/strategiana-asiakaskokemus-miksi-mitä-miten" in text
    assert "%C3%A4" not in text


def test_the_editor_merges_on_confirming(people, two_books, cited_typo, client_for):
    kept, typo = two_books
    client = client_for(people.editor)
    response = client.post(merge_url(typo), {"token": token_of(choose(client, typo, kept))})
    assert response.status_code == 302
    assert not Book.objects.filter(pk=typo.pk).exists()
    assert Award.objects.get().book == kept


def test_a_superuser_merges_too(two_books, client_for):
    kept, typo = two_books
    client = client_for(UserFactory(is_superuser=True))
    client.post(merge_url(typo), {"token": token_of(choose(client, typo, kept))})
    assert not Book.objects.filter(pk=typo.pk).exists()


def test_a_confirmation_sent_twice_gets_a_finnish_message(people, two_books, client_for):
    kept, typo = two_books
    client = client_for(people.editor)
    token = token_of(choose(client, typo, kept))
    client.post(merge_url(typo), {"token": token})
    response = client.post(merge_url(typo), {"token": token}, follow=True)
    assert response.status_code == 200
    assert "Tietuetta ei enää ole: se on ehkä jo yhdistetty." in page_text(response)


def test_a_confirmation_for_records_since_merged_elsewhere_merges_nothing(people, two_books, client_for):
    kept, typo = two_books
    client = client_for(people.editor)
    token = token_of(choose(client, typo, kept))
    kept.delete()
    response = client.post(merge_url(typo), {"token": token}, follow=True)
    assert response.status_code == 200
    assert "Toista tietuetta ei enää ole" in page_text(response)
    assert Book.objects.filter(pk=typo.pk).exists()


def test_a_forged_confirmation_merges_nothing(people, two_books, client_for):
    kept, typo = two_books
    response = client_for(people.editor).post(merge_url(typo), {"token": f"{kept.pk}:{typo.pk}"}, follow=True)
    assert response.status_code == 200
    assert "Vahvistus ei kelpaa tai on vanhentunut: mitään ei yhdistetty." in page_text(response)
    assert Book.objects.filter(pk=typo.pk).exists()


def test_a_confirmation_for_other_records_merges_nothing(people, two_books, client_for):
    kept, typo = two_books
    third = BookFactory(title="Kolmas kirja")
    client = client_for(people.editor)
    token = token_of(choose(client, typo, kept))
    response = client.post(merge_url(third), {"token": token}, follow=True)
    assert "Vahvistus koski muita tietueita: mitään ei yhdistetty." in page_text(response)
    assert Book.objects.count() == 3


@pytest.mark.parametrize("who", ["aino", "marjut"])
def test_students_and_coaches_can_neither_choose_nor_confirm_a_merge(people, two_books, client_for, who):
    kept, typo = two_books
    token = token_of(choose(client_for(people.editor), typo, kept))
    client = client_for(getattr(people, who).user)
    assert choose(client, typo, kept).status_code in (302, 403)
    assert client.post(merge_url(typo), {"token": token}).status_code in (302, 403)
    assert Book.objects.filter(pk=typo.pk).exists()


def test_the_editor_manages_sources_and_concept_links(people, client_for):
    client = client_for(people.editor)
    menu = client.get("/admin/").content.decode()
    assert "/admin/snippets/citations/source/" in menu and "/admin/concept_links/" in menu
    assert client.get("/admin/snippets/citations/source/").status_code == 200
    assert client.get("/admin/concept_links/").status_code == 200
    assert client.get("/admin/citations/import/").status_code == 200


def test_the_book_list_names_its_columns_in_finnish(people, two_books, client_for):
    html = client_for(people.editor).get("/admin/snippets/essays/book/").content.decode()
    assert "Authors display" not in html
    assert "Kirjoittajat" in html


def test_yes_and_no_columns_read_in_finnish(people, client_for):
    PersonFactory(name="Tiliton Henkilö")
    html = client_for(people.editor).get("/admin/snippets/essays/person/").content.decode()
    assert "True" not in html and "False" not in html
    assert re.search(r'w-sr-only">\s*Ei\s*<', html)
