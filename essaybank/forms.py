from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms.auth import LoginForm as WagtailLoginForm

from .personal_data import DELETE, ERASED_AUTHOR_NAME, KEEP


class ErasureForm(forms.Form):
    """One delete-or-keep choice per essay of the person, and a confirmation."""

    confirm = forms.BooleanField(
        label=_("I understand that the erasure cannot be undone."),
        required=True,
    )

    def __init__(self, *args, essays, **kwargs):
        super().__init__(*args, **kwargs)
        self.essays = essays
        choices = [
            (DELETE, _("Delete the essay")),
            (KEEP, _("Keep it under “%(name)s”") % {"name": ERASED_AUTHOR_NAME}),
        ]
        for essay in essays:
            self.fields[self.field_name(essay)] = forms.ChoiceField(
                label=essay.title, choices=choices, widget=forms.RadioSelect
            )

    @staticmethod
    def field_name(essay):
        return f"essay_{essay.pk}"

    def essay_fields(self):
        return [(essay, self[self.field_name(essay)]) for essay in self.essays]

    def choices(self):
        return {essay.pk: self.cleaned_data[self.field_name(essay)] for essay in self.essays}


class LoginForm(WagtailLoginForm):
    """Wagtail's sign-in form gives the password no label, so the field's English name showed."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["password"].label = _("Password")
