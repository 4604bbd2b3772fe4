"""The admin's date fields are written d.m.yyyy in every language (essaybank/widgets.py and
WAGTAIL_DATE_FORMAT), so a user who chose English for the admin can save what those fields show."""

from django.conf.locale.en import formats

DATE_INPUT_FORMATS = ["%d.%m.%Y", *formats.DATE_INPUT_FORMATS]
DATETIME_INPUT_FORMATS = ["%d.%m.%Y %H.%M", *formats.DATETIME_INPUT_FORMATS]
TIME_INPUT_FORMATS = ["%H.%M", *formats.TIME_INPUT_FORMATS]
