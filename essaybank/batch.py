"""Saving many records at once: what each save would set off one by one, done once per batch.

A page saved by an import is written three times (created, its revision saved, published) and
each of its authors, books and tags is saved after it; every one of those saves would index the
page again, and publishing it would link its concepts and recognise its citations. Within
`ImportBatch.deferred()` the receivers that do that work are paused and the saves only noted; on
`flush()` each noted page, book, person and team is indexed once, in bulk, and the published
pages' concepts and citations are found in one pass with one read of the concepts and sources,
and the rewritten essays' originality signatures are made once each.

The receivers are paused for the whole process, so a batch belongs to a management command, not
to a request.
"""

import contextlib
import logging
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import connections, router, transaction
from django.db.models import Case, CharField, OuterRef, Subquery, When, prefetch_related_objects
from django.db.models.functions import Cast
from django.db.models.signals import post_delete, post_save, pre_delete
from django.utils import timezone
from modelcluster.models import get_all_child_m2m_relations, get_all_child_relations
from modelsearch import index
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler
from taggit.managers import TaggableManager
from wagtail.log_actions import get_active_log_context
from wagtail.models import Page, PageLogEntry, ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update, reference_index_auto_update_disabled
from wagtail.signals import page_published

from citations import signals as citation_signals
from citations.extraction import record_citations_of, rematch_unmatched
from citations.models import Source, sources_for_matching
from concepts import signals as concept_signals
from concepts.linking import link_concept, link_essays
from concepts.models import ConceptPage
from essaybank import index_thread
from essaybank.models import UnindexedRecord
from essays import facets
from essays.models import BookAuthor, EssayAuthor, EssayBookSource, EssayPage, FacetsVersion
from essays.models.taxonomy import EssayTag
from originality import signals as originality_signals
from originality.fingerprints import essay_text
from originality.models import Signature, current_version
from search import signal_handlers as search_signals
from search.backends import later
from search.backends.sqlite.cache import write_cache

logger = logging.getLogger(__name__)


def deferred_receivers():
    """(signal, receiver, sender) of the receivers an import batch replaces by its flush()."""
    return [
        (page_published, concept_signals.link_published_essay, EssayPage),
        (page_published, concept_signals.link_published_concept, ConceptPage),
        (page_published, citation_signals.record_page_citations, None),
        (post_save, citation_signals.link_waiting_citations, Source),
        (post_save, originality_signals.fingerprint_saved_essay, EssayPage),
        (post_save, originality_signals.fingerprint_saved_revision, Revision),
    ]


# Rows saved after their parent by modelcluster: saving one changes what the parent indexes.
CLUSTERED = {
    BookAuthor: "book_id",
    EssayAuthor: "essay_id",
    EssayBookSource: "essay_id",
    EssayTag: "content_object_id",
}
INDEX_CHUNK = 200


