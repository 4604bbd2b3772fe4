"""Draws concepts and their broader / narrower / related links as an SVG picture on the server.

Graphviz (Debian's `graphviz`, called through the `graphviz` package) places the boxes so that no
two overlap: `neato` the whole map, `dot` one concept's neighbourhood, broader concepts above it.
Its positions are cached under a digest of the graph it was given, so a layout is computed again
only when concepts or their links change. The picture is drawn at its natural size, one graph point to one CSS
pixel, so labels keep their size on every screen; a narrow screen scrolls the map inside its own
frame. Every concept is a link named by its Finnish term.
"""

import hashlib
import json
import logging
from dataclasses import dataclass

import graphviz
from django.core.cache import cache
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from finnish.collation import sort_key

logger = logging.getLogger(__name__)

FONT_SIZE = 14
# Boxes are sized for DejaVu Sans, a wide face the picture asks for; narrower fallbacks fit inside.
FONT_NAME = "DejaVu Sans"
# Room around the outermost boxes: Graphviz's bounding box ends at their edges.
PADDING = 4
# Graphviz gives positions in points and node sizes in inches.
POINTS_PER_INCH = 72
LAYOUT_TIMEOUT = 60 * 60 * 24 * 30
# The whole map: stress majorisation (neato), started from classical scaling so that the same graph
# always gives the same picture, then boxes pushed apart (prism) until none overlap.
MAP_ATTRIBUTES = {
    "mode": "major",
    "model": "subset",
    "start": "regular",
    "overlap": "prism",
    "sep": "+10",
    "splines": "true",
    "pack": "true",
}
# One concept's neighbourhood: ranked (dot), broader concepts above it and narrower below.
NEIGHBOURHOOD_ATTRIBUTES = {"rankdir": "BT", "nodesep": "0.3", "ranksep": "0.4"}
NODE_ATTRIBUTES = {
    "shape": "box",
    "style": "rounded",
    "fontsize": str(FONT_SIZE),
    "fontname": FONT_NAME,
    "margin": "0.16,0.06",
    "height": "0.4",
}


@dataclass
class Box:
    concept: object
    x: float
    y: float
    width: float
    height: float
    centre: bool = False


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


def graph(concepts, edges, engine, attributes, same_rank=()):
    """The Graphviz graph of the concepts; related links do not rank their ends."""
    drawing = graphviz.Digraph(engine=engine, graph_attr=attributes, node_attr=NODE_ATTRIBUTES)
    for concept in concepts:
        # Backslashes in a title are text, not Graphviz's escapes (a trailing one would end the quote).
        drawing.node(str(concept.pk), graphviz.escape(concept.title))
    if same_rank:
        with drawing.subgraph() as row:
            row.attr(rank="same")
            for pk in same_rank:
                row.node(str(pk))
    for source, target, kind in edges:
        if kind == "broader":
            drawing.edge(str(source), str(target))
        else:
            drawing.edge(str(source), str(target), constraint="false", dir="none")
    return drawing


def layout(drawing):
    """Graphviz's JSON layout of the graph, from the cache when the same graph was laid out before."""
    key = f"concept-map-layout:{drawing.engine}:" + hashlib.sha256(drawing.source.encode()).hexdigest()
    laid_out = cache.get(key)
    if laid_out is None:
        laid_out = json.loads(drawing.pipe(format="json"))
        cache.set(key, laid_out, LAYOUT_TIMEOUT)
    return laid_out


def points(text):
    return [tuple(float(value) for value in point.split(",")) for point in text.split()]


def number(value):
    return f"{value:.1f}"


