"""What an import of an old bank writes into the community app: its comments and its star ratings.

The WordPress import calls add_legacy_comment for each comment of the export, parents before
replies, and load_rating_baselines with the rows of the rating plugin's CSV and its own map of
WordPress post ids to pages. Both can run again: a comment already imported under its key is
updated, not doubled, and a baseline is replaced, keeping the votes cast here.
"""

import csv
import decimal

from django.db import transaction
from django.utils.translation import gettext as _

from .models import MAX_STARS, Comment, RatingTotals
from .text import clean_comment_text

LEGACY_SOURCE = "wordpress"


@transaction.atomic
def add_legacy_comment(page, *, key, name, created_at, text, parent_key=None, approved=True, source=LEGACY_SOURCE):
    """Store (or update) the comment an old bank kept under `key`, with its original name and time.

    `parent_key` is the key of the comment it replies to, already imported; a reply to a reply is
    attached to that reply's top-level comment, since replies here go one level deep. Returns the
    Comment. Raises ValueError for an empty key, a missing parent or a text that is empty once
    cleaned (control characters are dropped; the text is stored as plain text and escaped on output).
    """
    key = str(key).strip()
    if not key:
        raise ValueError(_("An imported comment needs its id in the old system."))
    parent = None
    if parent_key not in (None, ""):
        parent = Comment.objects.filter(legacy_source=source, legacy_key=str(parent_key)).first()
        if parent is None:
            raise ValueError(
                _("The comment %(key)s replies to an unknown comment %(parent)s.")
                % {
                    "key": key,
                    "parent": parent_key,
                }
            )
        parent = parent.parent or parent
    cleaned = clean_comment_text(text)
    if not cleaned:
        raise ValueError(_("The comment %(key)s has no text.") % {"key": key})
    status = Comment.Status.APPROVED if approved else Comment.Status.PENDING
    comment, _created = Comment.objects.update_or_create(
        legacy_source=source,
        legacy_key=key,
        defaults={
            "page": page,
            "parent": parent,
            "author_name": (name or "").strip()[:100] or _("Anonymous"),
            "created_at": created_at,
            "text": cleaned,
            "status": status,
            # An old bank's comments were seen long ago; nobody is told of them again.
            "authors_notified_at": created_at,
        },
    )
    return comment


def read_rating_csv(lines):
    """Rows (post id, average, votes) of a star-rating plugin's CSV, with or without a header line;
    returns (rows, errors) where errors are (line number, Finnish reason)."""
    rows, errors = [], []
    for number, fields in enumerate(csv.reader(lines), start=1):
        if not fields or not "".join(fields).strip():
            continue
        if len(fields) < 3:
            errors.append((number, _("expected post id, average and votes")))
            continue
        post_id, average, votes = (field.strip() for field in fields[:3])
        try:
            average_value = decimal.Decimal(average.replace(",", "."))
            votes_value = int(votes)
        except (decimal.InvalidOperation, ValueError):
            if number == 1:
                continue  # a header line
            errors.append((number, _("the average or the number of votes is not a number")))
            continue
        if not (0 <= average_value <= MAX_STARS) or votes_value < 0:
            errors.append((number, _("the average must be 0–5 and the votes at least 0")))
            continue
        rows.append((post_id, average_value.quantize(decimal.Decimal("0.01")), votes_value))
    return rows, errors


@transaction.atomic
def load_rating_baselines(rows, pages_by_post_id):
    """Set each page's imported baseline from (post id, average, votes) rows; `pages_by_post_id`
    maps a post id (a string) to its page, as the WordPress import records it. Returns
    (pages updated, post ids without a page)."""
    updated, unknown = 0, []
    for post_id, average, votes in rows:
        page = pages_by_post_id.get(str(post_id))
        if page is None:
            unknown.append(post_id)
            continue
        totals, _created = RatingTotals.objects.select_for_update().get_or_create(page=page)
        totals.baseline_average = average
        totals.baseline_count = votes
        totals.recompute()
        totals.save()
        updated += 1
    return updated, unknown
