"""The essay editor's form: a student writes essays of their own, with students as co-authors."""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from wagtail.admin.forms import WagtailAdminPageForm

from essays import privacy
from essays.models.people import Person


def writes_as_student(user):
    """Whether the essay rules for students apply: editors and administrators credit anyone."""
    return user is not None and not privacy.sees_everything(user)


class EssayPageForm(WagtailAdminPageForm):
    def __init__(self, *args, **kwargs):
        instance, user = kwargs.get("instance"), kwargs.get("for_user")
        if instance is not None and instance.pk is None and writes_as_student(user) and not args:
            own = Person.objects.filter(user=user).first()
            if own is not None and not instance.essay_authors.all():
                instance.essay_authors = [instance.essay_authors.model(person=own, team=own.team)]
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned_data = super().clean()
        if writes_as_student(self.for_user):
            self._check_authors()
        return cleaned_data

    def _check_authors(self):
        # The page's own fields are cleaned before its formsets; the authors are validated here first.
        formset = self.formsets["essay_authors"]
        if not formset.is_valid():
            return
        forms = [
            form for form in formset.forms if form.cleaned_data.get("person") and not form.cleaned_data.get("DELETE")
        ]
        own = Person.objects.filter(user=self.for_user).first()
        if own is None:
            raise ValidationError(_("Your account is not linked to a person. Ask an editor to link it."))
        if own not in [form.cleaned_data["person"] for form in forms]:
            raise ValidationError(_("You are a writer of your own essay: add yourself to the authors."))
        for form in forms:
            person = form.cleaned_data["person"]
            if person.role != Person.Role.STUDENT:
                raise ValidationError(_("Only students can be authors: %(name)s is a coach.") % {"name": person.name})
            # Each author is credited to the team they are in now, whatever the form says.
            form.cleaned_data["team"] = person.team
            form.instance.team = person.team
