"""The JSON Lines importer and the import_essays and load_demo commands."""

import json

import pytest
from django.core.management import CommandError, call_command
from taggit.models import Tag

from concepts.models import ConceptPage, ConceptRelation
from essaybank.importer import Importer
from essays.models import (
    Book,
    BookSummaryPage,
    Category,
    EssayIndexPage,
    EssayPage,
    EssayType,
    ImportRecord,
    Person,
    Team,
)

pytestmark = pytest.mark.usefixtures("site_tree", "without_index_updates")


def essay_record(external_id="essee-1", **fields):
    record = {
        "id": external_id,
        "kind": "essay",
        "title": "Asiakaskokemus syntyy kohtaamisissa",
        "written": "2018-05-26",
        "language": "fi",
        "authors": [{"name": "Aino Aaltonen", "team": "Pinkut"}],
        "essay_type": "individual",
        "points": 2,
        "books": [
            {
                "title": "Asiakaskokemus",
                "authors": ["Janne Löytänä", "Katleena Kortesuo"],
                "year": 2011,
                "publisher": "Talentum",
            }
        ],
        "categories": ["1. Oppiminen"],
        "tags": ["asiakaskokemus"],
        "body": "Ensimmäinen kappale.\n\nToinen kappale.",
    }
    record.update(fields)
    return record


def lines(*records):
    """JSON Lines text: dicts are serialised, strings are taken as the raw line."""
    return [record if isinstance(record, str) else json.dumps(record, ensure_ascii=False) for record in records]


def run(*records):
    return Importer().run(lines(*records))


def error_lines(report):
    return [number for number, _reason in report.errors]


def write_jsonl(tmp_path, *records, name="essays.jsonl"):
    path = tmp_path / name
    path.write_text("\n".join(lines(*records)) + "\n", encoding="utf-8")
    return path


# One essay


def test_essay_is_imported_published_under_the_essay_index():
    report = run(essay_record())
    essay = EssayPage.objects.get()
    assert (report.created, report.updated, report.errors) == (1, 0, [])
    assert essay.live
    assert essay.get_parent().specific_class is EssayIndexPage
    assert essay.title == "Asiakaskokemus syntyy kohtaamisissa"


def test_essay_is_tied_to_its_external_id():
    run(essay_record("pankki-42"))
    assert ImportRecord.objects.get(external_id="pankki-42").page.specific == EssayPage.objects.get()


def test_essay_fields_are_imported():
    run(essay_record(visibility="community", language="en", points=3, essay_type="academic"))
    essay = EssayPage.objects.get()
    assert essay.written.isoformat() == "2018-05-26"
    assert essay.language == "en"
    assert essay.visibility == "community"
    assert essay.claimed_points == 3
    assert essay.essay_type == EssayType.objects.get(code="academic")


def test_essay_authors_are_people_with_their_team():
    run(
        essay_record(
            authors=[{"name": "Aino Aaltonen", "team": "Pinkut"}, {"name": "Ville Virtanen", "team": "Pinkut"}]
        )
    )
    essay = EssayPage.objects.get()
    assert [person.name for person in essay.authors()] == ["Aino Aaltonen", "Ville Virtanen"]
    assert {authorship.team.name for authorship in essay.essay_authors.all()} == {"Pinkut"}
    assert Person.objects.get(name="Aino Aaltonen").team.name == "Pinkut"


def test_author_may_be_given_as_a_plain_name():
    run(essay_record(authors=["Aino Aaltonen"]))
    assert EssayPage.objects.get().authors()[0].name == "Aino Aaltonen"


def test_essay_books_keep_their_authors_in_the_books_order():
    run(essay_record())
    book = Book.objects.get()
    assert book.author_names() == ["Janne Löytänä", "Katleena Kortesuo"]
    assert (book.year, book.publisher) == (2011, "Talentum")
    assert [source.book for source in EssayPage.objects.get().book_sources.all()] == [book]


def test_several_books_keep_their_order_in_the_essay():
    run(essay_record(books=["Palvelumuotoilu", "Asiakaskokemus", "Tiimiakatemia"]))
    titles = [source.book.title for source in EssayPage.objects.get().book_sources.all()]
    assert titles == ["Palvelumuotoilu", "Asiakaskokemus", "Tiimiakatemia"]


