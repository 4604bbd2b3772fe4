from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .models import AcceptedMatch


class AcceptMatchForm(forms.ModelForm):
    class Meta:
        model = AcceptedMatch
        fields = ["reason", "explanation"]
        labels = {"reason": gettext_lazy("Why is the overlap acceptable?"), "explanation": gettext_lazy("Explanation")}
        error_messages = {"reason": {"required": gettext_lazy("Choose why the overlap is acceptable.")}}

    def accept(self, essay, other, user):
        """Record the acceptance, replacing an earlier one of the same pair."""
        AcceptedMatch.objects.update_or_create(
            essay=essay,
            other=other,
            defaults={**self.cleaned_data, "accepted_by": user},
        )

    def error_text(self):
        return " ".join(str(error) for errors in self.errors.values() for error in errors)


def accepted_message(other_title):
    return _("The overlap with “%(title)s” was marked acceptable.") % {"title": other_title}


def accepted_hidden_message():
    return _("The overlap with an essay you cannot read was marked acceptable.")
