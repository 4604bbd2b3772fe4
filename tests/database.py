"""Putting the test database back as a snapshot had it, for the fixtures whose data is committed."""

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.core.management.color import no_style
from django.db import connection


def restore(snapshot):
    """Empty every table and load `snapshot` (serialize_db_to_string) into them.

    The sequences are then moved past the rows put back, as loaddata does: left at their start by
    the flush, they would hand the next rows (on PostgreSQL) the ids of rows just restored.
    """
    call_command("flush", interactive=False, verbosity=0, inhibit_post_migrate=True)
    connection.creation.deserialize_db_from_string(snapshot)
    models = apps.get_models(include_auto_created=True)
    with connection.cursor() as cursor:
        for statement in connection.ops.sequence_reset_sql(no_style(), models):
            cursor.execute(statement)
    # Content types made meanwhile are gone, and an id cached for one may now be another model's.
    ContentType.objects.clear_cache()