class ImportBatch:
    def __init__(self):
        self.changed = defaultdict(set)
        self.published = set()
        self.sources_changed = False
        self.rewritten = set()
        self.facets_changed = False
        # Pages insert_pages wrote, as the importer made them, by model and id: the end of the chunk
        # takes them instead of reading them back, unless something saved them since.
        self.held = defaultdict(dict)
        # On PostgreSQL, within deferred(): the thread writing a committed chunk's search index
        # (essaybank.index_thread), and the writes and records of the chunk being flushed for it.
        self.index_thread = None
        self.unwritten = None

    @contextlib.contextmanager
    def deferred(self):
        """Saves within it are noted for flush() instead of indexed, linked and recognised."""
        indexed_models = [model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)]
        for model in indexed_models:
            post_save.disconnect(post_save_signal_handler, sender=model)
        for model in CLUSTERED:
            post_save.disconnect(sender=model, dispatch_uid=f"search-reindex-{model.__name__}")
            post_delete.disconnect(sender=model, dispatch_uid=f"search-reindex-del-{model.__name__}")
        for signal, receiver, sender in deferred_receivers():
            signal.disconnect(receiver, sender=sender)
        for model in facets.WATCHED:
            post_save.disconnect(sender=model, dispatch_uid=f"facets-save-{model.__name__}")
            post_delete.disconnect(sender=model, dispatch_uid=f"facets-delete-{model.__name__}")
        post_save.connect(self._saved, weak=False, dispatch_uid="import-batch-saved")
        post_delete.connect(self._saved, weak=False, dispatch_uid="import-batch-deleted")
        page_published.connect(self._published, weak=False, dispatch_uid="import-batch-published")
        connection = connections[router.db_for_write(Page)]
        if connection.vendor == "postgresql":
            self.index_thread = index_thread.IndexThread()
            for model in indexed_models:
                pre_delete.connect(self._deleting, sender=model, weak=False, dispatch_uid="import-batch-deleting")
        # Wagtail's switch is not reentrant: it is left alone when a caller has turned it off already.
        references_off = getattr(reference_index_auto_update_disabled, "value", False)
        # A chunk's index rows leave more pages dirty than SQLite's default cache holds: what the
        # chunk writes after them (band keys, references) had each page spilled to the log first.
        cache = write_cache(connection) if connection.vendor == "sqlite" else contextlib.nullcontext()
        try:
            with cache, contextlib.nullcontext() if references_off else disable_reference_index_auto_update():
                yield self
            if self.index_thread:
                self.index_thread.wait()
        finally:
            try:
                if self.index_thread:
                    self.index_thread.join()
                    if self.index_thread.error is not None:
                        # The import failed for another reason: the index's own failure is still told.
                        logger.error("Writing an import's search index failed", exc_info=self.index_thread.error)
            finally:
                self._reconnect(indexed_models)

    def _reconnect(self, indexed_models):
        """The receivers deferred() disconnected, connected again, and its own disconnected."""
        if self.index_thread:
            self.index_thread = None
            for model in indexed_models:
                pre_delete.disconnect(sender=model, dispatch_uid="import-batch-deleting")
        post_save.disconnect(dispatch_uid="import-batch-saved")
        post_delete.disconnect(dispatch_uid="import-batch-deleted")
        page_published.disconnect(dispatch_uid="import-batch-published")
        for model in indexed_models:
            post_save.connect(post_save_signal_handler, sender=model)
        search_signals.register()
        facets.register()
        for signal, receiver, sender in deferred_receivers():
            signal.connect(receiver, sender=sender)

    def _saved(self, sender, instance, raw=False, update_fields=None, **kwargs):
        # The index thread deletes its marks while this process's batch state is in use.
        if raw or sender is UnindexedRecord:
            return
        if sender in facets.WATCHED:
            self.facets_changed = True
        if sender is Revision:
            if instance.content_type_id == ContentType.objects.get_for_model(EssayPage).pk:
                self.rewritten.add(int(instance.object_id))
                self.held[EssayPage].pop(int(instance.object_id), None)
            return
        if sender is EssayPage and (update_fields is None or "body" in update_fields):
            self.rewritten.add(instance.pk)
        self.held[sender].pop(instance.pk, None)
        parent_field = CLUSTERED.get(sender)
        if parent_field:
            parent_id = getattr(instance, parent_field, None)
            parent_model = EssayPage if sender is not BookAuthor else instance._meta.get_field("book").related_model
            if parent_id:
                self.changed[parent_model].add(parent_id)
                self.held[parent_model].pop(parent_id, None)
        elif sender is Source:
            self.sources_changed = True
        elif index.class_is_indexed(sender) or ReferenceIndex.is_indexed(sender):
            self.changed[sender].add(instance.pk)

    def _published(self, sender, instance, **kwargs):
        self.published.add((type(instance), instance.pk))

    def _deleting(self, sender, instance, **kwargs):
        # Deleting a record deletes its index entry: not before the thread has written the entries.
        self.index_thread.join()

    @contextlib.contextmanager
    def chunk(self):
        """A chunk of an import in a transaction of its own, ending in flush(). On PostgreSQL with no
        transaction around it, the search index writes of its flush are run after its commit by the
        index thread while the caller goes on, and waited for before the next chunk commits."""
        if self.index_thread is None or connections[router.db_for_write(Page)].in_atomic_block:
            with transaction.atomic():
                yield
            return
        self.unwritten = ([], defaultdict(set))
        try:
            with transaction.atomic():
                yield
                writes, changed = self.unwritten
                marks = index_thread.mark(changed) if writes else []
                self.index_thread.wait()
        finally:
            self.unwritten = None
        if writes:
            self.index_thread.start(writes, marks)

    def index_marked(self):
        """Index the records an interrupted import committed and left marked as not yet indexed
        (essaybank.index_thread), in a transaction of its own."""
        with transaction.atomic():
            marks, found = index_thread.marked()
            for model, pks in found.items():
                index_records(model, pks)
            index_thread.unmark(marks)

    def created(self, pages):
        """Note pages written by insert_pages, as their saves would have been noted."""
        for page in pages:
            self.changed[type(page)].add(page.pk)
            self.held[type(page)][page.pk] = page
            if isinstance(page, EssayPage):
                self.rewritten.add(page.pk)

    def flush(self):
        """Index each noted record once, then link concepts and record citations of the published
        pages; the notes are cleared."""
        changed, published, sources_changed = self.changed, self.published, self.sources_changed
        rewritten, held = self.rewritten, self.held
        self.changed, self.published, self.sources_changed, self.rewritten = defaultdict(set), set(), False, set()
        self.held = defaultdict(dict)
        with transaction.atomic():
            with later.collected() if self.unwritten else contextlib.nullcontext() as writes:
                # The records the index reads are read once: concept links, citations and signatures take them too.
                read = {model: index_records(model, pks, held.get(model)) for model, pks in changed.items()}
            if writes:
                self.unwritten[0].extend(writes)
                for model, pks in changed.items():
                    self.unwritten[1][model].update(pks)
            by_model = defaultdict(list)
            for model, pk in published:
                by_model[model].append(pk)
            pages = []
            for model, model_pks in by_model.items():
                pages += records(model, model_pks, read.get(model, {}))
            essays = [page for page in pages if isinstance(page, EssayPage) and page.live]
            if essays:
                link_essays(essays)
            for concept in (page for page in pages if isinstance(page, ConceptPage)):
                link_concept(concept)
            citing = [page for page in pages if hasattr(page, "body")]
            # Read once for both: recording citations changes no source.
            sources = sources_for_matching() if citing or sources_changed else None
            record_citations_of(citing, sources)
            if sources_changed:
                rematch_unmatched(sources)
            fingerprint(rewritten, read.get(EssayPage, {}))
            if self.facets_changed or published:
                FacetsVersion.replace()
                self.facets_changed = False


