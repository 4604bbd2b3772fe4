"""The editor's admin: sources and concept links to manage, lists in Finnish, and two records of one
book or one person merged into the one kept (everything moves, the other's address redirects)."""

import datetime
import re

import pytest
from wagtail.contrib.redirects.models import Redirect

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


def test_the_editor_merges_from_the_admin(people, two_books, client_for):
    kept, typo = two_books
    response = client_for(people.editor).post(f"/admin/merge/book/{typo.pk}/", {"other": kept.pk, "keep": "other"})
    assert response.status_code == 302
    assert not Book.objects.filter(pk=typo.pk).exists()


def test_a_student_cannot_merge(people, two_books, client_for):
    kept, typo = two_books
    client_for(people.aino.user).post(f"/admin/merge/book/{typo.pk}/", {"other": kept.pk, "keep": "other"})
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
