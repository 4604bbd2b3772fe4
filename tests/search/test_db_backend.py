import sys
import threading

from search import db_backend


def test_compiled_query_cache_stays_bounded_under_threads(monkeypatch):
    """Threads of one server insert and evict at once without errors, and the cache keeps its size."""
    monkeypatch.setattr(db_backend, "COMPILED_QUERIES", 3)
    monkeypatch.setattr(db_backend, "_compiled_queries", {})
    switch_interval = sys.getswitchinterval()
    # Threads switch as often as the interpreter allows, so that they interleave inside the cache.
    sys.setswitchinterval(1e-6)
    errors = []

    def compile_many(thread):
        try:
            for number in range(300):
                key = ("test", thread, number)
                assert db_backend.compiled_once(key, lambda compiler, key=key: (repr(key), [])) == (repr(key), [])
        except Exception as error:
            errors.append(error)

    threads = [threading.Thread(target=compile_many, args=(thread,)) for thread in range(8)]
    try:
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    finally:
        sys.setswitchinterval(switch_interval)
    assert errors == []
    assert len(db_backend._compiled_queries) <= 3


def test_compiled_query_is_reused_for_the_same_key(monkeypatch):
    monkeypatch.setattr(db_backend, "_compiled_queries", {})
    calls = []

    def compile_sql(compiler):
        calls.append(compiler)
        return ("sql", [])

    db_backend.compiled_once(("test", "sama"), compile_sql)
    db_backend.compiled_once(("test", "sama"), compile_sql)
    assert len(calls) == 1
