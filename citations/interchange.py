"""Reads and writes sources as BibTeX, RIS and CSL-JSON.

Every reader returns CSL-JSON items and a list of (entry, reason) for the entries it could
not read; the readable entries are kept whatever happens to the others.
"""

import json
import re
from dataclasses import dataclass, field

import bibtexparser
import rispy
from bibtexparser import middlewares
from bibtexparser.model import Entry, Field
from django.db import transaction
from django.utils.translation import gettext as _

from .models import Source, identity_keys, name_line, normalize_isbn, split_name

FORMATS = {"bibtex": ".bib", "ris": ".ris", "csl-json": ".json"}
MEDIA_TYPES = {
    "bibtex": "application/x-bibtex",
    "ris": "application/x-research-info-systems",
    "csl-json": "application/json",
}

BIBTEX_TYPES = {
    "book": "book",
    "inbook": "chapter",
    "incollection": "chapter",
    "article": "article-journal",
    "phdthesis": "thesis",
    "mastersthesis": "thesis",
    "thesis": "thesis",
    "techreport": "report",
    "report": "report",
    "online": "webpage",
    "misc": "webpage",
    "inproceedings": "chapter",
}
BIBTEX_FROM_CSL = {
    "book": "book",
    "chapter": "incollection",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "thesis": "mastersthesis",
    "report": "techreport",
    "webpage": "misc",
}
RIS_TYPES = {
    "BOOK": "book",
    "CHAP": "chapter",
    "JOUR": "article-journal",
    "MGZN": "article-magazine",
    "NEWS": "article-newspaper",
    "THES": "thesis",
    "RPRT": "report",
    "ELEC": "webpage",
    "WEB": "webpage",
}
RIS_FROM_CSL = {value: key for key, value in reversed(RIS_TYPES.items())}
CSL_FIELDS = {
    "title",
    "publisher",
    "publisher-place",
    "container-title",
    "volume",
    "issue",
    "page",
    "edition",
    "genre",
    "URL",
    "DOI",
    "ISBN",
}
YEAR = re.compile(r"(1[5-9]\d\d|20\d\d)")


class EntryError(ValueError):
    pass


def year_of(value):
    if value in (None, ""):
        return None
    match = YEAR.search(str(value))
    if not match:
        raise EntryError(_("year %(value)r is not a year") % {"value": value})
    return int(match.group())


def issued(year):
    return {"issued": {"date-parts": [[year]]}} if year else {}


def csl_year(item):
    return ((item.get("issued") or {}).get("date-parts") or [[None]])[0][0]


def finish(item):
    """Checks an item read from a file; the reason is given when it is unusable."""
    if not (item.get("title") or "").strip():
        raise EntryError(_("no title"))
    item["title"] = " ".join(item["title"].split())
    return item


# BibTeX


def read_bibtex(text):
    library = bibtexparser.parse_string(
        text,
        append_middleware=[
            middlewares.LatexDecodingMiddleware(),
            middlewares.SeparateCoAuthors(),
            middlewares.SplitNameParts(),
        ],
    )
    items, errors = [], []
    for block in library.failed_blocks:
        label = _("entry on line %(line)d") % {"line": block.start_line + 1}
        errors.append((label, str(getattr(block, "error", "")) or _("not valid BibTeX")))
    for entry in library.entries:
        label = entry.key or _("entry on line %(line)d") % {"line": entry.start_line + 1}
        try:
            items.append(finish(bibtex_entry_to_csl(entry)))
        except EntryError as error:
            errors.append((label, str(error)))
    return items, errors


def bibtex_names(value):
    names = []
    for parts in value if isinstance(value, list) else []:
        if isinstance(parts, str):
            name = split_name(parts)
        else:
            family = " ".join([*parts.von, *parts.last]).strip("{} ")
            given = " ".join(parts.first).strip("{} ")
            name = {"family": family, "given": given} if given else {"literal": family}
        if name:
            names.append(name)
    return names


def bibtex_entry_to_csl(entry):
    fields = {key.lower(): value.value for key, value in entry.fields_dict.items()}
    kind = BIBTEX_TYPES.get(entry.entry_type.lower(), "book")
    item = {"type": kind, "title": fields.get("title", "")}
    if authors := bibtex_names(fields.get("author")):
        item["author"] = authors
    if editors := bibtex_names(fields.get("editor")):
        item["editor"] = editors
    item.update(issued(year_of(fields.get("year") or fields.get("date"))))
    container = fields.get("booktitle") or fields.get("journal") or fields.get("journaltitle")
    values = {
        "publisher": fields.get("publisher") or fields.get("school") or fields.get("institution"),
        "publisher-place": fields.get("address") or fields.get("location"),
        "container-title": container,
        "volume": fields.get("volume"),
        "issue": fields.get("number"),
        "page": (fields.get("pages") or "").replace("--", "–"),
        "edition": fields.get("edition"),
        "genre": fields.get("type"),
        "URL": fields.get("url"),
        "DOI": fields.get("doi"),
        "ISBN": fields.get("isbn"),
    }
    item.update({key: str(value).strip() for key, value in values.items() if value})
    return item


