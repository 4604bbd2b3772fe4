"""manage.py backup and restore: a round trip brings back the page tree, its revisions and
workflows, the awards, sources, images and what a search finds, on the database the suite runs on."""

import hashlib
import io
import json
import os
import sqlite3
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
from django.contrib.auth.models import AnonymousUser
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection
from django.utils import translation
from wagtail.images.models import Image
from wagtail.images.tests.utils import get_test_image_file
from wagtail.models import Page, Revision, TaskState, WorkflowState

from citations.models import Source
from essaybank import backup
from essays.models import EssayPage, EssayType
from grading.models import Award
from grading.roles import COACHES, STUDENTS
from search.engine import Search, SearchRequest
from tests.factories import BookFactory, CoachFactory, EssayPageFactory, PersonFactory, TeamFactory
from tests.grading.helpers import in_progress_state, signed_in, submit, user_in, workflow_action_url
from tests.test_settings import PROJECT_ROOT

# Restoring replaces whole tables (pg_restore) or the whole file (SQLite): no test transaction
# can hold it; the data of the migrations is put back after each test.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    settings.MEDIA_ROOT.mkdir()
    return settings.MEDIA_ROOT


@pytest.fixture
def content(site_tree, media_root):
    """Published essays with authors, books and tags; one essay submitted and waiting, one approved
    with an award; a source and an uploaded image."""
    coach = CoachFactory(name="Marjut Hakala", user=user_in(COACHES, "marjut"))
    team = TeamFactory(name="Pinkut", coach=coach, start_year=2021)
    aino = PersonFactory(name="Aino Virtanen", team=team, user=user_in(STUDENTS, "aino"))
    eetu = PersonFactory(name="Eetu Mäkinen", team=team, user=user_in(STUDENTS, "eetu"))
    book = BookFactory(title="Palvelumuotoilu")
    EssayPageFactory(title="Asiakaskokemus kaupassa", authors=[aino], books=[book], tags=["asiakaskokemus"])
    EssayPageFactory(title="Asiakaskokemus verkossa", authors=[eetu], tags=["verkko", "asiakaskokemus"])
    individual = EssayType.objects.get(code="individual")
    waiting = EssayPageFactory(title="Kosketuspisteet", authors=[aino], essay_type=individual)
    waiting.unpublish()
    submit(waiting, aino.user)
    approved = EssayPageFactory(title="Tiimin oppiminen", authors=[eetu], essay_type=individual)
    approved.unpublish()
    submit(approved, eetu.user)
    response = signed_in(coach.user).post(
        workflow_action_url(approved, "approve", in_progress_state(approved)), {"points": "2", "comment": "Hyvä."}
    )
    assert response.status_code in (200, 302)
    assert Award.objects.exists()
    Source.objects.create(kind=Source.Kind.WEBPAGE, title="Asiakaskokemuksen mittaaminen", authors="Sivu, Aino")
    Image.objects.create(title="Kansikuva", file=get_test_image_file(filename="kansi.png"))


def media_files(root):
    return {
        str(path.relative_to(root)): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(Path(root).rglob("*"))
        if path.is_file()
    }


def search_titles(query):
    return [hit.title for hit in Search(SearchRequest.from_query({"q": query}), AnonymousUser()).hits[:20]]


def state(media_root):
    """What a round trip must bring back."""
    return {
        "pages": list(Page.objects.order_by("path").values_list("path", "title", "slug", "live")),
        "revisions": list(Revision.objects.order_by("pk").values_list("pk", "object_id", "created_at")),
        "workflow_states": list(WorkflowState.objects.order_by("pk").values_list("object_id", "status")),
        "task_states": list(TaskState.objects.order_by("pk").values_list("status", "comment")),
        "awards": list(
            Award.objects.order_by("pk").values_list("essay__title", "student__name", "points", "feedback")
        ),
        "sources": list(Source.objects.order_by("pk").values_list("kind", "title", "authors")),
        "images": list(Image.objects.order_by("pk").values_list("title", "file")),
        "media": media_files(media_root),
        "search": search_titles("asiakaskokemus"),
        "tags": sorted(EssayPage.objects.values_list("title", "tags__name")),
    }


def change_everything():
    EssayPage.objects.get(title="Asiakaskokemus verkossa").delete()
    kaupassa = EssayPage.objects.get(title="Asiakaskokemus kaupassa")
    kaupassa.title = "Muutettu"
    kaupassa.save_revision().publish()
    Award.objects.all().delete()
    Source.objects.all().delete()
    for image in Image.objects.all():
        image.delete()
    EssayPageFactory(title="Uusi asiakaskokemus")


def test_round_trip_restores_pages_revisions_workflows_awards_sources_images_and_search(content, media_root, tmp_path):
    before = state(media_root)
    assert before["search"] and before["awards"] and before["media"] and before["task_states"]
    archive = tmp_path / "esseepankki.tar.gz"
    call_command("backup", str(archive), stdout=io.StringIO())
    change_everything()
    assert state(media_root) != before
    call_command("restore", str(archive), "--no-input", stdout=io.StringIO())
    assert state(media_root) == before


