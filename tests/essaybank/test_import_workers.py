"""Both importers read records in worker processes (essaybank.workers) and commit chunk by chunk:
the same results as reading them in one process, a record failing in a worker reported alone, a
dry run writing nothing, and an import stopped part way keeping what it committed."""

import io
import itertools
import json
import os
from concurrent.futures.process import BrokenProcessPool
from pathlib import Path

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils.translation import gettext as _
from wagtail.images import get_image_model
from wagtail.search.models import IndexEntry

from concepts.linking import analysed_words, stream_text
from concepts.models import EssayConceptLink
from essaybank import wxr
from essaybank.importer import Importer, made_ahead, read_line
from essaybank.management.commands.import_essays import Command as ImportEssays
from essaybank.models import WordPressPost
from essaybank.wordpress import WordPressImporter, read_item
from essaybank.workers import in_order
from essays.models import Book, EssayPage, ImportRecord, Person
from finnish import indexing
from originality.fingerprints import essay_text, signature
from originality.models import BandKey, Signature
from search.models import Posting
from tests.factories import ConceptPageFactory

pytestmark = pytest.mark.usefixtures("site_tree")

# What an import's worker makes ahead for an essay (essaybank.importer.made_ahead).
MADE_AHEAD = (indexing.text_analysis, analysed_words, signature)

FIXTURES = Path(__file__).parent / "fixtures"
CUSTOM_FIELDS = FIXTURES / "custom_fields.xml"


def essay_line(number, **fields):
    record = {
        "id": f"essee-{number}",
        "title": f"Essee numero {number}",
        "written": "2019-03-12",
        "authors": [{"name": f"Kirjoittaja {number % 3}", "team": "Pinkut"}],
        "books": [{"title": f"Kirja {number % 2}", "authors": ["Janne Löytänä"]}],
        "body": f"Palautteen antaminen on taito {number}.\n\n## Otsikko\n\n- kohta yksi\n- kohta kaksi\n\n"
        "> Hyvä palaute on täsmällistä.",
        **fields,
    }
    return json.dumps(record, ensure_ascii=False)


def jsonl_lines():
    """Good lines, with lines failing where a worker reads them and where the importer writes them."""
    return [
        essay_line(1),
        "{oops",
        essay_line(3, body=5),
        essay_line(4, essay_type="tuntematon"),
        "[1, 2]",
        essay_line(6),
        essay_line(7),
    ]


def wxr_export(tmp_path):
    """An export of three posts, the middle one's HTML unreadable to lxml."""
    items = "".join(
        f"""<item><title>Essee {post_id}</title><link>https://esseet.example/?p={post_id}</link>
<wp:post_id>{post_id}</wp:post_id><wp:post_date>2019-03-12 10:00:00</wp:post_date>
<wp:post_name>essee-{post_id}</wp:post_name><wp:status>publish</wp:status><wp:post_type>post</wp:post_type>
<content:encoded><![CDATA[{content}]]></content:encoded></item>"""
        for post_id, content in (
            (1, "<p>Kirjoittanut: Aino Aaltonen</p><p>Palautteen antaminen on taito.</p>"),
            (2, " <!DOCTYPE html>"),
            (3, "<p>Kirjoittanut: Eero Esimerkki</p><p>Tiimi oppii yhdessä.</p>"),
        )
    )
    path = tmp_path / "export.xml"
    path.write_text(
        '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" '
        'xmlns:content="http://purl.org/rss/1.0/modules/content/" xmlns:wp="http://wordpress.org/export/1.2/">'
        f"<channel><link>https://esseet.example</link>{items}</channel></rss>",
        encoding="utf-8",
    )
    return path


def without_ids(data):
    """Stored StreamField data without the block ids, and an image as its file's hash."""
    if isinstance(data, list):
        return [without_ids(item) for item in data]
    if isinstance(data, dict):
        if data.get("type") == "image":
            return ["image", get_image_model().objects.get(pk=data["value"]["image"]).file_hash]
        return {key: without_ids(value) for key, value in data.items() if key != "id"}
    return data


def snapshot():
    """The essays as readers and the search index see them, without ids given out in order."""
    essays = [
        (
            essay.title,
            essay.slug,
            essay.live,
            without_ids(list(essay.body.raw_data)),
            [authorship.person.name for authorship in essay.essay_authors.all()],
            [source.book.title for source in essay.book_sources.all()],
        )
        for essay in EssayPage.objects.order_by("path")
    ]
    content_type = ContentType.objects.get_for_model(EssayPage)
    entries = IndexEntry.objects.filter(content_type=content_type).values_list("title", "autocomplete", "body")
    postings = Posting.objects.filter(content_type=content_type).values_list("term", "weight")
    signatures = Signature.objects.values_list("essay__title", "minhash", "shingles")
    keys = BandKey.objects.values_list("essay__title", "key")
    links = EssayConceptLink.objects.values_list("essay__title", "concept__title", "mentions", "first_mention")
    return (
        essays,
        sorted(entries),
        sorted(postings),
        sorted((title, bytes(minhash), shingles) for title, minhash, shingles in signatures),
        sorted(keys),
        sorted(links),
    )


