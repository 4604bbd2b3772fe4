"""Wagtail's update_index, reading each model's objects a chunk at a time after the last id read.

Wagtail's command reads chunk n as `LIMIT chunk OFFSET n * chunk`, so the database steps over every
object before the chunk again: at 100 000 essays the last chunks cost more to find than to index.
"""

from modelsearch.management.commands.rebuild_modelsearch_index import DEFAULT_CHUNK_SIZE
from wagtail.search.management.commands.update_index import Command as WagtailCommand


class Command(WagtailCommand):
    def queryset_chunks(self, qs, chunk_size=DEFAULT_CHUNK_SIZE):
        """The objects of `qs` in lists of at most chunk_size, in the order of their ids."""
        qs = qs.order_by("pk")
        last = None
        while True:
            items = list((qs if last is None else qs.filter(pk__gt=last))[:chunk_size])
            if not items:
                break
            yield items
            last = items[-1].pk
