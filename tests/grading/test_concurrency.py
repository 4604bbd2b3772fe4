"""Two coaches approve the same essay at the same moment, each request in its own thread and database
connection: the essay is awarded once."""

import threading

import pytest
from django.db import connection, connections

from essaybank.site_structure import ensure_site_structure
from grading.models import Award
from grading.roles import COACHES, EDITORS, STUDENTS
from tests.factories import CoachFactory, EssayPageFactory, PersonFactory, TeamFactory
from tests.grading.helpers import in_progress_state, signed_in, submit, user_in, workflow_action_url


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite lets one writer in at a time, so two requests cannot overlap; make test-postgres runs this",
)
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_simultaneous_approvals_award_once():
    ensure_site_structure()
    coach = CoachFactory(name="Marjut Hakala", user=user_in(COACHES, "marjut"))
    team = TeamFactory(name="Pinkut", coach=coach)
    students = [
        PersonFactory(name="Aino Virtanen", team=team, user=user_in(STUDENTS, "aino")),
        PersonFactory(name="Eetu Mäkinen", team=team, user=user_in(STUDENTS, "eetu")),
    ]
    editor = user_in(EDITORS, "toimittaja")
    essay = EssayPageFactory(authors=students)
    submit(essay, students[0].user)
    url = workflow_action_url(essay, "approve", in_progress_state(essay))
    clients = [signed_in(coach.user), signed_in(editor)]
    start = threading.Barrier(len(clients))
    responses = []

    def approve(client, points):
        try:
            start.wait()
            responses.append(client.post(url, {"points": points, "comment": "Hyvä."}))
        finally:
            connections.close_all()

    threads = [
        threading.Thread(target=approve, args=(client, str(points)))
        for client, points in zip(clients, (2, 3), strict=True)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert [response.status_code for response in responses] == [302, 302]
    awards = list(Award.objects.values_list("student__name", "points"))
    assert len(awards) == 2
    assert {name for name, _points in awards} == {"Aino Virtanen", "Eetu Mäkinen"}
    assert len({points for _name, points in awards}) == 1
