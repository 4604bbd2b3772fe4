"""The committed fixtures' database restore leaves the next rows new ids (PostgreSQL's sequences)."""

import pytest
from django.db import connection

from essays.models import Team
from tests import database
from tests.factories import TeamFactory


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_row_added_after_a_restore_takes_a_new_id():
    kept = TeamFactory(name="Pinkut")
    snapshot = connection.creation.serialize_db_to_string()
    TeamFactory(name="Kipinä")
    database.restore(snapshot)
    added = TeamFactory(name="Tiimi Ässä")
    assert set(Team.objects.values_list("pk", "name")) == {(kept.pk, "Pinkut"), (added.pk, "Tiimi Ässä")}
