"""The essay of the month: nominations during a month, one member vote each, the winner after it.

A month's winner is the nomination with the most votes, the earliest nomination winning a tie; it
is decided the first time anyone asks for it once the month is over (or by the
decide_essay_of_month command), and kept.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Min
from django.utils import timezone

from essays.models import EssayPage

from .models import EssayOfMonth, MonthlyVote, Nomination


def month_of(moment=None):
    """The first day of the month of `moment` (a date or an aware time; default now), in local time."""
    moment = moment or timezone.now()
    if isinstance(moment, datetime.datetime):
        moment = timezone.localdate(moment)
    return moment.replace(day=1)


def previous_month(month):
    return (month - datetime.timedelta(days=1)).replace(day=1)


class NotAllowed(Exception):
    pass


def nominate(essay, user, reason=""):
    """Nominate an essay for this month; a protected essay cannot be one. Returns (nomination, created)."""
    if essay.visibility == EssayPage.Visibility.PROTECTED:
        raise NotAllowed
    return Nomination.objects.get_or_create(
        month=month_of(), essay=essay, defaults={"nominated_by": user, "reason": reason}
    )


def vote(nomination, user):
    """The member's one vote of the nomination's month; False when they voted that month already."""
    if nomination.month != month_of():
        raise NotAllowed
    try:
        with transaction.atomic():
            MonthlyVote.objects.create(month=nomination.month, nomination=nomination, user=user)
    except IntegrityError:
        return False
    return True


def nominations(month, user):
    """The month's nominations of essays this user may read, with their vote counts."""
    readable = EssayPage.objects.live().visible_to(user).values("pk")
    return (
        Nomination.objects.filter(month=month, essay__in=readable)
        .select_related("essay")
        .annotate(vote_count=Count("votes"))
        .order_by("created_at", "pk")
    )


def decide(month):
    """The month's winner, deciding it if the month is over and it had nominations with votes."""
    if month >= month_of():
        return None
    winner = EssayOfMonth.objects.filter(month=month).first()
    if winner is not None:
        return winner
    best = (
        Nomination.objects.filter(month=month)
        .annotate(vote_count=Count("votes"), first=Min("created_at"))
        .filter(vote_count__gt=0)
        .order_by("-vote_count", "first", "pk")
        .first()
    )
    if best is None:
        return None
    winner, _created = EssayOfMonth.objects.get_or_create(
        month=month, defaults={"essay": best.essay, "votes": best.vote_count}
    )
    return winner


def decide_past_months():
    """Decide every finished month that has nominations but no winner yet; returns the new winners."""
    decided = set(EssayOfMonth.objects.values_list("month", flat=True))
    months = Nomination.objects.filter(month__lt=month_of()).values_list("month", flat=True).distinct()
    return [winner for month in sorted(set(months) - decided) if (winner := decide(month)) is not None]


def winners(user):
    """The winners this user may read, newest first."""
    decide_past_months()
    readable = EssayPage.objects.live().visible_to(user).values("pk")
    return EssayOfMonth.objects.filter(essay__in=readable).select_related("essay").order_by("-month")


def latest_winner(user):
    return winners(user).first()
