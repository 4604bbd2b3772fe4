"""What the WordPress import writes into the community app: legacy comments and rating baselines."""

import datetime
import decimal
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from community.imports import add_legacy_comment, load_rating_baselines, read_rating_csv
from community.models import Comment, RatingTotals
from essays.models import ImportRecord
from tests.factories import EssayPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]

WRITTEN = timezone.make_aware(datetime.datetime(2016, 3, 4, 12, 30))


def test_legacy_comment_keeps_its_name_and_time():
    essay = EssayPageFactory()
    comment = add_legacy_comment(essay, key="17", name="Liisa L.", created_at=WRITTEN, text="Hyvä essee!")
    assert (comment.author_name, comment.created_at, comment.status) == ("Liisa L.", WRITTEN, "approved")
    assert comment.user is None


def test_legacy_comment_imported_again_is_updated_not_doubled():
    essay = EssayPageFactory()
    add_legacy_comment(essay, key="17", name="Liisa", created_at=WRITTEN, text="Ensimmäinen")
    add_legacy_comment(essay, key="17", name="Liisa", created_at=WRITTEN, text="Korjattu")
    assert list(Comment.objects.values_list("text", flat=True)) == ["Korjattu"]


def test_reply_to_a_reply_hangs_under_the_top_level_comment():
    essay = EssayPageFactory()
    top = add_legacy_comment(essay, key="1", name="A", created_at=WRITTEN, text="Kysymys")
    add_legacy_comment(essay, key="2", name="B", created_at=WRITTEN, text="Vastaus", parent_key="1")
    deep = add_legacy_comment(essay, key="3", name="C", created_at=WRITTEN, text="Jatko", parent_key="2")
    assert deep.parent == top


def test_legacy_comment_with_unknown_parent_is_refused():
    essay = EssayPageFactory()
    with pytest.raises(ValueError):
        add_legacy_comment(essay, key="9", name="A", created_at=WRITTEN, text="x", parent_key="404")
    assert not Comment.objects.exists()


def test_legacy_comment_loses_its_control_characters():
    essay = EssayPageFactory()
    comment = add_legacy_comment(essay, key="5", name="A", created_at=WRITTEN, text="Hei\x00 maailma\x1b")
    assert comment.text == "Hei maailma"


def test_rating_csv_skips_a_header_and_reports_bad_lines():
    rows, errors = read_rating_csv(io.StringIO("post_id,average,votes\n12,4.25,8\n13,7,2\n14,abc,1\n"))
    assert rows == [("12", decimal.Decimal("4.25"), 8)]
    assert [number for number, _reason in errors] == [3, 4]


def test_baseline_sets_average_and_count():
    essay = EssayPageFactory()
    updated, unknown = load_rating_baselines([("12", decimal.Decimal("4.25"), 8), ("99", 3, 1)], {"12": essay})
    totals = RatingTotals.objects.get(page=essay)
    assert (updated, unknown, totals.count, totals.average) == (1, ["99"], 8, 4.25)


def test_command_maps_post_ids_through_import_records(tmp_path):
    essay = EssayPageFactory()
    ImportRecord.objects.create(external_id="wordpress:77", page=essay)
    path = tmp_path / "ratings.csv"
    path.write_text("77,3.5,4\n", encoding="utf-8")
    call_command("load_rating_baselines", str(path), stdout=io.StringIO(), stderr=io.StringIO())
    assert RatingTotals.objects.get(page=essay).average == 3.5
