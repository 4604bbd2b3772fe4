"""Putting the test database back as a snapshot had it, for the fixtures whose data is committed."""

from django.core.management import call_command
from django.db import connection


def restore(snapshot):
    """Empty every table and load `snapshot` (serialize_db_to_string) into them.

    The sequences stay where they are, as Django's own transactional tests leave them: reset, they
    would hand the next rows (on PostgreSQL) the ids of rows just put back.
    """
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True, reset_sequences=False)
    connection.creation.deserialize_db_from_string(snapshot)
