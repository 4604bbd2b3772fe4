"""Posting, removing and moderating comments, and telling authors of the approved ones."""

import logging

from django.core.mail import send_mass_mail
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import override

from grading.addresses import absolute

from .access import authors_of, commentable
from .models import Comment, CommentEdit, CommunitySettings

logger = logging.getLogger(__name__)


def display_name(user):
    """The name a member comments under: their person's name, else their full name or username."""
    person = getattr(user, "person", None) if user.is_authenticated else None
    return getattr(person, "name", "") or user.get_full_name() or user.get_username()


def visible_comments(page, user):
    """The page's comments this reader sees (the caller has checked that they may read the page):
    approved ones, their own waiting ones, and removed ones that still have visible replies."""
    shown = Q(status=Comment.Status.APPROVED)
    if user.is_authenticated:
        shown |= Q(user=user, status=Comment.Status.PENDING)
    return Comment.objects.filter(shown, page_id=page.pk).select_related("user").order_by("created_at", "pk")


def thread(page, user):
    """[(comment, [replies])] in the order they were written."""
    comments = list(visible_comments(page, user))
    replies = {}
    for comment in comments:
        if comment.parent_id:
            replies.setdefault(comment.parent_id, []).append(comment)
    return [
        (comment, replies.get(comment.pk, []))
        for comment in comments
        if comment.parent_id is None and (comment.deleted_at is None or replies.get(comment.pk))
    ]


class ParentNotFound(Exception):
    pass


def post_comment(page, *, user, text, name, parent_id, ip_hash, nonce):
    """Store a new comment; it waits for approval from anonymous visitors (and from members when
    the setting says so). Raises ParentNotFound for a reply to a comment not shown on this page,
    and IntegrityError when the form's nonce was used meanwhile (a replay)."""
    site_settings = CommunitySettings.current()
    parent = None
    if parent_id:
        parent = visible_comments(page, user).filter(pk=parent_id, deleted_at__isnull=True).first()
        if parent is None:
            raise ParentNotFound
        parent = parent.parent or parent
    waits = not user.is_authenticated or site_settings.moderate_member_comments
    now = timezone.now()
    with transaction.atomic():
        comment = Comment.objects.create(
            page_id=page.pk,
            parent=parent,
            user=user if user.is_authenticated else None,
            author_name=display_name(user) if user.is_authenticated else name,
            text=text,
            created_at=now,
            status=Comment.Status.PENDING if waits else Comment.Status.APPROVED,
            ip_hash=ip_hash,
            ip_hashed_at=now if ip_hash else None,
            form_nonce=nonce,
        )
    if comment.status == Comment.Status.APPROVED:
        notify_authors(comment)
    return comment


@transaction.atomic
def remove_own(comment):
    """The writer removes their comment: gone, or only its text and name when replies hang on it."""
    if comment.replies.exists():
        Comment.objects.filter(pk=comment.pk).update(
            text="", author_name="", user=None, deleted_at=timezone.now(), ip_hash="", ip_hashed_at=None
        )
    else:
        comment.delete()


def moderate(comment, status, moderator):
    """Approve, reject or mark as spam; authors hear of a comment when it is first approved."""
    Comment.objects.filter(pk=comment.pk).update(status=status, moderated_by=moderator, moderated_at=timezone.now())
    comment.refresh_from_db()
    if status == Comment.Status.APPROVED:
        notify_authors(comment)
    return comment


@transaction.atomic
def edit(comment, text, moderator, reason=""):
    """A moderator's edit, leaving the previous text and the reason as its trace."""
    if text == comment.text:
        return comment
    CommentEdit.objects.create(comment=comment, edited_by=moderator, previous_text=comment.text, reason=reason)
    comment.text = text
    comment.save(update_fields=["text"])
    return comment


def notify_authors(comment):
    """E-mail the page's authors (not the commenter) about an approved comment, once."""
    updated = Comment.objects.filter(pk=comment.pk, authors_notified_at__isnull=True).update(
        authors_notified_at=timezone.now()
    )
    if not updated:
        return 0
    page = commentable(comment.page)
    if page is None:
        return 0
    recipients = [
        user.email for user in authors_of(page).exclude(email="") if user.pk != comment.user_id and user.is_active
    ]
    if not recipients:
        return 0
    with override("fi"):
        subject = _("New comment on your essay “%(title)s”") % {"title": page.title}
        body = _("%(name)s commented on “%(title)s”:\n\n%(text)s\n\nRead it on the page: %(url)s\n") % {
            "name": comment.author_name,
            "title": page.title,
            "text": comment.text,
            "url": absolute(f"{page.url}#kommentti-{comment.pk}"),
        }
    try:
        # One message per author, so that co-authors do not see each other's addresses.
        send_mass_mail([(subject, body, None, [recipient]) for recipient in recipients])
    except OSError:
        # The comment is approved either way; the dashboard still shows it to the authors.
        logger.exception("Could not e-mail the authors of page %s about comment %s", page.pk, comment.pk)
        return 0
    return len(recipients)
