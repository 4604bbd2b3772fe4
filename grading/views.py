import functools
from urllib.parse import urlencode

from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Sum
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView, View
from wagtail.admin import messages
from wagtail.admin.auth import user_has_any_page_permission
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.admin.views.generic.models import RevisionsCompareView
from wagtail.admin.views.pages.create import CreateView
from wagtail.admin.views.pages.edit import EditView
from wagtail.admin.views.pages.listing import ExplorableIndexView
from wagtail.admin.views.pages.search import SearchView
from wagtail.admin.views.pages.workflow import (
    CollectWorkflowActionDataView,
    PreviewRevisionForTaskView,
    WorkflowActionView,
)
from wagtail.models import Page, TaskState, WorkflowState

from essays.models import EssayPage, Person
from finnish.collation import sort_key
from originality.forms import (
    AcceptMatchForm,
    accepted_hidden_message,
    accepted_message,
    nothing_to_withdraw_message,
    withdraw_acceptance,
    withdrawn_hidden_message,
    withdrawn_message,
)
from originality.matching import matches_for

from .exports import TABLES, FinnishSpreadsheetExportMixin
from .forms import CorrectionForm, ExportForm, ReapproveForm, RequestChangesForm
from .models import (
    Award,
    GradingSettings,
    GradingTask,
    Term,
    can_grade,
    coached_teams,
    is_fully_graded,
    previous_grading,
)
from .progress import bar_chart, column_chart, progress_of, student_progress
from .templatetags.grading_tags import points_text


def person_of(user):
    return Person.objects.filter(user=user).select_related("team").first() if user.is_authenticated else None


def feedback_for(person):
    """Change requests on the person's essays still waiting to be sent again, newest first."""
    return (
        TaskState.objects.filter(
            task__in=GradingTask.objects.all(),
            status=TaskState.STATUS_REJECTED,
            workflow_state__object_id__in=essay_ids_of(person),
            # Once the essay is sent again, the request is answered.
            workflow_state__status=WorkflowState.STATUS_NEEDS_CHANGES,
        )
        .exclude(comment="")
        .select_related("finished_by", "revision")
        .order_by("-finished_at")
    )


def essay_ids_of(person):
    return [str(pk) for pk in EssayPage.objects.filter(essay_authors__person=person).values_list("pk", flat=True)]


def revision_feedback_for(person):
    """Feedback given when a revised essay of the person's, graded before, was approved again: no
    award carries it (the points stay), so it is read from the grading itself. Newest first."""
    return (
        TaskState.objects.filter(
            task__in=GradingTask.objects.all(),
            status=TaskState.STATUS_APPROVED,
            workflow_state__object_id__in=essay_ids_of(person),
            awards__isnull=True,
        )
        .exclude(comment="")
        .select_related("finished_by", "revision")
        .order_by("-finished_at")
    )


def latest_feedback(person, count):
    """The newest feedback the person got, (when, essay title, points text, feedback): an award's,
    or a revised version's with the points that stay."""
    entries = [
        (award.awarded_at, award.essay_title, points_text(award.points), award.feedback)
        for award in person.awards.select_related("essay").order_by("-awarded_at", "-pk")[:count]
    ]
    for state in revision_feedback_for(person)[:count]:
        entries.append((state.finished_at, state.revision.object_str, _("points unchanged"), state.comment))
    entries.sort(key=lambda entry: entry[0], reverse=True)
    return entries[:count]


def can_correct(user, award):
    if user.is_superuser or user.has_perm("grading.add_award"):
        return True
    return coached_teams(user).filter(pk=award.team_id).exists()


class TitledHeaderMixin(WagtailAdminTemplateMixin):
    """The sticky header names the view itself, not only "Home" (Koti), after the parents in `parents`."""

    header_icon = "tasks"
    parents = ()

    def get_breadcrumbs_items(self):
        parents = [{"url": reverse(name), "label": label} for name, label in self.parents]
        return [*self.breadcrumbs_items, *parents, {"url": "", "label": self.get_page_title()}]


class GradingView(TitledHeaderMixin, TemplateView):
    """A page of the points admin."""


