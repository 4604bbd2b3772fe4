"""Load test: `python -m bench.load` (part of `make bench`, not of CI).

Builds the demo site plus generated essays (bench.search's bulk insert, Finnish text from Debian's
libreoffice-help-fi) in two databases, then runs locust headless (bench/locustfile.py) on loopback
at each number of concurrent users against three setups, one after the other:

- production: `make serve` (gunicorn, several workers, production settings, WhiteNoise) on
  PostgreSQL, searching a one-node OpenSearch cluster (scripts/opensearch.sh);
- dev-sqlite: `manage.py runserver` (the development server: one process, a thread per request,
  or one request at a time with --nothreading) on SQLite, searching the database;
- static: the production server answering one static file from WhiteNoise, the ceiling.

Each level prints requests per second, p50/p95/p99 and failures, the answers by status code and the
load average before and after; the table goes to standard output and bench/results-load.md. It
exits non-zero if any answer was a 5xx. Databases are rebuilt only when their essay count changed.
"""

import argparse
import contextlib
import datetime
import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH_DIR = ROOT / "bench"
WORK_DIR = BENCH_DIR / "load"
PYTHON = sys.executable
LOCUST = Path(sys.executable).with_name("locust")
PRODUCTION_PORT = 8071
DEV_PORT = 8072
DEMO_PASSWORD_DEFAULT = "esseepankki-demo"
# The cluster's indexes of this test, beside any others it holds.
INDEX_PREFIX = "load_"
SETUPS = ("production", "dev-sqlite", "static")
USER_CLASSES = {"production": ["Reader", "Commenter", "Student"], "static": ["StaticFile"]}
USER_CLASSES["dev-sqlite"] = USER_CLASSES["production"]


