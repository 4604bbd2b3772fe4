"""What the importer writes for tags and books' authors, and how few statements it takes."""

import contextlib
import json

import pytest
from django.db import connection
from taggit.models import Tag

from essaybank.importer import Importer
from essays.models import Book, BookAuthor, EssayPage

pytestmark = pytest.mark.usefixtures("site_tree", "without_index_updates")


def essay_line(external_id, **fields):
    record = {
        "id": external_id,
        "kind": "essay",
        "title": f"Essee {external_id}",
        "written": "2018-05-26",
        "authors": ["Aino Aaltonen"],
        "body": "Ensimmäinen kappale.",
    }
    record.update(fields)
    return json.dumps(record, ensure_ascii=False)


@contextlib.contextmanager
def recorded():
    """The SQL of every statement run within (the importer clears Django's own log of queries)."""
    sql = []

    def record(execute, statement, params, many, context):
        sql.append(statement)
        return execute(statement, params, many, context)

    with connection.execute_wrapper(record):
        yield sql


def starting(sql, start):
    return [statement for statement in sql if statement.startswith(start)]


def test_stored_tags_are_read_once_per_import():
    Tag.objects.bulk_create([Tag(name="yksi", slug="yksi"), Tag(name="kaksi", slug="kaksi")])
    lines = [essay_line("a", tags=["yksi"]), essay_line("b", tags=["kaksi"]), essay_line("c", tags=["yksi", "kaksi"])]
    with recorded() as sql:
        Importer().run(lines)
    assert len(starting(sql, 'SELECT "taggit_tag"')) == 1


def test_new_tag_gets_the_slug_taggit_gives():
    Tag.objects.create(name="Asiakaskokemus")
    Importer().run([essay_line("a", tags=["asiakaskokemus"])])
    assert Tag.objects.get(name="asiakaskokemus").slug == "asiakaskokemus_1"


def test_tag_of_a_failed_record_is_created_again_by_the_next():
    # The first record's tags are saved, then its page fails: the tag goes with its savepoint.
    failing = essay_line("a", tags=["uusi"], title="x" * 300)
    report = Importer().run([failing, essay_line("b", tags=["uusi"])])
    assert len(report.errors) == 1
    assert [tag.name for tag in EssayPage.objects.get().tags.all()] == ["uusi"]


def test_new_book_authors_are_inserted_in_one_statement():
    book = {"title": "Tiimiakatemia", "authors": ["Johannes Partanen", "Hannu Leinonen", "Timo Lehtonen"]}
    with recorded() as sql:
        Importer().run([essay_line("a", books=[book])])
    assert len(starting(sql, 'INSERT INTO "essays_bookauthor"')) == 1
    assert Book.objects.get().author_names() == book["authors"]


def test_new_book_authors_are_not_looked_up():
    book = {"title": "Tiimiakatemia", "authors": ["Johannes Partanen"]}
    with recorded() as sql:
        Importer().run([essay_line("a", books=[book])])
    # The end of the chunk reads the chunk's books' authors together; none is read for one book.
    assert not [statement for statement in sql if '"essays_bookauthor"."book_id" = %s' in statement]
    assert BookAuthor.objects.get().name == "Johannes Partanen"
