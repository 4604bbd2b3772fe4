from django import forms
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext, pgettext_lazy

from .templatetags.grading_tags import points_text

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
    """The corrected points and why; points far from the rule's (a typo such as 21 for 2) are taken
    only once the coach confirms them."""

    # How far from the rule's points a correction may go without the coach confirming it.
    FAR = 2

    points = forms.IntegerField(label=_("Corrected points"), min_value=0, max_value=MAX_POINTS)
    feedback = forms.CharField(
        label=_("Reason for the correction"),
        widget=forms.Textarea({"rows": 4}),
        help_text=_("The student sees this with the corrected points."),
    )
    confirm_far = forms.BooleanField(label=_("Yes, these points are right"), required=False)

    def __init__(self, *args, award, **kwargs):
        super().__init__(*args, **kwargs)
        self.award = award
        self.asks_confirmation = False

    def clean(self):
        cleaned_data = super().clean()
        points = cleaned_data.get("points")
        by_rule = self.award.suggested_points is not None
        reference = self.award.suggested_points if by_rule else self.award.points
        self.asks_confirmation = points is not None and abs(points - reference) > self.FAR
        if not self.asks_confirmation or cleaned_data.get("confirm_far"):
            return cleaned_data
        facts = {"points": points_text(points), "reference": points_text(reference)}
        if by_rule:
            message = _(
                "%(points)s is far from what the rule gives (%(reference)s). "
                "Check the number; if it is right, confirm it."
            )
        else:
            message = _(
                "%(points)s is far from the present points (%(reference)s). "
                "Check the number; if it is right, confirm it."
            )
        self.add_error("points", message % facts)
        return cleaned_data


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