def write_bibtex(items):
    library = bibtexparser.Library()
    used = set()
    for item in items:
        key = citation_key(item, used)
        fields = [Field("title", item.get("title", ""))]
        for role in ("author", "editor"):
            if item.get(role):
                names = " and ".join(
                    f"{{{name['literal']}}}" if "literal" in name else name_line(name) for name in item[role]
                )
                fields.append(Field(role, names))
        if year := csl_year(item):
            fields.append(Field("year", str(year)))
        container_field = "journal" if item["type"].startswith("article") else "booktitle"
        mapping = {
            "publisher": "publisher",
            "publisher-place": "address",
            "container-title": container_field,
            "volume": "volume",
            "issue": "number",
            "page": "pages",
            "edition": "edition",
            "genre": "type",
            "URL": "url",
            "DOI": "doi",
            "ISBN": "isbn",
        }
        for csl_name, bibtex_name in mapping.items():
            if item.get(csl_name):
                value = str(item[csl_name])
                fields.append(Field(bibtex_name, value.replace("–", "--") if csl_name == "page" else value))
        library.add(Entry(BIBTEX_FROM_CSL.get(item["type"], "misc"), key, fields))
    return bibtexparser.write_string(library)


def citation_key(item, used):
    names = item.get("author") or [{"family": "anon"}]
    first = names[0].get("family") or names[0].get("literal") or "anon"
    base = re.sub(r"\W", "", first.casefold()) + str(csl_year(item) or "")
    key, number = base or "source", 2
    while key in used:
        key, number = f"{base}-{number}", number + 1
    used.add(key)
    return key


# RIS


def read_ris(text):
    items, errors = [], []
    records = re.split(r"(?m)^ER  -.*$", text.replace("\r\n", "\n"))
    for number, record in enumerate(records, start=1):
        if not record.strip():
            continue
        label = _("record %(number)d") % {"number": number}
        try:
            parsed = rispy.loads(record.strip() + "\nER  - \n")
            if len(parsed) != 1:
                raise EntryError(_("not a RIS record (no TY line)"))
            items.append(finish(ris_record_to_csl(parsed[0])))
        except EntryError as error:
            errors.append((label, str(error)))
        except Exception as error:  # noqa: BLE001 - rispy raises bare errors on malformed records
            errors.append((label, _("not valid RIS: %(reason)s") % {"reason": error}))
    return items, errors


def ris_record_to_csl(record):
    kind = RIS_TYPES.get(record.get("type_of_reference", ""), "book")
    title = record.get("title") or record.get("primary_title") or ""
    item = {"type": kind, "title": title}
    authors = [split_name(name) for name in record.get("authors", []) + record.get("first_authors", [])]
    if authors := [name for name in authors if name]:
        item["author"] = authors
    if editors := [name for name in (split_name(n) for n in record.get("secondary_authors", [])) if name]:
        if kind == "chapter":
            item["editor"] = editors
    item.update(issued(year_of(record.get("year") or record.get("publication_year") or record.get("date"))))
    start, end = record.get("start_page"), record.get("end_page")
    values = {
        "publisher": record.get("publisher"),
        "publisher-place": record.get("place_published"),
        "container-title": record.get("secondary_title") or record.get("journal_name"),
        "volume": record.get("volume"),
        "issue": record.get("number"),
        "page": f"{start}–{end}" if start and end else start,
        "edition": record.get("edition"),
        "URL": (record.get("urls") or [None])[0] if isinstance(record.get("urls"), list) else record.get("url"),
        "DOI": record.get("doi"),
        "ISBN": record.get("issn"),
    }
    item.update({key: str(value).strip() for key, value in values.items() if value})
    return item


def write_ris(items):
    records = []
    for item in items:
        record = {"type_of_reference": RIS_FROM_CSL.get(item["type"], "GEN"), "title": item.get("title", "")}
        if item.get("author"):
            record["authors"] = [name.get("literal") or name_line(name) for name in item["author"]]
        if item.get("editor"):
            record["secondary_authors"] = [name.get("literal") or name_line(name) for name in item["editor"]]
        if year := csl_year(item):
            record["year"] = str(year)
        mapping = {
            "publisher": "publisher",
            "publisher-place": "place_published",
            "container-title": "secondary_title",
            "volume": "volume",
            "issue": "number",
            "edition": "edition",
            "DOI": "doi",
            "ISBN": "issn",
        }
        record.update({ris: str(item[csl]) for csl, ris in mapping.items() if item.get(csl)})
        if item.get("URL"):
            record["urls"] = [item["URL"]]
        if page := item.get("page"):
            start, _dash, end = str(page).partition("–")
            record["start_page"] = start
            if end:
                record["end_page"] = end
        records.append(record)
    return rispy.dumps(records)


