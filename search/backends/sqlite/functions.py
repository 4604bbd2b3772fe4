"""Python functions our SQLite triggers call as SQL functions, registered on every connection."""

from django.db import connections
from django.db.backends.signals import connection_created


def on_every_sqlite_connection(register, dispatch_uid):
    """Call register(sqlite3 connection) on every SQLite connection Django opens from now on, and on
    those already open: a trigger calling a function its connection lacks fails the write."""

    def registered_on_new_connection(sender, connection, **kwargs):
        if connection.vendor == "sqlite":
            register(connection.connection)

    connection_created.connect(registered_on_new_connection, dispatch_uid=dispatch_uid, weak=False)
    for opened in connections.all(initialized_only=True):
        if opened.vendor == "sqlite" and opened.connection is not None:
            register(opened.connection)
