from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.models import TaskState

from essays.models import EssayPage, Person
from finnish.collation import sort_key

from .exports import TABLES, FinnishSpreadsheetExportMixin
from .forms import CorrectionForm, ExportForm
from .models import Award, GradingSettings, GradingTask, Term, coached_teams
from .progress import bar_chart, column_chart, progress_of, student_progress


def person_of(user):
    return Person.objects.filter(user=user).select_related("team").first() if user.is_authenticated else None


def feedback_for(person):
    """Change requests on the person's essays, newest first: what the coach asked them to fix."""
    essay_ids = [str(pk) for pk in EssayPage.objects.filter(essay_authors__person=person).values_list("pk", flat=True)]
    return (
        TaskState.objects.filter(
            task__in=GradingTask.objects.all(),
            status=TaskState.STATUS_REJECTED,
            workflow_state__object_id__in=essay_ids,
        )
        .exclude(comment="")
        .select_related("finished_by", "revision")
        .order_by("-finished_at")
    )


def can_correct(user, award):
    if user.is_superuser or user.has_perm("grading.add_award"):
        return True
    return coached_teams(user).filter(pk=award.team_id).exists()


class GradingView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "tasks"


class CoachView(GradingView):
    """A view for those who coach at least one team (editors coach every team)."""

    def dispatch(self, request, *args, **kwargs):
        if not coached_teams(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OwnPointsView(GradingView):
    template_name = "grading/own_points.html"
    page_title = gettext_lazy("My points")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        person = person_of(self.request.user)
        if person is None:
            context["person"] = None
            return context
        current = list(person.awards.current())
        progress = student_progress(person, current, list(Term.objects.all()), GradingSettings.current())
        context.update(
            person=person,
            progress=progress,
            chart=column_chart(progress.terms),
            awards=person.awards.select_related("essay", "coach", "corrects", "correction").order_by(
                "-awarded_at", "-pk"
            ),
            change_requests=feedback_for(person),
        )
        return context


class LeaderboardView(CoachView):
    template_name = "grading/leaderboard.html"
    page_title = gettext_lazy("Team leaderboard")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        own_teams = set(coached_teams(self.request.user).values_list("pk", flat=True))
        students = Person.objects.filter(role=Person.Role.STUDENT, team__isnull=False).select_related("team")
        by_team = {}
        for row in progress_of(students):
            by_team.setdefault(row.student.team, []).append(row)
        # The points of erased students (awards without a student) stay in their team's total.
        erased = dict(Award.objects.current().filter(student=None).values_list("team").annotate(points=Sum("points")))
        board = []
        for team, rows in by_team.items():
            total = sum(row.total for row in rows) + erased.get(team.pk, 0)
            board.append(
                {
                    "team": team,
                    "students": len(rows),
                    "total": total,
                    "average": round(total / len(rows), 1),
                    "viewable": team.pk in own_teams,
                }
            )
        board.sort(key=lambda entry: sort_key(entry["team"].name))
        board.sort(key=lambda entry: entry["average"], reverse=True)
        context["board"] = board
        return context


class TeamPointsView(GradingView):
    template_name = "grading/team_points.html"

    def dispatch(self, request, *args, team_id, **kwargs):
        self.team = get_object_or_404(coached_teams(request.user).select_related("coach"), pk=team_id)
        return super().dispatch(request, *args, **kwargs)

    def get_page_title(self):
        return _("Points of team %(team)s") % {"team": self.team.name}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        progress = progress_of(self.team.members.filter(role=Person.Role.STUDENT))
        term_labels = []
        for row in progress:
            for term in row.terms:
                if term.label not in term_labels:
                    term_labels.append(term.label)
        table = [
            {
                "progress": row,
                "terms": [next((t for t in row.terms if t.label == label), None) for label in term_labels],
            }
            for row in progress
        ]
        context.update(
            team=self.team, progress=progress, table=table, term_labels=term_labels, chart=bar_chart(progress)
        )
        return context


class AwardListView(CoachView):
    template_name = "grading/award_list.html"
    page_title = gettext_lazy("Awards")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        teams = coached_teams(self.request.user)
        awards = (
            Award.objects.filter(team__in=teams)
            .select_related("student", "team", "essay", "coach", "correction", "corrects")
            .order_by("-awarded_at", "-pk")[:500]
        )
        context["awards"] = [
            {"award": award, "correctable": not hasattr(award, "correction") and can_correct(self.request.user, award)}
            for award in awards
        ]
        return context


class CorrectAwardView(WagtailAdminTemplateMixin, FormView):
    template_name = "grading/correct_award.html"
    form_class = CorrectionForm
    page_title = gettext_lazy("Correct an award")
    header_icon = "tasks"

    def dispatch(self, request, *args, award_id, **kwargs):
        self.award = get_object_or_404(Award.objects.select_related("student", "essay", "team"), pk=award_id)
        if not can_correct(request.user, self.award):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_initial(self):
        return {"points": self.award.points}

    def get_context_data(self, **kwargs):
        return super().get_context_data(award=self.award, **kwargs)

    def form_valid(self, form):
        try:
            self.award.correct(form.cleaned_data["points"], form.cleaned_data["feedback"], self.request.user)
        except ValidationError as error:
            form.add_error(None, error)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("The award of %(student)s for '%(essay)s' was corrected.")
            % {"student": self.award.student_name, "essay": self.award.essay_title},
        )
        return redirect("grading:awards")


class ExportView(FinnishSpreadsheetExportMixin, GradingView):
    template_name = "grading/export.html"
    page_title = gettext_lazy("Export points")

    def get(self, request, *args, **kwargs):
        teams = coached_teams(request.user)
        if not teams.exists():
            raise PermissionDenied
        if "kind" not in request.GET:
            return super().get(request, *args, form=ExportForm(), **kwargs)
        form = ExportForm(request.GET)
        if not form.is_valid():
            return HttpResponseBadRequest(_("Choose what to export and the format: CSV or XLSX."))
        self.kind = form.cleaned_data["kind"]
        table = TABLES[self.kind](teams)
        self.list_export, self.export_headings = list(table.headings), table.headings
        self.sheet_title = dict(ExportForm.KINDS)[self.kind]
        return self.as_spreadsheet(table.rows, form.cleaned_data["format"])

    def get_filename(self):
        return f"esseepisteet-{self.kind}-{timezone.localdate():%Y-%m-%d}"
