"""Draws concepts and their broader / narrower / related links as an SVG picture on the server,
so the map reads without JavaScript and every concept in it is a link."""

import math
from dataclasses import dataclass

from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from finnish.collation import sort_key

WIDTH, HEIGHT = 880, 560
MARGIN = 70
FONT_SIZE = 13
CHARACTER_WIDTH = 7.2
NODE_HEIGHT = 26
ITERATIONS = 300
ROW_SPACING = 44


@dataclass
class Node:
    concept: object
    x: float = 0.0
    y: float = 0.0
    centre: bool = False

    @property
    def width(self):
        return len(self.concept.title) * CHARACTER_WIDTH + 20


def edges_between(concepts):
    """(narrower, broader, "broader") and (a, b, "related") links among the concepts, each once."""
    from .models import ConceptRelation

    ids = {concept.pk for concept in concepts}
    edges = set()
    for relation in ConceptRelation.objects.filter(concept_id__in=ids, target_id__in=ids):
        if relation.kind == ConceptRelation.Kind.BROADER:
            edges.add((relation.concept_id, relation.target_id, "broader"))
        elif relation.kind == ConceptRelation.Kind.NARROWER:
            edges.add((relation.target_id, relation.concept_id, "broader"))
        else:
            first, second = sorted((relation.concept_id, relation.target_id))
            edges.add((first, second, "related"))
    return sorted(edges)


def force_layout(nodes, edges):
    """Fruchterman–Reingold layout from a circle, with a fixed number of steps: the same
    concepts always give the same picture."""
    count = len(nodes)
    for number, node in enumerate(nodes):
        angle = 2 * math.pi * number / max(count, 1)
        node.x = WIDTH / 2 + (WIDTH / 2 - MARGIN * 2) * math.cos(angle)
        node.y = HEIGHT / 2 + (HEIGHT / 2 - MARGIN) * math.sin(angle)
    if count < 2:
        for node in nodes:
            node.x, node.y = WIDTH / 2, HEIGHT / 2
        return
    by_id = {node.concept.pk: node for node in nodes}
    ideal = math.sqrt((WIDTH - 2 * MARGIN) * (HEIGHT - 2 * MARGIN) / count)
    temperature = WIDTH / 8
    for _step in range(ITERATIONS):
        moves = {node.concept.pk: [0.0, 0.0] for node in nodes}
        for first_index, first in enumerate(nodes):
            for second in nodes[first_index + 1 :]:
                dx, dy = first.x - second.x, first.y - second.y
                distance = max(math.hypot(dx, dy), 0.01)
                push = ideal * ideal / distance
                moves[first.concept.pk][0] += dx / distance * push
                moves[first.concept.pk][1] += dy / distance * push
                moves[second.concept.pk][0] -= dx / distance * push
                moves[second.concept.pk][1] -= dy / distance * push
        for source_id, target_id, _kind in edges:
            source, target = by_id[source_id], by_id[target_id]
            dx, dy = source.x - target.x, source.y - target.y
            distance = max(math.hypot(dx, dy), 0.01)
            pull = distance * distance / ideal
            moves[source_id][0] -= dx / distance * pull
            moves[source_id][1] -= dy / distance * pull
            moves[target_id][0] += dx / distance * pull
            moves[target_id][1] += dy / distance * pull
        for node in nodes:
            dx, dy = moves[node.concept.pk]
            length = max(math.hypot(dx, dy), 0.01)
            node.x += dx / length * min(length, temperature)
            node.y += dy / length * min(length, temperature)
            node.x = min(WIDTH - MARGIN - node.width / 2 + 40, max(MARGIN + node.width / 2 - 40, node.x))
            node.y = min(HEIGHT - MARGIN / 2, max(MARGIN / 2, node.y))
        temperature = max(1.0, temperature * 0.97)


