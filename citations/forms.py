import re

from django import forms
from django.utils.translation import gettext_lazy as _

from finnish.collation import sort_key

from .interchange import FORMATS, format_for_filename
from .models import Source
from .rich_text import NARRATIVE, PARENTHETICAL

PAGES = re.compile(r"^\d+(?:\s*[-–—]\s*\d+)?(?:\s*,\s*\d+(?:\s*[-–—]\s*\d+)?)*$")
FORMAT_CHOICES = [("bibtex", "BibTeX"), ("ris", "RIS"), ("csl-json", "CSL-JSON")]


class SourceChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return str(obj)


class InsertCitationForm(forms.Form):
    source = SourceChoiceField(label=_("Source"), queryset=Source.objects.none())
    pages = forms.CharField(
        label=_("Page or page range"), required=False, max_length=50, help_text=_("For example 11 or 29–32.")
    )
    form = forms.ChoiceField(
        label=_("Form"),
        choices=[
            (PARENTHETICAL, _("In brackets: (Kortesuo & Löytänä 2011, 11)")),
            (NARRATIVE, _("Authors in the sentence: Kortesuo & Löytänä (2011, 11)")),
        ],
        initial=PARENTHETICAL,
        widget=forms.RadioSelect,
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        queryset = Source.objects.select_related("book").prefetch_related("book__authors")
        field = self.fields["source"]
        field.queryset = queryset
        field.choices = [("", "---------")] + sorted(
            ((source.pk, str(source)) for source in queryset), key=lambda choice: sort_key(choice[1])
        )

    def clean_pages(self):
        pages = self.cleaned_data["pages"].strip().rstrip(".")
        if pages and not PAGES.match(pages):
            raise forms.ValidationError(_("Give a page number or a range such as 29–32."))
        return re.sub(r"\s*[-–—]\s*", "–", pages)


class ImportSourcesForm(forms.Form):
    file = forms.FileField(label=_("File"), help_text=_("BibTeX (.bib), RIS (.ris) or CSL-JSON (.json)."))
    file_format = forms.ChoiceField(
        label=_("Format"),
        choices=[("", _("From the file name"))] + FORMAT_CHOICES,
        required=False,
    )

    def clean(self):
        cleaned = super().clean()
        upload = cleaned.get("file")
        if upload is None:
            return cleaned
        file_format = cleaned.get("file_format") or format_for_filename(upload.name)
        if file_format not in FORMATS:
            raise forms.ValidationError(_("Choose the format: the file name does not tell it."))
        try:
            cleaned["text"] = upload.read().decode("utf-8-sig")
        except UnicodeDecodeError:
            raise forms.ValidationError(_("The file is not UTF-8 text.")) from None
        cleaned["file_format"] = file_format
        return cleaned
