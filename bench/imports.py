"""Import benchmark: `make bench` (or `python -m bench.imports --size 10000`).

Writes N generated essays of about 600 words as a WordPress export (half the posts with custom
fields, half with metadata typed in the text; bench.corpus) and as JSON Lines, then times
import_wordpress and import_essays end to end (parsing, analysis, saving, revisions, indexing,
concept linking, citation recognition), each in a process of its own on a fresh copy of a database
holding the demo content, on SQLite and, with --postgres URL, on PostgreSQL. Reports essays per
second (wall clock and CPU), each process's peak memory and, on PostgreSQL, the CPU time of the
server's backends serving it at the top of bench/results-imports.md, above earlier runs.
"""

import argparse
import os
import random
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from bench.corpus import write_files
from bench.indexing import server_cpu_seconds
from bench.search import help_paragraphs

BENCH_DIR = Path(__file__).resolve().parent
ROOT = BENCH_DIR.parent
WORK = BENCH_DIR / "imports"
# Seconds between two readings of the server's backends (ServerCPU).
POLL = 0.2


def manage(database_url, *arguments):
    """Run manage.py in a process of its own; returns what finish() does."""
    return finish(start(database_url, *arguments))


def start(database_url, *arguments):
    """manage.py started in a process of its own, its output going to a temporary file."""
    environment = {**os.environ, "DATABASE_URL": database_url, "DJANGO_SETTINGS_MODULE": "essaybank.settings.dev"}
    output = tempfile.TemporaryFile(mode="w+")
    process = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), *arguments], env=environment, stdout=output, stderr=output, text=True
    )
    process.started, process.output, process.arguments = time.perf_counter(), output, arguments
    process.load = os.getloadavg()[0]
    process.private = PrivateMemory(process.pid)
    process.private.start()
    return process


def finish(process):
    """Wait for a process of start(); returns (wall seconds, CPU seconds, peak MiB, peak private MiB,
    output, load average at its start and end)."""
    _pid, status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - process.started
    process.output.seek(0)
    output, arguments = process.output.read(), process.arguments
    process.returncode = os.waitstatus_to_exitcode(status)
    if process.returncode not in (0, 1):
        sys.exit(f"manage.py {' '.join(arguments)} failed:\n{output}")
    if process.returncode == 1:
        # An import exits 1 when a record failed: its figures are then not the whole file's.
        print(f"manage.py {' '.join(arguments)} reported failures:\n{output[-2000:]}", file=sys.stderr)
    process.private.join()
    load = f"{process.load:.1f}–{os.getloadavg()[0]:.1f}"
    peak, private = usage.ru_maxrss / 1024, process.private.peak / 1024
    # wait4 counts the process with the workers it waited for; the process's own part was read from /proc.
    cpu = usage.ru_utime + usage.ru_stime
    workers = (max(cpu - process.private.cpu, 0.0), process.private.workers_peak / 1024)
    return wall, cpu, peak, private, output, load, workers


class PrivateMemory(threading.Thread):
    """The peak of a process's private memory (RssAnon, KiB), the peak of its worker processes'
    together, and its own CPU seconds (without its workers'), read from /proc every POLL seconds
    until it ends. Its peak resident set also
    counts the pages of the SQLite file it has read through the memory map (SQLITE_MMAP_BYTES): the
    operating system's file cache, which it takes back when it needs the memory."""

    POLL = 0.5

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.cpu, self.workers_peak = pid, 0, 0.0, 0

    def run(self):
        status = Path(f"/proc/{self.pid}/status")
        while True:
            try:
                lines = status.read_text().splitlines()
                self.cpu = server_cpu_seconds(self.pid)
            except OSError:
                return
            self.peak = max(self.peak, private_kib(lines))
            self.workers_peak = max(self.workers_peak, sum(map(private_kib, self.workers())))
            if not any(line.startswith("State:") and line.split()[1] != "Z" for line in lines):
                return
            time.sleep(self.POLL)

    def workers(self):
        """The /proc status lines of each child process (the import's workers)."""
        try:
            children = Path(f"/proc/{self.pid}/task/{self.pid}/children").read_text().split()
            return [Path(f"/proc/{child}/status").read_text().splitlines() for child in children]
        except OSError:
            return []


def private_kib(status_lines):
    return next((int(line.split()[1]) for line in status_lines if line.startswith("RssAnon:")), 0)


