"""Loads essays, book summaries, concepts, books and teams from JSON Lines, and what every
importer shares (BaseImporter): finding people, teams and books, saving essays.

Each line is imported in a transaction of its own: a bad line is reported with its number and
reason and rolled back, and every other line still goes in. Values are checked against their
fields before saving, so that no database truncates, refuses or silently keeps what another
would refuse.
"""

import contextlib
import datetime
import json
import re
from collections import Counter
from dataclasses import dataclass, field

from django.db import DatabaseError, models, reset_queries, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils import timezone
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag
from treebeard.exceptions import PathOverflow
from wagtail.blocks import StreamValue
from wagtail.log_actions import log
from wagtail.models import Page, Revision
from wagtail.rich_text import RichText
from wagtail.signals import page_published, published

from concepts.linking import analysed_words, stream_text
from concepts.models import ConceptIndexPage, ConceptPage, ConceptRelation
from essaybank.batch import ImportBatch, insert_pages
from essaybank.site_structure import section
from essaybank.workers import in_order
from essays.matching import BookMatcher
from essays.models import (
    Book,
    BookAuthor,
    BookSummaryIndexPage,
    BookSummaryPage,
    Category,
    EssayAuthor,
    EssayBookSource,
    EssayIndexPage,
    EssayPage,
    EssayType,
    ImportRecord,
    Person,
    Team,
)
from finnish.ahead import keep_all
from finnish.indexing import plain_text, text_analysis
from finnish.names import normalize_name, slug_for
from originality.fingerprints import body_text, signature

# Legacy banks use these where a team or a book is unknown.
NO_TEAM = {"", "-", "ei tiimiä", "ei tiimia"}
NO_BOOK = {"", "-", "–"}
FINNISH_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")
# A line holds one record; anything longer is not an essay but a mistake.
MAX_LINE_CHARACTERS = 1_000_000
SURROGATE = re.compile("[\ud800-\udfff]")


class RecordError(ValueError):
    """A record that cannot be imported; the message says why."""


@dataclass
class ImportReport:
    created: int = 0
    updated: int = 0
    errors: list = field(default_factory=list)
    # What needs an editor's eye but did not stop the record, such as a book that could be several.
    warnings: list = field(default_factory=list)
    # What is wrong outside any one record, such as an earlier import's records left unindexed.
    notices: list = field(default_factory=list)
    # Records created along the way: "people", "teams", "books", "books merged".
    counts: Counter = field(default_factory=Counter)
    # Items of the input (lines, posts) read so far whose chunk is committed: if the import stops,
    # everything before the next one is in the database.
    committed: int = 0

    @property
    def imported(self):
        return self.created + self.updated


def check_strings(record):
    """Every text in the record is storable: no null character, no half of a surrogate pair."""
    pending = [record]
    while pending:
        value = pending.pop()
        if isinstance(value, dict):
            pending.extend(value.keys())
            pending.extend(value.values())
        elif isinstance(value, list):
            pending.extend(value)
        elif isinstance(value, str):
            if "\x00" in value:
                raise RecordError(_("a text contains a null character"))
            if SURROGATE.search(value):
                raise RecordError(_("a text contains an invalid character (half of a surrogate pair)"))


def check_fits(instance):
    """Each text fits its field and each number its column, on every database."""
    for model_field in instance._meta.concrete_fields:
        value = getattr(instance, model_field.attname, None)
        if value is None:
            continue
        if (
            isinstance(model_field, models.CharField)
            and model_field.max_length
            and len(value) > model_field.max_length
        ):
            raise RecordError(
                _("%(field)s is longer than %(maximum)d characters")
                % {"field": str(model_field.verbose_name), "maximum": model_field.max_length}
            )
        if isinstance(model_field, models.IntegerField) and not isinstance(model_field, models.AutoField):
            # The ranges PostgreSQL enforces; SQLite would store any number.
            low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
            if not low <= value <= high:
                raise RecordError(
                    _("%(field)s is out of range: %(value)r")
                    % {"field": str(model_field.verbose_name), "value": value}
                )
    return instance


