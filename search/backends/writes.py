"""Writing many objects' index entries at once, on both databases: `update_index`, an import's
batch (essaybank.batch) and a single page saved all come through the index's add_items, which
writes the same rows as Wagtail's index classes do, with less work.

- Each object's search fields are read once, not once for each of the entry's title, body and
  autocomplete columns (PreparedOnce), and the related rows they name, down to the last level,
  are fetched for the whole batch (prefetch_search_relations).
- An entry whose columns would not change is not written, so its full-text rows, postings and
  index entries are not rewritten either; update_index writes every entry, so that it also
  repairs the tables the entries' triggers write (postings, title prefixes).
- Title norms (Wagtail's average title length over the title's length) are refreshed once at the
  end of a full rebuild instead of after every batch, and only where they change.
"""

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Avg, F
from django.db.models.functions import Length
from django.db.models.query import prefetch_related_objects
from modelsearch.index import RelatedFields


class PreparedOnce:
    """Mixin for modelsearch's ObjectIndexer: each of the object's search fields is prepared once
    and its values shared by the title, body and autocomplete columns (and PostgreSQL's plain-text
    columns), which Wagtail's indexer computes by reading every field again for each."""

    def prepare_field(self, obj, field):
        if obj is not self.obj:
            return super().prepare_field(obj, field)
        prepared = self.__dict__.setdefault("_prepared_fields", {})
        if id(field) not in prepared:
            prepared[id(field)] = list(super().prepare_field(obj, field))
        return iter(prepared[id(field)])


def relation_lookups(model, fields, prefix=""):
    """prefetch_related lookups of the relations the search fields follow, nested ones too
    ("essay_authors__person"): Wagtail's own queryset fetches only the first level."""
    for field in fields:
        if not isinstance(field, RelatedFields):
            continue
        try:
            relation = model._meta.get_field(field.field_name)
        except FieldDoesNotExist:
            continue
        if not relation.is_relation or relation.related_model is None:
            continue
        lookup = f"{prefix}{field.field_name}"
        yield lookup
        yield from relation_lookups(relation.related_model, field.fields, f"{lookup}__")


def prefetch_search_relations(model, objects):
    """Fetch, for a batch of objects read from the database, the related rows their search fields
    read, a query per relation. A single object is left alone: one being saved may hold related
    rows not yet written, which a prefetch would hide; so are objects holding their child rows in
    memory (modelcluster), as an import's new pages do."""
    if len(objects) > 1:
        fetched = [obj for obj in objects if not getattr(obj, "_cluster_related_objects", None)]
        prefetch_related_objects(fetched, *relation_lookups(model, model.get_search_fields()))


def refresh_title_norms(entries, full=False):
    """Wagtail's title norm of the entries (all, or with `full` False those just added, whose norm
    is 1.0): the average title length over this title's length, written only where it changes."""
    average = (
        entries.annotate(title_length=Length("title"))
        .filter(title_length__gt=0)
        .aggregate(Avg("title_length"))["title_length__avg"]
    )
    if average is None:
        return
    # The norm is tested before the title's length, which SQLite reads after the whole body.
    refreshed = entries if full else entries.filter(title_norm=1.0)
    refreshed = refreshed.annotate(title_length=Length("title")).filter(title_length__gt=0)
    norm = average / F("title_length")
    refreshed.exclude(title_norm=norm).update(title_norm=norm)


class BulkWrites:
    """Mixin for a database backend's index class: title norms as refresh_title_norms writes them,
    once per full rebuild (see RebuiltOnce)."""

    # Set while update_index rebuilds the index: its last step refreshes every title norm.
    rebuilding = False

    def _refresh_title_norms(self, full=False):
        if full or not self.rebuilding:
            refresh_title_norms(self.entries, full)

    def indexers(self, model, objects, indexer_class):
        """{object id: indexer_class(object)} of the objects, their related rows fetched first."""
        objects = list(objects)
        prefetch_search_relations(model, objects)
        indexers = (indexer_class(obj, self.backend) for obj in objects)
        return {indexer.id: indexer for indexer in indexers}


class RebuiltOnce:
    """Mixin for a rebuilder: the index it hands update_index leaves the title norms to finish()."""

    def start(self):
        index = super().start()
        index.rebuilding = True
        return index

    def finish(self):
        self.index.rebuilding = False
        super().finish()