def records(model, pks, read):
    """The records of these ids in id order, those in `read` ({id: record}, as index_records
    returns them) not read again; an essay comes with its tags, which its concept links need."""
    queryset = model.objects.all()
    return in_id_order(queryset.prefetch_related("tags") if model is EssayPage else queryset, pks, read)


def fingerprint(essay_pks, read=None):
    """The originality signatures of these essays as they now stand, in one pass; `read` as in records()."""
    essays = in_id_order(EssayPage.objects.select_related("latest_revision"), essay_pks, read or {})
    Signature.objects.store_many([(essay.pk, essay_text(current_version(essay))) for essay in essays])


def in_id_order(queryset, pks, read):
    """The records of these ids in id order: those in `read` ({id: record}) as they are, the others
    from the queryset in one query."""
    missing = [pk for pk in pks if pk not in read]
    fetched = {record.pk: record for record in queryset.filter(pk__in=missing)}
    return [record for pk in sorted(pks) if (record := read.get(pk) or fetched.get(pk)) is not None]


def index_records(model, pks, held=None):
    """Index these records of one model in bulk, as update_index does, and refresh their references;
    returns them, {id: record}. Those in `held` ({id: record}, new pages with their child rows
    in memory, as insert_pages wrote them) are taken as they are, the others read."""
    pks = sorted(pks)
    held = held or {}
    backends = [backend for _name, backend in get_search_backends_with_name(with_auto_update=True)]
    read = {}
    for start in range(0, len(pks), INDEX_CHUNK):
        chunk = pks[start : start + INDEX_CHUNK]
        missing = [pk for pk in chunk if pk not in held]
        if not missing:
            fetched = []
        elif index.class_is_indexed(model):
            queryset = model.get_indexed_objects().filter(pk__in=missing)
            for field in model.get_search_fields():
                if hasattr(field, "select_on_queryset"):
                    queryset = field.select_on_queryset(queryset)
            fetched = list(queryset)
        else:
            fetched = list(model.objects.filter(pk__in=missing))
        if ReferenceIndex.is_indexed(model):
            prefetch_related_objects(fetched, *unread_children(model, fetched))
        # In the query's order, then the held ones in id order (for new pages that is their tree order,
        # the query's): the index's rows are given their ids in this order.
        kept = [held[pk] for pk in chunk if pk in held]
        tags_as_stored(model, kept)
        objects = fetched + kept
        if index.class_is_indexed(model):
            for backend in backends:
                backend.add_bulk(model, objects)
        if ReferenceIndex.is_indexed(model):
            index_references(model, objects)
        read.update((record.pk, record) for record in objects)
    return read


