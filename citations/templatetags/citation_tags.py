import html

from django import template
from django.utils.html import strip_tags

from finnish.collation import sort_key

from ..formatting import DEFAULT_STYLE
from ..models import CitationSettings
from ..rendering import PageCitations

register = template.Library()


def citation_style(request):
    """The citation style the site of this request uses."""
    if request is None:
        return DEFAULT_STYLE
    return CitationSettings.for_request(request).citation_style or DEFAULT_STYLE


@register.simple_tag(takes_context=True)
def page_citations(context, page):
    """{% page_citations page as citations %}: the citations of a page in the site's style."""
    return PageCitations(page, citation_style(context.get("request")))


@register.tag
def formatcitations(parser, token):
    """{% formatcitations citations %}…{% endformatcitations %} formats the citations in the enclosed HTML."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("formatcitations takes one argument: the page's citations")
    nodelist = parser.parse(("endformatcitations",))
    parser.delete_first_token()
    return FormatCitationsNode(nodelist, parser.compile_filter(bits[1]))


class FormatCitationsNode(template.Node):
    def __init__(self, nodelist, citations):
        self.nodelist = nodelist
        self.citations = citations

    def render(self, context):
        return self.citations.resolve(context).rewrite(self.nodelist.render(context))


@register.simple_tag
def sources_in_order(citations, other_sources=()):
    """{% sources_in_order citations page.other_sources as sources %}: the bibliography and the
    other sources (a StreamField of source blocks) as one list in Finnish alphabetical order."""
    entries = [*citations.bibliography(), *(source.render() for source in other_sources)]
    return sorted(entries, key=lambda entry: sort_key(html.unescape(strip_tags(entry)).strip()))
