"""Indexing benchmark: `python -m bench.indexing` times `manage.py update_index` over the database
DATABASE_URL names (default bench/bench.sqlite3, as bench.search builds it).

Reports the wall-clock time, this process's CPU time and, on PostgreSQL, the CPU time of the
server process that did the writing (read from /proc, so the server must run on this machine).
With --fresh the index is emptied first (not timed), so every entry is written anew, as after a
change of the Finnish analysis; without it, update_index runs over the index as it is.
"""

import argparse
import os
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent


def server_pid(connection):
    """The id of the PostgreSQL server process of this connection."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        return cursor.fetchone()[0]


def server_cpu_seconds(pid):
    """CPU seconds the PostgreSQL server process `pid` has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


class SlowStatements:
    """A Django execute wrapper printing each statement slower than `seconds` (none if None)."""

    def __init__(self, seconds, pid):
        self.seconds, self.pid = seconds, pid

    def __call__(self, execute, sql, params, many, context):
        if self.seconds is None:
            return execute(sql, params, many, context)
        server = server_cpu_seconds(self.pid) if self.pid else 0.0
        wall = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            wall = time.perf_counter() - wall
            if wall > self.seconds:
                line = f"{wall:8.1f} s wall"
                if self.pid:
                    line += f" {server_cpu_seconds(self.pid) - server:8.1f} s server"
                print(f"{line}  {' '.join(sql.split())[:100]}", flush=True)


def emptied_index(connection, entries):
    """Delete every index entry. The tables the entries' triggers write are emptied whole too:
    deleting a hundred thousand entries' postings one entry at a time takes longer than indexing
    them. On PostgreSQL TRUNCATE empties them (the entries' statement triggers); on SQLite they are
    emptied first, with the row triggers deferred (as update_index defers them)."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {entries._meta.db_table}")
        return
    from search.backends import postings, prefixes
    from search.backends.sqlite.index import defer_trigger_tables

    defer_trigger_tables(connection, True)
    try:
        with connection.cursor() as cursor:
            cursor.execute(f"DELETE FROM {postings.POSTINGS}")
            cursor.execute(f"DELETE FROM {prefixes.TABLE}")
        entries.objects.all().delete()
    finally:
        defer_trigger_tables(connection, False)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--fresh", action="store_true", help="empty the index first (not timed)")
    parser.add_argument(
        "--statements",
        type=float,
        metavar="SECONDS",
        help="list each statement that took longer, with its wall time and (PostgreSQL) the server's CPU",
    )
    args = parser.parse_args()
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essaybank.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench.sqlite3'}")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from wagtail.search.models import IndexEntry

    # Development settings keep every query's SQL when DEBUG is on; that would be measured too.
    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    if args.fresh:
        emptied_index(connection, IndexEntry)
    postgres = connection.vendor == "postgresql"
    pid = server_pid(connection) if postgres else None
    server_before = server_cpu_seconds(pid) if postgres else 0.0
    wall, cpu = time.perf_counter(), time.process_time()
    with connection.execute_wrapper(SlowStatements(args.statements, pid)):
        call_command("update_index", verbosity=0)
    wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    entries = IndexEntry.objects.count()
    line = f"{connection.vendor}: update_index of {entries} entries: wall {wall:.1f} s, CPU {cpu:.1f} s"
    if postgres:
        line += f", server CPU {server_cpu_seconds(pid) - server_before:.1f} s"
    print(line + f"; load average {' '.join(f'{load:.1f}' for load in os.getloadavg())}")


if __name__ == "__main__":
    main()