def parse_date(value, name):
    if not value:
        return None
    if not isinstance(value, str):
        raise RecordError(_("%(field)s is not a date: %(value)r") % {"field": name, "value": value})
    finnish = FINNISH_DATE.match(value.strip())
    try:
        if finnish:
            day, month, year = (int(part) for part in finnish.groups())
            return datetime.date(year, month, day)
        return datetime.date.fromisoformat(value.strip())
    except ValueError:
        raise RecordError(_("%(field)s is not a date: %(value)r") % {"field": name, "value": value}) from None


def optional_int(value, name, maximum=None):
    if value in (None, ""):
        return None
    if isinstance(value, bool) or not isinstance(value, int | str) or not str(value).strip().isdigit():
        raise RecordError(_("%(field)s is not a whole number: %(value)r") % {"field": name, "value": value})
    number = int(value)
    if maximum is not None and number > maximum:
        raise RecordError(
            _("%(field)s is over %(maximum)d: %(value)r") % {"field": name, "maximum": maximum, "value": value}
        )
    return number


def text(record, name, required=False):
    value = record.get(name)
    if value is None:
        value = ""
    if not isinstance(value, str):
        raise RecordError(_("%(field)s must be text") % {"field": name})
    value = value.replace("\u00ad", "").strip()
    if required and not value:
        raise RecordError(_("%(field)s is missing") % {"field": name})
    return value


def string_list(record, name):
    value = record.get(name) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise RecordError(_("%(field)s must be a list of texts") % {"field": name})
    return [item.strip() for item in value if item.strip()]


def body_blocks(body):
    """Stream blocks from plain text: blank lines separate paragraphs; "## " starts a
    heading, "> " a quotation, and a paragraph of "- " lines is a list."""
    if not isinstance(body, str):
        raise RecordError(_("body must be text"))
    blocks = []
    for chunk in re.split(r"\n\s*\n", body.replace("\r\n", "\n").replace("\u00ad", "")):
        chunk = chunk.strip()
        if not chunk:
            continue
        lines = [line.strip() for line in chunk.splitlines()]
        if chunk.startswith("## "):
            blocks.append(("heading", {"text": chunk[3:].strip(), "level": "h2"}))
        elif chunk.startswith("> "):
            quote = " ".join(line.removeprefix(">").strip() for line in lines)
            blocks.append(("quote", {"quote": quote, "attribution": ""}))
        elif all(line.startswith("- ") for line in lines):
            blocks.append(("bullet_list", [line[2:].strip() for line in lines]))
        else:
            blocks.append(("paragraph", RichText(f"<p>{escape(' '.join(lines))}</p>")))
    return blocks


def made_ahead(model, blocks, title=""):
    """The analyses of the body `blocks` make on a page of `model` that the end of the chunk will
    need, made where the blocks are (an import's worker), as finnish.ahead.keep_all takes them:
    the search index's, and for an essay its concept links' and its originality signature's; and
    the search index's of the page's title, if given. `blocks` None: the title's only."""
    made = [(text_analysis, *text_analysis.make(title))] if title else []
    if blocks is None:
        return made
    stream_block = model._meta.get_field("body").stream_block
    # The body as the end of the chunk reads it back from the database; no block of it reads the database.
    body = stream_block.to_python(stream_block.get_prep_value(StreamValue(stream_block, blocks)))
    made += [(text_analysis, *text_analysis.make(plain_text(body)))]
    if issubclass(model, EssayPage):
        made += [
            (analysed_words, *analysed_words.make(stream_text(body))),
            (signature, *signature.make(body_text(body))),
        ]
    return made


@dataclass
class ReadLine:
    """What of a JSON Lines line needs no database (read_line), for Importer.import_line."""

    record: object = None
    # Why the line holds no record; raised where import_line would have found it.
    error: RecordError | None = None
    body: list | None = None  # body_blocks of the record's body
    body_error: RecordError | None = None
    made: list = field(default_factory=list)  # made_ahead of an essay's title and body


