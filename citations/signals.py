from django.db.models.signals import post_save
from django.dispatch import receiver
from wagtail.signals import page_published

from essays.models import Book

from .extraction import record_citations, rematch_unmatched
from .models import Source, normalize_isbn


@receiver(post_save, sender=Book)
def give_book_a_source(sender, instance, raw=False, **kwargs):
    """Every catalogue book is a source; an imported source of the same book is linked to it."""
    if raw or Source.objects.filter(book=instance).exists():
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
