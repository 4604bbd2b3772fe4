"""Loads essays, book summaries, concepts, books and teams from JSON Lines.

Each line is imported in a transaction of its own: a bad line is reported with its number and
reason and rolled back, and every other line still goes in. Values are checked against their
fields before saving, so that no database truncates, refuses or silently keeps what another
would refuse.
"""

import datetime
import json
import re
from dataclasses import dataclass, field

from django.db import DatabaseError, models, transaction
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.html import escape
from django.utils.translation import gettext as _
from taggit.models import Tag
from wagtail.rich_text import RichText

from concepts.models import ConceptIndexPage, ConceptPage, ConceptRelation
from essaybank.site_structure import section
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
from finnish.names import normalize_name, slug_for

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
        name = str(model_field.verbose_name)
        if (
            isinstance(model_field, models.CharField)
            and model_field.max_length
            and len(value) > model_field.max_length
        ):
            raise RecordError(
                _("%(field)s is longer than %(maximum)d characters")
                % {"field": name, "maximum": model_field.max_length}
            )
        if isinstance(model_field, models.IntegerField) and not isinstance(model_field, models.AutoField):
            # The ranges PostgreSQL enforces; SQLite would store any number.
            low, high = BaseDatabaseOperations.integer_field_ranges[model_field.get_internal_type()]
            if not low <= value <= high:
                raise RecordError(_("%(field)s is out of range: %(value)r") % {"field": name, "value": value})
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


