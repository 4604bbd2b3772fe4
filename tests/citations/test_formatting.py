"""Citations and bibliographies formatted by citeproc-py in the house styles."""

import pytest

from citations.formatting import Formatter
from citations.models import Source


def test_parenthetical_citation_has_authors_year_and_pages(books):
    formatter = Formatter("metropolia")
    number = formatter.add([(books["kortesuo"].source, "11")])
    assert formatter.citation(number) == "(Kortesuo &amp; Löytänä 2011, 11)"


def test_narrative_citation_puts_the_authors_in_the_sentence(books):
    formatter = Formatter("metropolia")
    number = formatter.add([(books["arantola"].source, "29–32")], narrative=True)
    assert formatter.citation(number) == "Arantola &amp; Simonen (2009, 29–32)"


def test_year_part_leaves_out_the_author_names(books):
    formatter = Formatter("metropolia")
    number = formatter.add([(books["saarijarvi"].source, "52")], narrative=True)
    assert formatter.year_part(number) == "(2020, 52)"


def test_several_sources_in_one_citation_are_separated_by_semicolons(books):
    formatter = Formatter("metropolia")
    number = formatter.add([(books["tuulaniemi"].source, "78"), (books["kahneman"].source, "")])
    assert formatter.citation(number) == "(Tuulaniemi 2011, 78; Kahneman 2011)"


def test_bibliography_is_in_finnish_alphabetical_order(db):
    names = ["Öhman, Ari", "Zetterberg, Eva", "Aalto, Iida", "Åberg, Leo", "Ärölä, Pia"]
    sources = [
        Source.objects.create(title=f"Teos {number}", authors=name, year=2015) for number, name in enumerate(names)
    ]
    formatter = Formatter("metropolia")
    for source in sources:
        formatter.add_to_bibliography(source)
    surnames = [entry.split(",")[0] for entry in formatter.bibliography()]
    assert surnames == ["Aalto", "Zetterberg", "Åberg", "Ärölä", "Öhman"]


def test_bibliography_entry_follows_the_books_own_author_order(books):
    source = books["saarijarvi"].source
    source.publisher_place = "Jyväskylä"
    source.save()
    formatter = Formatter("metropolia")
    formatter.add_to_bibliography(source)
    assert formatter.bibliography() == [
        "Saarijärvi, Hannu &amp; Puustinen, Pekka 2020. Strategiana asiakaskokemus – Miksi, mitä, miten? "
        "Jyväskylä: Docendo."
    ]


def test_haaga_helia_style_gives_initials_in_the_bibliography(books):
    formatter = Formatter("haaga-helia")
    formatter.add_to_bibliography(books["saarijarvi"].source)
    assert formatter.bibliography()[0].startswith("Saarijärvi, H. &amp; Puustinen, P. 2020.")


def test_apa_style_puts_a_comma_before_the_year(books):
    formatter = Formatter("apa")
    number = formatter.add([(books["kortesuo"].source, "11")])
    assert formatter.citation(number) == "(Kortesuo &amp; Löytänä, 2011, s. 11)"


@pytest.mark.parametrize(
    ("kind", "extra", "expected"),
    [
        ("webpage", {"url": "https://example.org/a"}, "&lt;https://example.org/a&gt;"),
        ("chapter", {"container_title": "Kokoomateos", "editors": "Berg, Bo"}, "Kokoomateos"),
        ("article-journal", {"container_title": "Lehti", "volume": "3", "issue": "2"}, "Lehti. 3(2)"),
    ],
)
def test_other_kinds_of_source_are_formatted_with_their_own_fields(db, kind, extra, expected):
    source = Source.objects.create(kind=kind, title="Otsikko", authors="Aho, Anna", year=2018, **extra)
    formatter = Formatter("metropolia")
    formatter.add_to_bibliography(source)
    assert expected in formatter.bibliography()[0]
