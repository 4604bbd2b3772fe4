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
from collections import defaultdict

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_delete, post_save
from modelsearch import index
from modelsearch.backends import get_search_backends_with_name
from modelsearch.signal_handlers import post_save_signal_handler
from wagtail.models import ReferenceIndex, Revision
from wagtail.signal_handlers import disable_reference_index_auto_update, reference_index_auto_update_disabled
from wagtail.signals import page_published

from citations import signals as citation_signals
from citations.extraction import record_citations_of, rematch_unmatched
from citations.models import Source
from concepts import signals as concept_signals
from concepts.linking import link_concept, link_essays
from concepts.models import ConceptPage
from essays.models import BookAuthor, EssayAuthor, EssayBookSource, EssayPage
from essays.models.taxonomy import EssayTag
from originality import signals as originality_signals
from originality.fingerprints import essay_text
from originality.models import Signature, current_version
from search import signal_handlers as search_signals

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

    @contextlib.contextmanager
    def deferred(self):
        """Saves within it are noted for flush() instead of indexed, linked and recognised."""
        indexed_models = [model for model in index.get_indexed_models() if getattr(model, "search_auto_update", True)]
        for model in indexed_models:
            post_save.disconnect(post_save_signal_handler, sender=model)
        for model in CLUSTERED:
            post_save.disconnect(sender=model, dispatch_uid=f"search-reindex-{model.__name__}")
            post_delete.disconnect(sender=model, dispatch_uid=f"search-reindex-del-{model.__name__}")
        page_published.disconnect(concept_signals.link_published_essay, sender=EssayPage)
        page_published.disconnect(concept_signals.link_published_concept, sender=ConceptPage)
        page_published.disconnect(citation_signals.record_page_citations)
        post_save.disconnect(citation_signals.link_waiting_citations, sender=Source)
        post_save.disconnect(originality_signals.fingerprint_saved_essay, sender=EssayPage)
        post_save.disconnect(originality_signals.fingerprint_saved_revision, sender=Revision)
        post_save.connect(self._saved, weak=False, dispatch_uid="import-batch-saved")
        post_delete.connect(self._saved, weak=False, dispatch_uid="import-batch-deleted")
        page_published.connect(self._published, weak=False, dispatch_uid="import-batch-published")
        # Wagtail's switch is not reentrant: it is left alone when a caller has turned it off already.
        references_off = getattr(reference_index_auto_update_disabled, "value", False)
        try:
            with contextlib.nullcontext() if references_off else disable_reference_index_auto_update():
                yield self
        finally:
            post_save.disconnect(dispatch_uid="import-batch-saved")
            post_delete.disconnect(dispatch_uid="import-batch-deleted")
            page_published.disconnect(dispatch_uid="import-batch-published")
            for model in indexed_models:
                post_save.connect(post_save_signal_handler, sender=model)
            search_signals.register()
            page_published.connect(concept_signals.link_published_essay, sender=EssayPage)
            page_published.connect(concept_signals.link_published_concept, sender=ConceptPage)
            page_published.connect(citation_signals.record_page_citations)
            post_save.connect(citation_signals.link_waiting_citations, sender=Source)
            post_save.connect(originality_signals.fingerprint_saved_essay, sender=EssayPage)
            post_save.connect(originality_signals.fingerprint_saved_revision, sender=Revision)

    def _saved(self, sender, instance, raw=False, update_fields=None, **kwargs):
        if raw:
            return
        if sender is Revision:
            if instance.content_type_id == ContentType.objects.get_for_model(EssayPage).pk:
                self.rewritten.add(int(instance.object_id))
            return
        if sender is EssayPage and (update_fields is None or "body" in update_fields):
            self.rewritten.add(instance.pk)
        parent_field = CLUSTERED.get(sender)
        if parent_field:
            parent_id = getattr(instance, parent_field, None)
            parent_model = EssayPage if sender is not BookAuthor else instance._meta.get_field("book").related_model
            if parent_id:
                self.changed[parent_model].add(parent_id)
        elif sender is Source:
            self.sources_changed = True
        elif index.class_is_indexed(sender) or ReferenceIndex.is_indexed(sender):
            self.changed[sender].add(instance.pk)

    def _published(self, sender, instance, **kwargs):
        self.published.add((type(instance), instance.pk))

    def flush(self):
        """Index each noted record once, then link concepts and record citations of the published
        pages; the notes are cleared."""
        changed, published, sources_changed = self.changed, self.published, self.sources_changed
        rewritten = self.rewritten
        self.changed, self.published, self.sources_changed, self.rewritten = defaultdict(set), set(), False, set()
        with transaction.atomic():
            for model, pks in changed.items():
                index_records(model, pks)
            by_model = defaultdict(list)
            for model, pk in published:
                by_model[model].append(pk)
            pages = []
            for model, model_pks in by_model.items():
                queryset = model.objects.filter(pk__in=model_pks)
                pages += queryset.prefetch_related("tags") if model is EssayPage else queryset
            essays = [page for page in pages if isinstance(page, EssayPage) and page.live]
            if essays:
                link_essays(essays)
            for concept in (page for page in pages if isinstance(page, ConceptPage)):
                link_concept(concept)
            record_citations_of([page for page in pages if hasattr(page, "body")])
            if sources_changed:
                rematch_unmatched()
            fingerprint(rewritten)


def fingerprint(essay_pks):
    """The originality signatures of these essays as they now stand, in one pass."""
    essays = EssayPage.objects.filter(pk__in=essay_pks).select_related("latest_revision")
    Signature.objects.store_many([(essay.pk, essay_text(current_version(essay))) for essay in essays])


def index_records(model, pks):
    """Index these records of one model in bulk, as update_index does, and refresh their references."""
    pks = sorted(pks)
    backends = [backend for _name, backend in get_search_backends_with_name(with_auto_update=True)]
    for start in range(0, len(pks), INDEX_CHUNK):
        chunk = pks[start : start + INDEX_CHUNK]
        if index.class_is_indexed(model):
            queryset = model.get_indexed_objects().filter(pk__in=chunk)
            for field in model.get_search_fields():
                if hasattr(field, "select_on_queryset"):
                    queryset = field.select_on_queryset(queryset)
            objects = list(queryset)
            for backend in backends:
                backend.add_bulk(model, objects)
        else:
            objects = list(model.objects.filter(pk__in=chunk))
        if ReferenceIndex.is_indexed(model):
            index_references(model, objects)


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
            ReferenceIndex(
                content_type=content_type,
                base_content_type=base_content_type,
                object_id=instance.pk,
                to_content_type_id=to_content_type_id,
                to_object_id=to_object_id,
                model_path=model_path,
                content_path=content_path,
                content_path_hash=ReferenceIndex._get_content_path_hash(content_path),
            )
            for to_content_type_id, to_object_id, model_path, content_path in set(
                ReferenceIndex._extract_references_from_object(instance)
            )
        ]
    ReferenceIndex.objects.bulk_create(rows, batch_size=500)
