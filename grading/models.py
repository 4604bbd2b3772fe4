"""Point rules, terms, targets and the award records that points are counted from.

An award is never edited or deleted: a correction is a new award that names the one it corrects,
and totals count only awards that nobody has corrected.
"""

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, models, transaction
from django.db.models import Q, Sum
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, FieldRowPanel, InlinePanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Site, Task, TaskState, WorkflowState

from citations.extraction import citations_in
from essays.models import Book, EssayAuthor, EssayPage, EssayType, Person, Team

# A team's first term is the first one that ends after this day of its start year:
# programmes start in the autumn.
PROGRAMME_START = (8, 1)


def parse_term_targets(text):
    """[0, 15, 20] from "0, 15, 20"; ValidationError for anything but whole non-negative numbers."""
    parts = [part.strip() for part in (text or "").replace(";", ",").split(",") if part.strip()]
    try:
        numbers = [int(part) for part in parts]
    except ValueError:
        raise ValidationError(
            _("Write the term targets as whole numbers separated by commas, e.g. 0, 15, 20.")
        ) from None
    if any(number < 0 for number in numbers):
        raise ValidationError(_("A term target cannot be negative."))
    return numbers


def validate_term_targets(text):
    parse_term_targets(text)


@register_setting(icon="tasks")
class GradingSettings(BaseSiteSetting):
    class PointSystem(models.TextChoices):
        ESSAY_TYPE = "essay_type", _("by essay type (rule sets)")
        BOOK = "book", _("by book (the book's points)")

    point_system = models.CharField(
        _("points come from"),
        max_length=20,
        choices=PointSystem.choices,
        default=PointSystem.ESSAY_TYPE,
        help_text=_("Where the points suggested to the coach come from."),
    )
    total_target = models.PositiveSmallIntegerField(
        _("programme target"), default=100, help_text=_("Points a student collects over the whole programme.")
    )
    term_targets = models.CharField(
        _("term targets"),
        max_length=200,
        default="0, 15, 20, 20, 20, 20, 5",
        validators=[validate_term_targets],
        help_text=_(
            "Targets for a team's first, second, … term, separated by commas. A team's first term is the "
            "first term that ends after 1 August of its start year."
        ),
    )

    panels = [FieldPanel("point_system"), FieldRowPanel([FieldPanel("total_target"), FieldPanel("term_targets")])]

    class Meta:
        verbose_name = _("grading")

    @classmethod
    def current(cls):
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            return cls()
        return cls.for_site(site)

    def targets(self):
        return parse_term_targets(self.term_targets)


class RuleSet(ClusterableModel):
    """Points per essay type from a date on; an essay keeps the rules in force when it was submitted."""

    name = models.CharField(_("name"), max_length=100)
    effective_from = models.DateField(_("in force from"), unique=True)
    notes = models.TextField(_("notes"), blank=True)

    panels = [
        FieldRowPanel([FieldPanel("name"), FieldPanel("effective_from")]),
        FieldPanel("notes"),
        InlinePanel("rules", label=_("rule"), heading=_("Points by essay type")),
    ]

    class Meta:
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        ordering = ["-effective_from"]

    def __str__(self):
        return self.name

    @classmethod
    def in_force_on(cls, date):
        return cls.objects.filter(effective_from__lte=date).order_by("-effective_from").first()


class PointRule(Orderable):
    rule_set = ParentalKey(RuleSet, on_delete=models.CASCADE, related_name="rules")
    essay_type = models.ForeignKey(
        EssayType, verbose_name=_("essay type"), on_delete=models.PROTECT, related_name="point_rules"
    )
    points = models.PositiveSmallIntegerField(_("points"))

    panels = [FieldPanel("essay_type"), FieldPanel("points")]

    class Meta(Orderable.Meta):
        verbose_name = _("point rule")
        verbose_name_plural = _("point rules")
        constraints = [models.UniqueConstraint(fields=["rule_set", "essay_type"], name="grading_one_rule_per_type")]


