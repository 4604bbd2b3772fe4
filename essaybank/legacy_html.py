"""A legacy post's HTML as StreamField blocks, without what the old theme and plugins left in it.

The HTML is parsed by lxml's HTML parser and written out again from an allow-list: paragraphs with
bold, italic, links and line breaks; headings; lists; quotations; images, in their place in the
text (a paragraph with an image inside is split around it); tables as table blocks.
Every text is escaped on the way out, so nothing of the old markup but that list reaches a page.
Text WordPress kept without <p> tags (its editor adds them when showing the post) is split into
paragraphs at blank lines, as WordPress does.

Metadata typed at the top of an essay ("Kirjoittanut: …", "Esseen tyyppi: …", "Kirjoitettu …",
"Kirjapisteet: …", "Kirja: …", "Kirjan kirjoittaja: …") and the KIRJALÄHTEET table of books and
their authors are taken out of the text into Metadata.
"""

import re
from dataclasses import dataclass, field
from html import escape, unescape

import lxml.html
from lxml import etree
from wagtail.rich_text import RichText

from essays.matching import split_authors
from finnish.hyphenation import join_broken_words

BLOCK_TAGS = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "ol", "blockquote", "table", "figure", "pre"}
INLINE_FORMAT = {"b": "b", "strong": "b", "i": "i", "em": "i"}
SAFE_LINK = re.compile(r"^(?:https?://|mailto:|/|#)", re.IGNORECASE)
SPACES = re.compile(r"[ \t\u00a0\u2000-\u200b\u202f]+")
# What rating, comment and captcha plugins left in the text.
JUNK_PIECES = [
    re.compile(r"VN:[FRD]\s*\[[\d._]+\]", re.IGNORECASE),
    re.compile(r"Rating:\s*[+-]?[\d.,]+(?:/\d+)?\s*\([^)]*\b(?:votes?|ääni\w*)\b[^)]*\)", re.IGNORECASE),
    re.compile(
        r"\[/?(?:caption|gallery|embed|audio|video|ratings?|ratemypost|starrater|contact-form[\w-]*|wp_[\w-]+)"
        r"\b[^\]]*\]",
        re.IGNORECASE,
    ),
]
JUNK_PARAGRAPHS = re.compile(
    r"^(?:keskustele artikkelista|kirjoita kommentti|jätä kommentti|kommentoi"
    r"|.*captcha.*|.*todista,? että olet ihminen.*|.*anti-?spam.*|.*kirjoita alla oleva(?:t)? (?:merkit|koodi).*)"
    r"[.!:]*$",
    re.IGNORECASE,
)
# Where WordPress's editor starts a new paragraph in text kept without tags: a blank line.
PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n\s*|(?:<br/>\s*){2,}")
WORDPRESS_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)
# Where an image stood inside a paragraph being gathered; a private-use character no text keeps.
IMAGE_MARK = "\ue000"
TAG_OR_IMAGE = re.compile(
    rf"<(?P<closing>/?)(?P<name>b|i|a)\b(?P<attrs>[^>]*)>|{IMAGE_MARK}(?P<image>\d+){IMAGE_MARK}"
)
METADATA_LINES = {
    "authors": re.compile(r"^kirjoitta(?:nut|jat?)\s*:\s*(?P<value>.+)$", re.IGNORECASE),
    "type": re.compile(r"^esseen tyyppi\s*:\s*(?P<value>.+)$", re.IGNORECASE),
    "written": re.compile(r"^kirjoitettu\s*:?\s*(?P<value>\d{1,2}\.\d{1,2}\.\d{2,4})\.?$", re.IGNORECASE),
    "points": re.compile(r"^(?:kirjapisteet|esseepisteet|pisteet)\s*:\s*(?P<value>\d+)\b.*$", re.IGNORECASE),
    "book": re.compile(r"^kirja\s*:\s*(?P<value>.+)$", re.IGNORECASE),
    "book_authors": re.compile(r"^kirjan kirjoittaja(?:t)?\s*:\s*(?P<value>.+)$", re.IGNORECASE),
    "team": re.compile(r"^tiimi\s*:\s*(?P<value>.+)$", re.IGNORECASE),
}
TEAM_IN_AUTHORS = re.compile(r"\s+[-–—]\s*tiimi(?:stä|sta)?\s*:?\s*(?P<team>.+)$", re.IGNORECASE)
BOOKS_HEADING = re.compile(r"^kirjal[äa]hteet\s*:?$", re.IGNORECASE)
HEADER_CELLS = {"kirja", "kirjat", "teos", "kirjoittaja", "kirjoittajat", "tekijä", "tekijät"}


@dataclass
class Metadata:
    """What the text said about the essay; lists keep the order written."""

    lines: dict = field(default_factory=dict)
    books: list = field(default_factory=list)  # (title, [authors])


@dataclass
class Image:
    """An image the text refers to, for the importer to find among the uploads."""

    src: str
    alt: str
    caption: str