def test_essay_tags_and_categories_are_imported():
    run(essay_record(tags=["asiakaskokemus", "palvelumuotoilu"], categories=["1. Oppiminen"]))
    essay = EssayPage.objects.get()
    assert {tag.name for tag in essay.tags.all()} == {"asiakaskokemus", "palvelumuotoilu"}
    assert [str(category) for category in essay.categories.all()] == ["1. Oppiminen"]


def test_body_markup_becomes_heading_quote_list_and_paragraph_blocks():
    body = "## Johdanto\n\nTavallinen kappale.\n\n> Asiakas kokee,\n> yritys mahdollistaa.\n\n- yksi\n- kaksi"
    run(essay_record(body=body))
    blocks = list(EssayPage.objects.get().body)
    assert [block.block_type for block in blocks] == ["heading", "paragraph", "quote", "bullet_list"]
    assert blocks[0].value["text"] == "Johdanto"
    assert "Tavallinen kappale." in blocks[1].value.source
    assert blocks[2].value["quote"] == "Asiakas kokee, yritys mahdollistaa."
    assert list(blocks[3].value) == ["yksi", "kaksi"]


def test_body_text_is_escaped_not_taken_as_html():
    run(essay_record(body="<script>alert(1)</script> & muuta"))
    source = EssayPage.objects.get().body[0].value.source
    assert "<script>" not in source
    assert "&lt;script&gt;" in source


def test_reading_time_is_computed_from_imported_body():
    run(essay_record(body=" ".join(["sana"] * 600)))
    assert EssayPage.objects.get().reading_minutes == 3


def test_finnish_date_is_accepted():
    run(essay_record(written="26.5.2018"))
    assert EssayPage.objects.get().written.isoformat() == "2018-05-26"


def test_ei_tiimia_means_no_team():
    run(essay_record(authors=[{"name": "Esseepankin arkisto", "team": "Ei tiimiä"}]))
    authorship = EssayPage.objects.get().essay_authors.get()
    assert authorship.team is None
    assert authorship.person.team is None
    assert not Team.objects.exists()


def test_dash_book_placeholder_is_ignored():
    run(essay_record(books=["-", {"title": "-"}, "Asiakaskokemus"]))
    assert list(Book.objects.values_list("title", flat=True)) == ["Asiakaskokemus"]
    assert EssayPage.objects.get().book_sources.count() == 1


def test_subcategory_gets_its_parent_when_parent_exists():
    run(essay_record(categories=["2. Tiimityö", "2.2. Tiimityön taidot ja työkalut"]))
    sub = Category.objects.get(number="2.2")
    assert sub.name == "Tiimityön taidot ja työkalut"
    assert sub.parent == Category.objects.get(number="2")


def test_subcategory_imported_before_its_parent_is_adopted_by_it():
    run(essay_record("a", categories=["2.2. Tiimityön taidot"]), essay_record("b", categories=["2. Tiimityö"]))
    assert Category.objects.get(number="2.2").parent == Category.objects.get(number="2")


def test_new_people_get_the_numbered_slugs_saving_them_one_by_one_gives():
    Person.objects.create(name="Anna Liisa Koski")
    authors = ["Anna-Liisa Koski", "Anna - Liisa Koski"]
    run(*(essay_record(f"essee-{number}", authors=[name]) for number, name in enumerate(authors)))
    slugs = dict(Person.objects.values_list("name", "slug"))
    assert slugs == {
        "Anna Liisa Koski": "anna-liisa-koski",
        "Anna-Liisa Koski": "anna-liisa-koski-2",
        "Anna - Liisa Koski": "anna-liisa-koski-3",
    }


def test_same_title_twice_gets_two_pages_with_distinct_slugs():
    run(essay_record("a"), essay_record("b"))
    slugs = list(EssayPage.objects.values_list("slug", flat=True))
    assert len(slugs) == 2
    assert len(set(slugs)) == 2


def test_soft_hyphens_from_pdfs_are_removed():
    run(essay_record(title="Asiakas\u00adkokemus", body="asiakas\u00adkokemus"))
    essay = EssayPage.objects.get()
    assert essay.title == "Asiakaskokemus"
    assert "\u00ad" not in essay.body[0].value.source


# Idempotency and de-duplication


