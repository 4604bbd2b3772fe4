"""Votes cast at the same moment, each request in its own thread and database connection: the stored
totals count every vote once."""

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


def run_together(calls):
    start = threading.Barrier(len(calls))
    responses = []

    def run(call):
        try:
            start.wait()
            responses.append(call())
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(call,)) for call in calls]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return responses


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so two requests cannot overlap; make test-postgres runs this",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_simultaneous_votes_are_each_counted_once():
    ensure_site_structure()
    essay = EssayPageFactory()
    clients = [signed_in(user_in(STUDENTS, f"lukija{number}")) for number in range(VOTERS)]
    # Each reader votes twice at once (1 and then 5 stars, in either order): one vote each remains.
    calls = [
        (lambda client=client, stars=stars: client.post(f"/arviot/{essay.pk}/", {"stars": stars}))
        for client in clients
        for stars in ("1", "5")
    ]
    responses = run_together(calls)

    assert [response.status_code for response in responses] == [302] * len(calls)
    totals = RatingTotals.objects.get(page_id=essay.pk)
    assert Rating.objects.count() == VOTERS
    assert totals.vote_count == VOTERS
    assert totals.vote_sum == Rating.objects.aggregate(total=Sum("stars"))["total"]
