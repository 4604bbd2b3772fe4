"""Points against targets for a student and a team, and the geometry of their SVG charts."""

from collections import defaultdict
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from essays.models import Person
from finnish.collation import sort_key

from .models import Award, GradingSettings, Term


@dataclass
class TermRow:
    label: str
    points: int
    target: int | None


@dataclass
class StudentProgress:
    student: Person
    total: int
    target: int
    terms: list[TermRow] = field(default_factory=list)

    @property
    def percent(self):
        return round(100 * self.total / self.target) if self.target else None


def student_progress(student, awards, terms, grading_settings):
    """Progress of one student from their current awards; terms are all terms in order."""
    targets = grading_settings.targets()
    team_terms = Term.of_team(student.team, terms)
    points_by_term = defaultdict(int)
    for award in awards:
        term = Term.containing(award.submitted_on, terms)
        points_by_term[term.pk if term else None] += award.points
    rows = []
    for number, term in enumerate(team_terms):
        target = targets[number] if number < len(targets) else None
        points = points_by_term.pop(term.pk, 0)
        if target is not None or points:
            rows.append(TermRow(term.name, points, target))
    other = sum(points_by_term.values())
    if other:
        rows.append(TermRow(_("Outside the team's terms"), other, None))
    return StudentProgress(
        student=student, total=sum(award.points for award in awards), target=grading_settings.total_target, terms=rows
    )


def progress_of(students):
    """Progress of each student, most points first (names in Finnish order break ties)."""
    students = list(students)
    grading_settings = GradingSettings.current()
    terms = list(Term.objects.all())
    awards = defaultdict(list)
    for award in Award.objects.current().filter(student__in=students):
        awards[award.student_id].append(award)
    progress = [student_progress(student, awards[student.pk], terms, grading_settings) for student in students]
    progress.sort(key=lambda row: sort_key(row.student.name))
    progress.sort(key=lambda row: row.total, reverse=True)
    return progress


# Chart geometry, in the SVG's own units; the SVG scales to its container.
CHART_WIDTH = 640
BAR_AREA_HEIGHT = 200
LABEL_HEIGHT = 40
TOP_MARGIN = 20


def column_chart(rows):
    """Bars of points per row with the row's target as a line across its bar."""
    scale_max = max([1, *(row.points for row in rows), *(row.target or 0 for row in rows)])
    slot = CHART_WIDTH / max(len(rows), 1)
    bars = []
    for index, row in enumerate(rows):
        height = BAR_AREA_HEIGHT * row.points / scale_max
        bar = {
            "label": row.label,
            "points": row.points,
            "target": row.target,
            "x": round(index * slot + slot * 0.2, 1),
            "width": round(slot * 0.6, 1),
            "x_end": round(index * slot + slot * 0.8, 1),
            "y": round(TOP_MARGIN + BAR_AREA_HEIGHT - height, 1),
            "value_y": round(TOP_MARGIN + BAR_AREA_HEIGHT - height - 4, 1),
            "height": round(height, 1),
            "centre": round(index * slot + slot / 2, 1),
            "met": row.target is not None and row.points >= row.target,
        }
        if row.target is not None:
            bar["target_y"] = round(TOP_MARGIN + BAR_AREA_HEIGHT - BAR_AREA_HEIGHT * row.target / scale_max, 1)
        bars.append(bar)
    return {
        "width": CHART_WIDTH,
        "height": TOP_MARGIN + BAR_AREA_HEIGHT + LABEL_HEIGHT,
        "baseline": TOP_MARGIN + BAR_AREA_HEIGHT,
        "label_y": TOP_MARGIN + BAR_AREA_HEIGHT + 18,
        "bars": bars,
    }


ROW_HEIGHT = 28
NAME_WIDTH = 180


def bar_chart(progress):
    """One horizontal bar per student, total points against the programme target."""
    scale_max = max([1, *(row.total for row in progress), *(row.target for row in progress)])
    track = CHART_WIDTH - NAME_WIDTH - 60
    bars = []
    for index, row in enumerate(progress):
        bars.append(
            {
                "label": row.student.name,
                "points": row.total,
                "target": row.target,
                "y": index * ROW_HEIGHT + 4,
                "text_y": index * ROW_HEIGHT + 19,
                "width": round(track * row.total / scale_max, 1),
                "value_x": round(NAME_WIDTH + track * row.total / scale_max + 6, 1),
                "met": row.total >= row.target,
            }
        )
    target = progress[0].target if progress else 0
    return {
        "width": CHART_WIDTH,
        "height": max(len(progress), 1) * ROW_HEIGHT + 8,
        "name_width": NAME_WIDTH,
        "name_x": NAME_WIDTH - 8,
        "target_x": round(NAME_WIDTH + track * target / scale_max, 1),
        "bar_height": ROW_HEIGHT - 8,
        "bars": bars,
    }
