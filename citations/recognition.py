"""Recognises hand-typed author-year citations in running Finnish or English text.

Forms seen in real essays: "(Kortesuo & Löytänä 2011, 11)", "(Arantola & Simonen
2009, 29.)", "Kortesuo & Löytänä (2011, 11–14)", "Löytänän ja Kortesuon (2011)",
"(s.79. Saarijärvi, H & Puustinen, P. 2020…)", and several citations in one pair of
brackets separated by semicolons.
"""

import re
from dataclasses import dataclass, field
from itertools import permutations

UPPER = "A-ZÅÄÖÜÉÈÁÀÇÑØÆ"
NAME = rf"[{UPPER}][\w'’]+(?:-[{UPPER}]?[\w'’]+)*"
SURNAME = rf"(?:(?:van|von|de|der|den|du|le|la|af)\s+)*{NAME}"
INITIAL = rf"[{UPPER}](?:\.|(?![\w]))(?:\s?-?[{UPPER}](?:\.|(?![\w])))*"
AUTHOR = rf"{SURNAME}(?:,\s*{INITIAL})?"
CONNECTOR = r"\s*(?:&|\bja\b|\band\b|,)\s*"
ET_AL = r"\s*(?:ym\.?|et\s+al\.?|ja\s+muut|and\s+others)"
NAMES = rf"{AUTHOR}(?:{CONNECTOR}{AUTHOR})*(?P<et_al>{ET_AL})?"
YEAR = r"(?:1[5-9]\d\d|20\d\d)[a-zä]?|s\.\s?a\.|n\.\s?d\."
PAGE_PREFIX = r"(?:ss?\.|pp?\.|sivu(?:t|lla|illa)?)\s*"
PAGE_LIST = r"\d+(?:\s*[-–—]\s*\d+)?(?:\s*(?:,|\bja\b|&)\s*\d+(?:\s*[-–—]\s*\d+)?)*"
PAGES = rf"(?:{PAGE_PREFIX})?{PAGE_LIST}"

PARENTHESES = re.compile(r"\(([^()]{1,300})\)")
PARENTHETICAL_PART = re.compile(
    rf"\s*(?:(?:ks\.|katso|vrt\.|esim\.|see|cf\.)\s*)?"
    rf"(?:(?P<pre_pages>{PAGE_PREFIX}{PAGE_LIST})\s*[.,:]?\s*)?"
    rf"(?P<names>{NAMES})\s*,?\s*(?P<year>{YEAR})"
    rf"(?:\s*[,:]\s*(?P<pages>{PAGES}))?\s*[.…]*\s*"
)
NARRATIVE_PARENTHESES = re.compile(rf"\s*(?P<year>{YEAR})(?:\s*[,:]\s*(?P<pages>{PAGES}))?\s*\.?\s*")
NARRATIVE_NAMES = re.compile(rf"(?:(?<=[\s(\"“'’])|^)(?P<names>{NAMES})\s*$")
SURNAME_IN_AUTHOR = re.compile(rf"^{SURNAME}")
AUTHOR_RE = re.compile(AUTHOR)
LOOKBEHIND = 160


@dataclass
class Found:
    """A citation found in text; start and end delimit the text to replace."""

    text: str
    start: int
    end: int
    narrative: bool
    surnames: list
    year: str
    pages: str = ""
    et_al: bool = False
    names_end: int = 0
    source: object = None
    group: int = 0
    extra: dict = field(default_factory=dict)

    @property
    def year_number(self):
        digits = re.match(r"\d{4}", self.year)
        return int(digits.group()) if digits else None


def normalize_pages(text):
    """ "s. 29-32." -> "29–32": page numbers only, ranges with an en dash."""
    if not text:
        return ""
    text = re.sub(rf"^{PAGE_PREFIX}", "", text.strip())
    text = re.sub(r"\s*[-–—]\s*", "–", text)
    text = re.sub(r"\s*,\s*", ", ", text)
    return text.strip(" .")


def surnames_of(names_text):
    names_text = re.sub(rf"{ET_AL}\s*$", "", names_text)
    return [SURNAME_IN_AUTHOR.match(author.group()).group() for author in AUTHOR_RE.finditer(names_text)]


