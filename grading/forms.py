from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

MAX_POINTS = 50


class ApproveForm(forms.Form):
    points = forms.IntegerField(label=_("Points"), min_value=0, max_value=MAX_POINTS)
    comment = forms.CharField(label=_("Feedback"), widget=forms.Textarea({"rows": 5}))


class ReapproveForm(forms.Form):
    """Approving a revised essay whose authors already hold their awards: feedback only."""

    comment = forms.CharField(
        label=_("Feedback"),
        widget=forms.Textarea({"rows": 5}),
        required=False,
        help_text=_("Sent to the authors with the news that the revised essay is published."),
    )


class RequestChangesForm(forms.Form):
    comment = forms.CharField(label=_("Feedback"), widget=forms.Textarea({"rows": 5}))

    def __init__(self, *args, authors=1, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["comment"].help_text = ngettext(
            "Tell the student what to change; the essay goes back to them as a draft.",
            "Tell the students what to change; the essay goes back to them as a draft.",
            authors,
        )


class CorrectionForm(forms.Form):
    points = forms.IntegerField(label=_("Corrected points"), min_value=0, max_value=MAX_POINTS)
    feedback = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea({"rows": 4}),
        help_text=_("The student sees this with the corrected points."),
    )


class ExportForm(forms.Form):
    KINDS = [
        ("awards", _("Awards")),
        ("students", _("Totals per student")),
        ("teams", _("Totals per team")),
        ("terms", _("Totals per student and term")),
    ]
    # A spreadsheet's sheet name holds at most 31 characters; in Finnish "Totals per student and term" does not fit.
    SHEET_NAMES = {
        "awards": _("Awards"),
        "students": _("Totals per student"),
        "teams": _("Totals per team"),
        "terms": _("Students by term"),
    }
    # The downloaded file's name, in the words of the interface (made ASCII-safe by the view).
    FILE_NAMES = {
        "awards": pgettext_lazy("export file name", "awards"),
        "students": pgettext_lazy("export file name", "students"),
        "teams": pgettext_lazy("export file name", "teams"),
        "terms": pgettext_lazy("export file name", "students-by-term"),
    }
    FORMATS = [("csv", "CSV"), ("xlsx", "XLSX")]

    kind = forms.ChoiceField(label=_("What"), choices=KINDS)
    format = forms.ChoiceField(label=_("Format"), choices=FORMATS)