class Term(models.Model):
    name = models.CharField(_("name"), max_length=100, unique=True)
    starts_on = models.DateField(_("starts"))
    ends_on = models.DateField(_("ends"))

    panels = [FieldPanel("name"), FieldRowPanel([FieldPanel("starts_on"), FieldPanel("ends_on")])]

    class Meta:
        verbose_name = _("term")
        verbose_name_plural = _("terms")
        ordering = ["starts_on"]

    def __str__(self):
        return self.name

    def clean(self):
        if self.starts_on and self.ends_on:
            if self.ends_on < self.starts_on:
                raise ValidationError({"ends_on": _("A term cannot end before it starts.")})
            overlapping = Term.objects.filter(starts_on__lte=self.ends_on, ends_on__gte=self.starts_on)
            if overlapping.exclude(pk=self.pk).exists():
                raise ValidationError(_("Terms cannot overlap; another term covers some of these days."))

    @classmethod
    def containing(cls, date, terms=None):
        terms = cls.objects.all() if terms is None else terms
        return next((term for term in terms if term.starts_on <= date <= term.ends_on), None)

    @classmethod
    def of_team(cls, team, terms=None):
        """The team's terms in order, its first term first; all terms when the start year is unknown."""
        terms = list(cls.objects.all() if terms is None else terms)
        if team is None or not team.start_year:
            return terms
        start = datetime.date(team.start_year, *PROGRAMME_START)
        return [term for term in terms if term.ends_on >= start]


@dataclass
class Suggestion:
    points: int | None
    rule: str
    rule_set: RuleSet | None = None
    book: Book | None = None


def submission_date(essay):
    """The day the essay was first sent for grading; the date written for essays never sent."""
    return first_sent_on(essay) or essay.written


def first_sent_on(essay):
    """The day the essay was first sent for grading, or None if it never was."""
    if essay.pk is None:
        return None
    first = (
        WorkflowState.objects.filter(base_content_type=essay.get_base_content_type(), object_id=str(essay.pk))
        .order_by("created_at")
        .values_list("created_at", flat=True)
        .first()
    )
    return timezone.localdate(first) if first else None


def points_by_essay_type(on_date):
    """{essay type: points} the rule set in force on that day gives, a type without a rule falling back
    to its default points, as suggest_points does; types with neither are left out."""
    rule_set = RuleSet.in_force_on(on_date)
    rules = dict(rule_set.rules.values_list("essay_type_id", "points")) if rule_set is not None else {}
    by_type = {
        essay_type: rules.get(essay_type.pk, essay_type.default_points) for essay_type in EssayType.objects.all()
    }
    return {essay_type: points for essay_type, points in by_type.items() if points is not None}


def books_of(essay):
    """The essay's books: those listed as its book sources, then the books its citations cite (a
    student may cite a book in the text without listing it)."""
    books = [source.book for source in essay.book_sources.all()]
    for citation in citations_in(essay):
        book = citation.source.book if citation.source is not None else None
        if book is not None and book not in books:
            books.append(book)
    return books


def suggest_points(essay, on_date, point_system):
    """The points the rules give this essay, and the rule that gives them."""
    if point_system == GradingSettings.PointSystem.BOOK:
        books = [book for book in books_of(essay) if book.points is not None]
        if not books:
            return Suggestion(None, gettext("None of the essay's books has points."))
        # An essay on several books earns the points of one of them, the one worth most.
        book = max(books, key=lambda book: book.points)
        return Suggestion(book.points, gettext("Book: %(title)s") % {"title": book.title}, book=book)
    if essay.essay_type is None:
        return Suggestion(None, gettext("The essay has no type."))
    rule_set = RuleSet.in_force_on(on_date)
    if rule_set is not None:
        rule = rule_set.rules.filter(essay_type=essay.essay_type).first()
        if rule is not None:
            return Suggestion(
                rule.points,
                gettext("%(rule_set)s (from %(date)s): %(type)s")
                % {
                    "rule_set": rule_set.name,
                    "date": date_format(rule_set.effective_from),
                    "type": essay.essay_type.name,
                },
                rule_set=rule_set,
            )
    if essay.essay_type.default_points is not None:
        return Suggestion(
            essay.essay_type.default_points,
            gettext("Default points of the type %(type)s") % {"type": essay.essay_type.name},
        )
    return Suggestion(None, gettext("No rule gives points to the type %(type)s.") % {"type": essay.essay_type.name})


def resent_on(task_state):
    """The day of this grading's sending when the essay was sent to grading before (returned for
    changes, or graded, then revised); None for its first sending."""
    earlier = TaskState.objects.filter(
        workflow_state__base_content_type_id=task_state.workflow_state.base_content_type_id,
        workflow_state__object_id=task_state.workflow_state.object_id,
        task__in=GradingTask.objects.all(),
        pk__lt=task_state.pk,
    )
    return timezone.localdate(task_state.started_at) if earlier.exists() else None