def read_line(item):
    """The ReadLine of a (number, line) pair: the line parsed and checked, its body's blocks and
    analysis made; errors are returned, for import_line to report as it would have found them."""
    _number, line = item
    if not line.strip():
        return None
    try:
        record = Importer.parse_line(line)
        if not isinstance(record, dict):
            raise RecordError(_("a line must hold one JSON object"))
        check_strings(record)
    except RecordError as error:
        return ReadLine(error=error)
    read = ReadLine(record=record)
    try:
        read.body = body_blocks(record.get("body") or "")
    except RecordError as error:
        read.body_error = error
        return read
    if record.get("kind", "essay") == "essay":
        title = record.get("title")
        read.made = made_ahead(EssayPage, read.body, text(record, "title") if isinstance(title, str) else "")
    return read


@dataclass
class EssayData:
    """An essay as an importer read it, before people, books and categories are looked up."""

    title: str
    written: datetime.date
    authors: list  # {"name", "team"} dicts or names
    body: list  # StreamField blocks
    language: str = EssayPage.Language.FINNISH
    visibility: str = EssayPage.Visibility.PUBLIC
    essay_type: EssayType | None = None
    points: int | None = None
    books: list = field(default_factory=list)  # titles or {"title", "authors", …} dicts
    other_sources: list = field(default_factory=list)
    categories: list = field(default_factory=list)  # labels such as "2.2. Tiimityön taidot"
    tags: list = field(default_factory=list)
    live: bool = True


@dataclass
class NewPage:
    """A page made by an import, written with the others of its chunk (BaseImporter.create_new_pages)."""

    key: str
    page: Page
    parent: Page
    live: bool
    # What the record does once the page has an id, such as its redirects.
    after: list = field(default_factory=list)


