from django import template
from django.apps import apps

register = template.Library()


@register.filter
def app_name(content_type):
    """The name of a content type's app as people read it (its AppConfig's verbose name)."""
    return apps.get_app_config(content_type.app_label).verbose_name
