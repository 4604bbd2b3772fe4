"""Finds the citations in a page's stored text and records them."""

import html
import re

from django.db import transaction
from django.utils.html import strip_tags
from wagtail.rich_text import RichText
from wagtail.rich_text.rewriters import extract_attrs

from .models import Citation, sources_for_matching
from .recognition import Found, authors_match, find_broken_citations, find_citations, resolve

INSERTED = re.compile(r'<a(\b[^>]*\blinktype="citation"[^>]*)>(.*?)</a>', re.DOTALL)
BLOCK_END = re.compile(r"</(?:p|h[1-6]|li|blockquote)>")
# Markup that strip_tags would only drop: tags without attributes, and characters as references.
PLAIN_TAG = re.compile(r"</?(?:p|h[1-6]|ul|ol|li|blockquote|b|i|strong|em)>")
LOOSE_AMPERSAND = re.compile(r"&(?![a-zA-Z][a-zA-Z0-9]*;|#[0-9]+;|#[xX][0-9a-fA-F]+;)")


def stream_chunks(stream_value):
    """The stored HTML or plain text of each block of a StreamField value."""
    for child in stream_value or []:
        if isinstance(child.value, RichText):
            yield child.value.source
        else:
            for text in child.block.get_searchable_content(child.value):
                yield html.escape(str(text))


def page_chunks(page):
    yield from stream_chunks(getattr(page, "body", None))


def plain_text(stored_html):
    """Running text of stored rich text, without the inserted citations."""
    text = INSERTED.sub(" ", stored_html)
    text = BLOCK_END.sub("\n", text)
    # Parsing the HTML is needed only for markup beyond plain tags, as imported paragraphs rarely have.
    bare = PLAIN_TAG.sub("", text)
    if "<" in bare or ">" in bare or LOOSE_AMPERSAND.search(bare):
        bare = strip_tags(text)
    return html.unescape(bare)


def citations_in(page, sources=None):
    """Unsaved Citation rows for every citation in the page, in order."""
    sources = sources_for_matching() if sources is None else sources
    # Made for the first inserted citation: most imported pages have none.
    by_id = None
    rows = []
    for chunk in page_chunks(page):
        for match in INSERTED.finditer(chunk):
            attrs = extract_attrs(match.group(1))
            source_id = attrs.get("id", "")
            by_id = {source.pk: source for source in sources} if by_id is None else by_id
            rows.append(
                Citation(
                    page_id=page.pk,
                    source=by_id.get(int(source_id)) if source_id.isdigit() else None,
                    text=html.unescape(strip_tags(match.group(2)))[:500],
                    pages=attrs.get("pages", "")[:50],
                    origin=Citation.Origin.INSERTED,
                )
            )
        text = plain_text(chunk)
        typed = find_citations(text)
        for found in resolve(typed, sources):
            rows.append(
                Citation(
                    page_id=page.pk,
                    source=found.source,
                    text=found.text[:500],
                    pages=found.pages[:50],
                    surnames="|".join(found.surnames)[:300],
                    year=found.year[:10],
                    et_al=found.et_al,
                    origin=Citation.Origin.TYPED,
                )
            )
        # Kept without a source, so that the unmatched citations report shows them to editors.
        for broken in find_broken_citations(text, typed):
            rows.append(
                Citation(
                    page_id=page.pk,
                    text=broken.text[:500],
                    pages=broken.pages[:50],
                    year=broken.year[:10],
                    origin=Citation.Origin.TYPED,
                )
            )
    for position, row in enumerate(rows):
        row.position = position
    return rows


def record_citations(page):
    """Replaces the page's recorded citations with those of its current text."""
    return record_citations_of([page])


def record_citations_of(pages, sources=None):
    """record_citations for many pages, with one read of the sources (unless given, as
    sources_for_matching returns them) and one write."""
    if not pages:
        return []
    sources = sources_for_matching() if sources is None else sources
    rows = [row for page in pages for row in citations_in(page, sources)]
    with transaction.atomic():
        Citation.objects.filter(page_id__in=[page.pk for page in pages]).delete()
        Citation.objects.bulk_create(rows)
    return rows


def rematch_unmatched(sources=None):
    """Links hand-typed citations that had no source to a source added since; `sources` as in
    record_citations_of."""
    unmatched = list(Citation.objects.filter(source__isnull=True, origin=Citation.Origin.TYPED))
    if not unmatched:
        return 0
    sources = sources_for_matching() if sources is None else sources
    linked = 0
    for citation in unmatched:
        found = Found(
            text=citation.text,
            start=0,
            end=0,
            narrative=False,
            surnames=citation.surnames.split("|") if citation.surnames else [],
            year=citation.year,
            et_al=citation.et_al,
        )
        candidates = [
            source
            for source in sources
            if source.citation_year == found.year_number
            and authors_match(found.surnames, source.citation_surnames, found.et_al)
        ]
        if len(candidates) == 1:
            citation.source = candidates[0]
            citation.save(update_fields=["source"])
            linked += 1
    return linked
