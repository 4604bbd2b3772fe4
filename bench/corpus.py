"""Generated essays for the import benchmark, written as JSON Lines and as a WordPress export.

The running text is taken at run time from the Finnish LibreOffice help pages (bench.search reads
them; nothing of them is committed); names, teams, books and metadata are generated here. Half of
the WordPress posts keep their metadata in custom fields, half typed at the top of the text with a
KIRJALÄHTEET table, as the two kinds of legacy bank do.
"""

import datetime
import html
import json
import re
from dataclasses import dataclass, field
from xml.sax.saxutils import escape

FIRST_NAMES = (
    "Aino Eetu Veera Oskari Ilona Niilo Helmi Väinö Sanni Onni Elli Aatu Kerttu Lenni Siiri Reino "
    "Pihla Topias Vilja Ukko"
).split()
SURNAMES = (
    "Aaltonen Björkman Halonen Jääskeläinen Kivelä Lindqvist Mäenpää Nurmela Orava Pöyhönen Rautio "
    "Salmela Tuominen Uusitalo Vesterinen Ylönen Äijälä Öhman Harjula Koskinen"
).split()
BOOK_WORDS = (
    "Asiakaslähtöisyys Palvelun Kasvun Tiimin Johtajuuden Oppimisen Myynnin Strategian Kulttuurin Luottamuksen "
    "Innovaation Yrittäjyyden Muutoksen Viestinnän Brändin"
).split()
BOOK_NOUNS = "voima taito polku kirja opas salaisuudet perusteet käsikirja".split()
TYPES = (("Blogiessee", "blog", 1), ("Yksilöessee", "individual", 2), ("Akateeminen essee", "academic", 3))
WORDS_PER_ESSAY = 600
WXR_HEADER = """<?xml version="1.0" encoding="UTF-8" ?>
<rss version="2.0" xmlns:excerpt="http://wordpress.org/export/1.2/excerpt/"
 xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wp="http://wordpress.org/export/1.2/">
<channel>
<title>Vertailupankki</title>
<link>https://vertailu.example</link>
<wp:wxr_version>1.2</wp:wxr_version>
<wp:base_site_url>https://vertailu.example</wp:base_site_url>
<wp:base_blog_url>https://vertailu.example</wp:base_blog_url>
<wp:category><wp:term_id>1</wp:term_id><wp:category_nicename>1-oppiminen</wp:category_nicename>
<wp:category_parent></wp:category_parent><wp:cat_name><![CDATA[1. Oppiminen]]></wp:cat_name></wp:category>
<wp:category><wp:term_id>2</wp:term_id><wp:category_nicename>1-1-tiimioppiminen</wp:category_nicename>
<wp:category_parent>1-oppiminen</wp:category_parent><wp:cat_name><![CDATA[1.1. Tiimioppiminen]]></wp:cat_name>
</wp:category>
"""


@dataclass
class Essay:
    number: int
    title: str
    written: datetime.date
    authors: list
    essay_type: tuple
    books: list
    tags: list
    paragraphs: list = field(default_factory=list)


def people(rng):
    teams = [f"Tiimi {number}" for number in range(1, 41)]
    return [(f"{first} {last}", rng.choice(teams)) for first in FIRST_NAMES for last in SURNAMES]


def books(rng):
    catalogue = []
    for number in range(300):
        title = f"{BOOK_WORDS[number % len(BOOK_WORDS)]} {BOOK_NOUNS[number % len(BOOK_NOUNS)]} {number}"
        authors = [f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}" for _ in range(rng.choice((1, 1, 2)))]
        catalogue.append((title, authors))
    return catalogue


def finnish_paragraphs(paragraphs):
    """The help pages' paragraphs in Finnish (some are left in English)."""
    return [text for text in paragraphs if re.search("[äö]", text) and not re.search(r"\b(the|and|of)\b", text)]


def essays(count, paragraphs, rng):
    paragraphs = finnish_paragraphs(paragraphs)
    writers, catalogue = people(rng), books(rng)
    for number in range(count):
        body, words = [], 0
        while words < WORDS_PER_ESSAY:
            paragraph = rng.choice(paragraphs)
            body.append(paragraph)
            words += len(paragraph.split())
        yield Essay(
            number=number,
            title=" ".join(body[0].split()[:6]).rstrip(".,:;"),
            written=datetime.date(2010 + number % 15, 1 + number % 12, 1 + number % 28),
            authors=rng.sample(writers, rng.choice((1, 1, 1, 2))),
            essay_type=rng.choice(TYPES),
            books=rng.sample(catalogue, rng.choice((1, 1, 2))),
            tags=[f"aihe {rng.randrange(150)}" for _ in range(2)],
            paragraphs=body,
        )


