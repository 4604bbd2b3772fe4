from django.urls import path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.widgets import Button
from wagtail.log_actions import LogFormatter

from essays.models import Person

from . import personal_data, views


@hooks.register("register_admin_urls")
def register_personal_data_urls():
    return [
        path(
            "personal-data/<int:person_id>/export/",
            views.ExportView.as_view(),
            name="personal_data_export",
        ),
        path(
            "personal-data/<int:person_id>/erase/",
            views.EraseView.as_view(),
            name="personal_data_erase",
        ),
    ]


@hooks.register("register_snippet_listing_buttons")
def personal_data_buttons(snippet, user, next_url=None):
    if (
        not isinstance(snippet, Person)
        or personal_data.is_erased_author(snippet)
        or not personal_data.may_handle(user, snippet)
    ):
        return []
    return [
        Button(
            _("Download the person's data"),
            reverse("personal_data_export", args=[snippet.pk]),
            icon_name="download",
            priority=90,
        ),
        Button(
            _("Erase the person's data"),
            reverse("personal_data_erase", args=[snippet.pk]),
            icon_name="bin",
            priority=91,
        ),
    ]


@hooks.register("register_log_actions")
def register_personal_data_actions(actions):
    @actions.register_action(personal_data.ERASE_ACTION)
    class Erased(LogFormatter):
        label = _("Erase personal data")

        def format_message(self, log_entry):
            data = log_entry.data or {}
            return personal_data.summary(data)

    @actions.register_action(personal_data.EXPORT_ACTION)
    class Exported(LogFormatter):
        label = _("Export personal data")
        message = _("The person's data was downloaded")