def previous_grading(task_state):
    """The essay's grading before this one (returned for changes, or approved before the essay was
    revised and sent again), or None for a first sending."""
    return (
        TaskState.objects.filter(
            workflow_state__base_content_type_id=task_state.workflow_state.base_content_type_id,
            workflow_state__object_id=task_state.workflow_state.object_id,
            task__in=GradingTask.objects.all(),
            status__in=[TaskState.STATUS_APPROVED, TaskState.STATUS_REJECTED],
            pk__lt=task_state.pk,
        )
        .select_related("finished_by", "revision")
        .order_by("-pk")
        .first()
    )


def is_fully_graded(essay):
    """Whether every author already holds an award for the essay: approving again gives no points."""
    authors = set(EssayAuthor.objects.filter(essay_id=essay.pk).values_list("person_id", flat=True))
    awarded = Award.objects.filter(essay_id=essay.pk).current().values_list("student_id", flat=True)
    return bool(authors) and authors <= set(awarded)


def can_grade(user, essay):
    """Editors grade every essay; a coach grades the essays of the teams they coach."""
    if not user.is_active:
        return False
    if user.is_superuser or user.has_perm("grading.grade_all_essays"):
        return True
    # The saved authors decide, not those of a draft the student could change.
    return (
        user.has_perm("grading.grade_team_essays")
        and EssayAuthor.objects.filter(essay_id=essay.pk, team__coach__user=user).exists()
    )


def coached_teams(user):
    if user.is_superuser or user.has_perm("grading.grade_all_essays"):
        return Team.objects.all()
    if user.has_perm("grading.grade_team_essays"):
        return Team.objects.filter(coach__user=user)
    return Team.objects.none()


class AwardQuerySet(models.QuerySet):
    def current(self):
        """Awards that no later correction replaces: the ones totals are made of."""
        return self.filter(correction__isnull=True)

    def total(self):
        return self.current().aggregate(total=Sum("points"))["total"] or 0

    def for_teams(self, teams):
        return self.filter(team__in=teams)