class ServerCPU(threading.Thread):
    """The CPU time of the PostgreSQL backends serving the benchmark's databases, read from /proc
    every POLL seconds while they run: the server runs on this machine, and its CPU is part of what
    an import costs. What a backend spends after the last reading before it exits is missed."""

    def __init__(self, server, prefix):
        super().__init__(daemon=True)
        self.server, self.prefix = server, prefix
        self.seen = {}
        self.stopped = threading.Event()

    def run(self):
        import psycopg

        with psycopg.connect(f"{self.server}/postgres", autocommit=True) as connection:
            while not self.stopped.wait(POLL):
                backends = connection.execute(
                    "SELECT pid, datname FROM pg_stat_activity WHERE backend_type = 'client backend' "
                    "AND datname LIKE %s",
                    [f"{self.prefix}%"],
                ).fetchall()
                for pid, database in backends:
                    try:
                        self.seen[pid] = (database, server_cpu_seconds(pid))
                    except OSError:
                        continue  # the backend ended between the query and the reading

    def of(self, database):
        """CPU seconds of the backends that served this database."""
        return sum(seconds for name, seconds in self.seen.values() if name == database)


def fresh_databases(postgres_url):
    """({vendor: a function giving the URL of a fresh copy of a database with the demo content},
    the ServerCPU watching PostgreSQL's copies or None)."""
    template = WORK / "template.sqlite3"
    # Migrated every time: a template written before a new migration would fail every import.
    manage(f"sqlite:///{template}", "migrate", "--no-input")
    manage(f"sqlite:///{template}", "load_demo", "--if-empty")

    def sqlite_copy(name):
        copy = WORK / f"{name}.sqlite3"
        shutil.copyfile(template, copy)
        return f"sqlite:///{copy}"

    databases = {"SQLite": sqlite_copy}
    server_cpu = None
    if postgres_url:
        import psycopg

        server, _slash, template_name = postgres_url.rpartition("/")
        with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
            if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [template_name]).fetchone():
                connection.execute(f'CREATE DATABASE "{template_name}"')
        manage(postgres_url, "migrate", "--no-input")
        manage(postgres_url, "load_demo", "--if-empty")

        def postgres_copy(name):
            copy = f"{template_name}_{name}"
            with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
                connection.execute(f'DROP DATABASE IF EXISTS "{copy}"')
                connection.execute(f'CREATE DATABASE "{copy}" TEMPLATE "{template_name}"')
            return f"{server}/{copy}"

        databases["PostgreSQL"] = postgres_copy
        server_cpu = ServerCPU(server, f"{template_name}_")
        server_cpu.start()
    return databases, server_cpu


def commit():
    """The checked-out commit, marked when the work tree differs from it."""
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    dirty = subprocess.run(["git", "diff", "--quiet", "HEAD"], cwd=ROOT, capture_output=True).returncode
    return head.stdout.strip() + (" (with changes)" if dirty else "")


def parse(path):
    """Read every item of a WordPress export as import_wordpress reads it (the child of --parse-only)."""
    from essaybank import wxr

    _channel, items = wxr.read(path)
    print(sum(1 for _item in items))