def prepare(essays, seed):
    """In a process of its own (one database per process): migrate, the demo, `essays` generated
    essays indexed in every search backend, and the addresses and accounts the users need."""
    import io
    import random

    from bench.search import build_essays, help_paragraphs, setup_django

    setup_django()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connection
    from modelsearch.backends import get_search_backend

    from essays.models import EssayPage

    if settings.SEARCH_CLUSTER_URLS:
        # Building the index on a busy machine may take the cluster longer than a request may.
        settings.WAGTAILSEARCH_BACKENDS["default"] = {**settings.WAGTAILSEARCH_BACKENDS["default"], "TIMEOUT": 120}
    with contextlib.redirect_stdout(io.StringIO()):
        call_command("load_demo", verbosity=0)
    generated = EssayPage.objects.filter(slug__startswith="bench-").count()
    if generated != essays:
        if generated:
            sys.exit("the database holds another number of generated essays: give bench.load a fresh one")
        paragraphs = help_paragraphs()
        started = time.perf_counter()
        ids = build_essays(essays, paragraphs, random.Random(seed), replace=False)
        print(f"  {essays} essays inserted in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        started = time.perf_counter()
        database_backend = "database" if settings.SEARCH_CLUSTER_URLS else "default"
        index = get_search_backend(database_backend).get_index_for_model(EssayPage)
        for start in range(0, len(ids), 500):
            chunk = EssayPage.objects.filter(pk__in=ids[start : start + 500]).prefetch_related(
                "essay_authors__person", "book_sources__book", "tags"
            )
            index.add_items(EssayPage, list(chunk))
        if settings.SEARCH_CLUSTER_URLS:
            call_command("update_index", backend_name="default", verbosity=0)
        print(f"  indexed in {time.perf_counter() - started:.0f} s", file=sys.stderr)
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
    json.dump(targets(seed), sys.stdout, ensure_ascii=False)


def targets(seed):
    """Addresses, filter values, queries and accounts for bench/locustfile.py."""
    import random

    from django.contrib.auth import get_user_model
    from taggit.models import Tag

    from community.access import commentable
    from concepts.models import ConceptPage
    from essays.listing import ORDERS
    from essays.models import Book, EssayIndexPage, EssayPage, Team
    from grading.roles import STUDENTS
    from search.engine import Sort

    rng = random.Random(seed)
    public = EssayPage.objects.live().public()
    essay_paths = [page.url for page in rng.sample(list(public.specific()), min(300, public.count()))]
    demo_essays = [page for page in public.exclude(slug__startswith="bench-").specific() if commentable(page)]
    words = [
        "asiakaskokemus",
        "palvelumuotoilu",
        "tiimi",
        "johtaminen",
        '"asiakkaan kokemus"',
        "tiedosto",
        "valikko",
        "asiakirja",
        "taulukko",
        '"valitse tiedosto"',
        "muotoilu kappale",
        "kuva",
    ]
    students = []
    for user in get_user_model().objects.filter(groups__name=STUDENTS).distinct():
        # Live essays outside the grading workflow, whose editor saves a draft for the student.
        own = [
            page.pk
            for page in EssayPage.objects.filter(essay_authors__person__user=user, live=True).distinct()
            if not page.workflow_in_progress
        ]
        if own:
            students.append((user.username, own))
    index = EssayIndexPage.objects.get()
    return {
        "essays": essay_paths,
        "commentable": [page.url for page in demo_essays],
        "listing": index.url,
        "listing_orders": list(ORDERS),
        "search_orders": list(Sort.values),
        "filters": {
            "kirja": list(Book.objects.values_list("slug", flat=True)[:50]),
            "tiimi": list(Team.objects.values_list("slug", flat=True)[:40]),
            "tagi": list(Tag.objects.values_list("name", flat=True)[:50]),
            "vuosi": [str(year) for year in range(2012, 2025)],
        },
        "queries": words,
        "prefixes": sorted({word.strip('"')[:length] for word in words for length in (2, 3, 4, 6)}),
        "concepts": [page.url for page in ConceptPage.objects.live().public()],
        "feeds": ["/syotteet/esseet/"]
        + [f"/syotteet/tagit/{slug}/" for slug in Tag.objects.values_list("slug", flat=True)[:5]],
        "students": students,
        "password": os.environ.get("DEMO_ADMIN_PASSWORD") or DEMO_PASSWORD_DEFAULT,
    }


def load_average():
    return "{:.1f} {:.1f} {:.1f}".format(*os.getloadavg())


def wait_until_idle(url, seconds=180):
    """Until the server answers a cheap page at once: the requests a level left queued in its
    listen backlog (the clients gone) are still served first and would weigh on the next level."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        started = time.monotonic()
        request = urllib.request.Request(url + "/robots.txt", headers={"X-Forwarded-Proto": "https"})
        with contextlib.suppress(OSError), urllib.request.urlopen(request, timeout=60):
            if time.monotonic() - started < 1:
                return
        time.sleep(1)


def wait_until_up(url, seconds=600):
    """Whether the server answers within `seconds` (collectstatic, migrate and start-up first)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            request = urllib.request.Request(url, headers={"X-Forwarded-Proto": "https"})
            with urllib.request.urlopen(request, timeout=10):
                return True
        except urllib.error.HTTPError:
            return True
        except OSError:
            time.sleep(1)
    return False


class Server:
    """A server process group started for one setup and stopped with it."""

    def __init__(self, command, env, log, url):
        self.process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
        self.url = url
        if not wait_until_up(url + "/"):
            self.stop()
            sys.exit(f"{url} did not answer: see {log.name}")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(30)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def run_level(setup, users, seconds, host, targets_file):
    """One locust run; returns its figures."""
    wait_until_idle(host)
    prefix = WORK_DIR / f"{setup}-{users}"
    status_file = WORK_DIR / f"{setup}-{users}-statuses.json"
    before = load_average()
    subprocess.run(
        [
            LOCUST,
            "-f",
            BENCH_DIR / "locustfile.py",
            "--headless",
            "--users",
            str(users),
            "--spawn-rate",
            str(max(10, users // 5)),
            "--run-time",
            f"{seconds}s",
            "--reset-stats",
            "--host",
            host,
            "--csv",
            prefix,
            "--only-summary",
            "--loglevel",
            "ERROR",
            "--stop-timeout",
            "10",
            *USER_CLASSES[setup],
        ],
        cwd=ROOT,
        env={
            **os.environ,
            "LOAD_TARGETS": str(targets_file),
            "LOAD_STATUS_FILE": str(status_file),
            "LOAD_WRITERS": str(max(1, users // 25)),
        },
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=(WORK_DIR / f"{setup}-{users}-locust.log").open("w"),
    )
    import csv

    with open(f"{prefix}_stats.csv", encoding="utf-8") as stats_file:
        rows = list(csv.DictReader(stats_file))
    total = next(row for row in rows if row["Name"] == "Aggregated")
    statuses = json.loads(status_file.read_text())
    return {
        "setup": setup,
        "users": users,
        "requests": int(total["Request Count"]),
        "failures": int(total["Failure Count"]),
        "rps": float(total["Requests/s"]),
        "p50": total["50%"],
        "p95": total["95%"],
        "p99": total["99%"],
        "statuses": statuses["statuses"],
        "server_errors": statuses["server_errors"],
        "load": f"{before} → {load_average()}",
        "kinds": {
            row["Name"]: (row["Request Count"], row["50%"], row["95%"], row["99%"], row["Failure Count"])
            for row in rows
            if row["Name"] != "Aggregated"
        },
    }


def prepared_database(name, url, essays, seed, env):
    """The targets of a database built for `essays` generated essays, rebuilt when that changed."""
    stamp = WORK_DIR / f"{name}.json"
    wanted = {"database": url, "essays": essays, "opensearch": env.get("OPENSEARCH_URL", "")}
    targets_file = WORK_DIR / f"{name}-targets.json"
    if stamp.exists() and json.loads(stamp.read_text()) == wanted and targets_file.exists():
        return targets_file
    print(f"building the {name} database…", file=sys.stderr)
    if url.startswith("sqlite:"):
        for suffix in ("", "-wal", "-shm"):
            Path(url.removeprefix("sqlite:///") + suffix).unlink(missing_ok=True)
    else:
        recreate_postgres_database(url)
    output = subprocess.run(
        [PYTHON, "-m", "bench.load", "--prepare", "--essays", str(essays), "--seed", str(seed)],
        cwd=ROOT,
        env={**env, "DATABASE_URL": url, "DJANGO_SETTINGS_MODULE": "essaybank.settings.dev"},
        check=True,
        stdout=subprocess.PIPE,
        text=True,
    ).stdout
    targets_file.write_text(output)
    stamp.write_text(json.dumps(wanted))
    return targets_file


def recreate_postgres_database(url):
    import psycopg
    from psycopg import sql

    base, name = url.rsplit("/", 1)
    with psycopg.connect(f"{base}/postgres", autocommit=True) as connection:
        connection.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
        connection.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))


def static_file_path():
    manifest = json.loads((ROOT / "staticfiles" / "staticfiles.json").read_text())
    return "/static/" + manifest["paths"]["css/site.css"]


def with_static_file(targets_file):
    targets = json.loads(targets_file.read_text())
    targets["static_file"] = static_file_path()
    targets_file.write_text(json.dumps(targets, ensure_ascii=False))


def cluster(command):
    """scripts/opensearch.sh on OPENSEARCH_PORT (default 9200), its data under bench/load/."""
    env = {**os.environ, "OPENSEARCH_HOME": os.environ.get("OPENSEARCH_HOME", str(WORK_DIR / "opensearch"))}
    subprocess.run([ROOT / "scripts" / "opensearch.sh", command], check=True, env=env, stdout=subprocess.DEVNULL)
    return f"http://127.0.0.1:{int(os.environ.get('OPENSEARCH_PORT', 9200)) + 1}"


def production_server(database_url, cluster_url, workers, log):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "OPENSEARCH_URL": cluster_url,
        "ELASTICSEARCH_INDEX_PREFIX": INDEX_PREFIX,
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1",
        # The load test stands where the TLS proxy would, sending each user's address.
        "DJANGO_PROXY_COUNT": "1",
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    command = ["make", "--no-print-directory", "serve", f"BIND=127.0.0.1:{PRODUCTION_PORT}", f"WORKERS={workers}"]
    return Server(command, env, log, f"http://127.0.0.1:{PRODUCTION_PORT}")


def dev_server(database_url, threading, log):
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "essaybank.settings.dev",
        "DJANGO_PROXY_COUNT": "1",
    }
    env.pop("OPENSEARCH_URL", None)
    command = [PYTHON, "manage.py", "runserver", "--noreload", f"127.0.0.1:{DEV_PORT}"]
    if not threading:
        command.insert(3, "--nothreading")
    return Server(command, env, log, f"http://127.0.0.1:{DEV_PORT}")


def table(results):
    lines = [
        "| setup | users | requests | req/s | p50 ms | p95 ms | p99 ms | failures | 5xx | load average before → after"
        " |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in results:
        server_errors = sum(count for status, count in result["statuses"].items() if status.startswith("5"))
        lines.append(
            f"| {result['setup']} | {result['users']} | {result['requests']} | {result['rps']:.1f} | {result['p50']} "
            f"| {result['p95']} | {result['p99']} | {result['failures']} | {server_errors} | {result['load']} |"
        )
    return "\n".join(lines)


def kinds_table(results):
    lines = [
        "| setup | users | request | count | p50 ms | p95 ms | p99 ms | failures |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for result in results:
        for name, (count, p50, p95, p99, failures) in sorted(result["kinds"].items()):
            lines.append(
                f"| {result['setup']} | {result['users']} | {name} | {count} | {p50} | {p95} | {p99} | {failures} |"
            )
    return "\n".join(lines)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, nargs="+", default=[10, 50, 200], help="concurrent users per level")
    parser.add_argument("--seconds", type=int, default=40, help="length of each level after all users started")
    parser.add_argument("--essays", type=int, default=3000, help="generated essays beside the demo's")
    parser.add_argument("--setups", nargs="+", choices=SETUPS, default=list(SETUPS))
    parser.add_argument("--workers", type=int, default=3, help="gunicorn workers (make serve's WORKERS)")
    parser.add_argument("--nothreading", action="store_true", help="the development server one request at a time")
    parser.add_argument(
        "--postgres", default="postgres://postgres@127.0.0.1:5432/bench_load", help="PostgreSQL database (emptied)"
    )
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument("--prepare", action="store_true", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    if arguments.prepare:
        prepare(arguments.essays, arguments.seed)
        return 0
    if not LOCUST.exists():
        sys.exit(f"{LOCUST} is missing: pip install -r requirements-test.txt")
    WORK_DIR.mkdir(exist_ok=True)
    # Stopped from outside, the servers it started are stopped too (the finally clauses below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(1))
    results = []
    log = (WORK_DIR / "servers.log").open("w")
    started = datetime.datetime.now(datetime.UTC)
    if {"production", "static"} & set(arguments.setups):
        cluster_url = os.environ.get("OPENSEARCH_URL") or cluster("start")
        env = {**os.environ, "OPENSEARCH_URL": cluster_url, "ELASTICSEARCH_INDEX_PREFIX": INDEX_PREFIX}
        targets_file = prepared_database("postgresql", arguments.postgres, arguments.essays, arguments.seed, env)
        server = production_server(arguments.postgres, cluster_url, arguments.workers, log)
        with_static_file(targets_file)
        try:
            for setup in ("static", "production"):
                if setup in arguments.setups:
                    for users in arguments.users:
                        results.append(run_level(setup, users, arguments.seconds, server.url, targets_file))
                        print(table(results[-1:]).splitlines()[-1], file=sys.stderr)
        finally:
            server.stop()
            if not os.environ.get("OPENSEARCH_URL"):
                cluster("stop")
    if "dev-sqlite" in arguments.setups:
        url = f"sqlite:///{WORK_DIR / 'load.sqlite3'}"
        env = {key: value for key, value in os.environ.items() if key != "OPENSEARCH_URL"}
        targets_file = prepared_database("sqlite", url, arguments.essays, arguments.seed, env)
        server = dev_server(url, not arguments.nothreading, log)
        try:
            for users in arguments.users:
                results.append(run_level("dev-sqlite", users, arguments.seconds, server.url, targets_file))
                print(table(results[-1:]).splitlines()[-1], file=sys.stderr)
        finally:
            server.stop()
    report = (
        f"Load test {started:%Y-%m-%d %H:%M} UTC: {arguments.essays} generated essays beside the demo, "
        f"{arguments.seconds} s a level, gunicorn {arguments.workers} workers, development server "
        f"{'--nothreading' if arguments.nothreading else 'threaded'}; {os.cpu_count()} cores.\n\n"
        f"{table(results)}\n\n{kinds_table(results)}\n"
    )
    print(report)
    (BENCH_DIR / "results-load.md").write_text(report)
    failed = any(status.startswith("5") for result in results for status in result["statuses"])
    for result in results:
        for error in result["server_errors"]:
            print(f"5xx: {result['setup']} {result['users']} users: {error}", file=sys.stderr)
    shutil.copy(WORK_DIR / "servers.log", WORK_DIR / "servers-last.log")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
