"""The in-text citation as a rich-text entity.

In the database a citation is <a linktype="citation" id="12" pages="29–32"
form="narrative">Arantola & Simonen (2009, 29–32)</a>: the text is what the editor saw when
inserting it, and the page shows the citation formatted anew in the site's style.
"""

import re

from django.urls import reverse
from django.utils.html import format_html
from draftjs_exporter.dom import DOM
from wagtail.admin.rich_text.converters.html_to_contentstate import InlineEntityElementHandler
from wagtail.rich_text import LinkHandler

from .models import Source

FEATURE = "citation"
ENTITY_TYPE = "CITATION"
NARRATIVE = "narrative"
PARENTHETICAL = "parenthetical"
CITATION_TAG = re.compile(r'<a\b[^>]*\blinktype="citation"[^>]*>')
SOURCE_ID = re.compile(r'(?<![\w-])id="(?P<id>[^"]*)"')


class CitationLinkHandler(LinkHandler):
    identifier = "citation"

    @staticmethod
    def get_model():
        return Source

    @classmethod
    def expand_db_attributes(cls, attrs):
        return cls.expand_db_attributes_many([attrs])[0]

    @classmethod
    def expand_db_attributes_many(cls, attrs_list):
        tags = []
        for attrs in attrs_list:
            source_id = attrs.get("id", "")
            href = reverse("citations:source", args=[source_id]) if source_id.isdigit() else ""
            tags.append(
                format_html(
                    '<a class="citation" href="{}" data-citation-source="{}" data-citation-pages="{}" '
                    'data-citation-form="{}">',
                    href,
                    source_id,
                    attrs.get("pages", ""),
                    attrs.get("form", PARENTHETICAL),
                )
            )
        return tags

    @classmethod
    def extract_references(cls, attrs):
        if attrs.get("id", "").isdigit():
            yield Source, attrs["id"], "", ""


class CitationElementHandler(InlineEntityElementHandler):
    mutability = "IMMUTABLE"

    def get_attribute_data(self, attrs):
        source_id = attrs.get("id", "")
        return {
            "id": int(source_id) if source_id.isdigit() else None,
            "pages": attrs.get("pages", ""),
            "form": NARRATIVE if attrs.get("form") == NARRATIVE else PARENTHETICAL,
        }


def citation_entity(props):
    attributes = {"linktype": "citation", "id": str(props.get("id") or "")}
    if props.get("pages"):
        attributes["pages"] = props["pages"]
    attributes["form"] = NARRATIVE if props.get("form") == NARRATIVE else PARENTHETICAL
    return DOM.create_element("a", attributes, props["children"])


def cite_another_source(html, old_id, new_id):
    """The stored rich text with its citations of source `old_id` citing `new_id` instead."""
    return CITATION_TAG.sub(
        lambda tag: SOURCE_ID.sub(
            lambda attribute: f'id="{new_id}"' if attribute["id"] == str(old_id) else attribute[0], tag[0]
        ),
        html,
    )
