from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.html import escape
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.action_menu import SubmitForModerationMenuItem
from wagtail.admin.menu import Menu, MenuItem, SubmenuMenuItem
from wagtail.admin.ui.components import Component
from wagtail.admin.viewsets.pages import PageViewSet
from wagtail.locks import WorkflowLock
from wagtail.models import TaskState
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from essays import privacy
from essays.models import EssayIndexPage, EssayPage
from finnish.messages import reword_messages
from originality.matching import unaccepted_overlap_percent

from . import urls
from .accounts import refuses_bulk_action
from .bulk_actions import PAGE_BULK_ACTIONS
from .models import (
    Award,
    GradingSettings,
    GradingTask,
    RuleSet,
    Term,
    coached_teams,
    first_sent_on,
    points_by_essay_type,
    resent_on,
    submission_date,
    suggest_points,
)
from .notifications import name_of
from .permissions import refused_some_essay, without_unreadable_essays
from .progress import column_chart, student_progress
from .templatetags.grading_tags import points_text
from .views import (
    GradingCollectWorkflowActionDataView,
    GradingPreviewRevisionForTaskView,
    GradingWorkflowActionView,
    PageCreateView,
    PageEditView,
    PageExplorerView,
    PageSearchView,
    feedback_for,
    latest_feedback,
    person_of,
)

WAITING_ON_DASHBOARD = 20


@hooks.register("before_bulk_action")
def keep_bulk_account_actions_within_reach(request, action_type, objects, action):
    if action.model is get_user_model() and refuses_bulk_action(request, objects, action):
        raise PermissionDenied


@hooks.register("register_admin_urls")
def register_grading_urls():
    return [path("points/", include((urls, "grading"), namespace="grading"))]


@hooks.register("points_of_essay_types")
def points_under_the_rules_in_force(essay):
    """The essay form's point classes (essays.forms.points_by_type): the rule set in force when the
    essay was first sent, or today for an essay not sent yet. Points by book follow no essay type."""
    if GradingSettings.current().point_system != GradingSettings.PointSystem.ESSAY_TYPE:
        return None
    return points_by_essay_type(first_sent_on(essay) or timezone.localdate())


class OwnPointsMenuItem(MenuItem):
    """Students collect points; a coach's own page would have none."""

    def is_shown(self, request):
        person = person_of(request.user)
        return person is not None and person.role == person.Role.STUDENT


class CoachMenuItem(MenuItem):
    def is_shown(self, request):
        return coached_teams(request.user).exists()


@hooks.register("register_admin_menu_item")
def register_points_menu():
    menu = Menu(
        items=[
            OwnPointsMenuItem(_("My points"), reverse("grading:own"), icon_name="user", order=100),
            CoachMenuItem(_("Team leaderboard"), reverse("grading:leaderboard"), icon_name="group", order=200),
            CoachMenuItem(_("Awards"), reverse("grading:awards"), icon_name="list-ul", order=300),
            CoachMenuItem(_("Export points"), reverse("grading:export"), icon_name="download", order=400),
        ]
    )
    return SubmenuMenuItem(_("Points"), menu, icon_name="tasks", name="points", order=250)


class RuleSetViewSet(SnippetViewSet):
    model = RuleSet
    icon = "list-ol"
    menu_label = _("Rule sets")
    list_display = ["name", "effective_from"]


class TermViewSet(SnippetViewSet):
    model = Term
    icon = "date"
    menu_label = _("Terms")
    list_display = ["name", "starts_on", "ends_on"]


class GradingRulesViewSetGroup(SnippetViewSetGroup):
    items = (RuleSetViewSet, TermViewSet)
    menu_icon = "tasks"
    menu_label = _("Point rules")
    menu_name = "point-rules"


register_snippet(GradingRulesViewSetGroup)


class StudentPointsPanel(Component):
    name = "grading_own_points"
    template_name = "grading/panels/own_points.html"
    order = 50

    def __init__(self, person):
        self.person = person

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        current = list(self.person.awards.current())
        progress = student_progress(self.person, current, list(Term.objects.all()), GradingSettings.current())
        context.update(
            person=self.person,
            progress=progress,
            chart=column_chart(progress.terms),
            latest_feedback=latest_feedback(self.person, 3),
            change_requests=feedback_for(self.person)[:3],
        )
        return context


