"""Failover on a three-node OpenSearch cluster: `python -m bench.failover` (not part of CI).

Starts the cluster (scripts/opensearch.sh, OPENSEARCH_NODES=3, ports 9211-9213 so it does not meet
the one-node cluster of `make opensearch`; FAILOVER_OPENSEARCH_PORT=9210 and
FAILOVER_OPENSEARCH_TRANSPORT_PORT=9310 change them), builds the demo site in a database of its own,
serves it with the development server on 127.0.0.1:8093 (FAILOVER_PORT) searching the cluster, and runs a stream of
searches (HTTP, the JSON API) beside a stream of saves (essays published in this process, whose
search index updates go to the cluster and the database) through four phases:

1. all three nodes up;
2. node 1 stopped (the first URL the clients are given): the replicas answer;
3. the whole cluster stopped: every search answers from the database, every save succeeds, and
   the failed index updates are logged;
4. the cluster started again and `update_index` run: the cluster's results must equal the
   database's for every query.

A phase lasts FAILOVER_PHASE_SECONDS (20) after its stop and then until it has seen
FAILOVER_PHASE_REQUESTS (100) searches and as many saves, so a slow phase still has its samples
(at most FAILOVER_PHASE_LIMIT seconds, 900). It prints the searches and saves of each phase, the
slowest of each, the backends that answered and every 5xx or failed save, and exits non-zero on any
of them. The database is DATABASE_URL (a
database of its own), or a new SQLite file under bench/.
"""

import contextlib
import io
import json
import logging
import os
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# Ports of the site and of the cluster (its nodes answer on CLUSTER_PORT+1…), each changed by an
# environment variable where another cluster or server already holds it.
PORT = int(os.environ.get("FAILOVER_PORT", "8093"))
CLUSTER_PORT = int(os.environ.get("FAILOVER_OPENSEARCH_PORT", "9210"))
NODES = 3
PHASE_SECONDS = int(os.environ.get("FAILOVER_PHASE_SECONDS", "20"))
PHASE_REQUESTS = int(os.environ.get("FAILOVER_PHASE_REQUESTS", "100"))
PHASE_LIMIT = int(os.environ.get("FAILOVER_PHASE_LIMIT", "900"))
QUERIES = ["asiakaskokemus", "palvelumuotoilu", "tiimi", '"asiakkaan kokemus"', "kosketuspisteitä", "johtaminen"]
CLUSTER_HOME = ROOT / "bench" / "failover-opensearch"
SERVER_LOG = ROOT / "bench" / "failover-server.log"
CLUSTER_ENV = {
    "OPENSEARCH_NODES": str(NODES),
    "OPENSEARCH_PORT": str(CLUSTER_PORT),
    "OPENSEARCH_HOME": str(CLUSTER_HOME),
    "OPENSEARCH_TRANSPORT_PORT": os.environ.get("FAILOVER_OPENSEARCH_TRANSPORT_PORT", str(CLUSTER_PORT + 100)),
}
URLS = ",".join(f"http://127.0.0.1:{CLUSTER_PORT + node}" for node in range(1, NODES + 1))


def cluster(*args):
    subprocess.run([ROOT / "scripts" / "opensearch.sh", *args], check=True, env={**os.environ, **CLUSTER_ENV})


class Stream:
    """Searches over HTTP in one thread and saves in another, counted for the current phase."""

    def __init__(self):
        self.phase = None
        self.stats = {}
        self.stop = threading.Event()

    def begin(self, phase):
        self.phase = phase
        self.stats[phase] = {
            "searches": 0,
            "saves": 0,
            "slowest_ms": 0.0,
            "slowest_save_ms": 0.0,
            "5xx": 0,
            "backends": {},
            "failures": [],
        }

    def sampled(self, count):
        """Whether the current phase has seen `count` searches and `count` saves."""
        stats = self.stats[self.phase]
        return stats["searches"] >= count and stats["saves"] >= count

    def searches(self):
        number = 0
        while not self.stop.is_set():
            query = QUERIES[number % len(QUERIES)]
            number += 1
            url = f"http://127.0.0.1:{PORT}/api/search/?" + urllib.parse.urlencode({"q": query})
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(url, timeout=60) as response:
                    payload = json.load(response)
            except urllib.error.HTTPError as error:
                self.stats[self.phase]["5xx"] += error.code >= 500
                self.stats[self.phase]["failures"].append(f"search {query!r}: {error}")
                continue
            except (urllib.error.URLError, OSError, ValueError) as error:
                self.stats[self.phase]["failures"].append(f"search {query!r}: {error}")
                continue
            elapsed = (time.perf_counter() - started) * 1000
            stats = self.stats[self.phase]
            stats["searches"] += 1
            stats["slowest_ms"] = max(stats["slowest_ms"], elapsed)
            stats["backends"][payload["backend"]] = stats["backends"].get(payload["backend"], 0) + 1

    def saves(self, essays):
        from django.db import close_old_connections

        number = 0
        while not self.stop.is_set():
            essay = essays[number % len(essays)]
            number += 1
            started = time.perf_counter()
            try:
                essay.title = f"{essay.title.split(' #')[0]} #{number}"
                essay.save_revision().publish()
            except Exception as error:  # every failure is counted and reported, none ends the stream
                self.stats[self.phase]["failures"].append(f"save {essay.pk}: {error!r}")
            else:
                stats = self.stats[self.phase]
                stats["saves"] += 1
                stats["slowest_save_ms"] = max(stats["slowest_save_ms"], (time.perf_counter() - started) * 1000)
            time.sleep(0.2)
        close_old_connections()