def neighbourhood_layout(centre, neighbours, edges):
    """The concept in the middle, broader concepts above it, narrower below and related at the sides."""
    centre.x, centre.y, centre.centre = WIDTH / 2, HEIGHT / 2, True
    kind_of = {}
    for source_id, target_id, kind in edges:
        if centre.concept.pk == source_id and kind == "broader":
            kind_of[target_id] = "broader"
        elif centre.concept.pk == target_id and kind == "broader":
            kind_of[source_id] = "narrower"
        elif centre.concept.pk in (source_id, target_id):
            kind_of.setdefault(target_id if source_id == centre.concept.pk else source_id, "related")
    for kind, row in (("broader", HEIGHT * 0.17), ("narrower", HEIGHT * 0.83)):
        group = [node for node in neighbours if kind_of.get(node.concept.pk) == kind]
        for number, node in enumerate(group):
            node.x, node.y = WIDTH * (number + 1) / (len(group) + 1), row
    related = [node for node in neighbours if kind_of.get(node.concept.pk, "related") == "related"]
    # Related concepts stand left and right of the centre, alternately.
    for number, node in enumerate(related):
        side = -1 if number % 2 == 0 else 1
        on_this_side = math.ceil(len(related) / 2) if side == -1 else len(related) // 2
        node.x = WIDTH / 2 + side * WIDTH * 0.3
        node.y = HEIGHT / 2 + (number // 2 - (on_this_side - 1) / 2) * ROW_SPACING


def number(value):
    return f"{value:.1f}"


def render(nodes, edges, title):
    by_id = {node.concept.pk: node for node in nodes}
    parts = [
        format_html(
            '<svg class="concept-map" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {} {}" role="img" '
            'aria-labelledby="concept-map-title" font-size="{}">',
            WIDTH,
            HEIGHT,
            FONT_SIZE,
        ),
        format_html('<title id="concept-map-title">{}</title>', title),
        mark_safe(
            '<defs><marker id="concept-map-arrow" viewBox="0 0 10 10" refX="10" refY="5" '
            'markerWidth="8" markerHeight="8" orient="auto-start-reverse">'
            '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>'
        ),
    ]
    for source_id, target_id, kind in edges:
        source, target = by_id[source_id], by_id[target_id]
        # An arrow points from the narrower concept to the broader one, ending at the box's edge.
        dx, dy = target.x - source.x, target.y - source.y
        distance = max(math.hypot(dx, dy), 0.01)
        shorten = min(
            distance / 2,
            NODE_HEIGHT / 2 / max(abs(dy) / distance, 0.01),
            target.width / 2 / max(abs(dx) / distance, 0.01),
        )
        end_x, end_y = target.x - dx / distance * shorten, target.y - dy / distance * shorten
        if kind == "broader":
            parts.append(
                format_html(
                    '<line class="link-broader" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#555" '
                    'stroke-width="1.5" marker-end="url(#concept-map-arrow)"/>',
                    number(source.x),
                    number(source.y),
                    number(end_x),
                    number(end_y),
                )
            )
        else:
            parts.append(
                format_html(
                    '<line class="link-related" x1="{}" y1="{}" x2="{}" y2="{}" stroke="#999" '
                    'stroke-width="1.2" stroke-dasharray="5 4"/>',
                    number(source.x),
                    number(source.y),
                    number(target.x),
                    number(target.y),
                )
            )
    for node in sorted(nodes, key=lambda node: sort_key(node.concept.title)):
        parts.append(
            format_html(
                '<a href="{}" class="concept-node{}"><title>{}</title>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="12" fill="{}" stroke="#245"/>'
                '<text x="{}" y="{}" text-anchor="middle" fill="{}">{}</text></a>',
                node.concept.url or "#",
                " concept-node-centre" if node.centre else "",
                node.concept.english_term or node.concept.title,
                number(node.x - node.width / 2),
                number(node.y - NODE_HEIGHT / 2),
                number(node.width),
                NODE_HEIGHT,
                "#245" if node.centre else "#eef4f8",
                number(node.x),
                number(node.y + FONT_SIZE / 2 - 2),
                "#fff" if node.centre else "#123",
                node.concept.title,
            )
        )
    legend_y = HEIGHT - 12
    parts.append(
        format_html(
            '<g class="legend" font-size="11" fill="#333">'
            '<line x1="10" y1="{}" x2="40" y2="{}" stroke="#555" marker-end="url(#concept-map-arrow)"/>'
            '<text x="46" y="{}">{}</text>'
            '<line x1="230" y1="{}" x2="260" y2="{}" stroke="#999" stroke-dasharray="5 4"/>'
            '<text x="266" y="{}">{}</text></g>',
            legend_y - 4,
            legend_y - 4,
            legend_y,
            _("narrower → broader concept"),
            legend_y - 4,
            legend_y - 4,
            legend_y,
            _("related concepts"),
        )
    )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def concept_map(concepts):
    """SVG of all the given concepts and the links among them."""
    concepts = sorted(concepts, key=lambda concept: sort_key(concept.title))
    if not concepts:
        return ""
    nodes = [Node(concept) for concept in concepts]
    edges = edges_between(concepts)
    force_layout(nodes, edges)
    return render(nodes, edges, _("Concept map"))


def neighbourhood_map(concept):
    """SVG of one concept and the concepts it links to directly."""
    neighbours = sorted(
        {linked for _heading, group in concept.linked_concepts() for linked in group},
        key=lambda linked: sort_key(linked.title),
    )
    if not neighbours:
        return ""
    centre = Node(concept)
    nodes = [centre, *(Node(linked) for linked in neighbours)]
    edges = [edge for edge in edges_between([node.concept for node in nodes]) if concept.pk in (edge[0], edge[1])]
    neighbourhood_layout(centre, nodes[1:], edges)
    return render(nodes, edges, _("Concepts linked to %(concept)s") % {"concept": concept.title})
