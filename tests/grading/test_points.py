"""Where suggested points come from, which rules apply when, corrections and totals."""

import datetime

import pytest
from bs4 import BeautifulSoup
from django.core.exceptions import ValidationError
from django.template import Context, Template
from django.utils import timezone, translation
from wagtail.models import WorkflowState
from wagtail.rich_text import RichText

from essays.models import EssayType
from grading.models import Award, GradingSettings, Term, parse_term_targets, submission_date, suggest_points
from tests.factories import BookFactory, EssayPageFactory
from tests.grading.helpers import in_progress_state, signed_in, spring_and_autumn_terms, submit, workflow_action_url

pytestmark = pytest.mark.usefixtures("without_index_updates")

BY_TYPE = GradingSettings.PointSystem.ESSAY_TYPE
BY_BOOK = GradingSettings.PointSystem.BOOK


def academic_essay(people, **kwargs):
    return EssayPageFactory(authors=[people.aino], essay_type=EssayType.objects.get(code="academic"), **kwargs)


def test_rules_in_force_on_the_submission_date_apply(people, rule_sets):
    essay = academic_essay(people)
    assert suggest_points(essay, datetime.date(2024, 7, 31), BY_TYPE).points == 3
    assert suggest_points(essay, datetime.date(2024, 8, 1), BY_TYPE).points == 4


def test_suggestion_names_the_rule_set(people, rule_sets):
    suggestion = suggest_points(academic_essay(people), datetime.date(2020, 5, 1), BY_TYPE)
    assert suggestion.rule_set == rule_sets.older
    assert "Säännöt 2019" in suggestion.rule


def test_type_without_a_rule_falls_back_to_the_types_default_points(people, rule_sets):
    essay = EssayPageFactory(authors=[people.aino], essay_type=EssayType.objects.get(code="team"))
    suggestion = suggest_points(essay, datetime.date(2025, 1, 1), BY_TYPE)
    assert suggestion.points == 2
    assert suggestion.rule_set is None


def test_before_any_rule_set_the_default_points_apply(people, rule_sets):
    assert suggest_points(academic_essay(people), datetime.date(2015, 1, 1), BY_TYPE).points == 3


def test_points_by_book_come_from_the_book(people, rule_sets):
    essay = academic_essay(people, books=[BookFactory(title="Asiakaskokemus", points=1)])
    suggestion = suggest_points(essay, datetime.date(2025, 1, 1), BY_BOOK)
    assert suggestion.points == 1
    assert "Asiakaskokemus" in suggestion.rule


def test_points_by_book_take_the_book_worth_most(people):
    books = [BookFactory(points=1), BookFactory(points=3), BookFactory(points=None)]
    essay = academic_essay(people, books=books)
    assert suggest_points(essay, datetime.date(2025, 1, 1), BY_BOOK).points == 3


def test_points_by_book_suggest_nothing_without_book_points(people):
    essay = academic_essay(people, books=[BookFactory(points=None)])
    assert suggest_points(essay, datetime.date(2025, 1, 1), BY_BOOK).points is None


def test_site_setting_switches_the_approval_to_book_points(people, grading_settings):
    grading_settings.point_system = BY_BOOK
    grading_settings.save()
    essay = academic_essay(people, books=[BookFactory(title="Palvelumuotoilu", points=1)])
    submit(essay, people.aino.user)
    state = in_progress_state(essay)
    signed_in(people.marjut.user).post(workflow_action_url(essay, "approve", state), {"points": "1", "comment": "Ok."})
    award = Award.objects.get()
    assert (award.suggested_points, award.book.title) == (1, "Palvelumuotoilu")


def test_approval_records_the_rule_in_force_when_submitted(people, rule_sets):
    essay = academic_essay(people)
    submit(essay, people.aino.user)
    submitted = timezone.make_aware(datetime.datetime(2024, 5, 2, 12))
    WorkflowState.objects.filter(object_id=str(essay.pk)).update(created_at=submitted)
    state = in_progress_state(essay)
    signed_in(people.marjut.user).post(workflow_action_url(essay, "approve", state), {"points": "3", "comment": "Ok."})
    award = Award.objects.get()
    assert (award.rule_set, award.suggested_points, award.submitted_on) == (
        rule_sets.older,
        3,
        datetime.date(2024, 5, 2),
    )


def test_submission_date_is_the_first_submission(people):
    essay = academic_essay(people)
    submit(essay, people.aino.user)
    first = timezone.make_aware(datetime.datetime(2023, 3, 1, 9))
    WorkflowState.objects.filter(object_id=str(essay.pk)).update(created_at=first, status="approved")
    submit(essay, people.aino.user)
    assert submission_date(essay) == datetime.date(2023, 3, 1)


def test_essay_never_submitted_counts_from_its_writing_date(people):
    essay = academic_essay(people, written=datetime.date(2019, 4, 5))
    assert submission_date(essay) == datetime.date(2019, 4, 5)


