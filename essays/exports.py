"""Spreadsheet exports that a spreadsheet program cannot be tricked into running."""

from wagtail.admin.views.mixins import SpreadsheetExportMixin

# A cell starting with one of these is a formula to Excel and LibreOffice when the CSV is opened.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def as_text_cell(value):
    """A CSV value that a spreadsheet program shows as written: a leading apostrophe before
    anything it would take for a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


class SafeSpreadsheetExportMixin(SpreadsheetExportMixin):
    """Wagtail's export, with what users wrote kept as text: CSV values get the apostrophe, and
    XLSX cells are already strings (the mixin turns openpyxl's formula cells back into text)."""

    def preprocess_field_value(self, field, value, export_format):
        value = super().preprocess_field_value(field, value, export_format)
        return as_text_cell(value) if export_format == self.FORMAT_CSV else value