class CoachView(GradingView):
    """A view for those who coach at least one team (editors coach every team)."""

    def dispatch(self, request, *args, **kwargs):
        if not coached_teams(request.user).exists():
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OwnPointsView(GradingView):
    template_name = "grading/own_points.html"
    page_title = gettext_lazy("My points")

    def dispatch(self, request, *args, **kwargs):
        # Points are the students'; a coach or an editor is sent to the points of the teams they coach.
        person = person_of(request.user)
        if person is None or person.role != Person.Role.STUDENT:
            teams = list(coached_teams(request.user)[:2])
            if teams:
                messages.info(request, _("Points are collected by students; here are the points of your teams."))
                if len(teams) == 1:
                    return redirect("grading:team", team_id=teams[0].pk)
                return redirect("grading:leaderboard")
            if person is not None:
                raise Http404
        return super().dispatch(request, *args, **kwargs)

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
            revision_feedback=revision_feedback_for(person),
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
        for position, entry in enumerate(board, start=1):
            # Teams level on points per student share a rank ("1., 2., 2., 4.").
            tied = position > 1 and entry["average"] == board[position - 2]["average"]
            entry["rank"] = board[position - 2]["rank"] if tied else position
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


class CorrectAwardView(TitledHeaderMixin, FormView):
    template_name = "grading/correct_award.html"
    form_class = CorrectionForm
    page_title = gettext_lazy("Correct an award")
    parents = (("grading:awards", gettext_lazy("Awards")),)

    def dispatch(self, request, *args, award_id, **kwargs):
        self.award = get_object_or_404(Award.objects.select_related("student", "essay", "team"), pk=award_id)
        if not can_correct(request.user, self.award):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_form_kwargs(self):
        # No points filled in: typing into the old value made "21" of a 2.
        return {**super().get_form_kwargs(), "award": self.award}

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
        self.sheet_title = ExportForm.SHEET_NAMES[self.kind]
        return self.as_spreadsheet(table.rows, form.cleaned_data["format"])

    def get_filename(self):
        # "esseepisteet-pisteytykset-2026-12-05": Finnish words, ASCII only, the date sorting by name.
        name = slugify(_("essay-points") + "-" + ExportForm.FILE_NAMES[self.kind])
        return f"{name}-{timezone.localdate():%Y-%m-%d}"


def outcome_message(task_state):
    """What became of an essay's grading, for a coach whose dialog arrives after it was decided."""
    essay = task_state.workflow_state.content_object
    coach = task_state.finished_by
    finished = timezone.localtime(task_state.finished_at) if task_state.finished_at else None
    facts = {
        "title": essay.title,
        "coach": (coach.get_full_name() or coach.get_username()) if coach else "–",
        "date": date_format(finished, "DATETIME_FORMAT") if finished else "–",
    }
    if task_state.status == TaskState.STATUS_APPROVED:
        return _("“%(title)s” was already approved by %(coach)s at %(date)s; nothing was changed.") % facts
    if task_state.status == TaskState.STATUS_REJECTED:
        return _("%(coach)s already returned “%(title)s” for changes at %(date)s; nothing was changed.") % facts
    return _("“%(title)s” is no longer waiting for grading; nothing was changed.") % facts


def refuse_unless_moderator(view, user):
    """Before a workflow view says anything about a page or its task (a title, an outcome), the user
    must be one who acts on that task: otherwise a typed address tells a student of others' drafts."""
    if isinstance(view.task, GradingTask):
        if view.task_state.workflow_state.object_id != str(view.object.pk):
            raise Http404
        if not can_grade(user, view.task_state.revision.as_object()):
            raise PermissionDenied
    elif not view.task.get_actions(view.object, user):
        raise PermissionDenied


