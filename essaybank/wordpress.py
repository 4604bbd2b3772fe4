"""Moving a WordPress essay bank over: its posts become essays, their old addresses redirects.

Reads the export with essaybank.wxr, the post's HTML with essaybank.legacy_html, and saves through
the BaseImporter every importer shares (people, teams, books, categories, essays). The essay's
metadata comes from custom fields (keys in FIELDS, or as --field maps them) or from lines typed at
the top of the text; its author is the one the metadata names, not the WordPress account that
posted it. A post is found again by the export's site and post id, so running an import again
updates what it created.
"""

import contextlib
import dataclasses
import datetime
import functools
import hashlib
import re
from dataclasses import dataclass
from html import escape, unescape
from pathlib import Path
from urllib.parse import urlsplit
from xml.etree.ElementTree import ParseError

from defusedxml import DefusedXmlException
from django.core.files.images import ImageFile
from django.db import DatabaseError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.rich_text import RichText

from community.imports import add_legacy_comment
from essaybank import wxr
from essaybank.importer import BaseImporter, EssayData, RecordError, check_fits, made_ahead
from essaybank.legacy_html import Image, convert
from essaybank.models import WordPressPost
from essaybank.workers import in_order
from essays.matching import split_authors
from essays.models import EssayPage
from finnish.ahead import keep_all

# Custom field keys of the essay's metadata, by what they mean; --field changes them.
FIELDS = {
    "author": "esseen_kirjoittaja",
    "team": "tiimi",
    "type": "esseen_tyyppi",
    "points": "kirjapisteet",
    "book": "kirja",
    "book_author": "kirjan_kirjoittaja",
    "written": "kirjoitettu",
}
SKIPPED_STATUSES = {"trash", "auto-draft", "inherit"}
DRAFT_STATUSES = {"draft", "pending", "future"}
# WordPress's default category, which says nothing.
NO_CATEGORY = {"uncategorized", "yleinen", "luokittelematon", "muut"}
NUMBERED = re.compile(r"^\s*\d+(?:\.\d+)*\.?\s+\S")
POINTS_IN_TYPE = re.compile(r"(\d+)\s*(?:essee)?piste", re.IGNORECASE)
SHORT_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{2}|\d{4})$")
UPLOADS = "/wp-content/uploads/"
SIZE_SUFFIX = re.compile(r"-\d+x\d+(?=\.\w+$)")
UNKNOWN_AUTHOR = "Tuntematon kirjoittaja"


def site_key(url):
    """The export's site as host and path, the part of every post's key that names the bank."""
    parts = urlsplit(url or "")
    key = (parts.netloc + parts.path).rstrip("/").lower()
    return key if len(key) <= 150 else hashlib.blake2b(key.encode(), digest_size=16).hexdigest()


def written_date(text):
    """A date typed as "26.05.18" or "26.5.2018"; a two-digit year is this century's up to the
    current year, the last century's after it."""
    match = SHORT_DATE.match(text.strip().rstrip("."))
    if not match:
        return None
    day, month, year = (int(part) for part in match.groups())
    if year < 100:
        this_year = timezone.now().year % 100
        year += 2000 if year <= this_year else 1900
    try:
        return datetime.date(year, month, day)
    except ValueError:
        return None


def post_date(text):
    try:
        return datetime.date.fromisoformat(text[:10])
    except ValueError:
        return None


def broken_post_id(item):
    """The id of a post that could not be read; without an id of its own, it is known by its text."""
    digest = hashlib.sha1(item.raw.encode()).hexdigest()[:12]
    return item.post_id if item.post_id.isdigit() else str(int(digest, 16))


def post_title(title):
    """A post's title as its essay's, empty if it has none."""
    return first_upper(" ".join(unescape(title).split()))


def first_upper(title):
    """A title typed all in lowercase gets its first letter capitalised."""
    return title[:1].upper() + title[1:] if title[:1].islower() else title


class InvalidXML(ValueError):
    """Where the export stops being XML, read as its last item."""


@dataclass
class ReadPost:
    """What of a post needs no database (read_item), for WordPressImporter.import_post."""

    converted: object = None  # legacy_html.convert of its HTML
    error: str = ""  # why its HTML could not be converted
    # made_ahead of its title, and of its body if it has no images
    made: list = dataclasses.field(default_factory=list)


