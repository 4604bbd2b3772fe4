"""Import benchmark: `python -m bench.importer`.

Times the JSONL importer (essaybank.importer, as `import_essays` runs it) on essays with very long
bodies, each case in a process of its own so that its peak memory (the process's maximum resident
set) is its own. The text is Finnish prose built from a fixed vocabulary, paragraphs of 80 words.
The database is bench/bench-import.sqlite3 unless DATABASE_URL is set (use a database of its own).
Figures go to standard output; bench/README.md keeps them.
"""

import argparse
import json
import os
import random
import resource
import subprocess
import sys
import time
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
WORDS = (
    "asiakaskokemus syntyy jokaisessa kohtaamisessa ja tiimi oppii asiakkaalta palvelumuotoilu "
    "kosketuspiste segmentointi asiakasymmärrys johtaminen yrittäjyys oppiminen valmentaja kirja "
    "esseessä pohdin miten huippuhetki ja loppu muistetaan parhaiten yritys mahdollistaa kokemuksen "
    "asiakkaan polku kulkee monen kanavan kautta ja jokainen kohtaaminen rakentaa luottamusta"
).split()
# Characters of body text per case: one at the importer's line cap, one of 10 MB.
CASES = {"1MB": 990_000, "10MB": 10_000_000}


def body_text(characters, seed=3):
    generator = random.Random(seed)
    paragraphs, size = [], 0
    while size < characters:
        paragraph = " ".join(generator.choice(WORDS) for _ in range(80)).capitalize() + "."
        paragraphs.append(paragraph)
        size += len(paragraph) + 2
    return "\n\n".join(paragraphs)[:characters]


def essay_line(name, characters):
    record = {
        "id": f"bench-import-{name}",
        "kind": "essay",
        "title": f"Pitkä essee {name}",
        "written": "2024-01-15",
        "authors": [{"name": "Aino Aaltonen", "team": "Pinkut"}],
        "essay_type": "individual",
        "points": 2,
        "body": body_text(characters),
    }
    return json.dumps(record, ensure_ascii=False)


def run_case(name):
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essaybank.settings.dev")
    os.environ.setdefault("DATABASE_URL", f"sqlite:///{BENCH_DIR / 'bench-import.sqlite3'}")
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.DEBUG = False
    call_command("migrate", verbosity=0)
    from essaybank.importer import Importer
    from essaybank.site_structure import ensure_site_structure

    ensure_site_structure()
    line = essay_line(name, CASES[name])
    started = time.perf_counter()
    report = Importer().run([line])
    seconds = time.perf_counter() - started
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    outcome = "; ".join(f"line {number}: {reason}" for number, reason in report.errors) or "imported"
    print(f"| {name} | {len(line.encode()) / 1e6:.1f} MB | {seconds:.1f} s | {peak_mb:.0f} MB | {outcome} |")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--case", choices=CASES, help="run one case in this process")
    arguments = parser.parse_args()
    if arguments.case:
        run_case(arguments.case)
        return
    print("| body | line | time | peak memory (max RSS) | outcome |")
    print("| --- | --- | --- | --- | --- |")
    for name in CASES:
        subprocess.run([sys.executable, "-m", "bench.importer", "--case", name], check=True)


if __name__ == "__main__":
    main()
