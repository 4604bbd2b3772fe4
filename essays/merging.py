"""Merging two records of one book or one person, typed differently over the years.

Whatever points at the record merged away (essays, summaries, citations, awards, teams, accounts)
is moved to the one kept, found through the model's reverse relations so that apps above essays need
no code here; the record's own parts (a book's author list) go with it. Its public address then
redirects to the kept record's. Apps above essays that hold the merged record's id in text (an
in-text citation in an essay's body) rewrite it on the `records_merged` signal.
"""

from collections import Counter

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.dispatch import Signal
from django.utils.translation import gettext as _
from modelcluster.fields import ParentalKey
from wagtail.contrib.redirects.models import Redirect
from wagtail.models import Revision, RevisionMixin

# Sent with `kept` and `merged` before anything moves, so receivers still find what names `merged`.
records_merged = Signal()


def is_a_part(row):
    """Whether the row is part of another record (an essay's author or book line), kept with it."""
    return any(isinstance(field, ParentalKey) for field in row._meta.fields)


def _repeats(row, field, kept):
    """Whether the record the row is part of already names `kept` (an essay crediting both records)."""
    parent = next(f for f in row._meta.fields if isinstance(f, ParentalKey))
    siblings = type(row)._default_manager.filter(**{parent.attname: getattr(row, parent.attname), field.name: kept})
    return siblings.exclude(pk=row.pk).exists()


def what_moves(merged):
    """{plural name: count} of the records that point at `merged` and would move to the kept one (an
    essay crediting it counts once; what points at its own parts, such as a book's source's citations,
    counts too)."""
    counts = Counter()
    for relation in merged._meta.related_objects:
        if relation.many_to_many or isinstance(relation.field, ParentalKey):
            continue
        model = relation.related_model
        rows = model._default_manager.filter(**{relation.field.name: merged})
        if relation.one_to_one:
            for row in rows:
                counts.update(what_moves(row))
            continue
        if any(isinstance(field, ParentalKey) for field in model._meta.fields):
            parent = next(field for field in model._meta.fields if isinstance(field, ParentalKey))
            counts[str(parent.related_model._meta.verbose_name_plural)] += (
                rows.values(parent.attname).distinct().count()
            )
        else:
            counts[str(model._meta.verbose_name_plural)] += rows.count()
    return +counts


def _move(relation, kept, merged):
    """Point the rows of one reverse relation at `kept`; a row that would repeat one of kept's (the same
    essay crediting both records) is a page's part and is dropped."""
    field = relation.field
    rows = relation.related_model._default_manager.filter(**{field.name: merged})
    if relation.one_to_one:
        # Each record has at most one (a book's source): the kept record's own stays, the other's
        # is merged into it.
        existing = relation.related_model._default_manager.filter(**{field.name: kept}).first()
        merged_row = rows.first()
        if existing is not None and merged_row is not None:
            merge(existing, merged_row)
            return
    for row in rows:
        if is_a_part(row) and _repeats(row, field, kept):
            row.delete()
            continue
        setattr(row, field.name, kept)
        try:
            with transaction.atomic():
                row.save(update_fields=[field.name])
        except IntegrityError:
            if not is_a_part(row):
                raise ValidationError(
                    _("Both records have %(what)s that cannot be combined: %(row)s. Resolve it first.")
                    % {"what": relation.related_model._meta.verbose_name, "row": row}
                ) from None
            row.delete()


def _move_in_revisions(relation, kept, merged):
    """Point the saved drafts and revisions that name `merged` at `kept`, as the rows were; a revision
    naming a deleted record could no longer be opened."""
    field = relation.field
    owner, key = relation.related_model, None
    if is_a_part(owner):
        parent = next(f for f in owner._meta.fields if isinstance(f, ParentalKey))
        owner, key = parent.related_model, parent.remote_field.get_accessor_name()
    if not issubclass(owner, RevisionMixin):
        return
    content_type = ContentType.objects.get_for_model(owner)
    revisions = Revision.objects.filter(Q(content_type=content_type) | Q(base_content_type=content_type))
    for revision in revisions.iterator():
        content = revision.content
        if key is None:
            changed = content.get(field.name) == merged.pk
            if changed:
                content[field.name] = kept.pk
        else:
            rows = content.get(key) or []
            changed = any(row.get(field.name) == merged.pk for row in rows)
            if changed:
                already_kept = any(row.get(field.name) == kept.pk for row in rows)
                content[key] = [
                    {**row, field.name: kept.pk} if row.get(field.name) == merged.pk else row
                    for row in rows
                    if not (already_kept and row.get(field.name) == merged.pk)
                ]
        if changed:
            revision.save(update_fields=["content"])


@transaction.atomic
def merge(kept, merged):
    """Move everything of `merged` to `kept`, delete `merged` and redirect its address to kept's."""
    if type(kept) is not type(merged) or kept.pk == merged.pk:
        raise ValidationError(_("Choose another record of the same kind to merge."))
    old_url = merged.get_absolute_url() if hasattr(merged, "get_absolute_url") else None
    records_merged.send(sender=type(merged), kept=kept, merged=merged)
    for relation in merged._meta.related_objects:
        if relation.many_to_many or isinstance(relation.field, ParentalKey):
            continue
        _move(relation, kept, merged)
        _move_in_revisions(relation, kept, merged)
    for field in merged._meta.fields:
        # A link only one record may hold (a person's account) passes to the kept record if it has none.
        if field.one_to_one and getattr(kept, field.attname) is None and getattr(merged, field.attname) is not None:
            value = getattr(merged, field.name)
            setattr(merged, field.name, None)
            merged.save(update_fields=[field.name])
            setattr(kept, field.name, value)
            kept.save(update_fields=[field.name])
    for relation in merged._meta.many_to_many:
        getattr(kept, relation.name).add(*getattr(merged, relation.name).all())
    merged.delete()
    if old_url is None:
        return kept
    Redirect.objects.update_or_create(
        old_path=Redirect.normalise_path(old_url),
        site=None,
        defaults={"redirect_link": kept.get_absolute_url(), "is_permanent": True},
    )
    return kept