def test_running_the_same_file_twice_creates_nothing_new():
    records = [
        essay_record("a"),
        essay_record("b", title="Toinen essee", authors=[{"name": "Ville Virtanen", "team": "Sinetit"}]),
        {"id": "s", "kind": "book_summary", "book": "Asiakaskokemus", "author": "Aino Aaltonen", "body": "Tiivis."},
        {"id": "k", "kind": "concept", "term": "asiakaskokemus", "related": ["kosketuspiste"]},
        {"id": "k2", "kind": "concept", "term": "kosketuspiste"},
    ]
    first = run(*records)
    counts = [model.objects.count() for model in (EssayPage, BookSummaryPage, ConceptPage, Book, Person, Team, Tag)]
    second = run(*records)
    assert (first.created, first.errors) == (5, [])
    assert (second.created, second.updated, second.errors) == (0, 5, [])
    assert [
        model.objects.count() for model in (EssayPage, BookSummaryPage, ConceptPage, Book, Person, Team, Tag)
    ] == counts
    assert ConceptRelation.objects.count() == 1


def test_second_run_keeps_authors_and_sources_without_duplicates():
    run(essay_record())
    run(essay_record())
    essay = EssayPage.objects.get()
    assert essay.essay_authors.count() == 1
    assert essay.book_sources.count() == 1
    assert essay.tags.count() == 1


def test_books_are_deduplicated_by_normalised_title():
    run(essay_record("a", books=["Asiakaskokemus"]), essay_record("b", books=[" asiakaskokemus "]))
    assert Book.objects.count() == 1
    assert Book.objects.get().title == "Asiakaskokemus"


def test_books_are_deduplicated_across_dash_variants_and_soft_hyphens():
    run(
        essay_record("a", books=["Strategiana asiakaskokemus – Miksi, mitä, miten?"]),
        essay_record("b", books=["Strategiana asiakas\u00adkokemus - miksi, mitä, miten?"]),
    )
    assert Book.objects.count() == 1


def test_books_differing_only_by_a_umlaut_are_different_books():
    run(essay_record("a", books=["Sää"]), essay_record("b", books=["Saa"]))
    assert Book.objects.count() == 2


def test_people_are_deduplicated_by_name_case_and_spacing():
    run(
        essay_record("a", authors=[{"name": "Aino Aaltonen", "team": "Pinkut"}]),
        essay_record("b", authors=[{"name": "  aino   AALTONEN ", "team": "pinkut"}]),
    )
    assert Person.objects.count() == 1
    assert Team.objects.count() == 1
    assert Person.objects.get().authorships.count() == 2


def test_reimport_with_changed_title_updates_the_same_page():
    run(essay_record("pysyva", title="Vanha otsikko"))
    page_id = EssayPage.objects.get().pk
    report = run(essay_record("pysyva", title="Uusi otsikko"))
    assert (report.created, report.updated) == (0, 1)
    essay = EssayPage.objects.get()
    assert essay.pk == page_id
    assert essay.title == "Uusi otsikko"


def test_reimport_keeps_the_page_address():
    run(essay_record("pysyva", title="Vanha otsikko"))
    url = EssayPage.objects.get().url
    run(essay_record("pysyva", title="Uusi otsikko"))
    assert EssayPage.objects.get().url == url


def test_reimport_publishes_the_change():
    run(essay_record("pysyva", body="Vanha teksti."))
    run(essay_record("pysyva", body="Uusi teksti."))
    essay = EssayPage.objects.get()
    assert not essay.has_unpublished_changes
    assert "Uusi teksti." in essay.get_latest_revision_as_object().body[0].value.source
    assert "Uusi teksti." in essay.body[0].value.source


def test_reimport_replaces_authors_books_and_tags():
    run(essay_record("e", authors=["Aino Aaltonen"], books=["Asiakaskokemus"], tags=["vanha"]))
    run(essay_record("e", authors=["Ville Virtanen"], books=["Palvelumuotoilu"], tags=["uusi"]))
    essay = EssayPage.objects.get()
    assert [person.name for person in essay.authors()] == ["Ville Virtanen"]
    assert [source.book.title for source in essay.book_sources.all()] == ["Palvelumuotoilu"]
    assert [tag.name for tag in essay.tags.all()] == ["uusi"]


def test_id_of_another_kind_of_page_is_an_error():
    report = run(essay_record("sama"), {"id": "sama", "kind": "concept", "term": "asiakaskokemus"})
    assert error_lines(report) == [2]
    assert not ConceptPage.objects.exists()


# Bad lines


