"""The demo's grading e-mails, sent while load_demo builds it, link to where the demo is served."""

import re

import pytest
from django.core import mail
from django.core.management import call_command

pytestmark = pytest.mark.usefixtures("without_index_updates")


def test_the_demos_emails_link_to_the_address_it_is_served_at(db, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        call_command("load_demo", "--address", "127.0.0.1:8077")
    links = [link for message in mail.outbox for link in re.findall(r"https?://\S+", message.body)]
    assert links
    assert [link for link in links if not link.startswith("http://127.0.0.1:8077/")] == []