@pytest.fixture
def award(people):
    essay = EssayPageFactory(authors=[people.aino])
    return Award.objects.create(
        essay=essay, student=people.aino, team=people.pinkut, points=2, submitted_on=datetime.date(2025, 2, 1)
    )


def test_correction_is_a_new_award_and_keeps_the_original(people, award):
    correction = award.correct(3, "Akateeminen essee, ei yksilöessee.", people.marjut.user)
    award.refresh_from_db()
    assert award.points == 2
    assert correction.corrects == award
    assert Award.objects.count() == 2


def test_totals_count_the_correction_not_the_corrected_award(people, award):
    award.correct(3, "Korjaus.", people.marjut.user)
    assert Award.objects.filter(student=people.aino).total() == 3


def test_corrections_chain_to_the_newest(people, award):
    second = award.correct(3, "Korjaus.", people.marjut.user)
    second.correct(1, "Toinen korjaus.", people.marjut.user)
    assert Award.objects.filter(student=people.aino).total() == 1


def test_an_award_is_corrected_only_once(people, award):
    award.correct(3, "Korjaus.", people.marjut.user)
    with pytest.raises(ValidationError):
        award.correct(4, "Toinen samaan.", people.marjut.user)


def test_correction_through_the_admin(people, award):
    response = signed_in(people.marjut.user).post(
        f"/admin/points/awards/{award.pk}/correct/", {"points": "4", "feedback": "Pisteluokka muuttui."}
    )
    assert response.status_code == 302
    correction = Award.objects.get(corrects=award)
    assert (correction.points, correction.feedback, correction.coach) == (
        4,
        "Pisteluokka muuttui.",
        people.marjut.user,
    )


def test_correcting_an_already_corrected_award_in_the_admin_shows_an_error(people, award):
    award.correct(3, "Korjaus.", people.marjut.user)
    response = signed_in(people.marjut.user).post(
        f"/admin/points/awards/{award.pk}/correct/", {"points": "4", "feedback": "Uudestaan."}
    )
    assert response.status_code == 200
    assert Award.objects.count() == 2


def test_correction_with_bad_points_is_refused(people, award):
    response = signed_in(people.marjut.user).post(
        f"/admin/points/awards/{award.pk}/correct/", {"points": "-1", "feedback": "Väärin."}
    )
    assert response.status_code == 200
    assert Award.objects.count() == 1


@pytest.mark.parametrize(
    ("count", "text"), [(0, "0 esseepistettä"), (1, "1 esseepiste"), (2, "2 esseepistettä"), (21, "21 esseepistettä")]
)
def test_points_agree_in_number_in_finnish(count, text):
    with translation.override("fi"):
        assert Template("{% load grading_tags %}{{ n|points }}").render(Context({"n": count})) == text


def test_term_targets_are_parsed_from_a_list():
    assert parse_term_targets("0, 15, 20; 5") == [0, 15, 20, 5]


@pytest.mark.parametrize("text", ["0, viisitoista", "10, -5"])
def test_malformed_term_targets_are_refused(text):
    with pytest.raises(ValidationError):
        parse_term_targets(text)


def test_terms_cannot_overlap(db):
    Term.objects.create(name="Syksy 2024", starts_on=datetime.date(2024, 8, 1), ends_on=datetime.date(2024, 12, 31))
    overlapping = Term(name="Talvi", starts_on=datetime.date(2024, 12, 1), ends_on=datetime.date(2025, 2, 1))
    with pytest.raises(ValidationError):
        overlapping.full_clean()


def test_team_terms_start_in_the_autumn_of_its_start_year(people):
    spring_and_autumn_terms(2021, 2022)
    assert [term.name for term in Term.of_team(people.pinkut)] == ["Syksy 2021", "Kevät 2022", "Syksy 2022"]


def citing(book):
    """An essay body that cites the book only with an in-text citation (Lähdeviite)."""
    link = f'<a linktype="citation" id="{book.source.pk}" pages="12" form="parenthetical">(Tuulaniemi 2011, 12)</a>'
    return [("paragraph", RichText(f"<p>Palvelu muotoutuu kohtaamisissa {link}.</p>"))]


def test_the_grading_dialog_lists_a_book_the_essay_cites_only_in_its_text(people):
    book = BookFactory(title="Palvelumuotoilu", points=2)
    essay = academic_essay(people, body=citing(book))
    submit(essay, people.aino.user)
    html = signed_in(people.marjut.user).get(workflow_action_url(essay, "approve", in_progress_state(essay))).json()
    books = BeautifulSoup(html["html"], "html.parser").find("dt", string="Kirjat").find_next_sibling("dd")
    assert " ".join(books.get_text().split()) == "Palvelumuotoilu (2 esseepistettä)"


def test_points_by_book_count_a_book_the_essay_cites_only_in_its_text(people):
    essay = academic_essay(people, body=citing(BookFactory(title="Palvelumuotoilu", points=2)))
    suggestion = suggest_points(essay, datetime.date(2025, 1, 1), BY_BOOK)
    assert (suggestion.points, suggestion.book.title) == (2, "Palvelumuotoilu")
