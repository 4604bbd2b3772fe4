import re

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import MAX_STARS
from .text import MAX_LENGTH, clean_comment_text, has_control_characters

# HTML tags (and so their event handlers), comments and script addresses: a comment is plain text,
# and one that carries markup is refused rather than shown with its markup escaped. Other text in
# angle brackets ("<aino at example.org>") is ordinary text.
HTML_TAGS = (
    "a|abbr|audio|b|base|body|br|button|code|div|em|embed|form|frame|frameset|h[1-6]|head|html|i|iframe|img|"
    "input|link|math|meta|object|option|p|pre|script|select|source|span|strong|style|svg|table|td|textarea|th|"
    "tr|u|ul|ol|li|video"
)
MARKUP = re.compile(rf"<\s*/?\s*(?:{HTML_TAGS})(?:[\s/>]|$)|<!--|javascript\s*:", re.IGNORECASE)
MAX_NAME_LENGTH = 100


def _plain(value):
    if has_control_characters(value):
        raise forms.ValidationError(_("The text contains control characters that cannot be saved."))
    if MARKUP.search(value):
        raise forms.ValidationError(_("Write plain text: HTML code and scripts are not allowed."))
    return clean_comment_text(value)


def _comment_text(value):
    text = _plain(value)
    if not text:
        raise forms.ValidationError(_("Write a comment before sending it."))
    if len(text) > MAX_LENGTH:
        raise forms.ValidationError(
            _("A comment may be at most %(limit)s characters long; this one has %(length)s.")
            % {"limit": f"{MAX_LENGTH:,}".replace(",", "\N{NO-BREAK SPACE}"), "length": len(text)}
        )
    return text


class CommentForm(forms.Form):
    """A new comment or reply. The name is asked of anonymous visitors only; `kotisivu` is the
    honeypot no person sees, `tarkiste` the signed form token, `vastaus` the check question's
    answer and `laskenta` the browser's proof of work."""

    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 5}), strip=False)
    name = forms.CharField(label=_("Name"), max_length=MAX_NAME_LENGTH, required=False, strip=False)
    parent = forms.IntegerField(required=False, widget=forms.HiddenInput, min_value=1)
    kotisivu = forms.CharField(required=False, label=_("Leave this field empty"))
    tarkiste = forms.CharField(widget=forms.HiddenInput)
    vastaus = forms.CharField(label=_("Answer"), max_length=50, required=False)
    laskenta = forms.CharField(required=False, max_length=20, widget=forms.HiddenInput)

    def __init__(self, *args, anonymous=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.anonymous = anonymous
        self.fields["text"].error_messages["required"] = _("Write a comment before sending it.")
        self.fields["tarkiste"].error_messages["required"] = _("The form is not valid. Reload the page and try again.")
        if anonymous:
            self.fields["name"].required = True
            self.fields["name"].error_messages["required"] = _("Give your name with your comment.")

    def clean_text(self):
        return _comment_text(self.cleaned_data["text"])

    def clean_name(self):
        name = _plain(self.cleaned_data.get("name") or "")
        if self.anonymous and not name:
            raise forms.ValidationError(_("Give your name with your comment."))
        return name


class CommentEditForm(forms.Form):
    text = forms.CharField(label=_("Comment"), widget=forms.Textarea(attrs={"rows": 8}), strip=False)
    reason = forms.CharField(label=_("Reason for the edit"), max_length=200, required=False)

    def clean_text(self):
        return _comment_text(self.cleaned_data["text"])


class RatingForm(forms.Form):
    stars = forms.TypedChoiceField(
        label=_("Your rating"),
        choices=[(number, str(number)) for number in range(MAX_STARS + 1)],
        coerce=int,
        widget=forms.RadioSelect,
        error_messages={
            "required": _("Choose 0–5 stars."),
            "invalid_choice": _("A rating is 0–5 stars."),
        },
    )


class NominationForm(forms.Form):
    reason = forms.CharField(label=_("Why this essay?"), max_length=1000, required=False, widget=forms.Textarea)

    def clean_reason(self):
        return _plain(self.cleaned_data["reason"])