class Importer:
    def __init__(self, progress=None, progress_every=500):
        self.report = ImportReport()
        self.progress = progress
        self.progress_every = progress_every
        self.pending_concept_links = []

    def run(self, lines, total=None):
        number = 0
        for number, line in enumerate(lines, start=1):
            if line.strip():
                self.import_line(number, line)
            if self.progress and number % self.progress_every == 0:
                self.progress(number, total, self.report)
        self.link_concepts()
        if self.progress:
            self.progress(number, total, self.report)
        return self.report

    def import_line(self, number, line):
        try:
            record = self.parse_line(line)
            if not isinstance(record, dict):
                raise RecordError(_("a line must hold one JSON object"))
            check_strings(record)
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
            with transaction.atomic():
                importer(record, number)
        except RecordError as error:
            self.report.errors.append((number, str(error)))
        except DatabaseError as error:
            self.report.errors.append((number, _("the database refused the line: %(reason)s") % {"reason": error}))

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
        essay, created = self.page_for(record, EssayPage)
        essay.title = text(record, "title", required=True)
        essay.written = parse_date(record.get("written"), "written")
        if essay.written is None:
            raise RecordError(_("written is missing"))
        essay.language = text(record, "language") or EssayPage.Language.FINNISH
        if essay.language not in EssayPage.Language.values:
            raise RecordError(_("unknown language %(value)r") % {"value": essay.language})
        essay.visibility = text(record, "visibility") or EssayPage.Visibility.PUBLIC
        if essay.visibility not in EssayPage.Visibility.values:
            raise RecordError(_("unknown visibility %(value)r") % {"value": essay.visibility})
        essay.essay_type = self.essay_type(text(record, "essay_type"))
        essay.claimed_points = optional_int(record.get("points"), "points")
        essay.body = body_blocks(record.get("body") or "")
        essay.other_sources = [
            ("source", {"reference": ref, "url": ""}) for ref in string_list(record, "other_sources")
        ]
        authors = record.get("authors") or []
        if not isinstance(authors, list) or not authors:
            raise RecordError(_("authors is missing"))
        essay.essay_authors = [self.authorship(author) for author in authors]
        books = record.get("books") or []
        if not isinstance(books, list):
            raise RecordError(_("books must be a list"))
        essay.book_sources = [
            EssayBookSource(book=book) for book in (self.book(item) for item in books) if book is not None
        ]
        try:
            essay.categories = [Category.from_label(label) for label in string_list(record, "categories")]
        except ValueError as error:
            raise RecordError(str(error)) from None
        tags = [tag.casefold() for tag in string_list(record, "tags")]
        longest = Tag._meta.get_field("name").max_length
        if any(len(tag) > longest for tag in tags):
            raise RecordError(_("a tag is longer than %(maximum)d characters") % {"maximum": longest})
        essay.tags.set(tags)
        self.publish(essay, record, created, EssayIndexPage)

    def import_book_summary(self, record, number):
        summary, created = self.page_for(record, BookSummaryPage)
        summary.book = self.book(record.get("book"))
        if summary.book is None:
            raise RecordError(_("book is missing"))
        summary.title = text(record, "title") or _("Summary: %(title)s") % {"title": summary.book.title}
        author = record.get("author")
        summary.summary_author = self.authorship(author).person if author else None
        summary.written = parse_date(record.get("written"), "written")
        summary.body = body_blocks(record.get("body") or "")
        summary.key_insights = [("insight", insight) for insight in string_list(record, "key_insights")]
        self.publish(summary, record, created, BookSummaryIndexPage)

    def import_concept(self, record, number):
        concept, created = self.page_for(record, ConceptPage)
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
        concept.body = body_blocks(record.get("body") or "")
        links = {kind: string_list(record, kind) for kind in ConceptRelation.Kind.values}
        self.publish(concept, record, created, ConceptIndexPage)
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

    def page_for(self, record, model):
        """The page imported earlier under this record's id, or a new one."""
        external_id = text(record, "id", required=True)
        existing = ImportRecord.objects.filter(external_id=external_id).select_related("page").first()
        if existing is None:
            return model(), True
        page = existing.page.specific
        if not isinstance(page, model):
            raise RecordError(_("id %(id)r already belongs to another kind of page") % {"id": external_id})
        return page, False

    def publish(self, page, record, created, index_model):
        check_fits(page)
        if created:
            parent = index_model.objects.first() or section(index_model)
            page.slug = self.free_slug(parent, page.title)
            parent.add_child(instance=page)
            check_fits(ImportRecord(external_id=text(record, "id"), page=page)).save()
            self.report.created += 1
        else:
            self.report.updated += 1
        page.save_revision().publish()

    @staticmethod
    def free_slug(parent, title):
        base = slug_for(title)
        taken = set(parent.get_children().filter(slug__startswith=base).values_list("slug", flat=True))
        slug, number = base, 2
        while slug in taken:
            slug, number = f"{base}-{number}", number + 1
        return slug

    def essay_type(self, code):
        if not code:
            return None
        essay_type = EssayType.objects.filter(code=code).first()
        if essay_type is None:
            known = ", ".join(EssayType.objects.values_list("code", flat=True))
            raise RecordError(_("unknown essay type %(type)r (known: %(known)s)") % {"type": code, "known": known})
        return essay_type

    def team(self, name):
        if normalize_name(name) in NO_TEAM:
            return None
        team = Team.find(name)
        if team is None:
            team = check_fits(Team(name=name))
            team.save()
        return team

    def person(self, name, team=None, role=Person.Role.STUDENT):
        person = Person.find(name)
        if person is None:
            person = check_fits(Person(name=name, team=team, role=role))
            person.save()
            return person
        if (team and person.team_id is None) or (role == Person.Role.COACH and person.role != role):
            person.team = person.team or team
            person.role = role if role == Person.Role.COACH else person.role
            person.save()
        return person

    def authorship(self, author):
        if isinstance(author, str):
            author = {"name": author}
        if not isinstance(author, dict):
            raise RecordError(_("an author must be a name or an object with name and team"))
        name = text(author, "name", required=True)
        team = self.team(text(author, "team"))
        return EssayAuthor(person=self.person(name, team), team=team)

    def book(self, data, overwrite=False):
        """The catalogue's record of this book, created or completed from the data."""
        if isinstance(data, str):
            data = {"title": data}
        if not isinstance(data, dict):
            raise RecordError(_("a book must be a title or an object with a title"))
        title = text(data, "title")
        if title in NO_BOOK:
            return None
        book = Book.find(title) or Book(title=title)
        values = {
            "year": optional_int(data.get("year"), "year"),
            "publisher": text(data, "publisher"),
            "isbn": text(data, "isbn"),
            "pages": optional_int(data.get("pages"), "pages"),
            "points": optional_int(data.get("points"), "points"),
            "recommendation": optional_int(data.get("recommendation"), "recommendation", maximum=3),
            "category": text(data, "category"),
        }
        for name, value in values.items():
            if value not in (None, "") and (overwrite or getattr(book, name) in (None, "")):
                setattr(book, name, value)
        authors = string_list(data, "authors")
        if authors and (overwrite or not book.pk or not book.authors.exists()):
            book.authors = [check_fits(BookAuthor(name=name)) for name in authors]
        check_fits(book).save()
        return book
