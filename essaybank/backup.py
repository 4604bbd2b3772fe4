"""A backup of the whole site in one archive, and its restore.

The archive is a gzipped tar holding manifest.json (format version, database vendor, time of the
backup in UTC, the migrations applied), the database dump (database.sqlite3, an online copy made
with SQLite's backup API, or database.pgdump, pg_dump's custom format) and the files of MEDIA_ROOT
under media/. dumpdata/loaddata is not used: the page tree's signal handlers and tags do not
survive it.
"""

import datetime
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from pathlib import Path

from django.conf import settings
from django.core.cache import caches as django_caches
from django.core.management.base import CommandError
from django.db import connections
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils.translation import gettext as _

from essays import facets
from essays.models import FacetsVersion
from search import caches as search_caches

FORMAT_VERSION = 1
MANIFEST = "manifest.json"
MEDIA = "media"
DUMPS = {"sqlite": "database.sqlite3", "postgresql": "database.pgdump"}


def _connection(alias="default"):
    connection = connections[alias]
    if connection.vendor not in DUMPS:
        raise CommandError(_("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": connection.vendor})
    return connection


def _pg_tool(name):
    path = shutil.which(name)
    if path is None:
        raise CommandError(
            _("%(tool)s was not found: install PostgreSQL's client tools (the same major version as the server).")
            % {"tool": name}
        )
    return path