def render(concepts, edges, laid_out, name, label, centre=None):
    """The SVG of a laid-out graph; `name` makes its ids unique on the page."""
    by_id = {str(concept.pk): concept for concept in concepts}
    left, bottom, right, top = (float(value) for value in laid_out["bb"].split(","))
    width, height = right - left + 2 * PADDING, top - bottom + 2 * PADDING

    def place(x, y):
        """Graphviz's point (y upwards) in the picture (y downwards)."""
        return x - left + PADDING, top - y + PADDING

    boxes = []
    for node in laid_out.get("objects", []):
        if node["name"] not in by_id:
            continue
        x, y = place(*points(node["pos"])[0])
        concept = by_id[node["name"]]
        boxes.append(
            Box(
                concept,
                x,
                y,
                float(node["width"]) * POINTS_PER_INCH,
                float(node["height"]) * POINTS_PER_INCH,
                centre=concept.pk == getattr(centre, "pk", None),
            )
        )
    names = {node["_gvid"]: node.get("name") for node in laid_out.get("objects", [])}
    kinds = {(str(source), str(target)): kind for source, target, kind in edges}
    lines = []
    for edge in laid_out.get("edges", []):
        kind = kinds[names[edge["tail"]], names[edge["head"]]]
        spline = edge["pos"].split()
        tip = None
        if spline[0].startswith("e,"):
            tip = points(spline.pop(0)[2:])[0]
        curve = [place(x, y) for x, y in points(" ".join(spline))]
        path = f"M{number(curve[0][0])},{number(curve[0][1])} C" + " ".join(
            f"{number(x)},{number(y)}" for x, y in curve[1:]
        )
        if tip:
            tip = place(*tip)
            path += f" L{number(tip[0])},{number(tip[1])}"
        lines.append((kind, path))
    parts = [
        format_html(
            '<svg class="concept-map" xmlns="http://www.w3.org/2000/svg" width="{}" height="{}" '
            'viewBox="0 0 {} {}" aria-label="{}" font-family="{}, Verdana, sans-serif" font-size="{}">',
            number(width),
            number(height),
            number(width),
            number(height),
            label,
            FONT_NAME,
            FONT_SIZE,
        ),
        format_html(
            '<defs><marker id="{}-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" '
            'orient="auto"><path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
            name,
        ),
        mark_safe('<g class="concept-map-links" aria-hidden="true">'),
        format_html_join(
            "",
            '<path class="link-{}" d="{}" fill="none"{}/>',
            (
                (
                    kind,
                    path,
                    format_html(' stroke="#555" stroke-width="1.5" marker-end="url(#{}-arrow)"', name)
                    if kind == "broader"
                    else mark_safe(' stroke="#888" stroke-width="1.2" stroke-dasharray="5 4"'),
                )
                for kind, path in lines
            ),
        ),
        mark_safe("</g>"),
    ]
    for box in sorted(boxes, key=lambda box: sort_key(box.concept.title)):
        parts.append(
            format_html(
                '<a href="{}" class="concept-node{}"{}>'
                '<rect x="{}" y="{}" width="{}" height="{}" rx="10" fill="{}" stroke="#245"/>'
                '<text x="{}" y="{}" text-anchor="middle" dominant-baseline="central" fill="{}">{}</text></a>',
                box.concept.url or "#",
                " concept-node-centre" if box.centre else "",
                mark_safe(' aria-current="page"') if box.centre else "",
                number(box.x - box.width / 2),
                number(box.y - box.height / 2),
                number(box.width),
                number(box.height),
                "#245" if box.centre else "#eef4f8",
                number(box.x),
                number(box.y),
                "#fff" if box.centre else "#123",
                box.concept.title,
            )
        )
    parts.append(mark_safe("</svg>"))
    return mark_safe("".join(parts))


def draw(concepts, edges, name, label, drawing, centre=None):
    try:
        laid_out = layout(drawing)
    except graphviz.ExecutableNotFound:
        # The list of concepts beside the map still tells everything the picture does.
        logger.warning("Graphviz's dot is not installed: the concept map is left out (apt-get install graphviz)")
        return ""
    except graphviz.CalledProcessError:
        logger.exception("Graphviz could not lay out the concept map; it is left out")
        return ""
    return render(concepts, edges, laid_out, name, label, centre)


def concept_map(concepts):
    """SVG of all the given concepts and the links among them."""
    concepts = sorted(concepts, key=lambda concept: sort_key(concept.title))
    if not concepts:
        return ""
    edges = edges_between(concepts)
    return draw(concepts, edges, "concept-map", _("Concept map"), graph(concepts, edges, "neato", MAP_ATTRIBUTES))


def neighbourhood_map(concept):
    """SVG of one concept and the concepts it links to directly: broader above, narrower below,
    related beside it."""
    neighbours = sorted(
        {linked for _heading, group in concept.linked_concepts() for linked in group},
        key=lambda linked: sort_key(linked.title),
    )
    if not neighbours:
        return ""
    concepts = [concept, *neighbours]
    edges = [edge for edge in edges_between(concepts) if concept.pk in (edge[0], edge[1])]
    related = [pk for source, target, kind in edges if kind == "related" for pk in (source, target)]
    same_rank = sorted({concept.pk, *related}) if related else ()
    label = _("Concepts linked to %(concept)s") % {"concept": concept.title}
    drawing = graph(concepts, edges, "dot", NEIGHBOURHOOD_ATTRIBUTES, same_rank)
    return draw(concepts, edges, "concept-neighbourhood", label, drawing, centre=concept)
