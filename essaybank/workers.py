"""Reading an import's records in worker processes, beside the process that writes them.

What a record needs no database for (parsing, converting its HTML, analysing its text) is done in
processes forked from the importer once Django is set up; they never touch the database, and the
importer takes their results in the order of the input. Only a few batches are under way at a time,
so a large file is never read far ahead of what is written.
"""

import collections
import itertools
import multiprocessing
from concurrent.futures import ProcessPoolExecutor

# Records sent to a worker in one message: one message per record would cost more than a short one's work.
BATCH = 8
# Batches under way, whatever the number of workers: more records than an import's chunk (200), so that
# the workers go on reading while the importer writes a chunk's end instead of waiting for it.
AHEAD = 32


def add_workers_argument(parser, records):
    """The import commands' --workers option; `records` names what the workers read ("lines", "posts")."""
    parser.add_argument(
        "--workers",
        type=int,
        default=1,
        choices=range(5),
        help=f"processes reading {records} beside the one writing them (0: read them in the one process)",
    )


def in_order(function, items, workers=0):
    """(item, function(item)) for each item, in order: computed here when workers is 0, else in
    that many forked processes. `function` must not use the database, and must return, not raise,
    what a record's report needs."""
    if not workers:
        for item in items:
            yield item, function(item)
        return
    items = iter(items)
    # Forked, not spawned: the workers start with Django set up and the importer's code loaded. An
    # executor, not a Pool: a worker that dies makes the import fail (BrokenProcessPool), not hang.
    pool = ProcessPoolExecutor(workers, mp_context=multiprocessing.get_context("fork"))
    try:
        pending = collections.deque()
        while True:
            batch = []
            try:
                for item in itertools.islice(items, BATCH):
                    batch.append(item)
            except Exception:
                # The input broke (a file that cannot be read on): what was read before goes in first.
                if batch:
                    pending.append((batch, pool.submit(_each, function, batch)))
                while pending:
                    yield from _results(pending.popleft())
                raise
            if not batch:
                break
            pending.append((batch, pool.submit(_each, function, batch)))
            if len(pending) >= max(AHEAD, workers * 2):
                yield from _results(pending.popleft())
        while pending:
            yield from _results(pending.popleft())
    finally:
        pool.shutdown(cancel_futures=True)


def _each(function, batch):
    return [function(item) for item in batch]


def _results(sent):
    batch, future = sent
    return zip(batch, future.result(), strict=True)
