"""Awards and totals as tables for the programme's official records, written as CSV or XLSX by
Wagtail's spreadsheet export."""

import codecs
import csv
import datetime
from typing import NamedTuple

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook
from wagtail.admin.views.mixins import Echo

from essays.exports import SafeSpreadsheetExportMixin
from essays.models import Person
from finnish.collation import sort_key

from .models import Award, Term
from .progress import progress_of


class Table(NamedTuple):
    """Rows as dictionaries by field; headings maps each field, in column order, to its heading."""

    headings: dict
    rows: list


def _table(columns, rows):
    fields = [field for field, _heading in columns]
    return Table(dict(columns), [dict(zip(fields, row, strict=True)) for row in rows])


def _awards_in_scope(teams):
    return Award.objects.filter(Q(team__in=teams) | Q(student__team__in=teams)).distinct()


def awards_table(teams):
    terms = list(Term.objects.all())
    columns = [
        ("award", _("Award")),
        ("student", _("Student")),
        ("team", _("Team")),
        ("essay", _("Essay")),
        ("essay_type", _("Essay type")),
        ("points", _("Points")),
        ("suggested_points", _("Suggested points")),
        ("rule", _("Rule")),
        ("graded_by", _("Graded by")),
        ("awarded", _("Awarded")),
        ("submitted", _("Submitted")),
        ("term", _("Term")),
        ("feedback", _("Feedback")),
        ("corrects", _("Replaces award no.")),
        ("counts", _("Counts in totals")),
    ]
    awards = (
        _awards_in_scope(teams)
        .select_related("student", "team", "essay", "essay__essay_type", "coach", "correction")
        .order_by("awarded_at", "pk")
    )
    rows = []
    for award in awards:
        term = Term.containing(award.submitted_on, terms)
        corrected = hasattr(award, "correction")
        rows.append(
            [
                award.pk,
                award.student_name,
                award.team.name if award.team else "",
                award.essay_title,
                award.essay.essay_type.name if award.essay and award.essay.essay_type else "",
                award.points,
                award.suggested_points,
                award.rule,
                (award.coach.get_full_name() or award.coach.get_username()) if award.coach else "",
                timezone.localtime(award.awarded_at).replace(tzinfo=None, microsecond=0),
                award.submitted_on,
                term.name if term else "",
                award.feedback,
                award.corrects_id,
                _("no") if corrected else _("yes"),
            ]
        )
    return _table(columns, rows)


def students_table(teams):
    columns = [
        ("student", _("Student")),
        ("team", _("Team")),
        ("points", _("Points")),
        ("target", _("Programme target")),
        ("percent", _("Share of target (%)")),
    ]
    students = Person.objects.filter(Q(team__in=teams) | Q(awards__team__in=teams)).select_related("team").distinct()
    rows = [
        [row.student.name, row.student.team.name if row.student.team else "", row.total, row.target, row.percent]
        for row in sorted(progress_of(students), key=lambda row: sort_key(row.student.name))
    ]
    return _table(columns, rows)


def teams_table(teams):
    columns = [
        ("team", _("Team")),
        ("students", _("Students")),
        ("points", _("Points")),
        ("per_student", _("Points per student")),
    ]
    totals = dict(Award.objects.current().filter(team__in=teams).values_list("team").annotate(total=Sum("points")))
    members = dict(teams.annotate(size=Count("members")).values_list("pk", "size"))
    rows = []
    for team in sorted(teams, key=lambda team: sort_key(team.name)):
        total = totals.get(team.pk, 0)
        size = members.get(team.pk, 0)
        rows.append([team.name, size, total, round(total / size, 1) if size else None])
    return _table(columns, rows)


def terms_table(teams):
    columns = [
        ("student", _("Student")),
        ("team", _("Team")),
        ("term", _("Term")),
        ("points", _("Points")),
        ("target", _("Term target")),
    ]
    students = Person.objects.filter(Q(team__in=teams) | Q(awards__team__in=teams)).select_related("team").distinct()
    rows = []
    for progress in sorted(progress_of(students), key=lambda row: sort_key(row.student.name)):
        team_name = progress.student.team.name if progress.student.team else ""
        for term in progress.terms:
            rows.append([progress.student.name, team_name, term.label, term.points, term.target])
    return _table(columns, rows)


TABLES = {"awards": awards_table, "students": students_table, "teams": teams_table, "terms": terms_table}


# Finnish day.month.year, whatever the active locale's formats are.
XLSX_DATETIME_FORMAT = "d.m.yyyy h:mm"
XLSX_DATE_FORMAT = "d.m.yyyy"
CSV = SafeSpreadsheetExportMixin.FORMAT_CSV


class FinnishSpreadsheetExportMixin(SafeSpreadsheetExportMixin):
    """Wagtail's spreadsheet export as Finnish spreadsheet programs read it.

    They expect semicolons, as the comma is their decimal separator, and a byte order mark that tells
    them the CSV is UTF-8 so ä and ö survive. A view sets list_export, export_headings and
    sheet_title, then returns as_spreadsheet(rows, format).
    """

    sheet_title = "Sheet1"
    csv_delimiter = ";"
    # Tables give local times without a time zone, so XLSX takes every value as it is.
    custom_value_preprocess = {
        datetime.datetime: {CSV: lambda value: date_format(value, "j.n.Y H:i")},
        datetime.date: {CSV: lambda value: date_format(value, "j.n.Y")},
        float: {CSV: lambda value: f"{value:.1f}".replace(".", ",")},
    }

    def stream_csv(self, queryset):
        yield codecs.BOM_UTF8
        writer = csv.DictWriter(Echo(), fieldnames=self.list_export, delimiter=self.csv_delimiter)
        yield writer.writerow({field: self.get_heading(queryset, field) for field in self.list_export})
        for item in queryset:
            yield self.write_csv_row(writer, self.to_row_dict(item))

    def write_csv_response(self, queryset):
        response = super().write_csv_response(queryset)
        response["Content-Type"] = "text/csv; charset=utf-8"
        return response

    def generate_xlsx_row(self, worksheet, row_dict, date_format=XLSX_DATETIME_FORMAT):
        for cell in super().generate_xlsx_row(worksheet, row_dict, date_format=date_format):
            # The mixin formats date-times only.
            if type(cell.value) is datetime.date:
                cell.number_format = XLSX_DATE_FORMAT
            yield cell

    def write_xlsx(self, queryset, output):
        # The mixin's sheet is called Sheet1 and scrolls its headings away; this one is named
        # after the table and keeps the heading row in view.
        workbook = Workbook(write_only=True)
        worksheet = workbook.create_sheet(title=str(self.sheet_title)[:31])
        worksheet.freeze_panes = "A2"
        worksheet.append(self.get_heading(queryset, field) for field in self.list_export)
        for item in queryset:
            worksheet.append(self.generate_xlsx_row(worksheet, self.to_row_dict(item)))
        workbook.save(output)
