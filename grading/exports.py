"""Awards and totals as tables for the programme's official records, written as CSV or XLSX."""

import csv
import datetime
import io

from django.db.models import Count, Q, Sum
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from openpyxl import Workbook

from essays.models import Person
from finnish.collation import sort_key

from .models import Award, Term
from .progress import progress_of

# Finnish spreadsheet programs read semicolons, as the comma is their decimal separator; the byte
# order mark tells them the file is UTF-8 so ä and ö survive.
CSV_DELIMITER = ";"
CSV_ENCODING = "utf-8-sig"


def _awards_in_scope(teams):
    return Award.objects.filter(Q(team__in=teams) | Q(student__team__in=teams)).distinct()


def awards_table(teams):
    terms = list(Term.objects.all())
    header = [
        _("Award"),
        _("Student"),
        _("Team"),
        _("Essay"),
        _("Essay type"),
        _("Points"),
        _("Suggested points"),
        _("Rule"),
        _("Graded by"),
        _("Awarded"),
        _("Submitted"),
        _("Term"),
        _("Feedback"),
        _("Corrects award"),
        _("Counts in totals"),
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
                award.student.name,
                award.team.name if award.team else "",
                award.essay.title,
                award.essay.essay_type.name if award.essay.essay_type else "",
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
    return header, rows


def students_table(teams):
    header = [_("Student"), _("Team"), _("Points"), _("Programme target"), _("Share of target (%)")]
    students = Person.objects.filter(Q(team__in=teams) | Q(awards__team__in=teams)).select_related("team").distinct()
    rows = [
        [row.student.name, row.student.team.name if row.student.team else "", row.total, row.target, row.percent]
        for row in sorted(progress_of(students), key=lambda row: sort_key(row.student.name))
    ]
    return header, rows


def teams_table(teams):
    header = [_("Team"), _("Students"), _("Points"), _("Points per student")]
    totals = dict(Award.objects.current().filter(team__in=teams).values_list("team").annotate(total=Sum("points")))
    members = dict(teams.annotate(size=Count("members")).values_list("pk", "size"))
    rows = []
    for team in sorted(teams, key=lambda team: sort_key(team.name)):
        total = totals.get(team.pk, 0)
        size = members.get(team.pk, 0)
        rows.append([team.name, size, total, round(total / size, 1) if size else None])
    return header, rows


def terms_table(teams):
    header = [_("Student"), _("Team"), _("Term"), _("Points"), _("Term target")]
    students = Person.objects.filter(Q(team__in=teams) | Q(awards__team__in=teams)).select_related("team").distinct()
    rows = []
    for progress in sorted(progress_of(students), key=lambda row: sort_key(row.student.name)):
        team_name = progress.student.team.name if progress.student.team else ""
        for term in progress.terms:
            rows.append([progress.student.name, team_name, term.label, term.points, term.target])
    return header, rows


TABLES = {"awards": awards_table, "students": students_table, "teams": teams_table, "terms": terms_table}


def _text(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return date_format(value, "j.n.Y H:i")
    if isinstance(value, datetime.date):
        return date_format(value, "j.n.Y")
    if isinstance(value, float):
        return f"{value:.1f}".replace(".", ",")
    return str(value)


def as_csv(header, rows):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=CSV_DELIMITER, lineterminator="\r\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([_text(value) for value in row])
    return buffer.getvalue().encode(CSV_ENCODING)


def as_xlsx(header, rows, title):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    for cells in sheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, datetime.datetime):
                cell.number_format = "d.m.yyyy h:mm"
            elif isinstance(cell.value, datetime.date):
                cell.number_format = "d.m.yyyy"
    sheet.freeze_panes = "A2"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
