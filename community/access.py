"""Who may read, moderate and be told of a page's comments: the essay's own rules, nothing new.

A page's comments and rating are seen exactly where the page is: Wagtail's view restrictions as
Wagtail checks them when serving the page, then the essay's visibility (EssayPage.can_be_read_by).
Moderators are editors and the coaches of the teams of a page's authors.
"""

from django.contrib.auth import get_user_model
from django.db.models import Q

from essays.models import BookSummaryPage, EssayPage, Team
from essays.privacy import sees_everything

from .models import Comment

COMMENTED_TYPES = (EssayPage, BookSummaryPage)


def commentable(page):
    """The page as its specific type if readers may comment on and rate it, else None."""
    page = page.specific
    return page if isinstance(page, COMMENTED_TYPES) else None


def can_read(page, request):
    """Whether the reader of this request may see the page, and so its comments and rating."""
    page = commentable(page)
    if page is None or not page.live:
        return False
    if not all(restriction.accept_request(request) for restriction in page.get_view_restrictions()):
        return False
    if isinstance(page, EssayPage):
        return page.can_be_read_by(request.user)
    return True


def authors_of(page):
    """The accounts of the page's authors (an essay's writers, a summary's writer)."""
    users = get_user_model()._default_manager
    if isinstance(page, EssayPage):
        return users.filter(person__authorships__essay=page).distinct()
    if isinstance(page, BookSummaryPage):
        return users.filter(person__book_summaries=page).distinct()
    return users.none()


def is_author(user, page):
    return user.is_authenticated and authors_of(commentable(page) or page).filter(pk=user.pk).exists()


def moderated_pages_q(user):
    """A condition on Comment: the comments on pages whose authors' team this user coaches."""
    essays = EssayPage.objects.filter(essay_authors__team__coach__user=user).values("pk")
    summaries = BookSummaryPage.objects.filter(summary_author__team__coach__user=user).values("pk")
    return Q(page_id__in=essays) | Q(page_id__in=summaries)


def written_by_q(user):
    """A condition on Comment: the comments on essays and summaries this user wrote."""
    essays = EssayPage.objects.filter(essay_authors__person__user=user).values("pk")
    summaries = BookSummaryPage.objects.filter(summary_author__user=user).values("pk")
    return Q(page_id__in=essays) | Q(page_id__in=summaries)


def moderatable_comments(user):
    """The comments this user may approve, reject, mark as spam and edit."""
    if not user.is_authenticated or not user.is_active:
        return Comment.objects.none()
    if sees_everything(user):
        return Comment.objects.all()
    return Comment.objects.filter(moderated_pages_q(user))


def may_moderate(user, comment):
    return moderatable_comments(user).filter(pk=comment.pk).exists()


def is_moderator(user):
    """Editors, and coaches with a team: the people the moderation queue is for."""
    if not user.is_authenticated:
        return False
    return sees_everything(user) or (user.is_active and Team.objects.filter(coach__user=user).exists())