class IndexFailures(logging.Handler):
    """Counts the index updates Wagtail logs as failed (a save still succeeds)."""

    def __init__(self):
        super().__init__(logging.ERROR)
        self.count = 0

    def emit(self, record):
        self.count += 1


def results_by_backend(backend_name):
    from django.contrib.auth.models import AnonymousUser
    from modelsearch.backends import get_search_backend

    from search.engine import Search, SearchRequest

    found = {}
    for query in QUERIES:
        search = Search(SearchRequest.from_query({"q": query}), AnonymousUser(), get_search_backend(backend_name))
        found[query] = {code: sorted(matches.matching_pks) for code, matches in search.matches.items()}
    return found


def report(stream, logged):
    """Prints each phase's figures and failures; whether any search or save failed."""
    failed = False
    print(
        f"{'phase':<22} {'seconds':>7} {'searches':>8} {'slowest ms':>10} {'5xx':>4} {'saves':>6} "
        f"{'slowest save ms':>15} {'index errors logged':>20}  answered by"
    )
    for name, stats in stream.stats.items():
        if name == "warm-up":
            continue
        print(
            f"{name:<22} {stats['seconds']:>7.0f} {stats['searches']:>8} {stats['slowest_ms']:>10.0f} "
            f"{stats['5xx']:>4} {stats['saves']:>6} {stats['slowest_save_ms']:>15.0f} {logged[name]:>20}  "
            f"{stats['backends']}"
        )
        for failure in stats["failures"]:
            print(f"  FAILED {failure}")
            failed = True
    return failed


def main():
    with socket.socket() as probe:
        # Another server on the port would answer the searches instead of the site under test.
        if probe.connect_ex(("127.0.0.1", PORT)) == 0:
            sys.exit(f"port {PORT} is in use: set FAILOVER_PORT")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essaybank.settings.dev")
    if "DATABASE_URL" not in os.environ:
        database = ROOT / "bench" / "failover.sqlite3"
        database.unlink(missing_ok=True)
        os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ["OPENSEARCH_URL"] = URLS
    os.environ.setdefault("ELASTICSEARCH_INDEX_PREFIX", "failover_")
    shutil.rmtree(CLUSTER_HOME, ignore_errors=True)
    cluster("start")
    try:
        return run()
    finally:
        cluster("stop")


def run():
    """The phases on the running cluster; the exit status."""
    import django

    django.setup()
    from django.core.management import call_command

    from essays.models import EssayPage

    call_command("migrate", verbosity=0)
    with contextlib.redirect_stdout(io.StringIO()):
        # The demo's notification e-mails go to the console in the development settings.
        call_command("load_demo", verbosity=0)
    call_command("update_index", backend_name="default", verbosity=0)
    # The server's log holds each search that answered from the database and why.
    server = subprocess.Popen(
        [sys.executable, "manage.py", "runserver", "--noreload", f"127.0.0.1:{PORT}"],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=SERVER_LOG.open("w"),
    )
    index_failures = IndexFailures()
    index_logger = logging.getLogger("modelsearch.index")
    index_logger.addHandler(index_failures)
    index_logger.propagate = False
    stream = Stream()
    stream.begin("warm-up")
    try:
        for _ in range(60):
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{PORT}/api/search/?q=tiimi", timeout=5)
                break
            except OSError:
                time.sleep(1)
        essays = list(EssayPage.objects.live()[:5])
        threads = [threading.Thread(target=stream.searches), threading.Thread(target=stream.saves, args=(essays,))]
        for thread in threads:
            thread.start()
        phases = [
            ("1. three nodes", lambda: None),
            ("2. node 1 stopped", lambda: cluster("stop", "1")),
            ("3. cluster stopped", lambda: cluster("stop")),
        ]
        logged = {}
        for name, action in phases:
            # A phase starts with its stop, so the searches while the nodes shut down count in it.
            failures_before = index_failures.count
            stream.begin(name)
            started = time.perf_counter()
            action()
            time.sleep(PHASE_SECONDS)
            while not stream.sampled(PHASE_REQUESTS) and time.perf_counter() - started < PHASE_LIMIT:
                time.sleep(1)
            stream.stats[name]["seconds"] = time.perf_counter() - started
            logged[name] = index_failures.count - failures_before
        stream.stop.set()
        for thread in threads:
            thread.join()
        failed = report(stream, logged)
        cluster("start")
        started = time.perf_counter()
        call_command("update_index", backend_name="default", verbosity=0)
        catch_up = time.perf_counter() - started
        same = results_by_backend("default") == results_by_backend("database")
    finally:
        stream.stop.set()
        server.terminate()
        server.wait()
    print(f"4. cluster started again: update_index {catch_up:.1f} s; cluster's results equal the database's: {same}")
    return 1 if failed or not same else 0


if __name__ == "__main__":
    sys.exit(main())
