from django import template
from django.apps import apps
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext

register = template.Library()


@register.filter
def app_name(content_type):
    """The name of a content type's app as people read it (its AppConfig's verbose name)."""
    return apps.get_app_config(content_type.app_label).verbose_name


@register.filter
def search_button_translated(html):
    """The dashboard's markup with its search button labelled in the user's language, where Wagtail
    writes value="Search" into the template untranslated."""
    return mark_safe(html.replace('value="Search"', f'value="{escape(gettext("Search"))}"', 1))
