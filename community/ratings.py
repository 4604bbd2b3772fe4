"""Casting a vote and reading a page's rating.

A vote and the page's stored totals change in one transaction, with the totals row locked first
(select_for_update on PostgreSQL; SQLite lets one writer in at a time), so concurrent votes on the
same page queue up and none is lost or counted twice.
"""

from django.db import transaction
from django.utils import timezone
from django.utils.formats import number_format
from django.utils.translation import gettext, ngettext

from .models import MAX_STARS, Rating, RatingTotals
from .spam import ADDRESS_KEPT


def _locked_totals(page):
    RatingTotals.objects.get_or_create(page_id=page.pk)
    return RatingTotals.objects.select_for_update().get(page_id=page.pk)


def _anonymous_vote(page, voter_key, ip_hash):
    """The vote this anonymous browser cast already: by its cookie, or else from its address lately."""
    votes = Rating.objects.filter(page_id=page.pk, user__isnull=True)
    vote = votes.filter(voter_key=voter_key).first() if voter_key else None
    if vote is None and ip_hash:
        since = timezone.now() - ADDRESS_KEPT
        vote = votes.filter(ip_hash=ip_hash, ip_hashed_at__gte=since).exclude(voter_key="").first()
    return vote


@transaction.atomic
def cast_vote(page, stars, *, user=None, voter_key="", ip_hash=""):
    """Store or change this reader's vote and the page's totals; returns (vote, totals)."""
    if not 0 <= stars <= MAX_STARS:
        raise ValueError(f"stars must be 0–{MAX_STARS}")
    totals = _locked_totals(page)
    now = timezone.now()
    if user is not None and user.is_authenticated:
        vote = Rating.objects.filter(page_id=page.pk, user=user).first()
    else:
        user = None
        vote = _anonymous_vote(page, voter_key, ip_hash)
    if vote is None:
        vote = Rating(page_id=page.pk, user=user, voter_key=voter_key, created_at=now)
        totals.vote_count += 1
    else:
        totals.vote_sum -= vote.stars
    totals.vote_sum += stars
    vote.stars = stars
    vote.updated_at = now
    if ip_hash:
        vote.ip_hash, vote.ip_hashed_at = ip_hash, now
    vote.save()
    totals.recompute()
    totals.save()
    return vote, totals


@transaction.atomic
def withdraw_votes(votes):
    """Delete these votes and take them off their pages' totals; returns how many were deleted."""
    deleted = 0
    for vote in votes.order_by("page_id", "pk"):
        totals = RatingTotals.objects.select_for_update().filter(page_id=vote.page_id).first()
        if totals is not None:
            totals.vote_count = max(0, totals.vote_count - 1)
            totals.vote_sum = max(0, totals.vote_sum - vote.stars)
            totals.recompute()
            totals.save()
        vote.delete()
        deleted += 1
    return deleted


def totals_for(page):
    return RatingTotals.objects.filter(page_id=page.pk).first() or RatingTotals(page_id=page.pk)


def average_text(average):
    """4.25 as "4,3": one decimal, in the reader's number format."""
    return number_format(round(average + 1e-9, 1), decimal_pos=1)


def rating_text(totals):
    """ "4,2 / 5 · 12 ääntä", "5,0 / 5 · 1 ääni", or "Ei vielä arvioita" for no votes."""
    if not totals or not totals.count:
        return gettext("No ratings yet")
    votes = ngettext("%(count)d vote", "%(count)d votes", totals.count) % {"count": totals.count}
    return f"{average_text(totals.average)} / {MAX_STARS} · {votes}"
