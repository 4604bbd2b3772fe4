"""What students and coaches see of the points: own page, dashboard, team view, leaderboard, exports."""

import csv
import datetime
import io
import re

import pytest
from django.utils import timezone
from openpyxl import load_workbook

from grading.models import Award
from grading.roles import STUDENTS
from tests.factories import EssayPageFactory, PersonFactory
from tests.grading.helpers import signed_in, spring_and_autumn_terms, user_in

pytestmark = pytest.mark.usefixtures("without_index_updates")


@pytest.fixture
def graded(people):
    """Terms from autumn 2021, and points: Aino 3 + 2 (the 2 corrected to 4), Eetu 1, Iida 5."""
    spring_and_autumn_terms(2021, 2022)

    def award(student, points, submitted, feedback="Hyvä."):
        essay = EssayPageFactory(title=f"{student.name} {submitted}", authors=[student])
        return Award.objects.create(
            essay=essay,
            student=student,
            team=student.team,
            points=points,
            coach=people.marjut.user,
            feedback=feedback,
            submitted_on=submitted,
        )

    award(people.aino, 3, datetime.date(2021, 10, 1), feedback="Oivaltava essee.")
    corrected = award(people.aino, 2, datetime.date(2022, 3, 1))
    corrected.correct(4, "Pisteluokka nostettu.", people.marjut.user)
    award(people.eetu, 1, datetime.date(2022, 9, 1))
    award(people.iida, 5, datetime.date(2022, 10, 1))
    return people


def test_own_points_page_shows_total_terms_and_feedback(graded):
    html = signed_in(graded.aino.user).get("/admin/points/own/").content.decode()
    assert "Yhteensä 7 esseepistettä" in html
    assert "Oivaltava essee." in html
    assert "Pisteluokka nostettu." in html
    assert "<svg" in html and "Syksy 2021" in html and "Kevät 2022" in html


def test_own_points_chart_shows_each_terms_points_against_its_target(graded):
    html = signed_in(graded.aino.user).get("/admin/points/own/").content.decode()
    assert ">3/0</text>" in html
    assert ">4/15</text>" in html


def test_own_points_page_without_a_person_explains_why(people):
    user = user_in(STUDENTS, "ilman_henkiloa")
    response = signed_in(user).get("/admin/points/own/")
    assert response.status_code == 200
    assert "ei ole liitetty" in response.content.decode()


def test_student_dashboard_has_the_points_panel(graded):
    html = signed_in(graded.aino.user).get("/admin/").content.decode()
    assert "grading-own-points" in html
    assert "Yhteensä 7 esseepistettä" in html


def test_team_view_lists_students_by_points_with_chart(graded):
    response = signed_in(graded.marjut.user).get(f"/admin/points/teams/{graded.pinkut.pk}/")
    html = response.content.decode()
    assert response.status_code == 200
    assert html.index("Aino Virtanen") < html.index("Eetu Mäkinen")
    assert "7 esseepistettä" in html and "1 esseepiste" in html
    assert "<svg" in html


def test_coach_cannot_open_another_teams_view(graded):
    response = signed_in(graded.timo.user).get(f"/admin/points/teams/{graded.pinkut.pk}/")
    assert response.status_code == 404


def test_student_cannot_open_team_view(graded):
    response = signed_in(graded.aino.user).get(f"/admin/points/teams/{graded.pinkut.pk}/")
    assert response.status_code == 404


def test_leaderboard_ranks_teams_by_points_per_student(graded):
    html = signed_in(graded.marjut.user).get("/admin/points/leaderboard/").content.decode()
    # Kipinä: 5 points for one student; Pinkut: 8 points for two.
    assert html.index("Kipinä") < html.index("Pinkut")


def test_leaderboard_is_for_coaches_and_editors(graded):
    response = signed_in(graded.aino.user).get("/admin/points/leaderboard/")
    assert response.status_code in (302, 403)


def test_coach_dashboard_lists_waiting_essays_oldest_first(people):
    from tests.grading.helpers import submit

    newer = EssayPageFactory(title="Uudempi essee", authors=[people.aino])
    older = EssayPageFactory(title="Vanhempi essee", authors=[people.eetu])
    submit(older, people.eetu.user)
    submit(newer, people.aino.user)
    html = signed_in(people.marjut.user).get("/admin/").content.decode()
    assert html.index("Vanhempi essee") < html.index("Uudempi essee")


def export(client, kind, file_format):
    return client.get("/admin/points/export/", {"kind": kind, "format": file_format})


def csv_rows(response):
    return list(csv.reader(io.StringIO(response.getvalue().decode("utf-8-sig")), delimiter=";"))


def sheet_of(response):
    return load_workbook(io.BytesIO(response.getvalue())).active


def test_awards_csv_has_every_award_and_its_correction(graded):
    response = export(signed_in(graded.editor), "awards", "csv")
    assert response["Content-Type"].startswith("text/csv")
    rows = csv_rows(response)
    assert rows[0][:3] == ["Pisteytys", "Opiskelija", "Tiimi"]
    by_student = sorted((row[1], row[5], row[-1]) for row in rows[1:])
    assert by_student == [
        ("Aino Virtanen", "2", "ei"),
        ("Aino Virtanen", "3", "kyllä"),
        ("Aino Virtanen", "4", "kyllä"),
        ("Eetu Mäkinen", "1", "kyllä"),
        ("Iida Koskinen", "5", "kyllä"),
    ]


