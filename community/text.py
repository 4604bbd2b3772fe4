"""A comment's text: cleaned on the way in, rendered as escaped paragraphs with clickable links."""

import re
import unicodedata

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

MAX_LENGTH = 5000
# http(s) addresses and bare www. ones; a trailing full stop, comma or bracket belongs to the sentence.
LINK = re.compile(r"\b((?:https?://|www\.)[^\s<>\"']+?)(?=[.,;:!?)\]]*(?:\s|$))", re.IGNORECASE)


def clean_comment_text(text):
    """The text with Windows and old Mac line breaks made plain, control and format characters
    other than line breaks and tabs dropped, and surrounding whitespace stripped."""
    text = (text or "").replace("\r\n", "\n").replace("\r", "\n")
    kept = "".join(
        char for char in text if char in "\n\t" or unicodedata.category(char) not in ("Cc", "Cf", "Cs", "Co")
    )
    return kept.strip()


def has_control_characters(text):
    text = (text or "").replace("\r\n", "\n")
    return any(char not in "\n\t" and unicodedata.category(char) in ("Cc", "Cs") for char in text)


def links_in(text):
    return LINK.findall(text or "")


def _linked(line):
    parts, last = [], 0
    for match in LINK.finditer(line):
        parts.append(escape(line[last : match.start()]))
        address = match.group(1)
        href = address if address.lower().startswith("http") else f"https://{address}"
        parts.append(format_html('<a href="{}" rel="nofollow ugc">{}</a>', href, address))
        last = match.end()
    parts.append(escape(line[last:]))
    return "".join(parts)


def render_comment_text(text):
    """Paragraphs at blank lines, line breaks within them, links clickable; everything escaped."""
    paragraphs = [block for block in re.split(r"\n\s*\n", text or "") if block.strip()]
    html = "".join(
        "<p>" + "<br>".join(_linked(line) for line in block.strip().split("\n")) + "</p>" for block in paragraphs
    )
    return mark_safe(html)  # every piece of user text went through escape or format_html above