def jsonl_line(essay):
    record = {
        "id": f"bench-{essay.number}",
        "title": essay.title,
        "written": essay.written.isoformat(),
        "authors": [{"name": name, "team": team} for name, team in essay.authors],
        "essay_type": essay.essay_type[1],
        "points": essay.essay_type[2],
        "books": [{"title": title, "authors": authors} for title, authors in essay.books],
        "categories": ["1.1. Tiimioppiminen"],
        "tags": essay.tags,
        "body": "\n\n".join(essay.paragraphs),
    }
    return json.dumps(record, ensure_ascii=False) + "\n"


def _cdata(text):
    return "<![CDATA[" + text.replace("]]>", "]]]]><![CDATA[>") + "]]>"


def _meta(key, value):
    key, value = _cdata(key), _cdata(value)
    return f"<wp:postmeta><wp:meta_key>{key}</wp:meta_key><wp:meta_value>{value}</wp:meta_value></wp:postmeta>"


def wxr_item(essay, in_text):
    """One post; `in_text` puts the metadata at the top of the text instead of custom fields."""
    body = "".join(f"<p>{html.escape(paragraph)}</p>\n" for paragraph in essay.paragraphs)
    names = " ja ".join(name for name, _team in essay.authors)
    type_name, _code, points = essay.essay_type
    meta = ""
    if in_text:
        rows = "".join(
            f"<tr><td>{html.escape(title)}</td><td>{'<br>'.join(map(html.escape, authors))}</td></tr>"
            for title, authors in essay.books
        )
        body = (
            f"<p>Kirjoittanut: {html.escape(names)} - tiimistä {html.escape(essay.authors[0][1])}</p>\n"
            f"<p>Esseen tyyppi: {type_name} / {points} esseepistettä.</p>\n"
            f"<p>Kirjoitettu {essay.written:%d.%m.%y}</p>\n{body}"
            f"<p>KIRJALÄHTEET</p>\n<table><tr><th>Kirja</th><th>Kirjoittaja</th></tr>{rows}</table>\n"
        )
    else:
        title, authors = essay.books[0]
        meta = (
            _meta("esseen_kirjoittaja", names)
            + _meta("tiimi", essay.authors[0][1])
            + _meta("esseen_tyyppi", type_name)
            + _meta("kirjapisteet", str(points))
            + _meta("kirja", title)
            + _meta("kirjan_kirjoittaja", " ja ".join(authors))
            + _meta("_edit_last", "1")
        )
    post_id = 1000 + essay.number
    slug = f"essee-{post_id}"
    tags = "".join(
        f'<category domain="post_tag" nicename="{escape(tag.replace(" ", "-"))}">{_cdata(tag)}</category>'
        for tag in essay.tags
    )
    return f"""<item>
<title>{escape(essay.title)}</title>
<link>https://vertailu.example/{essay.written:%Y/%m}/{slug}/</link>
<dc:creator>{_cdata("arkisto")}</dc:creator>
<guid isPermaLink="false">https://vertailu.example/?p={post_id}</guid>
<content:encoded>{_cdata(body)}</content:encoded>
<wp:post_id>{post_id}</wp:post_id>
<wp:post_date>{_cdata(f"{essay.written:%Y-%m-%d} 12:00:00")}</wp:post_date>
<wp:post_name>{_cdata(slug)}</wp:post_name>
<wp:status>{_cdata("publish")}</wp:status>
<wp:post_type>{_cdata("post")}</wp:post_type>
<wp:post_password>{_cdata("")}</wp:post_password>
<category domain="category" nicename="1-1-tiimioppiminen">{_cdata("1.1. Tiimioppiminen")}</category>
{tags}{meta}
</item>
"""


def write_files(count, paragraphs, rng, jsonl_path, wxr_path):
    """Writes the same `count` essays as JSON Lines and as a WordPress export."""
    with jsonl_path.open("w", encoding="utf-8") as jsonl, wxr_path.open("w", encoding="utf-8") as wxr:
        wxr.write(WXR_HEADER)
        for essay in essays(count, paragraphs, rng):
            jsonl.write(jsonl_line(essay))
            wxr.write(wxr_item(essay, in_text=essay.number % 2 == 1))
        wxr.write("</channel>\n</rss>\n")