@pytest.fixture
def mixed_report():
    """Good lines 1, 4 and 8 around one bad line of each kind."""
    return run(
        essay_record("hyva-1"),
        "{not json",
        essay_record("ei-otsikkoa", title=""),
        essay_record("hyva-2", title="Toinen hyvä"),
        essay_record("tuntematon-tyyppi", essay_type="runo"),
        essay_record("huono-pvm", written="26.13.2018"),
        '["a", "list", "not", "an", "object"]',
        essay_record("hyva-3", title="Kolmas hyvä"),
    )


def reason_for(report, number):
    reasons = [reason for line, reason in report.errors if line == number]
    assert len(reasons) == 1, report.errors
    return reasons[0]


def test_each_bad_line_is_reported_with_its_number(mixed_report):
    assert error_lines(mixed_report) == [2, 3, 5, 6, 7]


def test_good_lines_still_import_around_bad_ones(mixed_report):
    assert mixed_report.created == 3
    assert set(ImportRecord.objects.values_list("external_id", flat=True)) == {"hyva-1", "hyva-2", "hyva-3"}
    assert EssayPage.objects.count() == 3


def test_invalid_json_is_reported_as_such(mixed_report):
    assert "JSON" in reason_for(mixed_report, 2)


def test_missing_title_is_reported(mixed_report):
    assert "title" in reason_for(mixed_report, 3)


def test_unknown_essay_type_is_reported_with_the_type(mixed_report):
    assert "'runo'" in reason_for(mixed_report, 5)


def test_impossible_date_is_reported_with_the_value(mixed_report):
    reason = reason_for(mixed_report, 6)
    assert "written" in reason
    assert "26.13.2018" in reason


def test_line_that_is_not_an_object_is_reported(mixed_report):
    assert "JSON" in reason_for(mixed_report, 7)


def test_failed_line_leaves_nothing_behind():
    """A record that fails half-way is rolled back: no orphan book, person or team from it."""
    run(essay_record("huono", essay_type="runo", books=["Orpo kirja"], authors=[{"name": "Orpo", "team": "Orvot"}]))
    assert not Book.objects.exists()
    assert not Person.objects.exists()
    assert not Team.objects.exists()
    assert not ImportRecord.objects.exists()


@pytest.mark.parametrize(
    ("fields", "word"),
    [
        ({"written": "ei päivämäärä"}, "written"),
        ({"written": ""}, "written"),
        ({"written": 20180526}, "written"),
        ({"authors": []}, "authors"),
        ({"id": ""}, "id"),
        ({"kind": "runo"}, "runo"),
        ({"language": "sv"}, "sv"),
        ({"visibility": "salainen"}, "salainen"),
        ({"points": "kaksi"}, "points"),
        ({"categories": ["Oppiminen ilman numeroa"]}, "Oppiminen"),
        ({"books": "Asiakaskokemus"}, "books"),
        ({"title": 42}, "title"),
    ],
    ids=lambda value: json.dumps(value, ensure_ascii=False) if isinstance(value, dict) else value,
)
def test_bad_field_is_reported_and_not_imported(fields, word):
    report = run(essay_record("a"), essay_record("b", **fields))
    assert error_lines(report) == [2]
    assert word in report.errors[0][1]
    assert EssayPage.objects.count() == 1


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("[" * 100_000 + "]" * 100_000, "liian syvälle"),
        (json.dumps(essay_record("b", kind=["essay"])), "['essay']"),
        (json.dumps(essay_record("b", title="x" * 256)), "yli 255 merkkiä"),
        (json.dumps(essay_record("b", points=2**40)), "2**40"),
        (json.dumps(essay_record("b", body="alku\u0000loppu")), "nollamerk"),
        ('{"id": "b", "title": "\\ud800", "written": "2020-01-01", "authors": ["A"]}', "korvausparin"),
        (json.dumps(essay_record("b", tags=["x" * 101])), "avainsana"),
        (json.dumps(essay_record("b", books=[{"title": "k" * 400}])), "yli 300 merkkiä"),
        (json.dumps(essay_record("b", authors=["n" * 300])), "yli 150 merkkiä"),
        (json.dumps(essay_record("b", body="sana " * 250_000)), "1000000 merkkiä"),
    ],
    ids=[
        "deep",
        "kind-list",
        "long-title",
        "huge-points",
        "nul",
        "surrogate",
        "long-tag",
        "long-book",
        "long-name",
        "huge-line",
    ],
)
def test_unstorable_line_is_reported_and_the_rest_imports(line, reason):
    report = Importer().run([json.dumps(essay_record("a")), line, json.dumps(essay_record("c", title="Kolmas"))])
    assert error_lines(report) == [2], report.errors
    assert reason.replace("2**40", str(2**40)) in report.errors[0][1]
    assert sorted(ImportRecord.objects.values_list("external_id", flat=True)) == ["a", "c"]


