"""Python functions our SQLite triggers call as SQL functions, registered on every connection."""

import json

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


def sqlite_trigger_function(name, arity, rows, no_rows, as_json=json.dumps):
    """A register(sqlite_connection, deferred=False) that lets SQLite's triggers call `rows` under
    `name`, as JSON (`as_json`, str for a `rows` that writes its own), on a connection; `deferred`,
    they get `no_rows` and write nothing (a full rebuild writes every row at its end)."""

    def rows_json(*args):
        return as_json(rows(*args))

    def nothing(*args):
        return no_rows

    def register(sqlite_connection, deferred=False):
        function = nothing if deferred else rows_json
        sqlite_connection.create_function(name, arity, function, deterministic=True)

    return register