class BaseImporter:
    """What every importer does alike: people, teams, books, categories and essays are found or
    created the same way, pages saved and published the same way, and the saves of each chunk of
    records indexed, linked and recognised once (essaybank.batch)."""

    chunk_size = 200
    # Pages of these models made by the import are written together at the end of their chunk.
    written_in_bulk = (EssayPage,)

    def __init__(self, progress=None, progress_every=500):
        self.report = ImportReport()
        self.progress = progress
        self.progress_every = progress_every
        self.batch = ImportBatch()
        # Parents given children since their number was last stored.
        self._grown = {}
        # The essays this chunk creates, by import id, written together at its end.
        self._new_pages = {}
        # Every import id the database may hold (read once, ids given out since added): an id not
        # among them is new without a query.
        self._import_ids = None
        self.forget()

    def forget(self):
        """Drop what this import remembers of the database: after a rolled-back record it may be gone."""
        self._people, self._teams, self._types, self._categories, self._books = {}, {}, None, {}, None
        self._last_paths, self._parents, self._slugs, self._tags = {}, {}, {}, None
        self._names, self._record_slugs = {}, {}

    def index_marked(self):
        """Index what an interrupted import left unindexed; if that fails, say so and import the rest."""
        try:
            self.batch.index_marked()
        except DatabaseError as error:
            self.report.notices.append(
                _(
                    "records an earlier import left without their search index could not be indexed "
                    "(%(error)s): they stay marked for the next import; update_index also indexes them"
                )
                % {"error": error}
            )

    def in_chunks(self, items):
        """Each item, with the saves of each chunk_size of them in one transaction, flushed at its end.

        A record that fails is rolled back to its own savepoint by the caller (record()).
        """
        with self.batch.deferred():
            self.index_marked()
            iterator = iter(items)
            while True:
                with self.batch.chunk():
                    count = 0
                    for item in iterator:
                        yield item
                        count += 1
                        if count == self.chunk_size:
                            break
                    self.create_new_pages()
                    self.count_children()
                    self.before_flush()
                    self.batch.flush()
                self.report.committed += count
                # With DEBUG on Django keeps the last 9 000 statements, a chunk's bulk inserts megabytes each.
                reset_queries()
                if count < self.chunk_size:
                    return

    def before_flush(self):
        """Work an importer leaves to the end of a chunk."""

    @contextlib.contextmanager
    def record(self, key=None):
        """One record, imported under `key`, in a savepoint of its own; on failure what this import
        remembers is dropped, with the page it made. A page made earlier in the chunk under the
        same key is written first, outside the savepoint, for the record to update."""
        if key in self._new_pages:
            self.create_new_pages()
        made_before = set(self._new_pages)
        try:
            with transaction.atomic():
                yield
        except (RecordError, DatabaseError):
            for made in set(self._new_pages) - made_before:
                del self._new_pages[made]
            self.forget()
            raise

    def record_failed(self, error):
        """Report a record that failed after its page was written (in an action of after_writing)."""
        raise error

    # Essays

    def save_essay(self, key, data, slug=""):
        """Create or update the essay imported under `key`; returns (page, created)."""
        essay, created = self.page_for(key, EssayPage)
        essay.title = data.title
        essay.written = data.written
        essay.language = data.language
        essay.visibility = data.visibility
        essay.essay_type = data.essay_type
        essay.claimed_points = data.points
        essay.body = data.body
        essay.other_sources = [("source", {"reference": ref, "url": ""}) for ref in data.other_sources]
        essay.essay_authors = [self.authorship(author) for author in data.authors]
        books = [self.book(item) for item in data.books]
        essay.book_sources = [EssayBookSource(book=book) for book in dict.fromkeys(books) if book is not None]
        essay.categories = [self.category(label) for label in data.categories]
        tags = list(dict.fromkeys(tag.casefold() for tag in data.tags))
        longest = Tag._meta.get_field("name").max_length
        if any(len(tag) > longest for tag in tags):
            raise RecordError(_("a tag is longer than %(maximum)d characters") % {"maximum": longest})
        # Given as rows, which taggit does not look up: the tags are read once per import, and a new
        # one is created as taggit would create it.
        known = self.tags()
        for tag in tags:
            if tag not in known:
                known[tag] = Tag.objects.create(name=tag)
        essay.tags.set([known[tag] for tag in tags])
        self.publish(essay, key, created, EssayIndexPage, live=data.live, slug=slug)
        return essay, created

    def tags(self):
        """{name: tag} of every tag, read once per import (and again after a failed record), with
        those the import has created since."""
        if self._tags is None:
            self._tags = {tag.name: tag for tag in Tag.objects.all()}
        return self._tags

    def page_for(self, external_id, model):
        """The page imported earlier under this id, or a new one."""
        if external_id in self._new_pages:
            raise RuntimeError(f"{external_id} is imported again in its chunk: record() must be given its key")
        if self._import_ids is None:
            self._import_ids = set(ImportRecord.objects.values_list("external_id", flat=True))
        if external_id not in self._import_ids:
            self._import_ids.add(external_id)
            return model(), True
        try:
            # Not first(): its ORDER BY id can make SQLite walk the table instead of the id's index.
            existing = ImportRecord.objects.select_related("page").get(external_id=external_id)
        except ImportRecord.DoesNotExist:
            return model(), True
        page = existing.page.specific
        if not isinstance(page, model):
            raise RecordError(_("id %(id)r already belongs to another kind of page") % {"id": external_id})
        return page, False

    def publish(self, page, external_id, created, index_model, live=True, slug=""):
        check_fits(page)
        if created:
            parent = self.parent_page(index_model)
            page.slug = self.free_slug(parent, slug or page.title)
            if isinstance(page, self.written_in_bulk):
                self.place(parent, page, live)
                check_fits(ImportRecord(external_id=external_id, page=page))
                self._new_pages[external_id] = NewPage(external_id, page, parent, live)
            else:
                self.create_page(parent, page, live)
                check_fits(ImportRecord(external_id=external_id, page=page)).save()
            self.report.created += 1
            return
        self.report.updated += 1
        revision = page.save_revision()
        if live:
            revision.publish()
        elif page.live:
            page.unpublish()

    def parent_page(self, index_model):
        if index_model not in self._parents:
            self._parents[index_model] = index_model.objects.first() or section(index_model)
        return self._parents[index_model]

    def after_writing(self, page, action):
        """Call action() once the page is written: now, or after the chunk's new pages are."""
        new_page = self.unwritten(page)
        if new_page is None:
            action()
        else:
            new_page.after.append(action)

    def unwritten(self, page):
        """The page's NewPage while it waits for the end of its chunk, else None."""
        return next((new_page for new_page in self._new_pages.values() if new_page.page is page), None)

    def create_new_pages(self):
        """Write the essays made in this chunk (essaybank.batch.insert_pages) and their import
        records, send the signals publishing sends, then do what each record left for after."""
        new_pages = list(self._new_pages.values())
        self._new_pages = {}
        if not new_pages:
            return
        revisions = insert_pages([(new.page, new.parent, new.live) for new in new_pages])
        ImportRecord.objects.bulk_create(ImportRecord(external_id=new.key, page=new.page) for new in new_pages)
        self.batch.created(new.page for new in new_pages)
        for new, revision in zip(new_pages, revisions, strict=True):
            if new.live:
                page_published.send(sender=type(new.page), instance=new.page, revision=revision)
                published.send(sender=type(new.page), instance=new.page, revision=revision)
        self.after_new_pages(new_pages)
        for new in new_pages:
            for action in new.after:
                try:
                    with transaction.atomic():
                        action()
                except (RecordError, DatabaseError) as error:
                    # As the record's own savepoint would have, the page goes with what failed.
                    self.forget()
                    new.page.delete()
                    self.report.created -= 1
                    self.record_failed(error)

    def after_new_pages(self, new_pages):
        """Work of the chunk's records that needs their pages' ids, done for all of them at once
        before each page's own `after` actions; what it cannot do it leaves there."""

    def place(self, parent, page, live):
        """The page's place in the tree as add_child would give it: the tree path comes from the
        last one given out, the parent's count of children is set once per chunk (count_children)."""
        page.depth = parent.depth + 1
        page.path = self.next_path(parent)
        page.numchild = 0
        page.locale_id = parent.locale_id
        page.draft_title = page.title
        page.live = live

    def create_page(self, parent, page, live):
        """What parent.add_child(instance=page), page.save_revision() and, for a live page,
        revision.publish() leave behind (the page, its first revision, the log entries and the
        signals), in one insert of each row."""
        self.place(parent, page, live)
        page.has_unpublished_changes = False
        # Page.save looks the parent up for the page's url_path; it is this one.
        page._cached_parent_obj = parent
        page.save(clean=False)
        revision = Revision.objects.create(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            content=page.serializable_data(),
            object_str=str(page),
        )
        page.latest_revision = revision
        page.latest_revision_created_at = revision.created_at
        page.has_unpublished_changes = not live
        if live:
            page.live_revision = revision
            page.first_published_at = page.last_published_at = timezone.now()
        Page.objects.filter(pk=page.pk).update(
            latest_revision=revision,
            latest_revision_created_at=revision.created_at,
            has_unpublished_changes=page.has_unpublished_changes,
            live_revision=page.live_revision,
            first_published_at=page.first_published_at,
            last_published_at=page.last_published_at,
        )
        if live:
            log(instance=page, action="wagtail.publish", revision=revision, content_changed=True)
            page_published.send(sender=type(page), instance=page, revision=revision)
            published.send(sender=type(page), instance=page, revision=revision)

    def next_path(self, parent):
        """The tree path of the parent's next child, as treebeard's add_child would choose it."""
        last = self._last_paths.get(parent.pk)
        if last is None:
            stored = Page.objects.child_of(parent).order_by("-path").values_list("path", flat=True).first()
            made = [new.page.path for new in self._new_pages.values() if new.parent.pk == parent.pk]
            last = max([*made, stored or ""]) or None
        # Treebeard's _inc_path, without constructing a page to call it on: a page's constructor costs more.
        step = Page._str2int(last[-Page.steplen :]) + 1 if last else 1
        path = Page._get_path(parent.path, parent.depth + 1, step)
        if len(path) != len(parent.path) + Page.steplen:
            raise PathOverflow(f"Path Overflow from: '{last}'")
        self._last_paths[parent.pk] = path
        self._grown[parent.pk] = parent
        return path

    def count_children(self):
        """Each parent given new children in this chunk has their number stored, as add_child keeps it."""
        for parent in self._grown.values():
            Page.objects.filter(pk=parent.pk).update(numchild=Page.objects.child_of(parent).count())
        self._grown = {}

    def free_slug(self, parent, title):
        """The title's slug, numbered if the parent has a child of that slug already."""
        taken = self._slugs.get(parent.pk)
        if taken is None:
            # Not parent.get_children(): it trusts numchild, which is updated only per chunk.
            taken = set(Page.objects.child_of(parent).values_list("slug", flat=True))
            taken |= {new.page.slug for new in self._new_pages.values() if new.parent.pk == parent.pk}
            self._slugs[parent.pk] = taken
        base = slug_for(title)
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        taken.add(slug)
        return slug

    # The catalogue: essay types, categories, teams, people and books

    def essay_types(self):
        if self._types is None:
            self._types = list(EssayType.objects.all())
        return self._types

    def essay_type(self, code):
        if not code:
            return None
        for essay_type in self.essay_types():
            if essay_type.code == code:
                return essay_type
        known = ", ".join(essay_type.code for essay_type in self.essay_types())
        raise RecordError(_("unknown essay type %(type)r (known: %(known)s)") % {"type": code, "known": known})

    def category(self, label):
        if label not in self._categories:
            try:
                self._categories[label] = Category.from_label(label)
            except ValueError as error:
                raise RecordError(str(error)) from None
        return self._categories[label]

    def team(self, name):
        key = normalize_name(name)
        if key in NO_TEAM:
            return None
        if key not in self._teams:
            team = Team.find(name) if self.named(Team, key) else None
            if team is None:
                team = check_fits(Team(name=name))
                self.save_new(team)
                self.report.counts["teams"] += 1
            self._teams[key] = team
        return self._teams[key]

    def named(self, model, key):
        """Whether a record of the model had this normalised name when the import looked (a name
        alone per record, read once): a new name needs no query to be found missing."""
        if model not in self._names:
            self._names[model] = set(model.objects.values_list("normalized_name", flat=True))
        return key in self._names[model]

    def save_new(self, record):
        """Save a new person, team or book, its slug found among its model's slugs read once."""
        model = type(record)
        if model not in self._record_slugs:
            self._record_slugs[model] = set(model.objects.values_list("slug", flat=True))
        record.give_free_slug(self._record_slugs[model])
        record.save()

    def person(self, name, team=None, role=Person.Role.STUDENT):
        key = normalize_name(name)
        person = self._people.get(key) or (Person.find(name) if self.named(Person, key) else None)
        if person is None:
            person = check_fits(Person(name=name, team=team, role=role))
            self.save_new(person)
            self.report.counts["people"] += 1
        elif (team and person.team_id is None) or (role == Person.Role.COACH and person.role != role):
            person.team = person.team or team
            person.role = role if role == Person.Role.COACH else person.role
            person.save()
        self._people[key] = person
        return person

    def authorship(self, author):
        if isinstance(author, str):
            author = {"name": author}
        if not isinstance(author, dict):
            raise RecordError(_("an author must be a name or an object with name and team"))
        name = text(author, "name", required=True)
        team = self.team(text(author, "team"))
        authorship = EssayAuthor(person=self.person(name, team), team=team)
        if team is None:
            # What EssayAuthor.save does, for the rows written in bulk without it.
            authorship.team_id = authorship.person.team_id
        return authorship

    def book_matcher(self):
        if self._books is None:
            self._books = BookMatcher(Book.objects.prefetch_related("authors"))
        return self._books

    def book(self, data, overwrite=False):
        """The catalogue's record of this book, created or completed from the data; None for a
        placeholder or a title that could be several books (listed in the report's warnings)."""
        if isinstance(data, str):
            data = {"title": data}
        if not isinstance(data, dict):
            raise RecordError(_("a book must be a title or an object with a title"))
        title = text(data, "title")
        if title in NO_BOOK:
            return None
        authors = string_list(data, "authors")
        match = self.book_matcher().match(title, authors)
        if match.ambiguous:
            self.book_is_ambiguous(title, match.candidates)
            return None
        book = match.book or Book(title=title)
        if match.book is not None and normalize_name(match.book.title) != normalize_name(title):
            self.report.counts["books merged"] += 1
        values = {
            "year": optional_int(data.get("year"), "year"),
            "publisher": text(data, "publisher"),
            "isbn": text(data, "isbn"),
            "pages": optional_int(data.get("pages"), "pages"),
            "points": optional_int(data.get("points"), "points"),
            "recommendation": optional_int(data.get("recommendation"), "recommendation", maximum=3),
            "category": text(data, "category"),
        }
        changed = book.pk is None
        for name, value in values.items():
            if value not in (None, "") and (overwrite or getattr(book, name) in (None, "")):
                changed = changed or getattr(book, name) != value
                setattr(book, name, value)
        if authors and (overwrite or not book.pk or not book.author_names()):
            changed = changed or book.author_names() != authors
            book.authors = [check_fits(BookAuthor(name=name)) for name in authors]
        if changed:
            created = book.pk is None
            book_authors = list(book.authors.all())
            if created:
                # A new book's authors go in one insert: modelcluster would look for stored ones and
                # insert them one by one.
                getattr(book, "_cluster_related_objects", {}).pop("authors", None)
                self.save_new(check_fits(book))
                for author in book_authors:
                    author.book = book
                BookAuthor.objects.bulk_create(book_authors)
            else:
                check_fits(book).save()
            # Once saved, modelcluster reads the authors from the database on every later look; the
            # essays citing the book ask for them, and they are these.
            book.authors = book_authors
            self.book_matcher().add(book)
            if created:
                self.report.counts["books"] += 1
        return book

    def book_is_ambiguous(self, title, candidates):
        self.warn(
            _("book %(title)r could be any of %(books)s: not linked, for an editor to decide")
            % {"title": title, "books": ", ".join(sorted(repr(book.title) for book in candidates))}
        )

    def warn(self, message):
        """Something for an editor to look at in the record being imported."""
        self.report.warnings.append(message)


