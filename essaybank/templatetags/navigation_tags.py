from django import template
from wagtail.models import Site

register = template.Library()


@register.inclusion_tag("includes/main_menu.html", takes_context=True)
def main_menu(context):
    request = context.get("request")
    site = Site.find_for_request(request) if request else None
    sections = site.root_page.get_children().live().in_menu() if site else []
    return {"sections": sections, "request": request}
