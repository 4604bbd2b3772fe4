from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.search import index

from finnish.collation import sort_key
from finnish.indexing import analysed_text

from .naming import NamedRecord


class Team(index.Indexed, NamedRecord):
    name = models.CharField(_("name"), max_length=100)
    coach = models.ForeignKey(
        "essays.Person",
        verbose_name=_("coach"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="coached_teams",
    )
    start_year = models.PositiveSmallIntegerField(_("start year"), null=True, blank=True)

    panels = [FieldPanel("name"), FieldPanel("coach"), FieldPanel("start_year")]
    search_fields = [index.SearchField("name"), index.AutocompleteField("name")]

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("essays:team", args=[self.slug])

    @staticmethod
    def in_finnish_order(teams):
        return sorted(teams, key=lambda team: sort_key(team.name))


class Person(index.Indexed, NamedRecord):
    class Role(models.TextChoices):
        STUDENT = "student", _("student")
        COACH = "coach", _("coach")

    name = models.CharField(_("name"), max_length=150)
    team = models.ForeignKey(
        Team,
        verbose_name=_("team"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="members",
    )
    role = models.CharField(_("role"), max_length=10, choices=Role.choices, default=Role.STUDENT)
    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("user account"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="person",
    )

    panels = [FieldPanel("name"), FieldPanel("team"), FieldPanel("role"), FieldPanel("user")]
    search_fields = [
        index.SearchField("name"),
        index.AutocompleteField("name"),
        index.SearchField("search_text"),
        index.FilterField("role"),
        # A search cluster orders equally relevant people by it (search.backends.cluster).
        index.FilterField("id"),
    ]

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("essays:person", args=[self.slug])

    def search_text(self):
        return analysed_text(self.name)

    @property
    def has_account(self):
        return self.user_id is not None