class Award(models.Model):
    # Empty only after a personal-data erasure (essaybank.personal_data): the points stay in the
    # team's totals once the essay is deleted or the student's person is gone.
    essay = models.ForeignKey(
        EssayPage, verbose_name=_("essay"), null=True, on_delete=models.PROTECT, related_name="awards"
    )
    student = models.ForeignKey(
        Person, verbose_name=_("student"), null=True, on_delete=models.PROTECT, related_name="awards"
    )
    team = models.ForeignKey(
        Team,
        verbose_name=_("team at the time"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="awards",
    )
    points = models.PositiveSmallIntegerField(_("points"))
    suggested_points = models.PositiveSmallIntegerField(_("suggested points"), null=True, blank=True)
    rule = models.CharField(_("rule"), max_length=300, blank=True)
    rule_set = models.ForeignKey(
        RuleSet, verbose_name=_("rule set"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    book = models.ForeignKey(
        Book, verbose_name=_("book"), null=True, blank=True, on_delete=models.PROTECT, related_name="awards"
    )
    coach = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("graded by"),
        null=True,
        on_delete=models.SET_NULL,
        related_name="awards_given",
    )
    feedback = models.TextField(_("feedback"), blank=True)
    awarded_at = models.DateTimeField(_("awarded"), default=timezone.now)
    submitted_on = models.DateField(_("submitted"))
    corrects = models.OneToOneField(
        "self",
        verbose_name=_("corrects"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="correction",
    )
    task_state = models.ForeignKey(
        TaskState, null=True, blank=True, on_delete=models.SET_NULL, related_name="awards", editable=False
    )

    objects = AwardQuerySet.as_manager()

    class Meta:
        verbose_name = _("award")
        verbose_name_plural = _("awards")
        ordering = ["-awarded_at", "-pk"]
        constraints = [
            # The database, not only the code, keeps one original award per author and essay:
            # a second approval, a retried request or two coaches at once cannot award twice.
            models.UniqueConstraint(
                fields=["essay", "student"], condition=Q(corrects__isnull=True), name="grading_one_award_per_author"
            ),
        ]
        permissions = [
            ("grade_team_essays", _("Can grade the essays of the teams one coaches")),
            ("grade_all_essays", _("Can grade every essay and see every team's points")),
        ]

    def __str__(self):
        return f"{self.student_name}: {self.essay_title} ({self.points})"

    @property
    def student_name(self):
        return self.student.name if self.student_id else gettext("Deleted author")

    @property
    def essay_title(self):
        return self.essay.title if self.essay_id else gettext("Deleted essay")

    def correct(self, points, feedback, user):
        """A new award replacing this one; raises ValidationError if this one is already corrected."""
        with transaction.atomic():
            try:
                return Award.objects.create(
                    essay=self.essay,
                    student=self.student,
                    team=self.team,
                    points=points,
                    suggested_points=self.suggested_points,
                    rule=self.rule,
                    rule_set=self.rule_set,
                    book=self.book,
                    coach=user,
                    feedback=feedback,
                    submitted_on=self.submitted_on,
                    corrects=self,
                )
            except IntegrityError:
                raise ValidationError(_("This award has already been corrected; correct the newest one.")) from None

    def term(self, terms=None):
        return Term.containing(self.submitted_on, terms)


class GradingTask(Task):
    """The coach reads the essay, then approves it with points and feedback or asks for changes."""

    class Meta:
        verbose_name = _("grading task")
        verbose_name_plural = _("grading tasks")

    @classmethod
    def get_description(cls):
        return _("The coach of the authors' team (or an editor) grades the essay and gives it points.")

    def get_actions(self, obj, user):
        if not can_grade(user, obj):
            return []
        # A revised essay whose authors hold their points already is approved without points.
        if is_fully_graded(obj):
            approve = gettext("Approve the revised version")
        else:
            approve = gettext("Approve and award points")
        return [("reject", gettext("Request changes"), True), ("approve", approve, True)]

    def get_form_for_action(self, action):
        from .forms import ApproveForm, RequestChangesForm

        return ApproveForm if action == "approve" else RequestChangesForm

    def get_template_for_action(self, action):
        return "grading/grading_task_action.html"

    def get_task_states_user_can_moderate(self, user, **kwargs):
        states = self.task_states.filter(status=TaskState.STATUS_IN_PROGRESS)
        if user.is_superuser or user.has_perm("grading.grade_all_essays"):
            return states
        if not user.has_perm("grading.grade_team_essays"):
            return TaskState.objects.none()
        essay_ids = EssayAuthor.objects.filter(team__coach__user=user).values_list("essay_id", flat=True).distinct()
        return states.filter(workflow_state__object_id__in=[str(pk) for pk in essay_ids])

    def locked_for_user(self, obj, user):
        # While the coach reads it, the text the coach grades stays as it was submitted.
        return True

    def user_can_access_editor(self, obj, user):
        return False

    def on_action(self, task_state, user, action_name, **kwargs):
        if action_name == "approve":
            self.approve(task_state, user, points=kwargs.get("points"), comment=kwargs.get("comment", ""))
        elif action_name == "reject":
            self.request_changes(task_state, user, comment=kwargs.get("comment", ""))
        # Back to the dashboard and the next essay: the coach cannot open the essay's editor.
        return reverse("wagtailadmin_home")

    def _lock_in_progress(self, task_state):
        """The task state, locked for this transaction, or None if someone else has finished it already."""
        locked = TaskState.objects.select_for_update().filter(pk=task_state.pk).first()
        if locked is None or locked.status != TaskState.STATUS_IN_PROGRESS:
            return None
        return locked.specific

    @transaction.atomic
    def approve(self, task_state, user, points, comment=""):
        """Award points to every author and approve; a second or concurrent approval does nothing."""
        essay = task_state.revision.as_object()
        if not can_grade(user, essay):
            raise PermissionDenied
        locked = self._lock_in_progress(task_state)
        if locked is None:
            return []
        awarded = set(essay.awards.current().values_list("student_id", flat=True))
        if points is None and any(authorship.person_id not in awarded for authorship in essay.essay_authors.all()):
            raise ValidationError(_("Give the points."))
        awarded_on = submission_date(essay)
        suggestion = suggest_points(essay, awarded_on, GradingSettings.current().point_system)
        awards = []
        for authorship in essay.essay_authors.all():
            award = Award(
                essay_id=essay.pk,
                student_id=authorship.person_id,
                team_id=authorship.team_id or authorship.person.team_id,
                points=points,
                suggested_points=suggestion.points,
                rule=suggestion.rule,
                rule_set=suggestion.rule_set,
                book=suggestion.book,
                coach=user,
                feedback=comment,
                submitted_on=awarded_on,
                task_state=locked,
            )
            try:
                with transaction.atomic():
                    award.save()
            except IntegrityError:
                # This author already has an award for this essay (graded before, or by a request that
                # won a race): the award stands, a change goes through a correction.
                continue
            awards.append(award)
        locked.approve(user=user, comment=comment)
        return awards

    @transaction.atomic
    def request_changes(self, task_state, user, comment=""):
        essay = task_state.revision.as_object()
        if not can_grade(user, essay):
            raise PermissionDenied
        locked = self._lock_in_progress(task_state)
        if locked is not None:
            locked.reject(user=user, comment=comment)