def tags_as_stored(model, pages):
    """Have the pages' tags read from the database, in one query per relation, as for pages read
    back: tags have no order of their own, and the index lists them in the order the query gives."""
    for field in model._meta.many_to_many:
        if isinstance(field, TaggableManager) and pages:
            accessor = field.through._meta.get_field("content_object").remote_field.get_accessor_name()
            for page in pages:
                # Their rows are written: modelcluster's own commit drops its copy in memory too.
                page._cluster_related_objects.pop(accessor, None)
            prefetch_related_objects(pages, field.name, accessor)


def unread_children(model, objects):
    """The child relations of the model that the reference index reads and the objects have not
    fetched yet, for one query each instead of one per object."""
    fetched = set(getattr(objects[0], "_prefetched_objects_cache", {})) if objects else set()
    names = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    return [name for name in names if name not in fetched]


def index_references(model, objects):
    """ReferenceIndex.create_or_update_for_object for each object, the references of those that
    have none stored yet (new records) written in one insert."""
    base_content_type = ReferenceIndex._get_base_content_type(model)
    content_type = ContentType.objects.get_for_model(model, for_concrete_model=False)
    stored = set(
        ReferenceIndex.objects.filter(
            base_content_type=base_content_type, object_id__in=[str(instance.pk) for instance in objects]
        ).values_list("object_id", flat=True)
    )
    rows = []
    for instance in objects:
        if str(instance.pk) in stored:
            ReferenceIndex.create_or_update_for_object(instance)
            continue
        rows += [
            (
                content_type.pk,
                base_content_type.pk,
                str(instance.pk),
                to_content_type_id,
                str(to_object_id),
                model_path,
                content_path,
                ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_content_type_id, to_object_id, model_path, content_path in set(
                ReferenceIndex._extract_references_from_object(instance)
            )
        ]
    insert_rows(ReferenceIndex, REFERENCE_COLUMNS, rows)


# The columns of a reference index row, in the order index_references gives their values.
REFERENCE_COLUMNS = [
    "content_type",
    "base_content_type",
    "object_id",
    "to_content_type",
    "to_object_id",
    "model_path",
    "content_path",
    "content_path_hash",
]


def insert_rows(model, names, rows):
    """Insert rows of values for these fields of the model in one executemany: new pages have
    several references each, and a model instance made for every one would cost more than its
    insert."""
    if not rows:
        return
    connection = connections[router.db_for_write(model)]
    fields = [model._meta.get_field(name) for name in names]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(field.column) for field in fields)
    values = ", ".join(["%s"] * len(fields))
    prepared = [
        [field.get_db_prep_save(value, connection) for field, value in zip(fields, row, strict=True)] for row in rows
    ]
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({values})", prepared)


