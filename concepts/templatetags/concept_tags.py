import re

from django import template
from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from citations.rendering import segments
from essays.privacy import listable_by

from ..concept_map import concept_map, neighbourhood_map
from ..links_here import what_links_here
from ..models import ConceptPage, ConceptSettings

register = template.Library()


@register.simple_tag
def concept_map_svg(concepts):
    return concept_map(concepts)


@register.simple_tag
def concept_neighbourhood_svg(concept):
    return neighbourhood_map(concept)


@register.inclusion_tag("includes/what_links_here.html", takes_context=True)
def links_here(context, target, *shown):
    """What links to the target, less the pages and records `shown` lists the page already shows."""
    return {"groups": what_links_here(target, context["request"].user, shown)}


@register.simple_tag(takes_context=True)
def essay_concepts(context, essay):
    """The concepts an essay is linked to, most discussed first, that the reader may see listed."""
    request = context.get("request")
    return list(
        listable_by(ConceptPage.objects.live(), request.user if request else None)
        .filter(essay_links__essay=essay, essay_links__linked=True)
        .order_by("-essay_links__mentions", "title")
    )


@register.tag
def linkfirstmentions(parser, token):
    """{% linkfirstmentions essay %}…{% endlinkfirstmentions %}: when the site setting is on, the
    first mention of each of the essay's concepts in the enclosed HTML links to the concept."""
    bits = token.split_contents()
    if len(bits) != 2:
        raise template.TemplateSyntaxError("linkfirstmentions takes one argument: the essay")
    nodelist = parser.parse(("endlinkfirstmentions",))
    parser.delete_first_token()
    return FirstMentionsNode(nodelist, parser.compile_filter(bits[1]))


class FirstMentionsNode(template.Node):
    def __init__(self, nodelist, essay):
        self.nodelist = nodelist
        self.essay = essay

    def render(self, context):
        rendered = self.nodelist.render(context)
        request = context.get("request")
        if request is None or not ConceptSettings.for_request(request).link_first_mentions:
            return rendered
        essay = self.essay.resolve(context)
        links = essay.concept_links.filter(linked=True, concept__live=True).exclude(first_mention="")
        return link_first_mentions(
            rendered, [(link.first_mention, link.concept) for link in links.select_related("concept")]
        )


def link_first_mentions(rendered_html, mentions):
    """Wraps the first occurrence of each mention, outside existing links, in a link to its concept."""
    pending = dict(mentions)
    output = []
    for is_text, piece, inside_link in segments(rendered_html):
        if not is_text or inside_link or not pending:
            output.append(piece)
            continue
        found = []
        for mention, concept in pending.items():
            match = re.search(rf"(?<!\w){re.escape(escape(mention))}(?!\w)", piece)
            if match:
                found.append((match.start(), match.end(), mention, concept))
        position = 0
        for start, end, mention, concept in sorted(found, key=lambda item: item[:2]):
            if start < position:
                continue
            output.append(piece[position:start])
            output.append(
                format_html('<a class="concept-mention" href="{}">{}</a>', concept.url, mark_safe(piece[start:end]))
            )
            position = end
            del pending[mention]
        output.append(piece[position:])
    return mark_safe("".join(output))
