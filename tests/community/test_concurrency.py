"""Votes cast at the same moment, each request in its own thread and database connection: the stored
totals count every vote once.

On PostgreSQL the threads share the test database. SQLite's test database lives in memory with a
shared cache, where a second writer is refused at once ("table is locked") instead of waiting as on
a database file; there the test copies the database to a file, and the threads use that file with
the project's SQLite settings (immediate transactions, a busy timeout), as a deployed site does.
"""

import sqlite3
import threading

import pytest
from django.db import connection, connections
from django.db.models import Sum

from community.models import Rating, RatingTotals
from essaybank.site_structure import ensure_site_structure
from grading.roles import STUDENTS
from tests.community.conftest import user_in
from tests.factories import EssayPageFactory
from tests.grading.helpers import signed_in

VOTERS = 8


def in_threads(calls):
    """Run the calls at once, each in a thread of its own; their results in the order they ended."""
    start = threading.Barrier(len(calls))
    results = []

    def run(call):
        try:
            start.wait()
            results.append(call())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return results


@pytest.fixture
def threads_database(tmp_path):
    """The database the threads connect to: a file copy of SQLite's in-memory test database."""
    if connection.vendor != "sqlite":
        yield
        return
    path = tmp_path / "votes.sqlite3"
    connection.ensure_connection()
    copy = sqlite3.connect(path)
    connection.connection.backup(copy)
    copy.close()
    settings_dict = connections.settings["default"]
    in_memory = settings_dict["NAME"]
    settings_dict["NAME"] = str(path)
    yield
    settings_dict["NAME"] = in_memory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_votes_are_each_counted_once(request):
    ensure_site_structure()
    essay = EssayPageFactory()
    clients = [signed_in(user_in(STUDENTS, f"lukija{number}")) for number in range(VOTERS)]
    request.getfixturevalue("threads_database")
    # Each reader votes twice at once (1 and 5 stars, in either order): one vote each remains.
    calls = [
        (lambda client=client, stars=stars: client.post(f"/arviot/{essay.pk}/", {"stars": stars}))
        for client in clients
        for stars in ("1", "5")
    ]
    responses = in_threads(calls)

    def stored():
        totals = RatingTotals.objects.get(page_id=essay.pk)
        votes = Rating.objects.filter(page_id=essay.pk)
        return totals.vote_count, totals.vote_sum, votes.count(), votes.aggregate(total=Sum("stars"))["total"]

    [(vote_count, vote_sum, votes, stars)] = in_threads([stored])
    assert [response.status_code for response in responses] == [302] * len(calls)
    assert vote_count == votes == VOTERS
    assert vote_sum == stars
