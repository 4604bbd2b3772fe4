"""Orders of essay lists by what readers did: the best rated, the most discussed."""

from django.db.models import Count, F, FloatField, IntegerField, OuterRef, Q, Subquery, Value
from django.db.models.functions import Coalesce

from .models import Comment, RatingTotals

BEST_RATED = "arvio"
MOST_DISCUSSED = "keskustelluin"


def with_rating(pages):
    totals = RatingTotals.objects.filter(page_id=OuterRef("pk"))
    return pages.annotate(
        rating_average=Coalesce(Subquery(totals.values("average")[:1]), Value(0.0), output_field=FloatField()),
        rating_count=Coalesce(Subquery(totals.values("count")[:1]), Value(0), output_field=IntegerField()),
    )


def by_rating(pages):
    """Best average first; of equal averages the one with more votes, then the newest; unrated last.
    Concept pages, which search also sorts this way, have no date written."""
    newest = ("-written",) if hasattr(pages.model, "written") else ()
    return with_rating(pages).order_by(F("rating_average").desc(), F("rating_count").desc(), *newest, "-pk")


def by_comments(essays):
    approved = (
        Comment.objects.filter(page_id=OuterRef("pk"))
        .filter(Q(status=Comment.Status.APPROVED), deleted_at__isnull=True)
        .order_by()
        .values("page_id")
        .annotate(count=Count("pk"))
        .values("count")
    )
    return essays.annotate(
        comment_count=Coalesce(Subquery(approved[:1]), Value(0), output_field=IntegerField())
    ).order_by("-comment_count", "-written", "-pk")
