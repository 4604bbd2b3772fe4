"""After two records of one book are merged ("Yhdistä"), the citations inserted in essays' texts cite
the kept book's source, on the published page and in the draft being written."""

import pytest
from wagtail.rich_text import RichText

from citations.models import Citation, Source
from essays.merging import merge
from tests.factories import BookFactory, EssayPageFactory


def inserted(source, pages):
    return f'<a linktype="citation" id="{source.pk}" pages="{pages}" form="parenthetical">(vanha muoto)</a>'


@pytest.fixture
def two_books(site_tree):
    kept = BookFactory(title="Strategiana asiakaskokemus", year=2020, author_names=["Hannu Saarijärvi"])
    typo = BookFactory(title="Strategina asiakaskokemus", year=2020, author_names=["Hannu Saarijärvi"])
    return kept, typo


@pytest.fixture
def essay_citing_the_typo(two_books):
    _kept, typo = two_books
    body = [("paragraph", RichText(f"<p>Kokemus ratkaisee {inserted(typo.source, '12')}.</p>"))]
    return EssayPageFactory(title="Lainaava essee", body=body, books=[typo])


def essay_body(client, essay):
    html = client.get(essay.url).content.decode()
    return html[html.index('class="essay-body"') : html.index('class="bibliography"')]


def test_a_published_citation_of_the_merged_book_links_to_the_kept_source(client, two_books, essay_citing_the_typo):
    kept, typo = two_books
    merge(kept, typo)
    body = essay_body(client, essay_citing_the_typo)
    assert f'<a class="citation" href="{kept.source.get_absolute_url()}">(Saarijärvi 2020, 12)</a>' in body


def test_the_recorded_citation_names_the_kept_source(two_books, essay_citing_the_typo):
    kept, typo = two_books
    merge(kept, typo)
    assert [citation.source for citation in Citation.objects.filter(page=essay_citing_the_typo)] == [kept.source]


def test_a_draft_citation_of_the_merged_book_cites_the_kept_source(two_books, essay_citing_the_typo):
    kept, typo = two_books
    typo_source_id = typo.source.pk
    essay_citing_the_typo.body = [
        ("paragraph", RichText(f"<p>Luonnos {inserted(typo.source, '40')} jatkuu.</p>")),
    ]
    essay_citing_the_typo.save_revision()
    merge(kept, typo)
    draft = type(essay_citing_the_typo).objects.get(pk=essay_citing_the_typo.pk).get_latest_revision_as_object()
    html = draft.body[0].value.source
    assert f'id="{kept.source.pk}" pages="40"' in html
    assert not Source.objects.filter(pk=typo_source_id).exists()


def test_a_citation_of_another_source_is_left_alone(books, two_books, site_tree):
    kept, typo = two_books
    body = [("paragraph", RichText(f"<p>Toinen {inserted(books['tuulaniemi'].source, '5')}.</p>"))]
    essay = EssayPageFactory(body=body)
    merge(kept, typo)
    essay.refresh_from_db()
    assert f'id="{books["tuulaniemi"].source.pk}" pages="5"' in essay.body[0].value.source
