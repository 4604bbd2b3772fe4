from django import template
from django.apps import apps
from django.utils import formats, timezone
from django.utils.translation import gettext
from wagtail.admin.templatetags.wagtailadmin_tags import timesince_last_update

register = template.Library()


@register.filter
def app_name(content_type):
    """The name of a content type's app as people read it (its AppConfig's verbose name)."""
    return apps.get_app_config(content_type.app_label).verbose_name


@register.simple_tag
def when_last_updated(last_update, user_display_name="", use_shorthand=True):
    """Wagtail's timesince_last_update as the status panel calls it, with today's time in the user's
    own format ("10.12" in Finnish) where Wagtail writes a fixed "10:12"."""
    local = timezone.localtime(last_update)
    if local.date() != timezone.localdate():
        return timesince_last_update(last_update, user_display_name=user_display_name, use_shorthand=use_shorthand)
    time = formats.time_format(local)
    if not user_display_name:
        return time
    # Wagtail's own message, so that its catalogue's translation applies.
    return gettext("%(time)s by %(user_display_name)s") % {"time": time, "user_display_name": user_display_name}