def _pg_arguments_and_env(settings_dict):
    """pg_dump/pg_restore's connection arguments and environment for Django's settings of a database."""
    arguments = ["--dbname", settings_dict["NAME"]]
    if settings_dict.get("USER"):
        arguments += ["--username", settings_dict["USER"]]
    if settings_dict.get("HOST"):
        arguments += ["--host", settings_dict["HOST"]]
    if settings_dict.get("PORT"):
        arguments += ["--port", str(settings_dict["PORT"])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = settings_dict["PASSWORD"]
    sslmode = (settings_dict.get("OPTIONS") or {}).get("sslmode")
    if sslmode:
        env["PGSSLMODE"] = sslmode
    return arguments, env


def _run(command, env):
    result = subprocess.run(command, env=env, capture_output=True, text=True)
    if result.returncode != 0:
        raise CommandError(
            _("%(tool)s failed: %(error)s") % {"tool": Path(command[0]).name, "error": result.stderr.strip()}
        )


def _applied_migrations(connection):
    recorder = MigrationRecorder(connection)
    return sorted([app, name] for app, name in recorder.applied_migrations())


def _dump_database(connection, target):
    if connection.vendor == "sqlite":
        connection.ensure_connection()
        copy = sqlite3.connect(target)
        try:
            # An online copy: the site may go on reading and writing meanwhile (WAL mode).
            connection.connection.backup(copy)
        finally:
            copy.close()
    else:
        arguments, env = _pg_arguments_and_env(connection.settings_dict)
        _run([_pg_tool("pg_dump"), "--format=custom", "--no-owner", "--file", str(target), *arguments], env)


def create_backup(path, alias="default"):
    """Write the database and the media files into the archive at `path`; return its manifest."""
    connection = _connection(alias)
    manifest = {
        "format": FORMAT_VERSION,
        "vendor": connection.vendor,
        "created": datetime.datetime.now(datetime.UTC).isoformat(timespec="seconds"),
        "migrations": _applied_migrations(connection),
    }
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory() as work:
        dump = Path(work) / DUMPS[connection.vendor]
        _dump_database(connection, dump)
        partial = Path(f"{path}.partial")
        with tarfile.open(partial, "w:gz") as archive:
            data = json.dumps(manifest, indent=2).encode()
            info = tarfile.TarInfo(MANIFEST)
            info.size = len(data)
            info.mtime = int(datetime.datetime.now().timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(dump, arcname=dump.name)
            if media_root.is_dir():
                archive.add(media_root, arcname=MEDIA)
        os.replace(partial, path)
    return manifest


def read_manifest(path, alias="default"):
    """The archive's manifest, checked against this site; CommandError if it cannot be restored here."""
    connection = _connection(alias)
    try:
        with tarfile.open(path, "r:gz") as archive:
            manifest = json.load(archive.extractfile(MANIFEST))
    except (OSError, KeyError, tarfile.TarError, ValueError, AttributeError) as error:
        message = _("%(path)s is not an Esseepankki backup: %(error)s") % {"path": path, "error": error}
        raise CommandError(message) from None
    if not isinstance(manifest, dict) or not isinstance(manifest.get("format"), int):
        raise CommandError(_("%(path)s is not an Esseepankki backup.") % {"path": path})
    if manifest["format"] > FORMAT_VERSION:
        raise CommandError(
            _("The backup is of format %(format)s, newer than this version of Esseepankki reads (%(known)s).")
            % {"format": manifest["format"], "known": FORMAT_VERSION}
        )
    if manifest.get("vendor") != connection.vendor:
        raise CommandError(
            _("The backup is of a %(archive)s database and cannot be restored into a %(vendor)s database.")
            % {"archive": manifest.get("vendor"), "vendor": connection.vendor}
        )
    known = set(MigrationLoader(None, ignore_no_migrations=True).disk_migrations)
    unknown = sorted(f"{app}.{name}" for app, name in manifest.get("migrations", []) if (app, name) not in known)
    if unknown:
        raise CommandError(
            _("The backup was made by a newer version of Esseepankki: its migrations %(names)s are not known here.")
            % {"names": ", ".join(unknown[:5])}
        )
    return manifest


def _restore_database(connection, dump):
    if connection.vendor == "sqlite":
        # Other connections to the file are closed; the backup API then replaces every page of the
        # live database in one step, under its lock, WAL and all.
        connections.close_all()
        connection.ensure_connection()
        source = sqlite3.connect(dump)
        try:
            source.backup(connection.connection)
        finally:
            source.close()
    else:
        arguments, env = _pg_arguments_and_env(connection.settings_dict)
        tool = _pg_tool("pg_restore")
        connections.close_all()
        _run(
            [tool, "--clean", "--if-exists", "--no-owner", "--no-privileges", "--single-transaction", *arguments]
            + [str(dump)],
            env,
        )


def _restore_media(archive, work):
    media_root = Path(settings.MEDIA_ROOT)
    members = [member for member in archive.getmembers() if member.name.split("/")[0] == MEDIA]
    archive.extractall(work, members=members, filter="data")
    extracted = Path(work) / MEDIA
    media_root.mkdir(parents=True, exist_ok=True)
    for child in media_root.iterdir():
        if child.is_dir() and not child.is_symlink():
            shutil.rmtree(child)
        else:
            child.unlink()
    if extracted.is_dir():
        for child in extracted.iterdir():
            shutil.move(str(child), media_root / child.name)


def clear_caches():
    """Forget whatever this process remembers of the database that was replaced (the highlighter's
    caches of word analyses hold no data of the site and are kept)."""
    for cache in django_caches.all(initialized_only=True):
        cache.clear()
    search_caches.forget_database()
    facets._current = None
    # Other processes of the site read the essay facets again when they see a new token.
    FacetsVersion.replace()


def restore_backup(path, alias="default"):
    """Replace the database and the media files by those of the archive at `path`; return its manifest."""
    manifest = read_manifest(path, alias)
    connection = _connection(alias)
    with tempfile.TemporaryDirectory() as work, tarfile.open(path, "r:gz") as archive:
        name = DUMPS[connection.vendor]
        try:
            member = archive.getmember(name)
        except KeyError:
            raise CommandError(_("The backup holds no database dump.")) from None
        archive.extractall(work, members=[member], filter="data")
        _restore_database(connection, Path(work) / name)
        _restore_media(archive, work)
    clear_caches()
    return manifest
