"""load_demo: original Finnish demo content, loaded once for this module (it takes seconds)."""

import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command
from django.utils import timezone
from taggit.models import Tag
from wagtail.models import Site

from community.models import Comment, EssayOfMonth, RatingTotals
from concepts.models import ConceptPage, ConceptRelation
from essaybank.management.commands.load_demo import DEMO_CONTENT
from essays.models import Book, BookSummaryPage, Category, EssayPage, Person, Team
from grading.models import GradingSettings, Term
from grading.progress import student_progress
from grading.roles import STUDENTS

COUNTED = (Team, Person, Book, EssayPage, BookSummaryPage, ConceptPage, ConceptRelation, Category, Tag)


def counts():
    return {model.__name__: model.objects.count() for model in COUNTED}


@pytest.fixture(scope="module")
def demo(module_db):
    """The demo loaded once for this module; returns the number of records of each kind."""
    call_command("load_demo")
    return counts()


def test_demo_content_file_exists():
    assert DEMO_CONTENT.exists()


def test_demo_has_at_least_five_teams(db, demo):
    assert demo["Team"] >= 5


def test_demo_has_at_least_twenty_people(db, demo):
    assert demo["Person"] >= 20


def test_demo_has_at_least_ten_books(db, demo):
    assert demo["Book"] >= 10


def test_demo_has_at_least_thirty_published_essays(db, demo):
    assert EssayPage.objects.live().count() >= 30


def test_demo_has_at_least_five_published_summaries(db, demo):
    assert BookSummaryPage.objects.live().count() >= 5


def test_demo_has_at_least_ten_linked_concepts(db, demo):
    assert ConceptPage.objects.live().count() >= 10
    linked = set(ConceptRelation.objects.values_list("concept", flat=True))
    linked |= set(ConceptRelation.objects.values_list("target", flat=True))
    assert len(linked) >= 10


def test_demo_essays_have_several_types_and_authors(db, demo):
    assert EssayPage.objects.values("essay_type").distinct().count() >= 3
    assert EssayPage.objects.values("essay_authors__person").distinct().count() >= 10
    assert not EssayPage.objects.filter(essay_authors__isnull=True).exists()


def test_demo_has_co_authored_essays(db, demo):
    assert any(essay.essay_authors.count() > 1 for essay in EssayPage.objects.all())


def test_demo_creates_a_demo_admin(db, demo):
    assert get_user_model().objects.filter(username="admin", is_superuser=True).exists()


def test_demo_home_page_invites_to_browse_books_concepts_and_newest_essays(db, demo, client):
    response = client.get("/")
    html = response.content.decode()
    assert response.status_code == 200
    assert 'href="/kirjat/"' in html
    assert "Selaa kirjoja" in html
    assert len(response.context["newest_essays"]) == 6


def test_every_demo_page_renders(db, demo, client):
    client.force_login(get_user_model().objects.get(username="admin"))  # community essays need a member
    for page in [*EssayPage.objects.live(), *BookSummaryPage.objects.live(), *ConceptPage.objects.live()]:
        assert client.get(page.url).status_code == 200, page.url


def test_load_demo_twice_creates_content_once(db, demo):
    call_command("load_demo")
    assert counts() == demo


def test_most_demo_essays_cite_one_of_their_books_in_the_text(db, demo):
    """The in-text citations are recognised and matched to the essay's own book sources, so the
    essay page shows them formatted and a bibliography."""
    from citations.models import Citation

    essays = EssayPage.objects.filter(book_sources__isnull=False).distinct().prefetch_related("book_sources")
    citing = [
        essay
        for essay in essays
        if Citation.objects.filter(
            page=essay, source__book__in=[source.book_id for source in essay.book_sources.all()]
        ).exists()
    ]
    assert len(citing) >= 0.9 * essays.count()


def test_a_demo_essay_page_shows_its_bibliography(db, demo, client):
    essay = EssayPage.objects.get(title="Luottamus ennen tuloksia")
    html = client.get(essay.url).content.decode()
    assert '<section class="bibliography">' in html
    assert "Lencioni, Patrick 2002." in html


def test_demo_has_comments_waiting_in_the_moderation_queue(db, demo):
    assert Comment.objects.filter(status="pending").count() >= 2
    assert Comment.objects.filter(status="approved", parent__isnull=False).exists()


def test_demo_has_rated_essays_and_an_essay_of_the_month(db, demo):
    assert RatingTotals.objects.filter(count__gt=0).count() >= 5
    assert EssayOfMonth.objects.exists()


def test_the_demo_sites_canonical_addresses_carry_the_port_it_is_served_at(db, demo, client):
    call_command("load_demo", "--if-empty", "--address", "127.0.0.1:8000")
    essay = EssayPage.objects.live().public().first()
    html = client.get(essay.url, HTTP_HOST="127.0.0.1:8000").content.decode()
    canonical = re.search(r'<link rel="canonical" href="([^"]+)">', html)[1]
    assert canonical.startswith("http://127.0.0.1:8000/esseet/")


def test_an_address_without_a_port_is_refused_in_finnish(db, demo):
    with pytest.raises(CommandError, match="HOST:PORT"):
        call_command("load_demo", "--if-empty", "--address", "127.0.0.1")


def test_every_numbered_demo_category_has_its_parent(db, demo):
    orphans = [str(category) for category in Category.objects.filter(number__contains=".", parent=None)]
    assert orphans == []


def test_the_demo_bibliography_names_kari_simonen(db, demo):
    book = Book.objects.get(title="Palvelemisesta palveluliiketoimintaan")
    assert book.author_names() == ["Heli Arantola", "Kari Simonen"]


def demo_students():
    return Person.objects.filter(user__groups__name=STUDENTS)


def test_today_falls_in_a_demo_term(db, demo):
    assert Term.containing(timezone.localdate()) is not None


def test_every_demo_students_points_fall_in_terms_with_a_target(db, demo):
    terms, settings = list(Term.objects.all()), GradingSettings.current()
    students = list(demo_students())
    assert len(students) == 3
    for student in students:
        progress = student_progress(student, list(student.awards.current()), terms, settings)
        assert progress.total > 0
        # No term shows points against no target ("2 | –") or against a target of nothing ("1/0").
        assert all(row.target for row in progress.terms if row.points), (student, progress.terms)


def test_the_demo_teams_current_term_has_a_target(db, demo):
    team = demo_students().first().team
    current = Term.containing(timezone.localdate())
    number = Term.of_team(team).index(current)
    assert number < len(GradingSettings.current().targets())


def test_the_demo_site_is_named_esseepankki(db, demo):
    assert Site.objects.get(is_default_site=True).site_name == "Esseepankki"


def test_every_demo_essay_waiting_claims_the_class_its_rules_give(db, demo):
    from grading.demo import WAITING
    from grading.models import points_by_essay_type, submission_date

    claims = {}
    for slug, *_ in WAITING:
        essay = EssayPage.objects.get(slug=slug)
        claims[slug] = (essay.claimed_points, points_by_essay_type(submission_date(essay))[essay.essay_type])
    assert all(claimed == by_rules for claimed, by_rules in claims.values()), claims