def find_citations(text):
    """Every hand-typed citation in the text, in order of appearance."""
    found = []
    for group_number, brackets in enumerate(PARENTHESES.finditer(text)):
        inner = brackets.group(1)
        parts = inner.split(";")
        parsed = [PARENTHETICAL_PART.fullmatch(part) for part in parts]
        if any(parsed):
            for match in parsed:
                if match:
                    found.append(
                        Found(
                            text=brackets.group(0),
                            start=brackets.start(),
                            end=brackets.end(),
                            narrative=False,
                            surnames=surnames_of(match.group("names")),
                            year=match.group("year").replace(" ", ""),
                            pages=normalize_pages(match.group("pages") or match.group("pre_pages")),
                            et_al=bool(match.group("et_al")),
                            group=group_number,
                        )
                    )
            continue
        year_only = NARRATIVE_PARENTHESES.fullmatch(inner)
        if not year_only:
            continue
        window_start = max(0, brackets.start() - LOOKBEHIND)
        names = NARRATIVE_NAMES.search(text[window_start : brackets.start()])
        if not names:
            continue
        start = window_start + names.start("names")
        found.append(
            Found(
                text=text[start : brackets.end()],
                start=start,
                end=brackets.end(),
                narrative=True,
                surnames=surnames_of(names.group("names")),
                year=year_only.group("year").replace(" ", ""),
                pages=normalize_pages(year_only.group("pages")),
                et_al=bool(names.group("et_al")),
                names_end=brackets.start(),
                group=group_number,
            )
        )
    return found


# What a citation's parentheses look like even when text was typed into them: a capitalised name
# first, a year (and pages) last, "(Arantola & Lisäsin tähän jotain.Simonen 2009, 29–32)"; and, so
# that "(Nokia perustettiin 1865)" is not one, an "&", page numbers or a name just before the year.
CITATION_LIKE = re.compile(
    rf"\s*{NAME}.*?[\s,.]\s*(?P<year>{YEAR})(?:\s*[,:]\s*(?P<pages>{PAGES}))?\s*[.…]*\s*", re.DOTALL
)
NAME_BEFORE_YEAR = re.compile(rf"(?<!\w){NAME}\s*,?\s*(?:{YEAR})(?:\s*[,:]\s*{PAGES})?\s*[.…]*\s*$")


def find_broken_citations(text, found=None):
    """Parentheses that look like a citation but do not read as one, so no source can match them
    (most often text typed into a citation), in order of appearance; `found` is find_citations(text)."""
    recognised = {citation.group for citation in (find_citations(text) if found is None else found)}
    broken = []
    for group_number, brackets in enumerate(PARENTHESES.finditer(text)):
        inner = brackets.group(1)
        looks = CITATION_LIKE.fullmatch(inner)
        if not looks or group_number in recognised:
            continue
        if "&" in inner or looks.group("pages") or NAME_BEFORE_YEAR.search(inner):
            broken.append(
                Found(
                    text=brackets.group(0),
                    start=brackets.start(),
                    end=brackets.end(),
                    narrative=False,
                    surnames=[],
                    year=looks.group("year").replace(" ", ""),
                    pages=normalize_pages(looks.group("pages")),
                    group=group_number,
                )
            )
    return broken


def surname_matches(cited, family):
    """Whether a cited surname, perhaps inflected (Löytänän, Puustisen, Tuulaniemen,
    Kahnemanin), is this family name."""
    cited, family = cited.casefold(), family.casefold()
    if cited == family:
        return True
    stems = [family]
    if family.endswith("nen"):
        stems.append(family[:-3] + "s")
    if family.endswith("i") and len(family) > 3:
        stems.append(family[:-1] + "e")
    return any(
        cited.startswith(stem) and len(cited) - len(stem) <= 5 and cited[len(stem) :].isalpha() for stem in stems
    )


def authors_match(surnames, families, et_al):
    if not surnames or len(surnames) > len(families):
        return False
    if len(surnames) < len(families) and not et_al:
        return False
    # Authors may be cited in any order; lists are short, so trying every order is cheap.
    for ordering in permutations(families, len(surnames)):
        if all(surname_matches(cited, family) for cited, family in zip(surnames, ordering, strict=True)):
            return True
    return False


def match_source(citation, sources):
    """The one source whose year and author surnames fit the citation, or None."""
    year = citation.year_number
    candidates = [
        source
        for source in sources
        if source.citation_year == year and authors_match(citation.surnames, source.citation_surnames, citation.et_al)
    ]
    return candidates[0] if len(candidates) == 1 else None


def resolve(citations, sources):
    """Give each citation its source; a narrative citation whose leading words are not
    authors ("Tiimiakatemia ja Kahneman (2011)") is retried without them."""
    for citation in citations:
        citation.source = match_source(citation, sources)
        if citation.source is None and citation.narrative:
            cited = citation.surnames
            while len(citation.surnames) > 1 and citation.source is None:
                citation.surnames = citation.surnames[1:]
                citation.source = match_source(citation, sources)
            if citation.source is not None:
                first = citation.surnames[0]
                offset = citation.text.rfind(first, 0, citation.names_end - citation.start)
                if offset > 0:
                    citation.start += offset
                    citation.text = citation.text[offset:]
            else:
                citation.surnames = cited
    return citations
