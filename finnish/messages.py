"""Messages already queued for the user, reworded: Wagtail's generic texts made specific in Finnish."""

from django.contrib import messages
from django.utils.safestring import mark_safe


def reword_messages(request, replacements):
    """Replace, in each message queued for this request, every (old, new) pair of escaped HTML."""
    storage = messages.get_messages(request)
    for message in storage:
        for old, new in replacements:
            if old in message.message:
                message.message = mark_safe(message.message.replace(old, new))
    # Reading the messages marks them shown; they are still to be shown on the next page.
    storage.used = False
