"""A person's comments, votes and nominations for the per-person export and erasure.

The trust work's GDPR export and erasure call these through the Wagtail hook
`register_personal_data` (see wagtail_hooks). A person (essays.Person) reaches these records
through their account (Person.user); imported comments carry only a name, so the export also
lists comments without an account under exactly the person's name, marked as matched by name,
and the erasure leaves those to a person deciding case by case.
"""

from django.db import transaction

from .comments import remove_own
from .models import Comment, MonthlyVote, Nomination, Rating
from .ratings import withdraw_votes


def _comment(comment, matched_by):
    return {
        "page": comment.page.title,
        "page_url": comment.page.url,
        "name": comment.author_name,
        "text": comment.text,
        "written": comment.created_at.isoformat(),
        "status": comment.status,
        "reply_to": comment.parent_id,
        "matched_by": matched_by,
    }


def export(person):
    user = person.user
    by_account = Comment.objects.filter(user=user).select_related("page") if user else Comment.objects.none()
    by_name = Comment.objects.filter(user__isnull=True, author_name=person.name, deleted_at__isnull=True)
    data = {
        "comments": [_comment(comment, "account") for comment in by_account.order_by("created_at", "pk")]
        + [_comment(comment, "name") for comment in by_name.select_related("page").order_by("created_at", "pk")],
        "ratings": [],
        "nominations": [],
        "essay_of_month_votes": [],
    }
    if user is None:
        return data
    data["ratings"] = [
        {"page": vote.page.title, "stars": vote.stars, "voted": vote.updated_at.isoformat()}
        for vote in Rating.objects.filter(user=user).select_related("page").order_by("pk")
    ]
    data["nominations"] = [
        {"month": nomination.month.isoformat(), "essay": nomination.essay.title, "reason": nomination.reason}
        for nomination in Nomination.objects.filter(nominated_by=user).select_related("essay").order_by("pk")
    ]
    data["essay_of_month_votes"] = [
        {"month": vote.month.isoformat(), "essay": vote.nomination.essay.title}
        for vote in MonthlyVote.objects.filter(user=user).select_related("nomination__essay").order_by("pk")
    ]
    return data


@transaction.atomic
def erase(person):
    """Delete the person's comments (a comment with replies keeps only a "deleted" mark), votes
    and essay-of-the-month votes; their nominations stay without their name. Returns how many
    records were erased or anonymised."""
    user = person.user
    if user is None:
        return 0
    erased = 0
    for comment in Comment.objects.filter(user=user):
        remove_own(comment)
        erased += 1
    erased += withdraw_votes(Rating.objects.filter(user=user))
    erased += MonthlyVote.objects.filter(user=user).delete()[0]
    erased += Nomination.objects.filter(nominated_by=user).update(nominated_by=None)
    return erased