def insert_pages(new_pages):
    """Write new pages of one model as parent.add_child(instance=page), page.save_revision() and,
    for a live page, revision.publish() leave them, a few statements for all of them: the Page rows,
    the model's own rows, the child relations' rows, the first revisions and the log entries, and
    the links to the revisions in one update. Each entry is (page, parent, live); the page's path, depth and
    slug are set, and the parents' counts of children are left to the caller. Returns the
    revisions, in the order of the pages."""
    pages = [page for page, _parent, _live in new_pages]
    model = type(pages[0])
    now = timezone.now()
    relations = [relation.get_accessor_name() for relation in get_all_child_relations(model)]
    for page, parent, live in new_pages:
        for name in relations:
            # A new page has no rows in the relations the import left alone: known, not read.
            if name not in getattr(page, "_cluster_related_objects", {}):
                getattr(page, name).set([])
        page.set_url_path(parent)
        page.draft_title = page.title
        page.latest_revision_created_at = now
        page.has_unpublished_changes = not live
        if live:
            page.first_published_at = page.last_published_at = now
        if isinstance(page, EssayPage):
            # What EssayPage.save adds to Page.save, which is not called.
            page.count_reading_minutes()
    Page.objects.bulk_create(pages)
    for page in pages:
        setattr(page, model._meta.pk.attname, page.id)
        page._state.adding = False
    insert_own_rows(model, pages)
    insert_children(model, pages)
    revisions = Revision.objects.bulk_create(
        Revision(
            content_object=page,
            base_content_type=page.get_base_content_type(),
            content=first_revision_content(page),
            object_str=str(page),
            created_at=now,
        )
        for page in pages
    )
    for (page, _parent, live), revision in zip(new_pages, revisions, strict=True):
        page.latest_revision = revision
        page.live_revision = revision if live else None
    newest_revision = Revision.objects.filter(
        base_content_type=pages[0].get_base_content_type(), object_id=Cast(OuterRef("pk"), CharField())
    ).order_by("-pk")
    Page.objects.filter(pk__in=[page.pk for page in pages]).update(
        latest_revision=Subquery(newest_revision.values("pk")[:1]),
        live_revision=Case(When(live=True, then=Subquery(newest_revision.values("pk")[:1]))),
    )
    log_creation(new_pages, revisions, now)
    FacetsVersion.replace()
    return revisions


def first_revision_content(page):
    """The page's content as save_revision stores it between add_child and publishing."""
    published = ["has_unpublished_changes", "first_published_at", "last_published_at", "latest_revision_created_at"]
    values = {name: getattr(page, name) for name in published}
    page.has_unpublished_changes = False
    page.first_published_at = page.last_published_at = page.latest_revision_created_at = None
    content = page.serializable_data()
    for name, value in values.items():
        setattr(page, name, value)
    return content


def insert_own_rows(model, pages):
    """The rows of the page model's own table; bulk_create refuses a model with a parent table, so
    the insert it makes for each table is made here for this one."""
    fields = model._meta.local_concrete_fields
    database = router.db_for_write(model)
    size = connections[database].ops.bulk_batch_size(fields, pages) or len(pages)
    for start in range(0, len(pages), size):
        model._base_manager._insert(pages[start : start + size], fields=fields, using=database)


def insert_children(model, pages):
    """The rows of the pages' child relations and parental many-to-many fields, as modelcluster
    commits them when a page is saved."""
    for relation in get_all_child_relations(model):
        name = relation.get_accessor_name()
        rows = []
        for page in pages:
            for item in getattr(page, name).all():
                setattr(item, relation.field.name, page)
                rows.append(item)
        relation.related_model.objects.bulk_create(rows)
    for m2m in get_all_child_m2m_relations(model):
        through = m2m.remote_field.through
        source, target = m2m.m2m_field_name(), m2m.m2m_reverse_field_name()
        through.objects.bulk_create(
            through(**{f"{source}_id": page.pk, f"{target}_id": item.pk})
            for page in pages
            for item in getattr(page, m2m.name).all()
        )


def log_creation(new_pages, revisions, now):
    """The log entries Page.save and publishing write: "wagtail.create", and "wagtail.publish" for
    a live page."""
    context = get_active_log_context()
    content_type = ContentType.objects.get_for_model(type(new_pages[0][0]), for_concrete_model=False)
    entries = []
    for (page, _parent, live), revision in zip(new_pages, revisions, strict=True):
        entry = {"content_type": content_type, "label": page.get_admin_display_title(), "timestamp": now}
        entry |= {"data": {}, "page_id": page.pk, "uuid": context.uuid, "content_changed": True}
        entries.append(PageLogEntry(action="wagtail.create", user=page.owner or context.user, **entry))
        if live:
            entries.append(PageLogEntry(action="wagtail.publish", user=context.user, revision=revision, **entry))
    PageLogEntry.objects.bulk_create(entries)
