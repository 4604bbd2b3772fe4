import os
import subprocess
import sys
from pathlib import Path

from django.conf import settings

PROJECT_ROOT = Path(__file__).resolve().parent.parent


def run_python(code, **env):
    """Run `code` in a fresh interpreter in the project with only `env` (and PATH) set."""
    return subprocess.run(
        [sys.executable, "-c", code],
        cwd=PROJECT_ROOT,
        env={"PATH": os.environ.get("PATH", ""), **env},
        capture_output=True,
        text=True,
        timeout=60,
    )


def import_production_settings(**env):
    """Import the production settings in a fresh interpreter with only `env` set."""
    return run_python("import essaybank.settings.production", **env)


def test_interface_language_is_finnish():
    assert settings.LANGUAGE_CODE == "fi"


def test_finnish_and_english_are_the_languages():
    assert [code for code, _name in settings.LANGUAGES] == ["fi", "en"]


def test_production_settings_refuse_to_start_without_secret_key():
    result = import_production_settings(DJANGO_ALLOWED_HOSTS="esseepankki.example")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DJANGO_SECRET_KEY" in result.stderr


def test_production_settings_refuse_to_start_without_allowed_hosts():
    result = import_production_settings(DJANGO_SECRET_KEY="x" * 50)
    assert result.returncode != 0
    assert "DJANGO_ALLOWED_HOSTS" in result.stderr


def test_production_settings_load_with_secret_key_and_hosts():
    result = import_production_settings(DJANGO_SECRET_KEY="x" * 50, DJANGO_ALLOWED_HOSTS="esseepankki.example")
    assert result.returncode == 0, result.stderr


def test_base_settings_have_debug_off():
    result = run_python("import essaybank.settings.base as b; assert b.DEBUG is False; assert b.SECRET_KEY == ''")
    assert result.returncode == 0, result.stderr


def test_sqlite_database_file_is_read_memory_mapped(tmp_path):
    """Searches read thousands of scattered rows; memory-mapped, they cost no read() call each."""
    script = (
        "import django; django.setup(); from django.db import connection;"
        "cursor = connection.cursor(); cursor.execute('PRAGMA mmap_size'); print(cursor.fetchone()[0])"
    )
    result = run_python(
        script,
        DJANGO_SETTINGS_MODULE="essaybank.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'mapped.sqlite3'}",
        SQLITE_MMAP_BYTES=str(2**20),
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) == 2**20


def test_sqlite_readers_go_on_while_a_write_transaction_is_open(tmp_path):
    """An import or an admin save holds a write transaction; searches read meanwhile."""
    script = (
        "import django, sqlite3; django.setup(); from django.db import connection;"
        "cursor = connection.cursor(); cursor.execute('CREATE TABLE t (x TEXT)');"
        "cursor.execute('INSERT INTO t VALUES (1)');"
        "writer = sqlite3.connect(connection.settings_dict['NAME'], timeout=0);"
        "writer.execute('BEGIN EXCLUSIVE'); writer.execute('INSERT INTO t VALUES (2)');"
        "cursor.execute('PRAGMA journal_mode'); mode = cursor.fetchone()[0];"
        "cursor.execute('SELECT count(*) FROM t'); print(mode, cursor.fetchone()[0])"
    )
    result = run_python(
        script,
        DJANGO_SETTINGS_MODULE="essaybank.settings.dev",
        DATABASE_URL=f"sqlite:///{tmp_path / 'wal.sqlite3'}",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["wal", "1"]


def test_the_demo_runs_with_debug_off_unless_a_developer_asks():
    script = "from django.conf import settings; print(settings.DEBUG)"
    off = run_python(script, DJANGO_SETTINGS_MODULE="essaybank.settings.dev")
    on = run_python(script, DJANGO_SETTINGS_MODULE="essaybank.settings.dev", DJANGO_DEBUG="1")
    assert (off.stdout.strip(), on.stdout.strip()) == ("False", "True"), off.stderr + on.stderr


def test_the_demo_serves_static_files_with_debug_off_and_no_collectstatic():
    script = (
        "import django; django.setup(); from django.test import Client;"
        "print(Client(HTTP_HOST='127.0.0.1').get('/static/essays/js/table-fi.js').status_code)"
    )
    result = run_python(script, DJANGO_SETTINGS_MODULE="essaybank.settings.dev")
    assert result.stdout.strip() == "200", result.stderr
