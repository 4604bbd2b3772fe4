"""E-mail about grading, in Finnish: the coaches of the authors' teams hear of each essay sent to them,
the authors hear of their points and feedback or of the changes asked for.

Wagtail's own workflow e-mails (in its words, to administrators and to whoever pressed submit) are
kept for other workflows and replaced by these for grading.
"""

import logging

from django.contrib.auth import get_user_model
from django.core.mail import send_mail
from django.db import transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.text import get_text_list
from django.utils.translation import gettext
from wagtail.admin import mail as wagtail_mail
from wagtail.admin import signal_handlers as wagtail_handlers
from wagtail.models import TaskState, WorkflowState
from wagtail.signals import task_submitted, workflow_approved, workflow_rejected, workflow_submitted
from wagtail.users.models import UserProfile

from essays.models import EssayPage, Person

from .addresses import absolute

logger = logging.getLogger(__name__)


def is_grading(workflow_state):
    from .models import GradingTask

    return GradingTask.objects.filter(workflow_tasks__workflow_id=workflow_state.workflow_id).exists()


def reachable(users):
    return [user for user in users if user is not None and user.is_active and user.email]


def coaches_of(essay):
    """The accounts of the coaches of the authors' teams, as the saved authorships name them."""
    User = get_user_model()
    return list(
        User.objects.filter(person__coached_teams__authorships__essay_id=essay.pk, is_active=True)
        .exclude(email="")
        .distinct()
    )


def authors_of(essay):
    User = get_user_model()
    return list(
        User.objects.filter(person__authorships__essay_id=essay.pk, is_active=True).exclude(email="").distinct()
    )


def send(recipients, template, context):
    """One e-mail to each recipient in their own admin language; a failure is logged, never raised."""
    for user in reachable(recipients):
        language = UserProfile.get_for_user(user).get_preferred_language()
        with translation.override(language):
            # "Aino Virtanen ja Eetu Mäkinen": the names joined in the recipient's language.
            names = context["author_names"]
            context = {**context, "authors": get_text_list(names, gettext("and")), "several_authors": len(names) > 1}
            subject = " ".join(render_to_string(f"grading/notifications/{template}_subject.txt", context).split())
            body = render_to_string(f"grading/notifications/{template}.txt", {**context, "recipient": user})
        try:
            send_mail(subject, body.strip(), None, [user.email])
        except Exception:
            logger.exception("Could not send the grading e-mail %r to %s", subject, user.email)


def name_of(user):
    """The name of whoever sent the essay: their person's name, else their account's."""
    if user is None:
        return "–"
    person = Person.objects.filter(user=user).first()
    return person.name if person else user.get_full_name() or user.get_username()


def essay_context(essay):
    return {
        "essay": essay,
        "author_names": [authorship.person.name for authorship in essay.essay_authors.all()],
        "dashboard_url": absolute(reverse("wagtailadmin_home")),
        "edit_url": absolute(reverse("wagtailadmin_pages:edit", args=[essay.pk])),
        "points_url": absolute(reverse("grading:own")),
    }


def notify_coaches_of_submission(sender, instance, user=None, **kwargs):
    """An essay sent (or sent again) to grading: its authors' coaches hear of it."""
    task_state = instance
    from .models import GradingTask

    if not isinstance(task_state.task.specific, GradingTask):
        return
    essay = EssayPage.objects.get(pk=task_state.workflow_state.object_id)
    resubmitted = task_state.workflow_state.task_states.filter(status=TaskState.STATUS_REJECTED).exists()
    context = {
        **essay_context(essay),
        "sender": name_of(user),
        "resubmitted": resubmitted,
        # The grading page: the essay as submitted with the coach's two actions, not Wagtail's bare preview.
        "grading_url": absolute(reverse("grading:grade", args=[task_state.pk])),
    }
    recipients = coaches_of(essay)
    transaction.on_commit(lambda: send(recipients, "submitted", context))


def notify_authors_of_approval(sender, instance, user=None, **kwargs):
    if not is_grading(instance):
        return
    from .models import Award

    essay = EssayPage.objects.get(pk=instance.object_id)
    task_state = instance.current_task_state
    awards = {award.student_id: award for award in Award.objects.filter(task_state=task_state)}
    context = {**essay_context(essay), "comment": task_state.comment, "public_url": absolute(essay.url or "")}
    for authorship in essay.essay_authors.select_related("person__user"):
        account = authorship.person.user
        award = awards.get(authorship.person_id) or authorship.person.awards.filter(essay=essay).current().first()
        own = {**context, "award": award, "new_award": authorship.person_id in awards}
        transaction.on_commit(lambda account=account, own=own: send([account], "approved", own))


def notify_authors_of_changes_requested(sender, instance, user=None, **kwargs):
    if not is_grading(instance):
        return
    essay = EssayPage.objects.get(pk=instance.object_id)
    context = {**essay_context(essay), "comment": instance.current_task_state.comment}
    recipients = authors_of(essay)
    transaction.on_commit(lambda: send(recipients, "returned", context))


class OtherWorkflowsOnly:
    """Wagtail's notifier, silent for grading workflows (ours speak for those)."""

    def can_handle(self, instance, **kwargs):
        return super().can_handle(instance, **kwargs) and not is_grading(instance)


class SubmissionEmailNotifier(OtherWorkflowsOnly, wagtail_mail.WorkflowStateSubmissionEmailNotifier):
    pass


class ApprovalEmailNotifier(OtherWorkflowsOnly, wagtail_mail.WorkflowStateApprovalEmailNotifier):
    pass


class RejectionEmailNotifier(OtherWorkflowsOnly, wagtail_mail.WorkflowStateRejectionEmailNotifier):
    pass


# Wagtail's dispatch ids: taking them over means Wagtail's own connect, whenever its app is ready,
# adds nothing beside ours.
REPLACED = [
    (workflow_submitted, SubmissionEmailNotifier(), "workflow_state_submitted_email_notification"),
    (workflow_approved, ApprovalEmailNotifier(), "workflow_state_approved_email_notification"),
    (workflow_rejected, RejectionEmailNotifier(), "workflow_state_rejected_email_notification"),
]


def connect():
    wagtail_handlers.register_signal_handlers()
    for signal, notifier, uid in REPLACED:
        signal.disconnect(sender=WorkflowState, dispatch_uid=uid)
        signal.connect(notifier, sender=WorkflowState, dispatch_uid=uid, weak=False)
    task_submitted.connect(notify_coaches_of_submission, sender=TaskState, dispatch_uid="grading_submitted")
    workflow_approved.connect(notify_authors_of_approval, sender=WorkflowState, dispatch_uid="grading_approved")
    workflow_rejected.connect(
        notify_authors_of_changes_requested, sender=WorkflowState, dispatch_uid="grading_changes_requested"
    )