def parse_only(megabytes, seed):
    """Peak memory of reading a generated export of about `megabytes` MiB, in a process of its own."""
    path = WORK / f"export-{megabytes}MiB.xml"
    if not path.exists():
        # Bytes per post measured on a small sample of the same generator.
        sample = WORK / "sample.xml"
        write_files(50, help_paragraphs(), random.Random(seed), Path(os.devnull), sample)
        count = int(megabytes * 2**20 / (sample.stat().st_size / 50))
        print(f"writing {count} posts…", file=sys.stderr)
        write_files(count, help_paragraphs(), random.Random(seed), Path(os.devnull), path)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "bench.imports", "--parse", str(path)], stdout=subprocess.PIPE)
    posts = process.stdout.read().decode().strip()
    _pid, _status, usage = os.wait4(process.pid, 0)
    wall = time.perf_counter() - started
    print(
        f"Read {posts} posts of a {path.stat().st_size / 2**20:.0f} MiB export in {wall:.0f} s "
        f"(CPU {usage.ru_utime + usage.ru_stime:.0f} s); peak memory {usage.ru_maxrss / 1024:.0f} MiB"
    )


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", type=int, default=10_000, help="number of essays (default 10 000)")
    parser.add_argument("--postgres", metavar="URL", help="a PostgreSQL database of the benchmark's own")
    parser.add_argument("--seed", type=int, default=3)
    parser.add_argument(
        "--parallel",
        action="store_true",
        help="run the imports side by side (on a machine others load: the CPU figures still hold, not the wall clock)",
    )
    parser.add_argument(
        "--parse-only", action="store_true", help="only read a generated export of --megabytes and report peak memory"
    )
    parser.add_argument("--megabytes", type=int, default=500, help="size of the export --parse-only reads")
    parser.add_argument("--workers", type=int, help="the importers' --workers (default: theirs)")
    parser.add_argument("--parse", metavar="FILE", help=argparse.SUPPRESS)
    arguments = parser.parse_args()
    WORK.mkdir(exist_ok=True)
    if arguments.parse:
        parse(arguments.parse)
        return
    if arguments.parse_only:
        parse_only(arguments.megabytes, arguments.seed)
        return
    jsonl, wxr = WORK / f"essays-{arguments.size}.jsonl", WORK / f"essays-{arguments.size}.xml"
    if not (jsonl.exists() and wxr.exists()):
        print(f"writing {arguments.size} essays…", file=sys.stderr)
        write_files(arguments.size, help_paragraphs(), random.Random(arguments.seed), jsonl, wxr)
    lines = [
        f"# Import benchmark ({time.strftime('%Y-%m-%d')})",
        "",
        f"Command: `python -m bench.imports {' '.join(sys.argv[1:])}` at commit {commit()}; "
        f"{arguments.size} essays of about 600 words; WordPress export {wxr.stat().st_size / 2**20:.0f} MiB; "
        f"CPUs: {os.cpu_count()}. "
        "Each import runs in a fresh process on a fresh copy of a database holding the demo content"
        + (", the four side by side (--parallel)." if arguments.parallel else ", one after another."),
        "",
        "CPU s is the import's process with its worker processes (--workers), of which the workers' part is "
        f"given (the process's own read from /proc every {PrivateMemory.POLL} s); server CPU s the PostgreSQL "
        f"backends serving it (read from /proc every {POLL} s); load is `uptime`'s one-minute average at the "
        "import's start and end.",
        "",
        "| database | importer | wall s | essays/s (wall) | CPU s | of it workers' | essays/s (CPU) | server CPU s "
        "| essays/s (CPU with server's) | peak memory MiB | of it private MiB | workers' private MiB | load |",
        "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    databases, server_cpu = fresh_databases(arguments.postgres)
    runs = [
        (vendor, name, fresh, source)
        for vendor, fresh in databases.items()
        for name, source in (("import_wordpress", wxr), ("import_essays", jsonl))
    ]
    results, running, urls = [], [], []
    for vendor, name, fresh, source in runs:
        print(f"{vendor}: {name}…", file=sys.stderr)
        urls.append(fresh(name))
        workers = [] if arguments.workers is None else ["--workers", str(arguments.workers)]
        process = start(urls[-1], name, str(source), *workers)
        if arguments.parallel:
            running.append(process)
        else:
            results.append(finish(process))
    results += [finish(process) for process in running]
    if server_cpu:
        server_cpu.stopped.set()
        server_cpu.join()
    for (vendor, name, _fresh, _source), url, result in zip(runs, urls, results, strict=True):
        wall, cpu, peak, private, _output, load, (workers_cpu, workers_private) = result
        server = server_cpu.of(url.rpartition("/")[2]) if vendor == "PostgreSQL" else 0.0
        lines.append(
            f"| {vendor} | {name} | {wall:.0f} | {arguments.size / wall:.1f} | {cpu:.0f} | {workers_cpu:.0f} | "
            f"{arguments.size / cpu:.1f} | "
            + (f"{server:.0f} | {arguments.size / (cpu + server):.1f}" if vendor == "PostgreSQL" else "– | –")
            + f" | {peak:.0f} | {private:.0f} | {workers_private:.0f} | {load} |"
        )
    # The newest run goes first; earlier runs stay below it as the benchmark's history.
    results_file = BENCH_DIR / "results-imports.md"
    earlier = results_file.read_text(encoding="utf-8") if results_file.exists() else ""
    results_file.write_text("\n".join(lines) + "\n\n" + earlier, encoding="utf-8")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
