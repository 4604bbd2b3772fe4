from django.contrib.contenttypes.models import ContentType
from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.fields import StreamField
from wagtail.models import Page, ReferenceIndex
from wagtail.signals import page_published

from essays.merging import records_merged
from essays.models import Book

from .extraction import record_citations, rematch_unmatched
from .models import Citation, Source, normalize_isbn
from .rich_text import cite_another_source


@receiver(post_save, sender=Book)
def give_book_a_source(sender, instance, created=False, raw=False, **kwargs):
    """Every catalogue book is a source; an imported source of the same book is linked to it."""
    # A book just created has no source yet: only a saved one is looked up.
    if raw or (not created and Source.objects.filter(book=instance).exists()):
        return
    same_book = None
    isbn = normalize_isbn(instance.isbn)
    for source in Source.objects.filter(book__isnull=True, year=instance.year):
        if (isbn and normalize_isbn(source.isbn) == isbn) or source.title.casefold() == instance.title.casefold():
            same_book = source
            break
    if same_book is None:
        Source.objects.create(book=instance, kind=Source.Kind.BOOK)
    else:
        same_book.book = instance
        same_book.save(update_fields=["book"])


@receiver(post_save, sender=Source)
def link_waiting_citations(sender, instance, created, raw=False, **kwargs):
    if not raw:
        rematch_unmatched()


@receiver(page_published)
def record_page_citations(sender, instance, **kwargs):
    if hasattr(instance, "body"):
        record_citations(instance)


@receiver(records_merged, sender=Source)
def cite_the_kept_source(sender, kept, merged, **kwargs):
    """Citations inserted in pages' texts (live and latest draft) name the kept source's id, as the
    merged one is deleted."""
    page_ids = set(Citation.objects.filter(source=merged).values_list("page_id", flat=True))
    page_ids |= {
        int(object_id)
        for object_id in ReferenceIndex.get_references_to(merged)
        .filter(base_content_type=ContentType.objects.get_for_model(Page))
        .values_list("object_id", flat=True)
    }
    for page in Page.objects.filter(pk__in=page_ids).specific():
        if _cite_kept_in(page, kept.pk, merged.pk):
            page.save(update_fields=[field.name for field in _stream_fields(page)], clean=False)
        revision = page.latest_revision
        if revision is not None:
            draft = revision.as_object()
            if _cite_kept_in(draft, kept.pk, merged.pk):
                revision.content = draft.serializable_data()
                revision.save(update_fields=["content"])


def _stream_fields(page):
    return [field for field in page._meta.fields if isinstance(field, StreamField)]


def _cite_kept_in(page, kept_id, merged_id):
    """Rewrite the page's stream fields in place; True if any citation changed."""
    changed = False
    for field in _stream_fields(page):
        raw = getattr(page, field.name).get_prep_value()
        rewritten = _rewrite_strings(raw, lambda text: cite_another_source(text, merged_id, kept_id))
        if rewritten != raw:
            setattr(page, field.name, rewritten)
            changed = True
    return changed


def _rewrite_strings(value, rewrite):
    if isinstance(value, str):
        return rewrite(value)
    if isinstance(value, list):
        return [_rewrite_strings(item, rewrite) for item in value]
    if isinstance(value, dict):
        return {key: _rewrite_strings(item, rewrite) for key, item in value.items()}
    return value
