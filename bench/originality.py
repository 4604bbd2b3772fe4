"""Originality benchmark: `python -m bench.originality` (in `make bench`).

Builds N essays (default 100 000) of Finnish text from the LibreOffice help pages, as bench.search
does, fingerprints them all with `manage.py build_originality_index`, then times the check of a
submission against the bank (originality.matching.shares: lemmatise, MinHash, LSH candidates from
the band-key table, exact shares of the candidates): half of the submissions copy half of a bank
essay, half are new combinations of the help pages' paragraphs (which the bank's essays share, so
every check has candidates to verify). Prints p50/p95 of wall-clock and CPU time per check and
writes bench/results-originality-<database>.md.

The database is bench/originality.sqlite3 unless DATABASE_URL is set (use a database of its own:
the benchmark empties its essays). With --reuse, essays and signatures of an earlier run of the same
size are kept.
"""

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import time

from bench.search import BENCH_DIR, build_essays, help_paragraphs, setup_django

CHECKS = 40


def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]


def submissions(paragraphs, rng, count):
    """(kind, text) of the submissions to check: copies of half a bank essay, and new texts."""
    from essays.models import EssayPage
    from originality.fingerprints import essay_text

    ids = list(EssayPage.objects.values_list("pk", flat=True))
    texts = []
    for number in range(count):
        if number % 2 == 0:
            source = essay_text(EssayPage.objects.get(pk=rng.choice(ids)))
            sentences = source.split(". ")
            copied = sentences[: len(sentences) // 2]
            texts.append(("copy", ". ".join(copied) + ". " + " ".join(rng.sample(paragraphs, 5))))
        else:
            texts.append(("new", " ".join(rng.sample(paragraphs, 10))))
    return texts


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--size", type=int, default=100_000)
    parser.add_argument("--checks", type=int, default=CHECKS)
    parser.add_argument("--reuse", action="store_true")
    arguments = parser.parse_args()
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'originality.sqlite3'}")
    setup_django()
    from django.core.management import call_command
    from django.db import connection

    from essays.models import EssayPage
    from originality.matching import NOTABLE_SHARE, shares
    from originality.models import BandKey, Signature

    rng = random.Random(21)
    paragraphs = help_paragraphs()
    timings_file = BENCH_DIR / f"timings-originality-{connection.vendor}.json"
    timings = json.loads(timings_file.read_text()) if timings_file.exists() else {}
    reusable = arguments.reuse and str(arguments.size) in timings
    if not (reusable and Signature.objects.count() == arguments.size == EssayPage.objects.count()):
        print(f"building {arguments.size} essays…", file=sys.stderr)
        build_essays(arguments.size, paragraphs, rng)
        print("fingerprinting…", file=sys.stderr)
        started, cpu = time.perf_counter(), time.process_time()
        call_command("build_originality_index", batch_size=2000)
        timings[str(arguments.size)] = (time.perf_counter() - started, time.process_time() - cpu)
        timings_file.write_text(json.dumps(timings))
    build_wall, build_cpu = timings[str(arguments.size)]

    checks = submissions(paragraphs, rng, arguments.checks)
    stub = EssayPage(pk=0)
    shares(stub, checks[0][1])  # loads Voikko and warms the database's cache, as a running server has
    walls, cpus, found = [], [], {"copy": 0, "new": 0}
    for kind, text in checks:
        started, cpu = time.perf_counter(), time.process_time()
        _print, matches = shares(stub, text)
        walls.append(time.perf_counter() - started)
        cpus.append(time.process_time() - cpu)
        found[kind] += any(share >= NOTABLE_SHARE for _other, share, _other_print in matches)
    load = os.getloadavg()
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    lines = [
        f"# Originality check, {arguments.size} essays on {connection.vendor}",
        "",
        f"Command: `python -m bench.originality --size {arguments.size}`, commit {commit}, "
        f"load average {load[0]:.2f} {load[1]:.2f} {load[2]:.2f} (2 cores, shared).",
        "",
        f"- Signatures and band keys of {arguments.size} essays: {build_wall:.0f} s ({build_cpu:.0f} s CPU); "
        f"{BandKey.objects.count()} band keys.",
        f"- Check per submission ({len(checks)} submissions): p50 {statistics.median(walls) * 1000:.0f} ms, "
        f"p95 {percentile(walls, 0.95) * 1000:.0f} ms wall-clock; "
        f"CPU p50 {statistics.median(cpus) * 1000:.0f} ms, p95 {percentile(cpus, 0.95) * 1000:.0f} ms.",
        f"- Overlap ≥ 30 % found for {found['copy']} of {len(checks) // 2 + len(checks) % 2} half copies "
        f"and {found['new']} of {len(checks) // 2} new texts.",
    ]
    report = "\n".join(lines) + "\n"
    (BENCH_DIR / f"results-originality-{connection.vendor}.md").write_text(report, encoding="utf-8")
    print(report)


if __name__ == "__main__":
    main()