def test_blank_lines_are_skipped_but_counted():
    report = Importer().run(["", json.dumps(essay_record("a")), "   ", "{oops"])
    assert report.created == 1
    assert error_lines(report) == [4]


# Book summaries and concepts


def test_book_summary_is_imported_with_book_author_and_insights():
    run(
        {
            "id": "tiivistelma-1",
            "kind": "book_summary",
            "book": {"title": "Asiakaskokemus", "authors": ["Janne Löytänä", "Katleena Kortesuo"]},
            "author": {"name": "Aino Aaltonen", "team": "Pinkut"},
            "written": "4.3.2019",
            "key_insights": ["Asiakas päättää.", "Kokemus on tulkinta."],
            "body": "Kirjan tiivistelmä.",
        }
    )
    summary = BookSummaryPage.objects.get()
    assert summary.live
    assert summary.book == Book.objects.get(title="Asiakaskokemus")
    assert summary.summary_author.name == "Aino Aaltonen"
    assert summary.written.isoformat() == "2019-03-04"
    assert [insight.value for insight in summary.key_insights] == ["Asiakas päättää.", "Kokemus on tulkinta."]
    assert summary.title == "Summary: Asiakaskokemus" or "Asiakaskokemus" in summary.title


def test_book_summary_shares_the_book_with_essays():
    run(essay_record(books=["Asiakaskokemus"]), {"id": "s", "kind": "book_summary", "book": "asiakaskokemus"})
    assert Book.objects.count() == 1


def test_book_summary_without_book_is_reported():
    report = run({"id": "s", "kind": "book_summary", "body": "Ei kirjaa."})
    assert error_lines(report) == [1]
    assert not BookSummaryPage.objects.exists()


def test_concept_is_imported_with_terms_and_definition_source():
    run(
        {
            "id": "kasite-1",
            "kind": "concept",
            "term": "asiakaskokemus",
            "english_term": "customer experience",
            "synonyms": ["CX", "asiakkaan kokemus"],
            "definition": "Asiakkaan tulkinta kohtaamisista.",
            "source": {"book": "Asiakaskokemus", "page": 11},
        }
    )
    concept = ConceptPage.objects.get()
    assert concept.live
    assert concept.title == "asiakaskokemus"
    assert concept.english_term == "customer experience"
    assert concept.synonym_list() == ["CX", "asiakkaan kokemus"]
    assert concept.definition_book.title == "Asiakaskokemus"
    assert concept.definition_page == "11"


def test_concept_links_to_later_concepts_in_the_file_resolve():
    report = run(
        {
            "id": "k1",
            "kind": "concept",
            "term": "asiakaskokemus",
            "narrower": ["kosketuspiste"],
            "related": ["CX-johtaminen"],
        },
        {"id": "k2", "kind": "concept", "term": "kosketuspiste"},
        {"id": "k3", "kind": "concept", "term": "CX-johtaminen"},
    )
    assert report.errors == []
    concept = ConceptPage.objects.get(title="asiakaskokemus")
    assert {(relation.kind, relation.target.title) for relation in concept.relations.all()} == {
        ("narrower", "kosketuspiste"),
        ("related", "CX-johtaminen"),
    }


def test_concept_link_is_visible_with_inverse_kind_on_the_target():
    run(
        {"id": "k1", "kind": "concept", "term": "asiakaskokemus", "narrower": ["kosketuspiste"]},
        {"id": "k2", "kind": "concept", "term": "kosketuspiste"},
    )
    target = ConceptPage.objects.get(title="kosketuspiste")
    headings = {
        str(heading): [concept.title for concept in concepts] for heading, concepts in target.linked_concepts()
    }
    assert headings == {str(ConceptRelation.Kind.headings()["broader"]): ["asiakaskokemus"]}


def test_concept_links_match_terms_by_normalised_name():
    report = run(
        {"id": "k1", "kind": "concept", "term": "asiakaskokemus", "related": [" Kosketus\u00adpiste "]},
        {"id": "k2", "kind": "concept", "term": "kosketuspiste"},
    )
    assert report.errors == []
    assert ConceptRelation.objects.get().target.title == "kosketuspiste"


