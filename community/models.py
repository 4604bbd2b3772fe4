"""Readers' comments, star ratings and the essay of the month.

Field names here are a contract: the WordPress import writes legacy comments through
community.imports, and the personal-data export reads these records.
"""

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Site

MAX_STARS = 5


@register_setting(icon="comment")
class CommunitySettings(BaseSiteSetting):
    anonymous_comments = models.BooleanField(
        _("anonymous visitors may comment"),
        default=False,
        help_text=_("They give a name, answer a small check, and their comments wait for approval."),
    )
    moderate_member_comments = models.BooleanField(_("members' comments wait for approval too"), default=False)
    anonymous_ratings = models.BooleanField(
        _("anonymous visitors may rate essays"),
        default=False,
        help_text=_("One vote per browser and address; members always vote once per account."),
    )

    panels = [
        FieldPanel("anonymous_comments"),
        FieldPanel("moderate_member_comments"),
        FieldPanel("anonymous_ratings"),
    ]

    class Meta:
        verbose_name = _("comments and ratings")

    @classmethod
    def current(cls):
        site = Site.objects.filter(is_default_site=True).first()
        return cls() if site is None else cls.for_site(site)


class CommentQuerySet(models.QuerySet):
    def approved(self):
        return self.filter(status=Comment.Status.APPROVED)


class Comment(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("waiting for approval")
        APPROVED = "approved", _("approved")
        REJECTED = "rejected", _("rejected")
        SPAM = "spam", _("spam")

    page = models.ForeignKey(
        "wagtailcore.Page", verbose_name=_("page"), on_delete=models.CASCADE, related_name="reader_comments"
    )
    # Replies go one level deep: a reply's parent is always a top-level comment.
    parent = models.ForeignKey(
        "self", verbose_name=_("reply to"), null=True, blank=True, on_delete=models.CASCADE, related_name="replies"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="reader_comments",
    )
    author_name = models.CharField(_("name"), max_length=100)
    text = models.TextField(_("comment"))
    created_at = models.DateTimeField(_("written"), default=timezone.now, db_index=True)
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.PENDING)
    moderated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("moderated by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    moderated_at = models.DateTimeField(_("moderated"), null=True, blank=True)
    # Set when the comment's writer removed it while replies to it stay: the text and name are gone.
    deleted_at = models.DateTimeField(_("deleted"), null=True, blank=True)
    authors_notified_at = models.DateTimeField(_("authors notified"), null=True, blank=True)
    # A keyed hash (HMAC with SECRET_KEY) of the writer's address, for rate limits; cleared after 30 days.
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ip_hashed_at = models.DateTimeField(null=True, blank=True)
    # The one-time token of the form it was posted with, so that a replayed form stores nothing.
    form_nonce = models.CharField(max_length=64, null=True, blank=True, unique=True, editable=False)
    # Where an imported comment came from ("wordpress:<site>") and its id there.
    legacy_source = models.CharField(_("imported from"), max_length=100, blank=True)
    legacy_key = models.CharField(_("id in the old system"), max_length=100, blank=True)

    objects = CommentQuerySet.as_manager()

    class Meta:
        verbose_name = _("comment")
        verbose_name_plural = _("comments")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["page", "status", "created_at"], name="community_comment_listing")]
        constraints = [
            models.UniqueConstraint(
                fields=["legacy_source", "legacy_key"],
                condition=~Q(legacy_key=""),
                name="community_comment_legacy_key_unique",
            )
        ]

    def __str__(self):
        return f"{self.author_name}: {self.text[:60]}"