def read_item(item):
    """The ReadPost of an item to import as an essay, None for any other: its HTML converted and
    its body's text analysed; an error is returned, for import_post to report."""
    if not isinstance(item, wxr.Post) or item.post_type != "post" or item.status in SKIPPED_STATUSES:
        return None
    try:
        read = ReadPost(converted=convert(item.content))
    except ValueError as error:
        return ReadPost(error=str(error), made=made_ahead(EssayPage, None, post_title(item.title)))
    blocks = read.converted.blocks
    # Images become blocks once found among the uploads; the text of a post without them is known now.
    known = not any(isinstance(block, Image) for block in blocks)
    read.made = made_ahead(EssayPage, blocks if known else None, post_title(item.title))
    return read


@dataclass
class PostLink:
    """A post whose new essay is not written yet, with what link_post needs once it is."""

    site: str
    channel: object
    post: object
    essay: EssayPage
    current: tuple
    problems: list
    kinds: set


class WordPressImporter(BaseImporter):
    def __init__(self, fields=None, old_sites=(), uploads=None, progress=None, workers=0):
        super().__init__(progress=progress)
        # Processes reading posts beside this one (essaybank.workers); 0 reads them here.
        self.workers = workers
        self.fields = {**FIELDS, **(fields or {})}
        self.old_sites = [urlsplit(site) for site in old_sites]
        self.uploads = Path(uploads) if uploads else None
        self.current, self.problems, self.kinds = None, [], set()
        # The chunk's new essays' posts, linked together once the essays are written (after_new_pages).
        self._unlinked = []

    def run(self, source, dry_run=False):
        """Import the export, each chunk of posts committed at its end; a dry run is one transaction
        rolled back at the end, so that its posts find the books and people those before them made."""
        with transaction.atomic() if dry_run else contextlib.nullcontext():
            channel, items = wxr.read(source)
            for item, read in self.in_chunks(in_order(read_item, self._readable(items), self.workers)):
                self.import_item(channel, item, read)
                if self.progress:
                    self.progress(self.report)
            if dry_run:
                transaction.set_rollback(True)
        return self.report

    @staticmethod
    def _readable(items):
        """The items, until the file stops being XML: then the error, for import_item to report
        after the items before it."""
        try:
            yield from items
        except (ParseError, DefusedXmlException) as error:
            yield InvalidXML(str(error))

    def warn(self, message, kind=None):
        """Report a problem of the post; `kind` (a WordPressPost field) lets an editor filter by it."""
        self.report.warnings.append((*self.current, message))
        self.problems.append(message)
        if kind:
            self.kinds.add(kind)

    def book_is_ambiguous(self, title, candidates):
        self.warn(
            _("book %(title)r could be any of %(books)s: not linked, for an editor to decide")
            % {"title": title, "books": ", ".join(sorted(repr(book.title) for book in candidates))},
            kind="book_ambiguous",
        )

    def import_item(self, channel, item, read=None):
        """Import one item; `read` is its read_item, made here if not given."""
        if isinstance(item, InvalidXML):
            reason = _("the file is not valid XML from here on: %(reason)s") % {"reason": item}
            self.report.errors.append(("", "", reason))
            return
        site = site_key(channel.site_url or channel.blog_url or channel.link)
        self.current = (item.post_id if isinstance(item, wxr.BrokenItem) else item.id, item.title)
        self.problems, self.kinds = [], set()
        if isinstance(item, wxr.Post):
            if item.post_type != "post":
                self.report.counts[f"skipped {item.post_type or '?'}"] += 1
                return
            if item.status in SKIPPED_STATUSES:
                self.report.counts[f"skipped {item.status}"] += 1
                return
        post_id = broken_post_id(item) if isinstance(item, wxr.BrokenItem) else item.id
        try:
            with self.record(f"wordpress:{site}:{post_id}"):
                if isinstance(item, wxr.BrokenItem):
                    self.import_broken(site, item)
                else:
                    self.import_post(site, channel, item, read or read_item(item))
        except (RecordError, DatabaseError) as error:
            self.record_failed(error)

    def record_failed(self, error):
        reason = str(error)
        if isinstance(error, DatabaseError):
            reason = _("the database refused the post: %(reason)s") % {"reason": error}
        self.report.errors.append((*self.current, reason))

    def after_saving(self, essay, action):
        """action() once the essay is written (after_writing), with the post's problems as they stand."""
        current, problems, kinds = self.current, self.problems, self.kinds

        def with_post():
            self.current, self.problems, self.kinds = current, problems, kinds
            action()

        self.after_writing(essay, with_post)

    def import_broken(self, site, item):
        """A post that could not be read is kept whole, unpublished, for an editor."""
        post_id = broken_post_id(item)
        self.warn(
            _("the post could not be read (%(reason)s): its text is kept as it was") % {"reason": item},
            kind="unreadable",
        )
        data = EssayData(
            title=first_upper(unescape(item.title)) or _("Untitled essay"),
            written=timezone.now().date(),
            authors=[],
            body=[("paragraph", RichText(f"<p>{escape(item.raw)}</p>"))],
            live=False,
        )
        essay, _created = self.save_essay(f"wordpress:{site}:{post_id}", data)
        self.after_saving(essay, lambda: self.keep_record(site, post_id, item.title, "", essay))

    def import_post(self, site, channel, post, read):
        keep_all(read.made)
        converted = read.converted
        if converted is None:
            self.warn(
                _("the text could not be read (%(reason)s): it is kept as it was") % {"reason": read.error},
                kind="unreadable",
            )
        meta = converted.metadata.lines if converted else {}
        field = self.field_values(post)
        authors_text = field("author") or meta.get("authors", "")
        team = field("team") or meta.get("team", "")
        authors = [{"name": name, "team": team} for name in split_authors(authors_text)]
        if not authors:
            self.warn(_("the essay names no author: %(name)r is shown") % {"name": UNKNOWN_AUTHOR})
            authors = [{"name": UNKNOWN_AUTHOR, "team": ""}]
        type_text = field("type") or meta.get("type", "")
        points_text = field("points") or meta.get("points", "")
        if not points_text and POINTS_IN_TYPE.search(type_text):
            points_text = POINTS_IN_TYPE.search(type_text).group(1)
        written_text = field("written") or meta.get("written", "")
        written = written_date(written_text) if written_text else None
        written = written or post_date(post.date)
        if written is None:
            self.warn(_("the essay has no date: the date of the import is used"))
            written = timezone.now().date()
        body = self.body(converted, post)
        visibility = EssayPage.Visibility.PUBLIC
        if post.status == "private":
            visibility = EssayPage.Visibility.COMMUNITY
        elif post.password:
            visibility = EssayPage.Visibility.PROTECTED
        title = post_title(post.title)
        if not title:
            title = _("Untitled essay")
            self.warn(_("the post has no title"))
        categories, tags = self.taxonomy(channel, post)
        data = EssayData(
            title=title,
            written=written,
            authors=authors,
            body=body,
            visibility=visibility,
            essay_type=self.essay_type_named(type_text),
            points=int(points_text) if points_text.isdigit() else None,
            books=self.books_of(post, field, meta, converted),
            categories=categories,
            tags=tags,
            live=post.status not in DRAFT_STATUSES,
        )
        essay, _created = self.save_essay(f"wordpress:{site}:{post.id}", data, slug=post.slug)
        if not post.comments and self.unwritten(essay):
            self._unlinked.append(PostLink(site, channel, post, essay, self.current, self.problems, self.kinds))
        else:
            self.after_saving(essay, lambda: self.link_post(site, channel, post, essay))

    def link_post(self, site, channel, post, essay):
        """What of the post needs its essay's id: its redirects, comments and record."""
        self.redirect(essay, post, channel)
        self.comments(site, essay, post.comments)
        self.keep_record(site, post.id, post.title, post.status, essay)

    def after_new_pages(self, new_pages):
        """link_post for the posts of the chunk's new essays together: their redirects and records
        in a read and an insert each. If that fails, each post is linked on its own, as its
        essay's `after` action, so that only a post that fails loses its essay."""
        written = {id(new.page): new for new in new_pages}
        links, self._unlinked = [link for link in self._unlinked if id(link.essay) in written], []
        if not links:
            return
        try:
            with transaction.atomic():
                created, changed = self.link_posts(links)
        except (RecordError, DatabaseError):
            for link in links:
                written[id(link.essay)].after.append(functools.partial(self.link_one, link))
            return
        self.batch.changed[Redirect].update(changed)
        self.report.counts["redirects"] += created

    def link_one(self, link):
        """link_post of one post of after_new_pages, with the post's problems as they stood."""
        self.current, self.problems, self.kinds = link.current, link.problems, link.kinds
        self.link_post(link.site, link.channel, link.post, link.essay)

    def link_posts(self, links):
        """The redirects and WordPressPost records of new essays' posts without comments; returns
        the number of redirects created and the ids of those written."""
        targets = {}
        for link in links:
            for path in sorted(self.redirect_paths(link.post, link.channel)):
                # A later post takes an address over, as its own redirect() would.
                targets[path] = link.essay
        existing = dict(Redirect.objects.filter(site=None, old_path__in=targets).values_list("old_path", "pk"))
        for path, pk in existing.items():
            Redirect.objects.filter(pk=pk).update(redirect_page=targets[path], is_permanent=True)
        created = Redirect.objects.bulk_create(
            check_fits(Redirect(old_path=path, site=None, redirect_page=essay, is_permanent=True))
            for path, essay in targets.items()
            if path not in existing
        )
        kept = set(
            WordPressPost.objects.filter(
                site__in={link.site for link in links}, post_id__in=[int(link.post.id) for link in links]
            ).values_list("site", "post_id")
        )
        records = []
        for link in links:
            self.current, self.problems, self.kinds = link.current, link.problems, link.kinds
            if (link.site, int(link.post.id)) in kept:
                self.keep_record(link.site, link.post.id, link.post.title, link.post.status, link.essay)
            else:
                record = self.record_values(link.post.title, link.post.status, link.essay)
                records.append(WordPressPost(site=link.site, post_id=int(link.post.id), **record))
        WordPressPost.objects.bulk_create(records)
        return len(created), [*existing.values(), *(redirect.pk for redirect in created)]

    def comments(self, site, essay, comments):
        """The approved comments, parents before replies, under keys of the export's site; spam,
        trash, pingbacks and comments waiting for approval stay behind."""
        approved = [
            comment
            for comment in comments
            if comment.approved == "1" and comment.kind in ("", "comment") and comment.id.isdigit()
        ]
        keys = {comment.id for comment in approved}
        for comment in sorted(approved, key=lambda comment: int(comment.id)):
            try:
                created_at = timezone.make_aware(datetime.datetime.fromisoformat(comment.date))
            except ValueError:
                created_at = timezone.now()
                self.warn(_("comment %(id)s has no valid time: the time of the import is used") % {"id": comment.id})
            parent = comment.parent if comment.parent in keys else None
            try:
                add_legacy_comment(
                    essay,
                    key=f"{site}:{comment.id}",
                    parent_key=f"{site}:{parent}" if parent else None,
                    name=comment.author,
                    created_at=created_at,
                    text=comment.text,
                )
            except ValueError as error:
                self.warn(str(error))
                continue
            self.report.counts["comments"] += 1

    def keep_record(self, site, post_id, title, status, essay):
        WordPressPost.objects.update_or_create(
            site=site, post_id=int(post_id), defaults=self.record_values(title, status, essay)
        )

    def record_values(self, title, status, essay):
        """The fields of the post's WordPressPost besides its site and id, with its problems."""
        return {
            "title": title[:300],
            "status": status,
            "page": essay,
            "problems": self.problems,
            **{kind: kind in self.kinds for kind in ("unreadable", "book_ambiguous", "image_missing")},
        }

    def field_values(self, post):
        def value(name):
            return " ".join(post.meta.get(self.fields[name], "").split())

        return value

    def essay_type_named(self, text):
        """The essay type "Yksilöessee / 2 esseepistettä." names, by its name or code."""
        name = text.split("/", 1)[0].strip(" .").casefold()
        if not name:
            return None
        for essay_type in self.essay_types():
            if name in (essay_type.name.casefold(), essay_type.code):
                return essay_type
        self.warn(_("unknown essay type %(type)r: left empty") % {"type": text})
        return None

    def books_of(self, post, field, meta, converted):
        table = converted.metadata.books if converted else []
        books = [{"title": title, "authors": authors} for title, authors in table]
        titles = [title for title in [field("book") or meta.get("book", "")] if title]
        authors = split_authors(field("book_author") or meta.get("book_authors", ""))
        books += [{"title": title, "authors": authors} for title in titles]
        return books

    def taxonomy(self, channel, post):
        """(category labels, tags): numbered categories as categories, their parents created; other
        categories, but WordPress's default one, as tags."""
        categories, tags = [], list(post.tags)
        for nicename, name in post.categories:
            chain = []
            while nicename and nicename not in chain:
                chain.append(nicename)
                nicename = channel.categories.get(nicename, ("", ""))[1]
            labels = [unescape(channel.categories.get(nick, (name, ""))[0] or name) for nick in chain]
            if NUMBERED.match(labels[0]):
                categories.append(labels[0])
                # The parents are created too, so that the category keeps its place in the tree.
                for parent in labels[1:]:
                    if NUMBERED.match(parent):
                        self.category(parent)
            elif labels[0].casefold() not in NO_CATEGORY:
                tags.append(labels[0])
        return list(dict.fromkeys(categories)), [unescape(tag) for tag in dict.fromkeys(tags)]

    def body(self, converted, post):
        if converted is None:
            return [("paragraph", RichText(f"<p>{escape(post.content)}</p>"))]
        blocks = []
        for block in converted.blocks:
            if isinstance(block, Image):
                blocks += self.image_block(block)
            elif block[0] == "paragraph":
                blocks.append(("paragraph", RichText(self.local_links(block[1].source))))
            else:
                blocks.append(block)
        return blocks

    def local_links(self, html):
        """Links to the bank's old addresses become addresses on this site, where redirects take them."""
        for site in self.old_sites:
            old_address = re.compile(rf'href="(?:https?:)?//{re.escape(site.netloc)}(/[^"]*)?"', re.IGNORECASE)
            html = old_address.sub(lambda match: f'href="{match.group(1) or "/"}"', html)
        return html

    def image_block(self, image):
        path = self.upload_path(image.src)
        text = image.caption or image.alt
        if path is None:
            self.warn(
                _("image %(src)s is not among the uploads: its text is kept") % {"src": image.src},
                kind="image_missing",
            )
            self.report.counts["images missing"] += 1
            return [("paragraph", RichText(f"<p>{escape(text)}</p>"))] if text else []
        stored = self.stored_image(path, image.alt or path.stem)
        return [("image", {"image": stored, "caption": image.caption})]

    def upload_path(self, src):
        if self.uploads is None or UPLOADS not in src:
            return None
        relative = src.split(UPLOADS, 1)[1].split("?", 1)[0]
        for candidate in (relative, SIZE_SUFFIX.sub("", relative)):
            path = (self.uploads / candidate).resolve()
            if path.is_file() and self.uploads.resolve() in path.parents:
                return path
        return None

    def stored_image(self, path, title):
        """The Wagtail image of this file, stored once however many posts or imports show it."""
        image_model = get_image_model()
        content = path.read_bytes()
        digest = hashlib.sha1(content).hexdigest()
        existing = image_model.objects.filter(file_hash=digest).first()
        if existing is not None:
            return existing
        with path.open("rb") as handle:
            image = image_model(title=title[:255], file=ImageFile(handle, name=path.name), file_hash=digest)
            image.save()
        self.report.counts["images"] += 1
        return image

    def redirect_paths(self, post, channel):
        """The paths of the post's link, guid and ?p= address, on the export's site and every old one."""
        prefixes = {urlsplit(channel.site_url or channel.link).path.rstrip("/")}
        prefixes |= {site.path.rstrip("/") for site in self.old_sites}
        addresses = {post.link, *(f"{prefix}/?p={post.id}" for prefix in prefixes)}
        if post.guid.startswith(("http://", "https://", "/")):
            addresses.add(post.guid)
        return {path for path in map(Redirect.normalise_path, addresses) if path and path != "/"}

    def redirect(self, essay, post, channel):
        """The post's link, guid and ?p= address, on the export's site and every old one, lead to the essay."""
        paths = self.redirect_paths(post, channel)
        # What update_or_create would do for each path, in a read and a write or two for all of them.
        existing = dict(Redirect.objects.filter(site=None, old_path__in=paths).values_list("old_path", "pk"))
        Redirect.objects.filter(pk__in=existing.values()).update(redirect_page=essay, is_permanent=True)
        created = Redirect.objects.bulk_create(
            check_fits(Redirect(old_path=path, site=None, redirect_page=essay, is_permanent=True))
            for path in sorted(paths - existing.keys())
        )
        self.batch.changed[Redirect].update([*existing.values(), *(redirect.pk for redirect in created)])
        self.report.counts["redirects"] += len(created)