def with_and_without_workers(run, settings, tmp_path):
    """(snapshot, report) of run(workers) with no worker and with one, each rolled back after and
    storing its images apart, so that the second does not find the first's files."""
    results = []
    for workers in (0, 1):
        settings.MEDIA_ROOT = tmp_path / f"media-{workers}"
        with transaction.atomic():
            report = run(workers)
            results.append((snapshot(), report))
            transaction.set_rollback(True)
    return results


@pytest.fixture
def feedback_concept(site_tree):
    """A concept the essays of essay_line discuss."""
    return ConceptPageFactory(title="palaute", english_term="feedback", synonyms="palautteen antaminen")


@pytest.mark.usefixtures("feedback_concept")
def test_jsonl_import_with_a_worker_equals_one_without(settings, tmp_path):
    def run(workers):
        importer = Importer(workers=workers)
        importer.chunk_size = 3
        return importer.run(jsonl_lines())

    (alone, alone_report), (beside, beside_report) = with_and_without_workers(run, settings, tmp_path)
    essays, entries, postings, signatures, keys, links = alone
    assert len(essays) == 3 and entries and postings and len(signatures) == 3 and keys and len(links) == 3
    assert beside == alone
    assert (beside_report.created, beside_report.errors) == (alone_report.created, alone_report.errors)


def test_jsonl_lines_failing_in_a_worker_are_reported_and_the_rest_imported():
    report = Importer(workers=1).run(jsonl_lines())
    failed = dict(report.errors)
    assert sorted(failed) == [2, 3, 4, 5]
    assert failed[3] == _("body must be text")
    assert failed[5] == _("a line must hold one JSON object")
    assert sorted(EssayPage.objects.values_list("title", flat=True)) == [
        "Essee numero 1",
        "Essee numero 6",
        "Essee numero 7",
    ]


@pytest.mark.usefixtures("feedback_concept")
def test_wordpress_import_with_a_worker_equals_one_without(settings, tmp_path):
    def run(workers):
        importer = WordPressImporter(uploads=FIXTURES / "uploads", workers=workers)
        importer.chunk_size = 4
        return importer.run(CUSTOM_FIELDS)

    (alone, alone_report), (beside, beside_report) = with_and_without_workers(run, settings, tmp_path)
    essays, _entries, postings, signatures, keys, links = alone
    assert len(essays) > 8 and postings and len(signatures) == len(essays) and keys and links
    assert beside == alone
    assert beside_report == alone_report


def test_wordpress_post_failing_in_a_worker_is_reported_and_the_rest_imported(tmp_path):
    report = WordPressImporter(workers=1).run(wxr_export(tmp_path))
    assert report.created == 3 and not report.errors
    assert {(post_id, title) for post_id, title, _reason in report.warnings} == {("2", "Essee 2")}
    unreadable = _("the text could not be read (%(reason)s): it is kept as it was") % {"reason": "Document is empty"}
    assert unreadable in [reason for _post_id, _title, reason in report.warnings]
    assert EssayPage.objects.get(title="Essee 3").essay_authors.get().person.name == "Eero Esimerkki"


def essay_texts(lines, function):
    """The texts read_line makes ahead for these lines for one made-ahead function."""
    return [
        text
        for number_line in enumerate(lines, 1)
        for made, text, _result in read_line(number_line).made
        if made is function
    ]


def test_a_worker_makes_each_analysis_of_an_essay_ahead():
    made = read_line((1, essay_line(1))).made
    # The title's search analysis first, then the body's.
    assert [function for function, _text, _result in made] == [indexing.text_analysis, *MADE_AHEAD]


@pytest.mark.usefixtures("without_index_updates")
def test_title_a_worker_analyses_is_the_essays():
    line = essay_line(1, title=" Palaute\u00adkulttuuri tiimissä ")
    Importer(workers=0).run([line])
    assert essay_texts([line], indexing.text_analysis)[0] == EssayPage.objects.get().title


@pytest.mark.usefixtures("without_index_updates")
def test_title_a_worker_analyses_is_the_posts_essays():
    _channel, items = wxr.read(CUSTOM_FIELDS.open("rb"))
    titles = {int(item.id): read.made[0][1] for item in items if (read := read_item(item)) is not None}
    WordPressImporter(uploads=FIXTURES / "uploads").run(CUSTOM_FIELDS)
    stored = WordPressPost.objects.filter(post_id__in=titles).select_related("page")
    assert titles == {record.post_id: record.page.title for record in stored}


