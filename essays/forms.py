"""The essay editor's form: a student writes essays of their own, with students as co-authors."""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail.admin.forms import WagtailAdminPageForm
from wagtail.models import Page

from essays import privacy
from essays.models.people import Person
from essays.models.taxonomy import EssayType

SCHEDULE_FIELDS = ("go_live_at", "expire_at")


def writes_as_student(user):
    """Whether the essay rules for students apply: editors and administrators credit anyone."""
    return user is not None and not privacy.sees_everything(user)


def point_class_choices():
    """ "2 esseepistettä – Yksilöessee": each point class with the essay types it belongs to."""
    by_points = {}
    for essay_type in EssayType.objects.exclude(default_points=None).order_by("default_points", "sort_order"):
        by_points.setdefault(essay_type.default_points, []).append(essay_type.name)
    return [("", "---------")] + [
        (
            points,
            # The same words as every points screen (grading's points filter): "2 esseepistettä".
            ngettext("%(points)d essay point – %(types)s", "%(points)d essay points – %(types)s", points)
            % {"points": points, "types": ", ".join(names)},
        )
        for points, names in sorted(by_points.items())
    ]


class EssayPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        instance, user = kwargs.get("instance"), kwargs.get("for_user")
        own = Person.objects.filter(user=user).select_related("team").first() if user is not None else None
        if instance is not None and instance.pk is None and writes_as_student(user) and not args:
            if own is not None and not instance.essay_authors.all():
                instance.essay_authors = [instance.essay_authors.model(person=own, team=own.team)]
        super().__init__(*args, **kwargs)
        if self.instance.pk is None and not self.initial.get("written"):
            # Most essays are entered the day they are written.
            self.initial["written"] = timezone.localdate()
        if "claimed_points" in self.fields:
            field = self.fields["claimed_points"]
            self.fields["claimed_points"] = forms.TypedChoiceField(
                label=field.label,
                choices=point_class_choices(),
                coerce=int,
                empty_value=None,
                required=False,
                help_text=_("The point class you apply for; your coach confirms or changes it when grading."),
            )
        if writes_as_student(user):
            self._offer_students_only(own)
            # Grading publishes a student's essay; a publishing schedule is the editors' (settings tab).
            for name in SCHEDULE_FIELDS:
                self.fields.pop(name, None)

    def _offer_students_only(self, own):
        """Students as authors, through a chooser that searches them by name, own team first
        (essays.wagtail_hooks.StudentChooserViewSet); essay types in a plain list, with no link to
        edit them."""
        from essays.wagtail_hooks import student_chooser_viewset

        if "essay_type" in self.fields:
            field = self.fields["essay_type"]
            field.widget = forms.Select(choices=field.choices)
        formset = self.formsets.get("essay_authors")
        if formset is None:
            return
        students = Person.objects.filter(role=Person.Role.STUDENT)
        chooser = student_chooser_viewset.widget_class
        base_form = formset.form

        class AuthorForm(base_form):
            def __init__(self, *args, **kwargs):
                super().__init__(*args, **kwargs)
                person = self.fields["person"]
                person.queryset = students
                person.widget = chooser()
                self.fields.pop("team", None)

        formset.form = AuthorForm

    @property
    def show_comments_toggle(self):
        # Wagtail's comments live in the settings tab, which students do not get: without its panel
        # the comments script fails, and the comments button would open nothing.
        return super().show_comments_toggle and not writes_as_student(getattr(self, "for_user", None))

    def clean(self):
        cleaned_data = super().clean()
        if "slug" not in self.fields and not self.instance.slug:
            self._slug_from_title(cleaned_data.get("title") or "")
        if writes_as_student(self.for_user):
            self._check_authors()
        return cleaned_data

    def _slug_from_title(self, title):
        """A slug for a form without the slug field (a student's): the title's, made unique among its siblings."""
        parent = self.parent_page if self.instance.pk is None else self.instance.get_parent()
        base = slugify(title, allow_unicode=True) or "essee"
        slug, number = base, 2
        while not Page._slug_is_available(slug, parent, self.instance):
            slug, number = f"{base}-{number}", number + 1
        self.instance.slug = slug

    def _check_authors(self):
        # The page's own fields are cleaned before its formsets; the authors are validated here first.
        formset = self.formsets["essay_authors"]
        if not formset.is_valid():
            return
        authorships = [
            form for form in formset.forms if form.cleaned_data.get("person") and not form.cleaned_data.get("DELETE")
        ]
        own = Person.objects.filter(user=self.for_user).first()
        if own is None:
            raise ValidationError(_("Your account is not linked to a person. Ask an editor to link it."))
        if own not in [form.cleaned_data["person"] for form in authorships]:
            raise ValidationError(_("You are a writer of your own essay: add yourself to the authors."))
        for form in authorships:
            person = form.cleaned_data["person"]
            if person.role != Person.Role.STUDENT:
                raise ValidationError(_("Only students can be authors: %(name)s is a coach.") % {"name": person.name})
            # Each author is credited to the team they are in now, whatever the form says.
            form.cleaned_data["team"] = person.team
            form.instance.team = person.team