class CommentEdit(models.Model):
    """The trace a moderator's edit leaves: who, when, why, and the text before it."""

    comment = models.ForeignKey(Comment, on_delete=models.CASCADE, related_name="edits")
    edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    edited_at = models.DateTimeField(default=timezone.now)
    previous_text = models.TextField()
    reason = models.CharField(_("reason"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("comment edit")
        ordering = ["edited_at", "pk"]

    def __str__(self):
        return f"{self.comment_id} @ {self.edited_at:%Y-%m-%d %H:%M}"


class Rating(models.Model):
    """One reader's vote on one page: an account's, or an anonymous browser's (its signed cookie id)."""

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="reader_ratings")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="reader_ratings"
    )
    voter_key = models.CharField(max_length=64, blank=True)
    stars = models.PositiveSmallIntegerField(
        _("stars"), validators=[MinValueValidator(0), MaxValueValidator(MAX_STARS)]
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)
    ip_hash = models.CharField(max_length=64, blank=True, db_index=True)
    ip_hashed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(
                fields=["page", "user"], condition=Q(user__isnull=False), name="community_rating_one_per_account"
            ),
            models.UniqueConstraint(
                fields=["page", "voter_key"], condition=~Q(voter_key=""), name="community_rating_one_per_browser"
            ),
            models.CheckConstraint(
                condition=Q(stars__gte=0, stars__lte=MAX_STARS), name="community_rating_stars_0_to_5"
            ),
        ]

    def __str__(self):
        return f"{self.page_id}: {self.stars}"


class RatingTotals(models.Model):
    """A page's stored totals: the baseline an old bank's plugin counted, plus the votes cast here.
    Changed only under a row lock, in the transaction that changes a vote."""

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="rating_totals"
    )
    baseline_count = models.PositiveIntegerField(_("imported votes"), default=0)
    baseline_average = models.DecimalField(_("imported average"), max_digits=4, decimal_places=2, default=0)
    vote_count = models.PositiveIntegerField(default=0)
    vote_sum = models.PositiveIntegerField(default=0)
    # Baseline and votes together, kept for sorting lists.
    count = models.PositiveIntegerField(default=0, db_index=True)
    average = models.FloatField(default=0, db_index=True)

    class Meta:
        verbose_name = _("rating totals")
        verbose_name_plural = _("rating totals")

    def __str__(self):
        return f"{self.page_id}: {self.average:.1f} ({self.count})"

    def recompute(self):
        self.count = self.baseline_count + self.vote_count
        total = float(self.baseline_average) * self.baseline_count + self.vote_sum
        self.average = total / self.count if self.count else 0.0


class Nomination(models.Model):
    """An essay nominated for the essay of a month by a coach or an editor."""

    month = models.DateField(_("month"), help_text=_("The first day of the month."))
    essay = models.ForeignKey(
        "essays.EssayPage", verbose_name=_("essay"), on_delete=models.CASCADE, related_name="nominations"
    )
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="nominations"
    )
    reason = models.TextField(_("why this essay"), blank=True, max_length=1000)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("nomination")
        verbose_name_plural = _("nominations")
        ordering = ["created_at", "pk"]
        constraints = [models.UniqueConstraint(fields=["month", "essay"], name="community_nomination_once_a_month")]

    def __str__(self):
        return f"{self.month:%m/%Y}: {self.essay.title}"


class MonthlyVote(models.Model):
    """A member's one vote of a month, for one of that month's nominations."""

    month = models.DateField()
    nomination = models.ForeignKey(Nomination, on_delete=models.CASCADE, related_name="votes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="monthly_votes")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("essay of the month vote")
        constraints = [models.UniqueConstraint(fields=["month", "user"], name="community_one_vote_a_month")]

    def __str__(self):
        return f"{self.month:%m/%Y}: {self.nomination_id}"


class EssayOfMonth(models.Model):
    """A month's winner, decided once the month is over."""

    month = models.DateField(_("month"), unique=True)
    essay = models.ForeignKey(
        "essays.EssayPage", verbose_name=_("essay"), on_delete=models.CASCADE, related_name="months_won"
    )
    votes = models.PositiveIntegerField(_("votes"), default=0)
    decided_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("essay of the month")
        verbose_name_plural = _("essays of the month")
        ordering = ["-month"]

    def __str__(self):
        return f"{self.month:%m/%Y}: {self.essay.title}"