class GradingWorkflowActionView(WorkflowActionView):
    """Wagtail's workflow action on a page. For grading, the coach is told what their action did, an
    essay graded before gets a feedback-only approval, and a dialog opened before someone else decided
    answers with what happened (as the dialog's script expects), not an error page."""

    def grading(self):
        return isinstance(self.task, GradingTask)

    def author_count(self):
        return self.object.specific.essay_authors.count()

    def get_form_class(self):
        if self.grading() and self.action_name == "approve" and is_fully_graded(self.task_state.revision.as_object()):
            return ReapproveForm
        form_class = super().get_form_class()
        if form_class is RequestChangesForm:
            # The dialog speaks of one student or of several, as many as wrote the essay.
            return functools.partial(RequestChangesForm, authors=self.author_count())
        return form_class

    def done(self, request):
        home = reverse("wagtailadmin_home")
        if request.headers.get("x-requested-with") == "XMLHttpRequest":
            return self.render_modal_json(request, {"step": "success", "redirect": home})
        return redirect(home)

    def dispatch(self, request, *args, **kwargs):
        refuse_unless_moderator(self, request.user)
        if self.grading() and self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            messages.warning(request, outcome_message(self.task_state))
            return self.done(request)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        if not self.grading():
            return response
        state = TaskState.objects.get(pk=self.task_state.pk)
        if state.status == TaskState.STATUS_IN_PROGRESS:
            return response  # the form had errors and is shown again
        if state.finished_by_id != request.user.pk:
            messages.warning(request, outcome_message(state))
        elif state.status == TaskState.STATUS_APPROVED:
            awards = list(state.awards.all())
            title = self.object.specific.title
            if awards:
                messages.success(
                    request,
                    ngettext(
                        "“%(title)s” was approved and published: %(points)s to its author. "
                        "Your feedback was sent to them.",
                        "“%(title)s” was approved and published: %(points)s to each author. "
                        "Your feedback was sent to them.",
                        self.author_count(),
                    )
                    % {"title": title, "points": points_text(awards[0].points)},
                )
            else:
                messages.success(
                    request,
                    ngettext(
                        "“%(title)s” was approved and published; its points stay as they were. "
                        "Your feedback was sent to the author.",
                        "“%(title)s” was approved and published; its points stay as they were. "
                        "Your feedback was sent to the authors.",
                        self.author_count(),
                    )
                    % {"title": title},
                )
        elif state.status == TaskState.STATUS_REJECTED:
            messages.success(
                request,
                ngettext(
                    "“%(title)s” was returned to its author for changes. Your feedback was sent to them.",
                    "“%(title)s” was returned to its authors for changes. Your feedback was sent to them.",
                    self.author_count(),
                )
                % {"title": self.object.specific.title},
            )
        return response


class GradingCollectWorkflowActionDataView(CollectWorkflowActionDataView):
    """Wagtail's dialog that collects an action's data, refusing before it names the page."""

    def dispatch(self, request, *args, **kwargs):
        refuse_unless_moderator(self, request.user)
        return super().dispatch(request, *args, **kwargs)


class GradingPreviewRevisionForTaskView(PreviewRevisionForTaskView):
    """Wagtail's preview of the revision a task is on, refusing before it names the page."""

    def get(self, request, *args, **kwargs):
        if not self.task.get_actions(self.object, request.user):
            raise PermissionDenied
        return super().get(request, *args, **kwargs)


class PageSearchView(SearchView):
    """Wagtail's page search, its result count naming what it counts (Wagtail leaves the name None)."""

    verbose_name = Page._meta.verbose_name
    verbose_name_plural = Page._meta.verbose_name_plural


class PageExplorerView(ExplorableIndexView):
    """Wagtail's page explorer, whose status panel links the page's usage only for whoever may open
    that view (those who may edit the page); others met a refusal."""

    def dispatch(self, request, *args, **kwargs):
        # The dashboard's search box sends its query here; whoever may explore no page (a coach)
        # searches the bank as a signed-in reader instead of meeting a refusal.
        query = request.GET.get("q", "").strip()
        if query and not user_has_any_page_permission(request.user):
            return redirect(f"{reverse('search')}?{urlencode({'q': query})}")
        return super().dispatch(request, *args, **kwargs)

    def get_side_panels(self):
        side_panels = super().get_side_panels()
        if not self.parent_page.permissions_for_user(self.request.user).can_edit():
            for panel in side_panels:
                panel.usage_url = None
        return side_panels


class ScheduleWithItsFieldsMixin:
    """Wagtail offers the publishing schedule whenever the page type has its fields; a form that left
    them out (a student's essay, essays.forms.EssayPageForm) offers no schedule it cannot save."""

    def get_side_panels(self):
        side_panels = super().get_side_panels()
        if "go_live_at" not in self.form.fields:
            for panel in side_panels:
                if hasattr(panel, "show_schedule_publishing_toggle"):
                    panel.show_schedule_publishing_toggle = False
        return side_panels


class PageCreateView(ScheduleWithItsFieldsMixin, CreateView):
    pass


class PageEditView(ScheduleWithItsFieldsMixin, EditView):
    pass