class GradingQueuePanel(Component):
    """The essays waiting for this coach's grading, the longest-waiting first."""

    name = "grading_queue"
    template_name = "grading/panels/grading_queue.html"
    order = 60

    class Media:
        css = {"all": ["grading/css/points.css"]}

    def __init__(self, states):
        self.states = states

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        request = parent_context["request"]
        point_system = GradingSettings.current().point_system
        waiting = []
        for state in self.states:
            essay = state.revision.as_object()
            submitted = submission_date(essay)
            waiting.append(
                {
                    "essay": essay,
                    "task_state": state,
                    "submitted": submitted,
                    "resent": resent_on(state),
                    "overlap": unaccepted_overlap_percent(essay),
                    "suggestion": suggest_points(essay, submitted, point_system),
                    "actions": state.task.specific.get_actions(essay, request.user),
                }
            )
        count = len(waiting)
        heading = (
            ngettext("%(count)d essay waits for your grading", "%(count)d essays wait for your grading", count)
            % {"count": count}
            if count
            else gettext("Essays waiting for your grading")
        )
        context.update(waiting=waiting, heading=heading, csrf_token=parent_context.get("csrf_token"))
        return context


def grading_states_for(user):
    states = TaskState.objects.none()
    for task in GradingTask.objects.filter(active=True):
        states |= task.get_task_states_user_can_moderate(user)
    return states.select_related("revision", "task").order_by("started_at", "pk")


@hooks.register("construct_homepage_panels")
def add_grading_panels(request, panels):
    person = person_of(request.user)
    if person is not None and person.role == person.Role.STUDENT:
        panels.append(StudentPointsPanel(person))
    if coached_teams(request.user).exists():
        states = list(grading_states_for(request.user)[:WAITING_ON_DASHBOARD])
        panels.append(GradingQueuePanel(states))
        # Our panel lists the same essays with their points and the same action buttons; two copies
        # of the buttons' script would open every dialog twice.
        panels[:] = [panel for panel in panels if getattr(panel, "name", "") != "workflow_objects_to_moderate"]


@hooks.register("before_edit_page")
def show_coach_feedback(request, page):
    """The student opening their essay sees what the coach asks them to change, until they send it
    again, and the coach's feedback once it is graded."""
    if request.method != "GET" or not isinstance(page.specific, EssayPage):
        return None
    state = page.current_workflow_state
    if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        messages.warning(
            request,
            _("Changes your coach asks for: %(comment)s — When you have made them, choose “Send again for grading”.")
            % {"comment": state.current_task_state.comment},
        )
        return None
    latest = (
        TaskState.objects.for_instance(page)
        .filter(task__in=GradingTask.objects.all(), status=TaskState.STATUS_APPROVED)
        .exclude(comment="")
        .order_by("-finished_at")
        .first()
    )
    if latest is not None:
        # A revised version's approval gives no award: the essay's points are those it holds.
        awarded = Award.objects.filter(essay_id=page.pk).current().first()
        messages.info(
            request,
            _("Coach's feedback (%(points)s): %(comment)s")
            % {"points": points_text(awarded.points) if awarded else "–", "comment": latest.comment},
        )
    return None


@hooks.register("before_edit_page")
def explain_a_save_refused_during_grading(request, page):
    """A co-author saving from a window opened before the essay was sent (again) for grading is told
    who sent it and when, beside Wagtail's "could not be saved as it is locked"."""
    if request.method != "POST" or not isinstance(page.specific, EssayPage):
        return None
    lock = page.get_lock()
    state = page.current_workflow_state
    if not isinstance(lock, WorkflowLock) or not lock.for_user(request.user) or state is None:
        return None
    task_state = state.current_task_state
    if task_state is None or task_state.status != TaskState.STATUS_IN_PROGRESS:
        return None
    sender = task_state.revision.user if task_state.revision else state.requested_by
    messages.error(
        request,
        _(
            "%(name)s sent “%(title)s” for grading at %(date)s; it cannot be edited until it has been "
            "graded. Your changes were not saved."
        )
        % {
            "name": name_of(sender),
            "title": page.specific.title,
            "date": date_format(timezone.localtime(task_state.started_at), "DATETIME_FORMAT"),
        },
    )
    return None


