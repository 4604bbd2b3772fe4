"""Re-index a record when the rows it clusters change.

modelcluster saves a book's authors and an essay's authors, books and tags after the record
itself, so Wagtail's own post_save indexing sees them one save late. Indexing the parent again
when such a row is saved or deleted keeps the analysed text current.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save
from modelsearch import index


def reindex_parent(parent_field):
    def handler(sender, instance, **kwargs):
        parent = getattr(instance, f"{parent_field}_id", None) and getattr(instance, parent_field, None)
        if parent is not None:
            index.insert_or_update_object(parent)

    return handler


def reindex_categorised(sender, instance, action, reverse, pk_set, **kwargs):
    """Essays added to or removed from a category through the category (a save of the essay
    indexes its own categories): a search cluster counts them (EssayPage.facet_categories)."""
    from essays.models import EssayPage

    if reverse and action in ("post_add", "post_remove"):
        for essay in EssayPage.objects.filter(pk__in=pk_set or ()):
            index.insert_or_update_object(essay)


def register():
    from essays.models import BookAuthor, EssayAuthor, EssayBookSource, EssayPage
    from essays.models.taxonomy import EssayTag

    for model, parent_field in [
        (BookAuthor, "book"),
        (EssayAuthor, "essay"),
        (EssayBookSource, "essay"),
        (EssayTag, "content_object"),
    ]:
        handler = reindex_parent(parent_field)
        post_save.connect(handler, sender=model, weak=False, dispatch_uid=f"search-reindex-{model.__name__}")
        post_delete.connect(handler, sender=model, weak=False, dispatch_uid=f"search-reindex-del-{model.__name__}")
    m2m_changed.connect(
        reindex_categorised, sender=EssayPage.categories.through, dispatch_uid="search-reindex-categories"
    )
