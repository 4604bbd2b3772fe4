from django import forms
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.log_actions import log

from .models import AcceptedMatch

ACCEPT_ACTION = "originality.accept_match"
WITHDRAW_ACTION = "originality.withdraw_acceptance"


class AcceptMatchForm(forms.ModelForm):
    class Meta:
        model = AcceptedMatch
        fields = ["reason", "explanation"]
        labels = {"reason": gettext_lazy("Why is the overlap acceptable?"), "explanation": gettext_lazy("Explanation")}
        error_messages = {"reason": {"required": gettext_lazy("Choose why the overlap is acceptable.")}}

    def accept(self, essay, other, user):
        """Record the acceptance, replacing an earlier one of the same pair, in the essay's history too."""
        AcceptedMatch.objects.update_or_create(
            essay=essay,
            other=other,
            defaults={**self.cleaned_data, "accepted_by": user},
        )
        log(essay, ACCEPT_ACTION, user=user, data={"other": other.pk, "reason": self.cleaned_data["reason"]})

    def error_text(self):
        return " ".join(str(error) for errors in self.errors.values() for error in errors)


def accepted_message(other_title):
    return _("The overlap with “%(title)s” was marked acceptable.") % {"title": other_title}


def accepted_hidden_message():
    return _("The overlap with an essay you cannot read was marked acceptable.")


def withdraw_acceptance(essay, other, user):
    """Take back the coach's word that the overlap is acceptable; False when there was none."""
    deleted, _by_model = AcceptedMatch.objects.filter(essay=essay, other=other).delete()
    if deleted:
        log(essay, WITHDRAW_ACTION, user=user, data={"other": other.pk})
    return bool(deleted)


def withdrawn_message(other_title):
    return _("The acceptance of the overlap with “%(title)s” was withdrawn.") % {"title": other_title}


def withdrawn_hidden_message():
    return _("The acceptance of the overlap with an essay you cannot read was withdrawn.")


def nothing_to_withdraw_message():
    return _("That overlap was not marked acceptable (any longer): nothing was withdrawn.")