@dataclass
class Converted:
    blocks: list = field(default_factory=list)  # ("paragraph", RichText) etc.; Image for an image
    metadata: Metadata = field(default_factory=Metadata)


def clean_text(text):
    """Plugin leftovers removed, hyphenation repaired, &nbsp; runs made one space."""
    for junk in JUNK_PIECES:
        text = junk.sub(" ", text)
    return join_broken_words(SPACES.sub(" ", text.replace(IMAGE_MARK, "")))


def convert(html):
    """The blocks and metadata of a post's HTML. Raises ValueError for HTML that cannot be parsed."""
    html = WORDPRESS_COMMENT.sub("", html or "")
    converted = Converted()
    if not html.strip():
        return converted
    try:
        root = lxml.html.fragment_fromstring(html, create_parent="div")
    except (etree.ParserError, ValueError) as error:
        raise ValueError(str(error)) from None
    writer = _Writer(converted)
    writer.container(root)
    writer.flush()
    return converted


class _Writer:
    def __init__(self, converted):
        self.converted = converted
        self.pending = []  # HTML pieces of the paragraph being gathered
        self.images = []  # images met inside it, marked in `pending` by their index
        self.books_next = False

    # Output

    def flush(self):
        """Close the paragraph being gathered from loose text and inline elements, split around the
        images inside it so that each keeps its place in the text."""
        html = "".join(self.pending).strip()
        images, self.pending, self.images = self.images, [], []
        for piece in _split_at_images(html):
            if isinstance(piece, int):
                self.converted.blocks.append(images[piece])
                continue
            for paragraph in PARAGRAPH_BREAK.split(piece):
                self.paragraph(paragraph)

    def paragraph(self, html):
        html = re.sub(r"^(?:<br/>\s*)+|(?:\s*<br/>)+$", "", html.strip())
        html = re.sub(r"\s*\n\s*", "<br/>", html)
        text = _plain(html)
        if not text:
            return
        if self.metadata(text):
            return
        if JUNK_PARAGRAPHS.match(text):
            return
        self.converted.blocks.append(("paragraph", RichText(f"<p>{html}</p>")))

    def metadata(self, text):
        """Take the paragraph as metadata if each of its lines is; True if it was."""
        if BOOKS_HEADING.match(text):
            self.books_next = True
            return True
        lines = [line.strip() for line in text.split("\n") if line.strip()]
        found = []
        for line in lines:
            for name, pattern in METADATA_LINES.items():
                match = pattern.match(line)
                if match:
                    found.append((name, match["value"].strip()))
                    break
            else:
                return False
        for name, value in found:
            if name == "authors":
                team = TEAM_IN_AUTHORS.search(value)
                if team:
                    self.converted.metadata.lines.setdefault("team", team["team"].strip(" ."))
                    value = value[: team.start()]
            self.converted.metadata.lines.setdefault(name, value.strip())
        return True

    # Input

    def container(self, element):
        if element.text:
            self.pending.append(escape(clean_text(element.text)))
        for child in element:
            self.element(child)
            if child.tail:
                self.pending.append(escape(clean_text(child.tail)))

    def element(self, element):
        tag = element.tag if isinstance(element.tag, str) else ""
        tag = tag.lower()
        if tag in ("script", "style", "noscript", "iframe", "form", "input", "button", "object", "embed"):
            return
        if tag == "img":
            self.image(element)
            return
        if tag not in BLOCK_TAGS:
            self.pending.append(self.inline(element))
            return
        self.flush()
        if tag in ("p", "pre"):
            self.pending.append(self.inline_children(element))
            self.flush()
        elif tag in ("div", "figure"):
            self.container(element)
            self.flush()
        elif tag in ("h1", "h2", "h3", "h4", "h5", "h6"):
            text = " ".join(clean_text(element.text_content()).split())
            if text and not self.metadata(text):
                self.books_next = False
                level = "h2" if tag in ("h1", "h2") else "h3"
                self.converted.blocks.append(("heading", {"text": text, "level": level}))
        elif tag == "ul":
            items = [_plain_of(item) for item in element.iter("li")]
            items = [item for item in items if item]
            if items:
                self.converted.blocks.append(("bullet_list", items))
        elif tag == "ol":
            items = [self.inline_children(item).strip() for item in element.iter("li")]
            items = "".join(f"<li>{item}</li>" for item in items if _plain(item))
            if items:
                self.converted.blocks.append(("paragraph", RichText(f"<ol>{items}</ol>")))
        elif tag == "blockquote":
            text = "\n".join(line for line in (_plain_of(child) for child in element) if line) or _plain_of(element)
            if text:
                self.converted.blocks.append(("quote", {"quote": text, "attribution": ""}))
        elif tag == "table":
            self.table(element)

    def inline(self, element):
        tag = element.tag.lower() if isinstance(element.tag, str) else ""
        if tag == "br":
            return "<br/>"
        if tag == "img":
            image = _image_of(element)
            if image is None:
                return ""
            self.images.append(image)
            return f"{IMAGE_MARK}{len(self.images) - 1}{IMAGE_MARK}"
        inner = self.inline_children(element)
        if tag in INLINE_FORMAT and _plain(inner):
            name = INLINE_FORMAT[tag]
            return f"<{name}>{inner}</{name}>"
        if tag == "a":
            href = (element.get("href") or "").strip()
            if SAFE_LINK.match(href) and _plain(inner):
                return f'<a href="{escape(href)}">{inner}</a>'
        return inner

    def inline_children(self, element):
        pieces = [escape(clean_text(element.text or ""))]
        for child in element:
            if isinstance(child.tag, str) and child.tag.lower() in BLOCK_TAGS - {"div"}:
                pieces.append(escape(clean_text(child.text_content())))
            else:
                pieces.append(self.inline(child))
            pieces.append(escape(clean_text(child.tail or "")))
        return "".join(pieces)

    def image(self, element):
        image = _image_of(element)
        if image is not None:
            self.flush()
            self.converted.blocks.append(image)

    def table(self, element):
        rows = []
        for row in element.iter("tr"):
            cells = [[line.strip() for line in _cell_lines(cell)] for cell in row if cell.tag in ("td", "th")]
            cells = [[line for line in cell if line] for cell in cells]
            if any(cells):
                rows.append(cells)
        if rows and rows[0] and rows[0][0] and BOOKS_HEADING.match(" ".join(rows[0][0])):
            rows, self.books_next = rows[1:], True
        if self.books_next:
            self.books_next = False
            for cells in rows:
                texts = [" ".join(cell) for cell in cells]
                if not texts or not texts[0] or {text.casefold() for text in texts} <= HEADER_CELLS:
                    continue
                authors = [name for line in (cells[1] if len(cells) > 1 else []) for name in split_authors(line)]
                self.converted.metadata.books.append((texts[0], authors))
            return
        if rows:
            self.converted.blocks.append(("table", _table_value(element, rows)))


