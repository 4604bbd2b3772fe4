"""Index writes collected for later instead of run: an import writes a committed chunk's search
index on a connection of its own while it reads the next chunk (essaybank.index_thread).

A backend's write that can wait goes through run(): outside collected() it runs at once; within
it, in the same thread, it is appended to the collected list, for the caller to run in order.
"""

import contextlib
import threading

_collecting = threading.local()


@contextlib.contextmanager
def collected():
    """Writes made through run() in this thread within it are appended to the list it yields."""
    writes = []
    outer = getattr(_collecting, "writes", None)
    _collecting.writes = writes
    try:
        yield writes
    finally:
        _collecting.writes = outer


def run(function, *args):
    """function(*args) now, or within collected() appended to its list as (function, args)."""
    writes = getattr(_collecting, "writes", None)
    if writes is None:
        function(*args)
    else:
        writes.append((function, args))