def test_archive_holds_manifest_database_and_media(content, media_root, tmp_path):
    archive = tmp_path / "esseepankki.tar.gz"
    backup.create_backup(archive)
    with tarfile.open(archive) as opened:
        names = opened.getnames()
        manifest = json.load(opened.extractfile("manifest.json"))
    assert backup.DUMPS[connection.vendor] in names
    assert any(name.startswith("media/original_images/") for name in names)
    assert manifest["format"] == backup.FORMAT_VERSION
    assert manifest["vendor"] == connection.vendor
    assert manifest["created"].endswith("+00:00")
    assert ["essays", "0001_initial"] in manifest["migrations"]


def rewritten(archive, **changes):
    """The archive with its manifest's fields changed."""
    with tarfile.open(archive) as opened:
        members = [(member, opened.extractfile(member).read() if member.isfile() else None) for member in opened]
    with tarfile.open(archive, "w:gz") as target:
        for member, data in members:
            if member.name == "manifest.json":
                data = json.dumps({**json.loads(data), **changes}).encode()
                member.size = len(data)
            target.addfile(member, io.BytesIO(data) if data is not None else None)
    return archive


@pytest.fixture
def archive(site_tree, media_root, tmp_path):
    path = tmp_path / "esseepankki.tar.gz"
    backup.create_backup(path)
    return path


def test_restore_refuses_a_backup_of_another_database(archive):
    other = "postgresql" if connection.vendor == "sqlite" else "sqlite"
    rewritten(archive, vendor=other)
    with translation.override("fi"), pytest.raises(CommandError, match="eikä sitä voi palauttaa tietokantaan"):
        call_command("restore", str(archive), "--no-input")


def test_restore_refuses_a_newer_format(archive):
    rewritten(archive, format=backup.FORMAT_VERSION + 1)
    with translation.override("fi"), pytest.raises(CommandError, match="on uudempi kuin"):
        call_command("restore", str(archive), "--no-input")


def test_restore_refuses_a_backup_of_a_newer_version(archive):
    with tarfile.open(archive) as opened:
        migrations = json.load(opened.extractfile("manifest.json"))["migrations"]
    rewritten(archive, migrations=[*migrations, ["essays", "9999_tulevaisuus"]])
    with translation.override("fi"), pytest.raises(CommandError, match="essays.9999_tulevaisuus"):
        call_command("restore", str(archive), "--no-input")


def test_restore_refuses_a_file_that_is_no_backup(tmp_path, site_tree):
    path = tmp_path / "muu.tar.gz"
    path.write_bytes(b"ei varmuuskopio")
    with translation.override("fi"), pytest.raises(CommandError, match="ei ole Esseepankin varmuuskopio"):
        call_command("restore", str(path), "--no-input")


def test_restore_asks_for_confirmation(archive, monkeypatch):
    EssayPageFactory(title="Jää paikalleen")
    monkeypatch.setattr("builtins.input", lambda prompt: "ei")
    with pytest.raises(CommandError):
        call_command("restore", str(archive), stdout=io.StringIO())
    assert EssayPage.objects.filter(title="Jää paikalleen").exists()


COMMAND = (
    "import sys, django; django.setup(); from django.conf import settings;"
    "settings.MEDIA_ROOT = sys.argv[1]; from django.core.management import call_command;"
    "call_command(*sys.argv[2:])"
)


def manage(database, media, *arguments):
    result = subprocess.run(
        [sys.executable, "-c", COMMAND, str(media), *arguments],
        cwd=PROJECT_ROOT,
        env={
            "PATH": os.environ.get("PATH", ""),
            "DJANGO_SETTINGS_MODULE": "essaybank.settings.dev",
            "DATABASE_URL": f"sqlite:///{database}",
        },
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    return result


@pytest.mark.skipif(connection.vendor != "sqlite", reason="a SQLite database file")
def test_sqlite_file_is_backed_up_and_replaced_while_another_connection_has_it_open(site_tree, media_root, tmp_path):
    """The live file in WAL mode, as the site runs it: the backup is taken and restored while
    another process holds a connection, which afterwards reads the restored data."""
    database = tmp_path / "db.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(database)
    connection.connection.backup(copy)
    copy.execute("PRAGMA journal_mode=WAL")
    (media_root / "liite.txt").write_text("alkuperäinen")
    archive = tmp_path / "esseepankki.tar.gz"
    manage(database, media_root, "backup", str(archive))
    titles = copy.execute("SELECT path, title FROM wagtailcore_page ORDER BY path").fetchall()
    copy.execute("UPDATE wagtailcore_page SET title = 'Muutettu'")
    copy.commit()
    (media_root / "liite.txt").write_text("muutettu")
    (media_root / "uusi.txt").write_text("uusi")
    manage(database, media_root, "restore", str(archive), "--no-input")
    assert copy.execute("SELECT path, title FROM wagtailcore_page ORDER BY path").fetchall() == titles
    assert copy.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert copy.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    copy.close()
    assert media_files(media_root) == {"liite.txt": hashlib.sha256("alkuperäinen".encode()).hexdigest()}
