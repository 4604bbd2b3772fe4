from django.urls.converters import StringConverter


class RecordSlugConverter(StringConverter):
    """A book's, person's or team's slug in an address: slugs keep ä and ö, so any character but a
    slash, and not NUL, which PostgreSQL refuses in a query (a 404, not a server error)."""

    regex = "[^/\x00]+"
