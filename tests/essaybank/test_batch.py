"""The import batch's own settings (essaybank.batch.ImportBatch)."""

import pytest
from django.db import connection

from essaybank.batch import ImportBatch
from search.backends.sqlite.cache import WRITE_CACHE_KIB


def cache_size():
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        return cursor.fetchone()[0]


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's page cache")
def test_a_batch_writes_with_sqlites_write_cache_and_gives_the_connection_its_own_back():
    before = cache_size()
    with ImportBatch().deferred():
        assert cache_size() == -WRITE_CACHE_KIB
    assert cache_size() == before != -WRITE_CACHE_KIB