@pytest.mark.parametrize("function", MADE_AHEAD, ids=lambda function: function.__name__)
def test_what_a_worker_makes_ahead_is_the_direct_call(function):
    made = made_ahead(EssayPage, read_line((1, essay_line(1))).body)
    ((text, result),) = [(text, result) for made_function, text, result in made if made_function is function]
    assert result == function.function(text)


@pytest.mark.usefixtures("without_index_updates")
def test_body_analysed_by_a_worker_is_handed_to_the_importer():
    lines = [essay_line(number) for number in range(1, 4)]
    indexing.text_analysis.kept.clear()
    Importer(workers=1).run(lines)
    assert list(indexing.text_analysis.kept) == essay_texts(lines, indexing.text_analysis)


@pytest.mark.parametrize("function", MADE_AHEAD, ids=lambda function: function.__name__)
def test_analyses_made_by_a_worker_are_taken_by_the_end_of_the_chunk(function):
    lines = [essay_line(number) for number in range(1, 4)]
    function.kept.clear()
    Importer(workers=1).run(lines)
    assert essay_texts(lines, function) and not function.kept


def test_texts_made_ahead_are_those_the_stored_essays_give():
    lines = [essay_line(number) for number in range(1, 4)]
    Importer(workers=0).run(lines)
    essays = EssayPage.objects.order_by("title")
    assert essay_texts(lines, signature) == [essay_text(essay) for essay in essays]
    assert essay_texts(lines, analysed_words) == [stream_text(essay.body) for essay in essays]


def test_wordpress_dry_run_in_chunks_reports_what_the_import_does():
    def run(dry_run):
        importer = WordPressImporter(uploads=FIXTURES / "uploads", workers=1)
        importer.chunk_size = 3
        return importer.run(CUSTOM_FIELDS, dry_run=dry_run)

    dry = run(dry_run=True)
    assert not EssayPage.objects.exists() and not Book.objects.exists() and not Person.objects.exists()
    assert dry.counts["people"] and dry.counts["books"]
    assert run(dry_run=False) == dry


class FailingFile(io.RawIOBase):
    """A file that breaks after `size` bytes, as a disk or a network share can; read in small pieces
    so that the posts before the break are parsed first."""

    def __init__(self, path, size):
        self.data, self.size, self.position = path.read_bytes(), size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        if self.position >= self.size:
            raise OSError("levy irrotettiin")
        piece = self.data[self.position : min(self.position + 256, self.size)]
        buffer[: len(piece)] = piece
        self.position += len(piece)
        return len(piece)


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_jsonl_import_stopped_in_its_second_chunk_keeps_the_first():
    def lines():
        yield from (essay_line(number) for number in range(1, 6))
        raise OSError("levy irrotettiin")

    importer = Importer(workers=1)
    importer.chunk_size = 3
    with pytest.raises(OSError):
        importer.run(lines())
    assert importer.report.committed == 3
    assert sorted(EssayPage.objects.values_list("title", flat=True)) == [f"Essee numero {n}" for n in (1, 2, 3)]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_wordpress_import_stopped_in_its_second_chunk_keeps_the_first():
    data = CUSTOM_FIELDS.read_bytes()
    starts = [offset for offset in range(len(data)) if data.startswith(b"<item>", offset)]
    # The file breaks inside the sixth item, in the second chunk of four.
    importer = WordPressImporter(workers=1)
    importer.chunk_size = 4
    with pytest.raises(OSError):
        importer.run(FailingFile(CUSTOM_FIELDS, starts[5] + 10))
    assert importer.report.committed == 4
    _channel, items = wxr.read(io.BytesIO(data))
    first_posts = [item.id for item in itertools.islice(items, 4) if read_item(item) is not None]
    kept = ImportRecord.objects.values_list("external_id", flat=True)
    assert first_posts and sorted(key.rpartition(":")[2] for key in kept) == sorted(first_posts)


def test_stopped_import_says_where_it_resumes():
    report = Importer().report
    report.committed = 400
    err = io.StringIO()
    command = ImportEssays(stderr=err)
    command.stopped(report)
    assert "tallennettu 400 riviä" in err.getvalue()


def dies_at_three(number):
    if number == 3:
        os._exit(1)
    return number


def test_results_of_two_workers_come_in_input_order():
    assert list(in_order(str, range(100), workers=2)) == [(number, str(number)) for number in range(100)]


def test_a_worker_that_dies_fails_the_import_instead_of_hanging():
    with pytest.raises(BrokenProcessPool):
        list(in_order(dies_at_three, range(20), workers=1))
