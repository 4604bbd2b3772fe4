"""Rewrites a page's rendered HTML so that its citations appear in the site's citation style."""

import html
import re

from django.utils.html import escape, format_html
from django.utils.safestring import mark_safe

from .formatting import Formatter
from .models import sources_for_matching
from .recognition import find_citations, resolve
from .rich_text import NARRATIVE

TAG = re.compile(r"(<[^>]*>)")
SOURCE_ATTRIBUTES = re.compile(
    r'data-citation-source="(?P<id>\d*)" data-citation-pages="(?P<pages>[^"]*)" data-citation-form="(?P<form>\w*)"'
)


def segments(rendered_html):
    """(is_text, piece, inside_link) for each tag and run of text of an HTML fragment."""
    depth = 0
    for piece in TAG.split(str(rendered_html)):
        if not piece:
            continue
        if piece.startswith("<"):
            name = piece[1:].split(None, 1)[0].rstrip(">").lower() if len(piece) > 2 else ""
            if name == "a":
                depth += 1
            elif name == "/a":
                depth = max(0, depth - 1)
            yield False, piece, depth > 0
        else:
            yield True, piece, depth > 0


class PageCitations:
    """Formats the citations of one page and builds its bibliography.

    The body is rewritten in one go, so citeproc sees every citation of the page
    before formatting the first (needed for its disambiguation rules).
    """

    def __init__(self, page, style):
        self.page = page
        self.formatter = Formatter(style)
        self._sources = None
        # An essay's book sources belong in its bibliography even when the text never cites them.
        if hasattr(page, "book_sources"):
            books = {book_source.book_id for book_source in page.book_sources.all()}
            for source in self.sources:
                if source.book_id in books:
                    self.formatter.add_to_bibliography(source)

    @property
    def sources(self):
        if self._sources is None:
            self._sources = sources_for_matching()
        return self._sources

    def source(self, source_id):
        return next((source for source in self.sources if str(source.pk) == source_id), None)

    def rewrite(self, rendered_html):
        """The HTML with inserted and hand-typed citations formatted and linked to their sources."""
        output = []  # strings, or callables filled in once every citation is registered
        pieces = list(segments(rendered_html))
        index = 0
        while index < len(pieces):
            is_text, piece, inside_link = pieces[index]
            attributes = None if is_text else SOURCE_ATTRIBUTES.search(piece)
            if attributes and piece.startswith("<a"):
                closing = next((i for i in range(index + 1, len(pieces)) if pieces[i][1].lower() == "</a>"), None)
                if closing is not None:
                    output.append(self._inserted(attributes, "".join(p[1] for p in pieces[index + 1 : closing])))
                    index = closing + 1
                    continue
            if is_text and not inside_link:
                output.extend(self._typed(piece))
            else:
                output.append(piece)
            index += 1
        return mark_safe("".join(part() if callable(part) else part for part in output))

    def _inserted(self, attributes, inner_html):
        source = self.source(attributes.group("id"))
        if source is None:
            return inner_html
        number = self.formatter.add([(source, attributes.group("pages"))], attributes.group("form") == NARRATIVE)
        return lambda: format_html(
            '<a class="citation" href="{}">{}</a>', source.get_absolute_url(), self.formatter.citation(number)
        )

    def _typed(self, escaped_text):
        text = html.unescape(escaped_text)
        found = resolve(find_citations(text), self.sources)
        if not found:
            return [escaped_text]
        parts, position = [], 0
        groups = {}
        for citation in found:
            groups.setdefault((citation.group, citation.narrative), []).append(citation)
        for citations in groups.values():
            first = citations[0]
            if first.start < position or any(citation.source is None for citation in citations):
                continue
            parts.append(escape(text[position : first.start]))
            items = [(citation.source, citation.pages) for citation in citations]
            number = self.formatter.add(items, first.narrative)
            parts.append(self._typed_replacement(first, number, text))
            position = first.end
        parts.append(escape(text[position:]))
        return parts

    def _typed_replacement(self, citation, number, text):
        href = citation.source.get_absolute_url()
        if citation.narrative:
            # The author names stay as the writer inflected them ("Löytänän ja Kortesuon").
            names = text[citation.start : citation.names_end].rstrip()
            return lambda: format_html(
                '<a class="citation" href="{}">{} {}</a>', href, names, self.formatter.year_part(number)
            )
        return lambda: format_html('<a class="citation" href="{}">{}</a>', href, self.formatter.citation(number))

    def bibliography(self):
        """The page's sources, formatted, in Finnish alphabetical order: every cited source and
        every book the essay names as a source. Call after rewrite()."""
        return self.formatter.linked_bibliography()
