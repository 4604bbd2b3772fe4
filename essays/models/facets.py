import uuid

from django.db import connection, models


def new_token():
    return uuid.uuid4().hex


class FacetsVersion(models.Model):
    """One row whose token is replaced, in the same transaction, by every change to what the
    essay facets count (essays.facets keeps the counts in memory and reads them again when the
    token differs). A fresh token rather than a counter: a rolled-back change must not leave a
    number that the next change would reuse for other data."""

    token = models.CharField(max_length=32, default=new_token)

    def __str__(self):
        return self.token

    @classmethod
    def current(cls):
        # Read more than once by every search, so as plain SQL rather than through a queryset.
        with connection.cursor() as cursor:
            table, token, key = (
                connection.ops.quote_name(name)
                for name in (cls._meta.db_table, cls._meta.get_field("token").column, cls._meta.pk.column)
            )
            cursor.execute(f"SELECT {token} FROM {table} ORDER BY {key} LIMIT 1")
            row = cursor.fetchone()
        return row[0] if row else None

    @classmethod
    def replace(cls):
        if not cls.objects.update(token=new_token()):
            cls.objects.create()