def test_unknown_linked_concept_is_reported_with_the_concepts_line():
    report = run(
        {"id": "k1", "kind": "concept", "term": "kosketuspiste"},
        {"id": "k2", "kind": "concept", "term": "asiakaskokemus", "related": ["kosketuspiste", "olematon käsite"]},
    )
    assert error_lines(report) == [2]
    assert "olematon käsite" in report.errors[0][1]
    assert ConceptPage.objects.get(title="asiakaskokemus").relations.get().target.title == "kosketuspiste"


def test_concept_reimport_replaces_its_links():
    first = {"id": "k1", "kind": "concept", "term": "asiakaskokemus", "related": ["kosketuspiste"]}
    others = [
        {"id": "k2", "kind": "concept", "term": "kosketuspiste"},
        {"id": "k3", "kind": "concept", "term": "palvelumuotoilu"},
    ]
    run(first, *others)
    run({**first, "related": ["palvelumuotoilu"]}, *others)
    assert [relation.target.title for relation in ConceptRelation.objects.all()] == ["palvelumuotoilu"]


def test_book_and_team_records_fill_the_catalogue():
    report = run(
        {"id": "t", "kind": "team", "name": "Pinkut", "coach": "Kaisa Valmentaja", "start_year": 2021},
        {
            "id": "b",
            "kind": "book",
            "title": "Asiakaskokemus",
            "authors": ["Janne Löytänä"],
            "points": 2,
            "recommendation": 3,
        },
    )
    assert report.errors == []
    team = Team.objects.get()
    assert (team.coach.name, team.coach.role, team.start_year) == ("Kaisa Valmentaja", Person.Role.COACH, 2021)
    book = Book.objects.get()
    assert (book.points, book.recommendation) == (2, 3)


def test_book_recommendation_over_three_is_reported():
    report = run({"id": "b", "kind": "book", "title": "Asiakaskokemus", "recommendation": 5})
    assert error_lines(report) == [1]
    assert not Book.objects.exists()


# The import_essays command


def test_command_imports_a_file(tmp_path, capsys):
    path = write_jsonl(tmp_path, essay_record("a"), essay_record("b", title="Toinen"))
    call_command("import_essays", str(path))
    assert EssayPage.objects.count() == 2
    assert "2" in capsys.readouterr().out


def test_command_fails_when_any_line_fails(tmp_path):
    path = write_jsonl(tmp_path, essay_record("a"), "{bad json", essay_record("b", title="Toinen"))
    with pytest.raises(CommandError):
        call_command("import_essays", str(path))
    assert EssayPage.objects.count() == 2


def test_command_names_the_failed_line_number(tmp_path, capsys):
    path = write_jsonl(tmp_path, essay_record("a"), essay_record("b", written="ei"))
    with pytest.raises(CommandError):
        call_command("import_essays", str(path))
    assert "2" in capsys.readouterr().err.split(":")[0]


def test_command_rejects_a_missing_file(tmp_path):
    with pytest.raises(CommandError):
        call_command("import_essays", str(tmp_path / "ei-ole.jsonl"))


def test_command_reports_a_line_that_is_not_utf8_and_imports_the_rest(tmp_path, capsys):
    good = json.dumps(essay_record("hyva"), ensure_ascii=False).encode("utf-8")
    latin1 = (
        json.dumps(essay_record("latin", title="Sää"), ensure_ascii=False)
        .encode("utf-8")
        .replace("ä".encode(), b"\xe4")
    )
    path = tmp_path / "sekalainen.jsonl"
    path.write_bytes(latin1 + b"\n" + good + b"\n")
    with pytest.raises(CommandError):
        call_command("import_essays", str(path))
    assert "Rivi 1: ei UTF-8-tekstiä" in capsys.readouterr().err
    assert list(ImportRecord.objects.values_list("external_id", flat=True)) == ["hyva"]


def test_command_run_twice_is_idempotent(tmp_path):
    path = write_jsonl(tmp_path, essay_record("a"), essay_record("b", title="Toinen", books=[" asiakaskokemus "]))
    call_command("import_essays", str(path))
    counts = (EssayPage.objects.count(), Book.objects.count(), Person.objects.count())
    call_command("import_essays", str(path))
    assert (EssayPage.objects.count(), Book.objects.count(), Person.objects.count()) == counts == (2, 1, 1)