# Wagtail's messages after a page is sent to its workflow, and the same for an essay sent to grading.
SUBMITTED_MESSAGES = [
    (
        "Page '%(page_title)s' created and submitted for moderation.",
        _("Essay “%(page_title)s” was saved and sent for grading."),
    ),
    ("Page '%(page_title)s' has been submitted for moderation.", _("Essay “%(page_title)s” was sent for grading.")),
]


@hooks.register("after_create_page")
@hooks.register("after_edit_page")
def name_the_grading_in_the_sent_message(request, page):
    """A student who sends an essay reads that it went for grading (arvioitavaksi), not Wagtail's
    generic review (tarkastettavaksi)."""
    if not isinstance(page.specific, EssayPage):
        return
    title = {"page_title": page.get_admin_display_title()}
    replacements = [
        (escape(gettext(generic) % title), escape(str(essay) % title)) for generic, essay in SUBMITTED_MESSAGES
    ]
    reword_messages(request, replacements)


class SendForGradingMenuItem(SubmitForModerationMenuItem):
    """Wagtail's submit action, named for what it does to an essay."""

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        page = context.get("page")
        state = page.current_workflow_state if page is not None and page.pk else None
        if state is not None and state.status == state.STATUS_NEEDS_CHANGES:
            context["label"] = gettext("Send again for grading")
        else:
            context["label"] = gettext("Send for grading")
        return context


def is_essay_editor(context):
    page, parent = context.get("page"), context.get("parent_page")
    return isinstance(page, EssayPage) or (page is None and isinstance(parent, EssayIndexPage))


@hooks.register("construct_page_action_menu")
def one_path_for_students(menu_items, request, context):
    """An essay goes to grading, and back to it after changes, by one clearly named action; restarting
    or cancelling the grading is the editors'."""
    if not is_essay_editor(context):
        return
    editor = privacy.sees_everything(request.user)
    if not editor:
        menu_items[:] = [
            item for item in menu_items if item.name not in ("action-restart-workflow", "action-cancel-workflow")
        ]
    for position, item in enumerate(menu_items):
        if item.name == "action-submit":
            menu_items[position] = SendForGradingMenuItem(order=item.order)
    page = context.get("page")
    state = page.current_workflow_state if page is not None and page.pk else None
    if not editor and state is not None and state.status == state.STATUS_NEEDS_CHANGES:
        # Sending the essay again is the student's next step: the main button.
        submit = [item for item in menu_items if item.name == "action-submit"]
        menu_items[:] = submit + [item for item in menu_items if item.name != "action-submit"]


class AdminPageViewSet(PageViewSet):
    """Wagtail's base page views, with workflow actions that tell a coach what grading did."""

    workflow_action_view_class = GradingWorkflowActionView
    collect_workflow_action_data_view_class = GradingCollectWorkflowActionDataView
    workflow_preview_view_class = GradingPreviewRevisionForTaskView
    search_view_class = PageSearchView
    index_view_class = PageExplorerView
    add_view_class = PageCreateView
    edit_view_class = PageEditView


@hooks.register("register_admin_viewset")
def register_admin_page_viewset():
    # Registered after Wagtail's own base page viewset (order -1), so it takes its place.
    return AdminPageViewSet()


for bulk_action in PAGE_BULK_ACTIONS:
    # After Wagtail's own page bulk actions (order 0), so these take their places.
    hooks.register("register_bulk_action", bulk_action, order=1)


@hooks.register("construct_page_chooser_queryset")
def hide_unreadable_essays_from_choosers(pages, request):
    """A link or a concept's page chooser offers only the essays its user may read."""
    return without_unreadable_essays(pages, request.user)


@hooks.register("construct_reports_menu")
def hide_reports_refused_to_the_user(request, menu_items):
    """The page types report counts every page, so whoever may not read some essay is refused it
    (AdminEssayVisibilityMiddleware); the menu does not offer it to them either."""
    if refused_some_essay(request):
        menu_items[:] = [item for item in menu_items if item.name != "page-types-usage"]