def test_students_xlsx_has_totals_against_target(graded):
    sheet = sheet_of(export(signed_in(graded.editor), "students", "xlsx"))
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("Opiskelija", "Tiimi", "Pisteet", "Koulutuksen tavoite", "Osuus tavoitteesta (%)")
    assert ("Aino Virtanen", "Pinkut", 7, 100, 7) in rows
    assert ("Iida Koskinen", "Kipinä", 5, 100, 5) in rows


def test_teams_csv_sums_points_of_the_team_at_the_time(graded):
    rows = csv_rows(export(signed_in(graded.editor), "teams", "csv"))
    assert rows[1:] == [["Kipinä", "1", "5", "5,0"], ["Pinkut", "2", "8", "4,0"]]


def test_terms_xlsx_has_points_per_student_and_term(graded):
    sheet = sheet_of(export(signed_in(graded.editor), "terms", "xlsx"))
    rows = list(sheet.iter_rows(values_only=True))
    assert ("Aino Virtanen", "Pinkut", "Syksy 2021", 3, 0) in rows
    assert ("Aino Virtanen", "Pinkut", "Kevät 2022", 4, 15) in rows


def test_awards_xlsx_keeps_dates_as_dates(graded):
    sheet = sheet_of(export(signed_in(graded.editor), "awards", "xlsx"))
    submitted = [row[10] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert datetime.datetime(2021, 10, 1) in submitted
    assert {row[9].number_format for row in sheet.iter_rows(min_row=2)} == {"d.m.yyyy h:mm"}
    assert {row[10].number_format for row in sheet.iter_rows(min_row=2)} == {"d.m.yyyy"}


def test_csv_is_for_finnish_spreadsheets_with_a_byte_order_mark_semicolons_and_finnish_dates(graded):
    response = export(signed_in(graded.editor), "awards", "csv")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    body = response.getvalue()
    assert body.startswith(b"\xef\xbb\xbfPisteytys;Opiskelija;Tiimi;")
    assert re.search(rb"\r\n[0-9]+;Aino Virtanen;Pinkut;", body)
    assert ";1.10.2021;Syksy 2021;" in body.decode("utf-8-sig")


def test_export_file_is_named_by_kind_and_date(graded):
    response = export(signed_in(graded.editor), "teams", "xlsx")
    today = timezone.localdate()
    assert response["Content-Disposition"] == f'attachment; filename="esseepisteet-tiimit-{today:%Y-%m-%d}.xlsx"'
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("awards", "esseepisteet-pisteytykset"),
        ("students", "esseepisteet-opiskelijat"),
        ("terms", "esseepisteet-opiskelijat-lukukausittain"),
    ],
)
def test_every_export_file_has_a_finnish_ascii_name(graded, kind, name):
    response = export(signed_in(graded.editor), kind, "csv")
    assert response["Content-Disposition"] == f'attachment; filename="{name}-{timezone.localdate():%Y-%m-%d}.csv"'


def test_the_awards_sheet_says_which_award_a_correction_replaces(graded):
    heading = sheet_of(export(signed_in(graded.editor), "awards", "xlsx"))[1]
    assert "Korvaa pisteytyksen nro" in [cell.value for cell in heading]


def test_xlsx_sheet_is_named_after_the_table_and_keeps_its_headings_in_view(graded):
    sheet = sheet_of(export(signed_in(graded.editor), "teams", "xlsx"))
    assert (sheet.title, sheet.freeze_panes) == ("Summat tiimeittäin", "A2")


def test_coach_exports_only_own_teams(graded):
    rows = csv_rows(export(signed_in(graded.marjut.user), "awards", "csv"))
    assert {row[1] for row in rows[1:]} == {"Aino Virtanen", "Eetu Mäkinen"}


def test_student_cannot_export(graded):
    response = export(signed_in(graded.aino.user), "awards", "csv")
    assert response.status_code in (302, 403)
    assert "Oivaltava" not in response.content.decode(errors="replace")


@pytest.mark.parametrize("query", [{"kind": "everything", "format": "csv"}, {"kind": "awards", "format": "pdf"}])
def test_malformed_export_request_is_a_bad_request(graded, query):
    response = signed_in(graded.editor).get("/admin/points/export/", query)
    assert response.status_code == 400


def test_student_without_awards_appears_in_totals_with_zero(graded):
    PersonFactory(name="Sanni Heikkilä", team=graded.pinkut)
    rows = csv_rows(export(signed_in(graded.editor), "students", "csv"))
    assert ["Sanni Heikkilä", "Pinkut", "0", "100", "0"] in rows


@pytest.fixture
def hostile_award(people):
    essay = EssayPageFactory(title='=HYPERLINK("http://x","klikkaa")', authors=[people.aino])
    return Award.objects.create(
        essay=essay,
        student=people.aino,
        team=people.pinkut,
        points=2,
        coach=people.marjut.user,
        feedback="=1+1",
        submitted_on=datetime.date(2022, 3, 1),
    )


def test_awards_csv_writes_formulas_as_text(hostile_award, people):
    rows = csv_rows(export(signed_in(people.editor), "awards", "csv"))
    row = next(row for row in rows[1:] if "HYPERLINK" in row[3])
    assert row[3] == '\'=HYPERLINK("http://x","klikkaa")'
    assert row[12] == "'=1+1"


def test_awards_xlsx_writes_formulas_as_text_cells(hostile_award, people):
    sheet = sheet_of(export(signed_in(people.editor), "awards", "xlsx"))
    row = next(row for row in sheet.iter_rows(min_row=2) if "HYPERLINK" in str(row[3].value))
    assert (row[3].data_type, row[12].data_type) == ("s", "s")
    assert row[12].value == "=1+1"