# CSL-JSON


def read_csl_json(text):
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        return [], [(_("file"), _("not valid JSON: %(reason)s") % {"reason": error.msg})]
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return [], [(_("file"), _("CSL-JSON must be a list of items"))]
    items, errors = [], []
    for number, raw in enumerate(data, start=1):
        label = (
            str(raw.get("id"))
            if isinstance(raw, dict) and raw.get("id")
            else _("item %(number)d") % {"number": number}
        )
        try:
            if not isinstance(raw, dict):
                raise EntryError(_("an item must be an object"))
            items.append(finish(clean_csl(raw)))
        except EntryError as error:
            errors.append((label, str(error)))
    return items, errors


def clean_csl(raw):
    kind = raw.get("type") if raw.get("type") in Source.Kind.values else "book"
    item = {"type": kind, "title": str(raw.get("title") or "")}
    for role in ("author", "editor"):
        names = raw.get(role) or []
        if not isinstance(names, list) or not all(isinstance(name, dict) for name in names):
            raise EntryError(_("%(field)s must be a list of names") % {"field": role})
        cleaned = [
            {key: str(name[key]).strip() for key in ("family", "given", "literal") if name.get(key)} for name in names
        ]
        if cleaned := [name for name in cleaned if name]:
            item[role] = cleaned
    item.update(issued(year_of(issued_year(raw.get("issued")))))
    item.update({key: str(raw[key]).strip() for key in CSL_FIELDS - {"title"} if raw.get(key)})
    return item


def issued_year(value):
    """The year of a CSL date: {"date-parts": [[2020, 5]]} or {"raw": "2020"}; anything else is an error."""
    if value in (None, "", {}):
        return None
    if not isinstance(value, dict):
        raise EntryError(_("issued must be a CSL date object: %(value)r") % {"value": value})
    parts = value.get("date-parts")
    if parts is not None:
        if not (isinstance(parts, list) and parts and isinstance(parts[0], list) and parts[0]):
            raise EntryError(_("issued date-parts must be a list of lists: %(value)r") % {"value": parts})
        return parts[0][0]
    return value.get("raw")


def write_csl_json(items):
    return json.dumps(items, ensure_ascii=False, indent=2) + "\n"


READERS = {"bibtex": read_bibtex, "ris": read_ris, "csl-json": read_csl_json}
WRITERS = {"bibtex": write_bibtex, "ris": write_ris, "csl-json": write_csl_json}


def format_for_filename(filename):
    lowered = (filename or "").lower()
    for name, extension in FORMATS.items():
        if lowered.endswith(extension):
            return name
    if lowered.endswith(".bibtex"):
        return "bibtex"
    return None


@dataclass
class ImportResult:
    created: list = field(default_factory=list)
    duplicates: list = field(default_factory=list)
    errors: list = field(default_factory=list)


def import_sources(text, file_format):
    """Creates a source for each readable entry that is not already a source."""
    items, errors = READERS[file_format](text)
    result = ImportResult(errors=list(errors))
    known = {}
    for source in Source.objects.select_related("book").prefetch_related("book__authors"):
        for key in source.identity_keys():
            known.setdefault(key, source)
    with transaction.atomic():
        for item in items:
            keys = identity_keys(item)
            existing = next((known[key] for key in keys if key in known), None)
            if existing is not None:
                result.duplicates.append((item["title"], existing))
                continue
            source = source_from_csl(item)
            source.save()
            for key in keys:
                known[key] = source
            result.created.append(source)
    return result


def source_from_csl(item):
    year = csl_year(item)
    return Source(
        kind=item["type"],
        title=item["title"][:500],
        authors="\n".join(name_line(name) for name in item.get("author", [])),
        editors="\n".join(name_line(name) for name in item.get("editor", [])),
        year=year,
        publisher=item.get("publisher", "")[:200],
        publisher_place=item.get("publisher-place", "")[:100],
        container_title=item.get("container-title", "")[:500],
        volume=item.get("volume", "")[:30],
        issue=item.get("issue", "")[:30],
        page=item.get("page", "")[:30],
        edition=item.get("edition", "")[:30],
        genre=item.get("genre", "")[:100],
        url=item.get("URL", "")[:500],
        doi=item.get("DOI", "")[:200],
        isbn=(item.get("ISBN", "") if normalize_isbn(item.get("ISBN")) else "")[:20],
    )


def export_sources(sources, file_format):
    return WRITERS[file_format]([source.as_csl() for source in sources])