def _table_value(element, rows):
    """A TableBlock value: cells as text with their line breaks, rows padded to one width, the first
    row a header when the HTML marks it so."""
    width = max(len(cells) for cells in rows)
    data = [["\n".join(cell) for cell in cells] + [""] * (width - len(cells)) for cells in rows]
    first_row = next(element.iter("tr"), None)
    header = first_row is not None and any(cell.tag == "th" for cell in first_row)
    caption = element.find("caption")
    return {
        "data": data,
        "first_row_is_table_header": header,
        "first_col_is_header": False,
        "table_caption": _plain_of(caption) if caption is not None else "",
    }


def _image_of(element):
    """The Image of an <img>, its caption from the figure or div around it; None without a source."""
    src = (element.get("src") or "").strip()
    if not src:
        return None
    caption = ""
    parent = element.getparent()
    while parent is not None and parent.tag not in ("figure", "div"):
        parent = parent.getparent()
    if parent is not None:
        caption_element = parent.find(".//figcaption")
        if caption_element is not None:
            caption = " ".join(caption_element.text_content().split())
    return Image(src=src, alt=(element.get("alt") or "").strip(), caption=caption)


def _split_at_images(html):
    """Our paragraph HTML as text pieces and image numbers in turn; formatting open where an image
    stands is closed before it and opened again after it, so each piece is whole HTML."""
    pieces, current, position, open_tags = [], "", 0, []
    for match in TAG_OR_IMAGE.finditer(html):
        current += html[position : match.start()]
        position = match.end()
        if match["image"] is not None:
            pieces += [current + "".join(f"</{name}>" for name, _attrs in reversed(open_tags)), int(match["image"])]
            current = "".join(f"<{name}{attrs}>" for name, attrs in open_tags)
            continue
        current += match[0]
        if not match["closing"]:
            open_tags.append((match["name"], match["attrs"]))
        elif open_tags and open_tags[-1][0] == match["name"]:
            open_tags.pop()
    return [*pieces, current + html[position:]]


def _cell_lines(cell):
    """A table cell's lines: its <br> and <p> breaks kept as line ends, scripts and styles dropped."""
    for code in list(cell.iter("script", "style")):
        code.drop_tree()
    for br in cell.iter("br"):
        br.tail = "\n" + (br.tail or "")
    for paragraph in cell.iter("p"):
        paragraph.tail = "\n" + (paragraph.tail or "")
    return clean_text(cell.text_content()).split("\n")


def _plain(html):
    """The visible text of HTML we wrote, for deciding whether a block says anything."""
    text = unescape(re.sub(r"<[^>]+>", "", html.replace("<br/>", "\n")))
    return "\n".join(" ".join(line.split()) for line in text.split("\n")).strip()


def _plain_of(element):
    return " ".join(clean_text(element.text_content()).split())
