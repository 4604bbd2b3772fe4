import datetime

import pytest
from django.db import transaction
from django.db.models import Count

from essays.facets import essay_facets
from essays.models import Book, EssayPage, EssayType, FacetsVersion
from essays.models.essays import FACET_FIELDS
from tests.factories import BookFactory, CategoryFactory, EssayPageFactory, PersonFactory, TeamFactory


@pytest.fixture
def essays(site_tree):
    team = TeamFactory(name="Pinkut")
    aino, ville = PersonFactory(name="Aino", team=team), PersonFactory(name="Ville", team=team)
    book, other_book = BookFactory(title="Öljyn hinta"), BookFactory(title="Asiakaskokemus")
    category = CategoryFactory(number="4", name="Markkinointi")
    return [
        EssayPageFactory(
            authors=[aino, ville], books=[book, other_book], tags=["asiakas", "palvelu"], categories=[category]
        ),
        EssayPageFactory(authors=[aino], books=[book], tags=["asiakas"], written=datetime.date(2021, 2, 3)),
        EssayPageFactory(authors=[ville], books=[other_book], essay_type=EssayType.objects.get(code="blog")),
    ]


def counts(essays, name):
    return {text: n for _value, text, n in essay_facets().counts([essay.pk for essay in essays])[name]}


def test_counts_are_distinct_essays_per_option(essays):
    """Two authors of one team count the essay once for the team."""
    facets = essay_facets().counts([essay.pk for essay in essays])
    assert {text: n for _value, text, n in facets["tiimi"]} == {"Pinkut": 3}
    assert {text: n for _value, text, n in facets["kirjoittaja"]} == {"Aino": 2, "Ville": 2}
    assert {text: n for _value, text, n in facets["vuosi"]} == {"2021": 1, "2018": 2}


def test_counts_agree_with_the_database_for_a_subset(essays):
    chosen = essays[:2]
    expected = dict(
        Book.objects.filter(essay_sources__essay__in=chosen)
        .values_list("title")
        .annotate(n=Count("essay_sources__essay", distinct=True))
    )
    assert counts(chosen, "kirja") == expected


def test_options_come_in_finnish_alphabetical_order(essays):
    titles = [text for _value, text, _n in essay_facets().counts([essays[0].pk])["kirja"]]
    assert titles == ["Asiakaskokemus", "Öljyn hinta"]


def test_values_are_what_the_filters_take(essays):
    facets = essay_facets().counts([essays[0].pk])
    assert [value for value, _text, _n in facets["kategoria"]] == ["4"]
    assert [text for _value, text, _n in facets["kategoria"]] == ["4. Markkinointi"]
    assert [value for value, _text, _n in facets["tyyppi"]] == ["individual"]


def test_a_published_change_is_counted_at_once(essays):
    assert counts(essays, "tagi") == {"asiakas": 2, "palvelu": 1}
    essay = EssayPage.objects.get(pk=essays[2].pk)
    essay.tags.add("palvelu")
    essay.save_revision().publish()
    assert counts(essays, "tagi") == {"asiakas": 2, "palvelu": 2}


def test_a_renamed_book_is_shown_by_its_new_title(essays):
    counts(essays, "kirja")
    book = Book.objects.get(title="Öljyn hinta")
    book.title = "Öljy"
    book.save()
    assert counts(essays, "kirja") == {"Asiakaskokemus": 2, "Öljy": 2}


def test_a_category_removed_from_an_essay_is_no_longer_counted(essays):
    assert counts(essays, "kategoria") == {"4. Markkinointi": 1}
    essay = EssayPage.objects.get(pk=essays[0].pk)
    essay.categories.clear()
    essay.save_revision().publish()
    assert counts(essays, "kategoria") == {}


def test_a_save_that_changes_no_facet_keeps_the_counts_read(essays):
    """Saving a revision or a grade must not make the next search read every facet again."""
    token = FacetsVersion.current()
    essay = EssayPage.objects.get(pk=essays[0].pk)
    essay.title = "Uusi otsikko"
    essay.save(update_fields=["title", "draft_title"])
    assert FacetsVersion.current() == token


@pytest.mark.django_db
def test_the_token_read_is_the_one_a_change_wrote():
    FacetsVersion.replace()
    assert FacetsVersion.current() == FacetsVersion.objects.get().token


def test_counts_read_inside_a_rolled_back_change_are_not_used_after_it(essays):
    """The token is new on every change, so a rollback cannot bring back counts of data that never was."""
    with pytest.raises(RuntimeError), transaction.atomic():
        essay = EssayPage.objects.get(pk=essays[2].pk)
        essay.tags.add("peruttu")
        essay.save()
        assert "peruttu" in counts(essays, "tagi")
        raise RuntimeError
    BookFactory(title="Toinen muutos")
    assert "peruttu" not in counts(essays, "tagi")


def test_essays_newer_than_the_counts_read_are_still_counted(essays):
    essay_facets()
    newer = EssayPageFactory(books=[Book.objects.get(title="Asiakaskokemus")])
    assert counts([newer], "kirja") == {"Asiakaskokemus": 1}


def test_option_ids_an_essay_is_indexed_with_count_as_the_facets_do(essays):
    """A search cluster counts the option ids of EssayPage.facet_* (FACET_FIELDS); turned into
    options they give what the facets count from their own arrays."""
    essays = list(EssayPage.objects.filter(pk__in=[essay.pk for essay in essays]))
    by_option = {}
    for name, method in FACET_FIELDS.items():
        for essay in essays:
            ids = getattr(essay, method)()
            for pk in ids if isinstance(ids, list) else [ids]:
                by_option.setdefault(name, {}).setdefault(pk, 0)
                by_option[name][pk] += 1
    facets = essay_facets()
    assert facets.counted(by_option) == facets.counts([essay.pk for essay in essays])