class GradingTaskMixin:
    """A view of one essay waiting for grading, for those who may grade it."""

    def dispatch(self, request, *args, task_state_id, **kwargs):
        self.task_state = get_object_or_404(
            TaskState.objects.select_related("workflow_state", "revision"),
            pk=task_state_id,
            task__in=GradingTask.objects.all(),
        )
        self.essay = self.task_state.revision.as_object()
        # Whether the essay was graded, and by whom, is told only to those who may grade it.
        if not can_grade(request.user, self.essay):
            raise PermissionDenied
        if self.task_state.status != TaskState.STATUS_IN_PROGRESS:
            messages.warning(request, outcome_message(self.task_state))
            return redirect("wagtailadmin_home")
        return super().dispatch(request, *args, **kwargs)


class GradeView(GradingTaskMixin, GradingView):
    """The essay as submitted and the coach's two actions on one page: read, then grade."""

    template_name = "grading/grade.html"

    def get_page_title(self):
        return self.essay.title

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            essay=self.essay,
            task_state=self.task_state,
            actions=self.task_state.task.specific.get_actions(self.essay, self.request.user),
            matches=matches_for(self.essay, self.request.user),
            accept_form=AcceptMatchForm(),
        )
        return context


class CompareWithPreviousView(GradingTaskMixin, RevisionsCompareView):
    """Wagtail's comparison of two revisions, for the coach grading an essay sent again: the version
    returned (or graded) before beside the one sent now. The coach cannot open the essay's editor, so
    Wagtail's own comparison (for those who may edit) is not theirs."""

    page_title = gettext_lazy("Compare with the previous version")
    template_name = "grading/compare.html"

    def setup(self, request, *args, **kwargs):
        # The revisions come from the task state, read once the user may grade it (GradingTaskMixin).
        View.setup(self, request, *args, **kwargs)

    def get(self, request, *args, **kwargs):
        previous = previous_grading(self.task_state)
        if previous is None:
            raise Http404
        self.object = EssayPage.objects.get(pk=self.essay.pk)
        self.revision_id_a, self.revision_id_b = previous.revision_id, self.task_state.revision_id
        self.previous = previous
        return super().get(request, *args, **kwargs)

    def get_edit_handler(self):
        return self.object.get_edit_handler()

    def get_page_subtitle(self):
        return self.essay.title

    def get_breadcrumbs_items(self):
        return [
            *self.breadcrumbs_items,
            {"url": reverse("grading:grade", args=[self.task_state.pk]), "label": self.essay.title},
            {"url": "", "label": self.get_page_title()},
        ]

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        sent = {"date": date_format(timezone.localtime(self.task_state.started_at), "j.n.Y")}
        before = {"date": date_format(timezone.localtime(self.previous.finished_at), "j.n.Y")}
        if self.previous.status == TaskState.STATUS_REJECTED:
            context["revision_a_heading"] = _("returned for changes %(date)s") % before
        else:
            context["revision_a_heading"] = _("approved %(date)s") % before
        context["revision_b_heading"] = _("sent again %(date)s") % sent
        context["task_state"] = self.task_state
        return context


class AcceptMatchView(GradingTaskMixin, View):
    """The coach marks the overlap of the essay being graded with another as acceptable."""

    def post(self, request, *args, essay_id, **kwargs):
        other = get_object_or_404(EssayPage, pk=essay_id)
        form = AcceptMatchForm(request.POST)
        if form.is_valid():
            form.accept(self.essay, other, request.user)
            readable = not EssayPage.objects.filter(pk=other.pk).hidden_in_admin_from(request.user).exists()
            messages.success(request, accepted_message(other.title) if readable else accepted_hidden_message())
        else:
            messages.error(request, form.error_text())
        return redirect(reverse("grading:grade", args=[self.task_state.pk]) + "#originality")


class WithdrawAcceptanceView(GradingTaskMixin, View):
    """The coach takes back an acceptance: the overlap is flagged for grading again."""

    def post(self, request, *args, essay_id, **kwargs):
        other = get_object_or_404(EssayPage, pk=essay_id)
        if withdraw_acceptance(self.essay, other, request.user):
            readable = not EssayPage.objects.filter(pk=other.pk).hidden_in_admin_from(request.user).exists()
            messages.success(request, withdrawn_message(other.title) if readable else withdrawn_hidden_message())
        else:
            messages.warning(request, nothing_to_withdraw_message())
        return redirect(reverse("grading:grade", args=[self.task_state.pk]) + "#originality")
