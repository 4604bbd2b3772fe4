"""Import and export of sources as BibTeX, RIS and CSL-JSON."""

import json

import pytest
from django.core.management import CommandError, call_command

from citations.interchange import export_sources, import_sources, read_bibtex, read_csl_json, read_ris
from citations.models import Source

BIBTEX = r"""
@book{loytana2011,
  author = {Kortesuo, Katleena and Löytänä, Janne},
  title = {Asiakaskokemus: palvelubisneksestä kokemusbisnekseen},
  year = {2011}, publisher = {Talentum}, address = {Helsinki}
}
@article{broken, author = {M{\"a}kinen, Ville}, title = "Rikki", journal={Lehti}, year={2020}
@incollection{aho2018,
  author = {Aho, Anna}, editor = {Berg, Bo}, title = {Luku}, booktitle = {Kokoomateos},
  year = 2018, pages = {10--20}, publisher = {Gaudeamus}
}
@misc{notitle, author = {Nobody, N}, year = {2020}}
"""

RIS = """TY  - BOOK
AU  - Tuulaniemi, Juha
TI  - Palvelumuotoilu
PY  - 2011
PB  - Talentum
CY  - Helsinki
ER  -
TY  - JOUR
AU  - Aho, Anna
TI  - Artikkeli
T2  - Lehti
PY  - vuosi tuntematon
ER  -
TY  - JOUR
AU  - Berg, Bo
TI  - Toinen artikkeli
JO  - Lehti
PY  - 2019
DO  - 10.1000/XYZ
ER  -
"""


def test_bibtex_reader_keeps_good_entries_and_reports_each_bad_one():
    items, errors = read_bibtex(BIBTEX)
    assert [item["title"] for item in items] == [
        "Asiakaskokemus: palvelubisneksestä kokemusbisnekseen",
        "Luku",
    ]
    assert len(errors) == 2
    assert any("notitle" in where for where, _reason in errors)


def test_bibtex_reader_keeps_the_author_order_and_the_chapter_fields():
    items, _errors = read_bibtex(BIBTEX)
    assert [name["family"] for name in items[0]["author"]] == ["Kortesuo", "Löytänä"]
    assert items[1]["type"] == "chapter"
    assert items[1]["container-title"] == "Kokoomateos"
    assert items[1]["page"] == "10–20"


def test_ris_reader_reports_a_record_with_a_bad_year_and_keeps_the_others():
    items, errors = read_ris(RIS)
    assert [item["title"] for item in items] == ["Palvelumuotoilu", "Toinen artikkeli"]
    assert len(errors) == 1 and "vuosi tuntematon" in errors[0][1]


def test_csl_json_reader_reports_invalid_json_clearly():
    items, errors = read_csl_json("[{")
    assert items == [] and "JSON" in errors[0][1]


def test_csl_json_reader_rejects_an_item_without_title_only():
    items, errors = read_csl_json(json.dumps([{"title": "Hyvä", "type": "book"}, {"type": "book"}]))
    assert [item["title"] for item in items] == ["Hyvä"]
    assert len(errors) == 1


@pytest.mark.parametrize("issued", [[2020], {"date-parts": [2020]}, {"date-parts": []}, "2020"])
def test_csl_json_reader_reports_a_malformed_date_and_keeps_the_others(issued):
    data = [{"id": "huono", "title": "Huono", "issued": issued}, {"title": "Hyvä", "issued": {"date-parts": [[2019]]}}]
    items, errors = read_csl_json(json.dumps(data))
    assert [(item["title"], item["issued"]["date-parts"][0][0]) for item in items] == [("Hyvä", 2019)]
    assert [label for label, _reason in errors] == ["huono"]
    assert "issued" in errors[0][1]


def test_csl_json_reader_reads_a_raw_date():
    items, errors = read_csl_json(json.dumps([{"title": "Raaka", "issued": {"raw": "kevät 2021"}}]))
    assert errors == []
    assert items[0]["issued"] == {"date-parts": [[2021]]}


def test_import_does_not_duplicate_a_catalogue_book(books):
    before = Source.objects.count()
    result = import_sources(BIBTEX, "bibtex")
    assert [title for title, _source in result.duplicates] == ["Asiakaskokemus: palvelubisneksestä kokemusbisnekseen"]
    assert result.duplicates[0][1] == books["kortesuo"].source
    assert Source.objects.count() == before + 1


def test_import_matches_an_existing_source_by_doi(db):
    existing = Source.objects.create(kind="article-journal", title="Eri otsikko", doi="https://doi.org/10.1000/xyz")
    result = import_sources(RIS, "ris")
    assert ("Toinen artikkeli", existing) in result.duplicates


def test_import_matches_isbn_10_to_isbn_13(db):
    existing = Source.objects.create(title="Thinking, Fast and Slow", isbn="978-0-374-27563-1", year=2011)
    data = json.dumps([{"type": "book", "title": "Thinking Fast & Slow", "ISBN": "0374275637"}])
    result = import_sources(data, "csl-json")
    assert result.duplicates == [("Thinking Fast & Slow", existing)]


def test_importing_the_same_file_twice_creates_nothing_new(db):
    import_sources(RIS, "ris")
    count = Source.objects.count()
    result = import_sources(RIS, "ris")
    assert Source.objects.count() == count
    assert len(result.duplicates) == 2


@pytest.mark.parametrize("file_format", ["bibtex", "ris", "csl-json"])
def test_export_then_import_gives_back_the_same_sources(books, file_format):
    exported = export_sources(Source.objects.order_by("pk"), file_format)
    Source.objects.filter(book__isnull=True).delete()
    result = import_sources(exported, file_format)
    assert result.errors == []
    assert result.created == []
    assert len(result.duplicates) == len(books)


def test_import_command_reports_bad_entries_and_fails(db, tmp_path, capsys):
    path = tmp_path / "lahteet.bib"
    path.write_text(BIBTEX, encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_sources", str(path))
    assert Source.objects.filter(title="Luku").exists()


def test_export_command_writes_csl_json(books, tmp_path):
    path = tmp_path / "lahteet.json"
    call_command("export_sources", "--format", "csl-json", "--output", str(path))
    titles = {item["title"] for item in json.loads(path.read_text(encoding="utf-8"))}
    assert "Palvelumuotoilu" in titles
