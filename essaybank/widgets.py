"""The admin's date fields as Finns write dates, 5.12.2026, in the field and in Wagtail's calendar.

Wagtail turns its Python date format into the calendar's by a fixed table with no entry for a day or
month without its leading zero, so these widgets name the calendar's format themselves (j and n).
"""

from django.conf import settings
from wagtail.admin.widgets import AdminDateInput, AdminDateTimeInput

# glibc's strftime drops the leading zero after "-"; Django's input formats (%d.%m.%Y) read both.
DATE_FORMAT = "%-d.%-m.%Y"
CALENDAR_DATE_FORMAT = "j.n.Y"


class DateInput(AdminDateInput):
    def __init__(self, attrs=None, format=None):
        super().__init__(attrs, format or DATE_FORMAT)
        if format is None:
            self.js_format = CALENDAR_DATE_FORMAT


class DateTimeInput(AdminDateTimeInput):
    def __init__(self, attrs=None, format=None, time_format=None, js_overlay_parent_selector="body"):
        time_format = time_format or settings.WAGTAIL_TIME_FORMAT
        super().__init__(attrs, format or f"{DATE_FORMAT} {time_format}", time_format, js_overlay_parent_selector)
        if format is None:
            self.js_format = f"{CALENDAR_DATE_FORMAT} {self.js_time_format}"
