"""Reading a WordPress export (WXR 1.0–1.2, what Tools → Export writes), one item at a time.

The file is parsed by defusedxml's ElementTree (no entity expansion, no external entities, no DTD
tricks) as a stream: each <item> is turned into a Post and dropped from the tree before the next is
read, so a 500 MB export runs in the memory of one post.
"""

from dataclasses import dataclass, field
from urllib.parse import unquote

from defusedxml.ElementTree import iterparse

NAMESPACES = {
    "content": "http://purl.org/rss/1.0/modules/content/",
    "excerpt": "http://wordpress.org/export/{version}/excerpt/",
    "dc": "http://purl.org/dc/elements/1.1/",
    "wp": "http://wordpress.org/export/{version}/",
}
WXR_VERSIONS = ("1.2", "1.1", "1.0")


@dataclass
class Comment:
    id: str
    author: str
    date: str
    text: str
    approved: str
    parent: str
    kind: str


@dataclass
class Post:
    id: str
    title: str
    link: str
    guid: str
    date: str
    slug: str
    status: str
    post_type: str
    password: str
    content: str
    creator: str
    categories: list = field(default_factory=list)  # (nicename, name)
    tags: list = field(default_factory=list)
    meta: dict = field(default_factory=dict)
    comments: list = field(default_factory=list)
    attachment_url: str = ""


@dataclass
class Channel:
    """What the export says about its site, before the first item."""

    site_url: str = ""
    blog_url: str = ""
    link: str = ""
    # Category nicename → (name, parent nicename), from the export's header.
    categories: dict = field(default_factory=dict)


class BrokenItem(ValueError):
    """An item that is in the file but cannot be read as a post; its text is kept."""

    def __init__(self, post_id, title, raw, reason):
        super().__init__(reason)
        self.post_id, self.title, self.raw = post_id, title, raw

    def __reduce__(self):
        # For an import's worker processes (essaybank.workers), which hand items over pickled.
        return BrokenItem, (self.post_id, self.title, self.raw, str(self))


def _text(element, path, namespaces):
    found = element.find(path, namespaces)
    return (found.text or "").strip() if found is not None and found.text else ""


def _raw_text(element):
    """Every piece of text in an element, for a post that could not be read otherwise."""
    return "\n".join(piece.strip() for piece in element.itertext() if piece and piece.strip())


def read(source):
    """(channel, posts): the channel is filled in as the header is read; posts is an iterator of
    Post and BrokenItem (as values, not raised). A file that is not XML raises ParseError where it
    breaks, after the items before that point."""
    channel = Channel()
    return channel, _items(source, channel)


def _items(source, channel):
    namespaces = None
    parent = None
    depth = 0
    for event, element in iterparse(source, events=("start", "end")):
        if event == "start":
            depth += 1
            if namespaces is None and element.tag.startswith("{http://wordpress.org/export/"):
                version = element.tag.split("/export/", 1)[1].split("/", 1)[0]
                namespaces = {key: value.format(version=version) for key, value in NAMESPACES.items()}
            if element.tag == "channel":
                parent = element
            continue
        depth -= 1
        if namespaces is None or parent is None:
            continue
        wp = "{" + namespaces["wp"] + "}"
        if element.tag == "item":
            yield _post(element, namespaces)
            parent.remove(element)
        elif element.tag == f"{wp}category" and depth == 2:
            nicename = _text(element, "wp:category_nicename", namespaces)
            channel.categories[nicename] = (
                _text(element, "wp:cat_name", namespaces),
                _text(element, "wp:category_parent", namespaces),
            )
            parent.remove(element)
        elif element.tag == f"{wp}base_site_url":
            channel.site_url = (element.text or "").strip()
        elif element.tag == f"{wp}base_blog_url":
            channel.blog_url = (element.text or "").strip()
        elif element.tag == "link" and depth == 2:
            channel.link = (element.text or "").strip()
        elif depth == 2 and element.tag != "item":
            parent.remove(element)


def _post(item, ns):
    post_id = _text(item, "wp:post_id", ns)
    title = _text(item, "title", ns)
    try:
        if not post_id.isdigit():
            raise ValueError("no post id")
        post = Post(
            id=post_id,
            title=title,
            link=_text(item, "link", ns),
            guid=_text(item, "guid", ns),
            date=_text(item, "wp:post_date", ns),
            slug=unquote(_text(item, "wp:post_name", ns)),
            status=_text(item, "wp:status", ns),
            post_type=_text(item, "wp:post_type", ns),
            password=_text(item, "wp:post_password", ns),
            content=_text(item, "content:encoded", ns),
            creator=_text(item, "dc:creator", ns),
            attachment_url=_text(item, "wp:attachment_url", ns),
        )
        for category in item.findall("category"):
            name = (category.text or "").strip()
            if category.get("domain") == "category":
                post.categories.append((category.get("nicename", ""), name))
            elif category.get("domain") == "post_tag":
                post.tags.append(name)
        for meta in item.findall("wp:postmeta", ns):
            key = _text(meta, "wp:meta_key", ns)
            if key:
                post.meta[key] = _text(meta, "wp:meta_value", ns)
        for comment in item.findall("wp:comment", ns):
            post.comments.append(
                Comment(
                    id=_text(comment, "wp:comment_id", ns),
                    author=_text(comment, "wp:comment_author", ns),
                    date=_text(comment, "wp:comment_date", ns),
                    text=_text(comment, "wp:comment_content", ns),
                    approved=_text(comment, "wp:comment_approved", ns),
                    parent=_text(comment, "wp:comment_parent", ns),
                    kind=_text(comment, "wp:comment_type", ns),
                )
            )
        return post
    except ValueError as error:
        return BrokenItem(post_id, title, _raw_text(item), str(error))