class Importer(BaseImporter):
    """The JSON Lines importer (import_essays, load_demo)."""

    def __init__(self, progress=None, progress_every=500, workers=0):
        super().__init__(progress, progress_every)
        self.pending_concept_links = []
        self.line_number = 0
        # Processes reading lines beside this one (essaybank.workers); 0 reads them here.
        self.workers = workers
        self._read = None

    def run(self, lines, total=None):
        number = 0
        read_lines = in_order(read_line, enumerate(lines, start=1), self.workers)
        for (number, line), read in self.in_chunks(read_lines):
            if read is not None:
                self.import_line(number, line, read)
            if self.progress and number % self.progress_every == 0:
                self.progress(number, total, self.report)
        with self.batch.deferred(), transaction.atomic():
            self.link_concepts()
            self.batch.flush()
        if self.progress:
            self.progress(number, total, self.report)
        return self.report

    def import_line(self, number, line, read=None):
        """Import one line; `read` is its read_line, made here if not given."""
        self.line_number = number
        self._read = read = read or read_line((number, line))
        if read is None:
            return
        keep_all(read.made)
        try:
            if read.error is not None:
                raise read.error
            record = read.record
            kind = record.get("kind", "essay")
            importer = (
                {
                    "essay": self.import_essay,
                    "book_summary": self.import_book_summary,
                    "concept": self.import_concept,
                    "book": self.import_book,
                    "team": self.import_team,
                }.get(kind)
                if isinstance(kind, str)
                else None
            )
            if importer is None:
                raise RecordError(_("unknown kind %(kind)r") % {"kind": kind})
            key = record.get("id")
            with self.record(text(record, "id") if isinstance(key, str) else None):
                importer(record, number)
        except RecordError as error:
            self.report.errors.append((number, str(error)))
        except DatabaseError as error:
            self.report.errors.append((number, _("the database refused the line: %(reason)s") % {"reason": error}))

    def warn(self, message):
        self.report.warnings.append((self.line_number, message))

    @staticmethod
    def parse_line(line):
        if isinstance(line, bytes):
            try:
                line = line.decode("utf-8")
            except UnicodeDecodeError as error:
                raise RecordError(_("not UTF-8 text (byte %(position)d)") % {"position": error.start + 1}) from None
        if len(line) > MAX_LINE_CHARACTERS:
            raise RecordError(_("the line is longer than %(maximum)d characters") % {"maximum": MAX_LINE_CHARACTERS})
        try:
            return json.loads(line)
        except json.JSONDecodeError as error:
            raise RecordError(_("invalid JSON: %(reason)s") % {"reason": error.msg}) from None
        except RecursionError:
            raise RecordError(_("invalid JSON: nested too deep")) from None

    def body_blocks(self, record):
        """body_blocks of the record's body, as read_line made them."""
        if self._read is None or self._read.record is not record:
            return body_blocks(record.get("body") or "")
        if self._read.body_error is not None:
            raise self._read.body_error
        return self._read.body

    def import_team(self, record, number):
        name = text(record, "name", required=True)
        team = self.team(name)
        coach_name = text(record, "coach")
        if coach_name:
            team.coach = self.person(coach_name, role=Person.Role.COACH)
        team.start_year = optional_int(record.get("start_year"), "start_year") or team.start_year
        check_fits(team).save()
        self.report.updated += 1

    def import_book(self, record, number):
        self.book(record, overwrite=True)
        self.report.updated += 1

    def import_essay(self, record, number):
        written = parse_date(record.get("written"), "written")
        if written is None:
            raise RecordError(_("written is missing"))
        language = text(record, "language") or EssayPage.Language.FINNISH
        if language not in EssayPage.Language.values:
            raise RecordError(_("unknown language %(value)r") % {"value": language})
        visibility = text(record, "visibility") or EssayPage.Visibility.PUBLIC
        if visibility not in EssayPage.Visibility.values:
            raise RecordError(_("unknown visibility %(value)r") % {"value": visibility})
        authors = record.get("authors") or []
        if not isinstance(authors, list) or not authors:
            raise RecordError(_("authors is missing"))
        books = record.get("books") or []
        if not isinstance(books, list):
            raise RecordError(_("books must be a list"))
        data = EssayData(
            title=text(record, "title", required=True),
            written=written,
            language=language,
            visibility=visibility,
            essay_type=self.essay_type(text(record, "essay_type")),
            points=optional_int(record.get("points"), "points"),
            body=self.body_blocks(record),
            other_sources=string_list(record, "other_sources"),
            authors=authors,
            books=books,
            categories=string_list(record, "categories"),
            tags=string_list(record, "tags"),
        )
        self.save_essay(text(record, "id", required=True), data)

    def import_book_summary(self, record, number):
        external_id = text(record, "id", required=True)
        summary, created = self.page_for(external_id, BookSummaryPage)
        summary.book = self.book(record.get("book"))
        if summary.book is None:
            raise RecordError(_("book is missing"))
        summary.title = text(record, "title") or _("Summary: %(title)s") % {"title": summary.book.title}
        author = record.get("author")
        summary.summary_author = self.authorship(author).person if author else None
        summary.written = parse_date(record.get("written"), "written")
        summary.body = self.body_blocks(record)
        summary.key_insights = [("insight", insight) for insight in string_list(record, "key_insights")]
        self.publish(summary, external_id, created, BookSummaryIndexPage)

    def import_concept(self, record, number):
        external_id = text(record, "id", required=True)
        concept, created = self.page_for(external_id, ConceptPage)
        concept.title = text(record, "term", required=True)
        concept.english_term = text(record, "english_term")
        concept.synonyms = "\n".join(string_list(record, "synonyms"))
        concept.definition = text(record, "definition")
        source = record.get("source") or {}
        if isinstance(source, str):
            source = {"book": source}
        if not isinstance(source, dict):
            raise RecordError(_("source must be an object with book and page"))
        concept.definition_book = self.book(source.get("book")) if source.get("book") else None
        concept.definition_page = str(source.get("page") or "")
        concept.body = self.body_blocks(record)
        links = {kind: string_list(record, kind) for kind in ConceptRelation.Kind.values}
        self.publish(concept, external_id, created, ConceptIndexPage)
        self.pending_concept_links.append((number, concept, links))

    def link_concepts(self):
        """Concept links may point to concepts later in the file, so they are made last."""
        concepts = {normalize_name(page.title): page for page in ConceptPage.objects.all()}
        for number, concept, links in self.pending_concept_links:
            relations = []
            for kind, terms in links.items():
                for term in terms:
                    target = concepts.get(normalize_name(term))
                    if target is None:
                        self.report.errors.append(
                            (number, _("linked concept %(term)r does not exist") % {"term": term})
                        )
                    elif target.pk != concept.pk:
                        relations.append(ConceptRelation(kind=kind, target=target))
            concept.relations = relations
            concept.save_revision().publish()
        self.pending_concept_links = []
