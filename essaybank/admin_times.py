"""Today's times in Wagtail's status panel in the user's own format ("10.12" in Finnish): Wagtail's
timesince_last_update writes them with a fixed "%H:%M"."""

from django.utils import formats, timezone
from wagtail.admin.templatetags import wagtailadmin_tags

wagtails_timesince_last_update = wagtailadmin_tags.timesince_last_update


def timesince_last_update(last_update, show_time_prefix=False, user_display_name="", use_shorthand=True):
    text = wagtails_timesince_last_update(last_update, show_time_prefix, user_display_name, use_shorthand)
    local = timezone.localtime(last_update) if timezone.is_aware(last_update) else last_update
    if local.date() != timezone.localdate():
        return text
    return text.replace(local.strftime("%H:%M"), formats.time_format(local), 1)


def register():
    """Put this tag in place of Wagtail's under its name, for every admin template that loads it."""
    wagtailadmin_tags.register.simple_tag(timesince_last_update)
