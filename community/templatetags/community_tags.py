from django import template
from django.utils.translation import ngettext
from wagtail.models import Page

from community import month
from community.access import can_read, commentable, is_author, is_moderator
from community.comments import thread
from community.forms import CommentForm, RatingForm
from community.models import MAX_STARS, Comment, CommunitySettings, Rating, RatingTotals
from community.ratings import rating_text, totals_for
from community.spam import FormToken, Refused, renew_token
from community.text import render_comment_text
from essays.models import EssayPage

register = template.Library()


def _shown_to(page, request):
    """The page whose comments and ratings the request may see, or None."""
    page = commentable(page)
    return page if page is not None and can_read(page, request) else None


@register.filter
def comment_text(text):
    return render_comment_text(text)


@register.simple_tag
def comment_count_text(count):
    return ngettext("%(count)d comment", "%(count)d comments", count) % {"count": count}


@register.simple_tag
def new_form_token(page, form=None):
    """The token of a form posted back with its errors, else a new one for a fresh form."""
    if form is not None and form.is_bound:
        try:
            return FormToken.read(form.data.get("tarkiste"), page.pk)
        except Refused:
            return renew_token(form, page)
    return FormToken.new(page.pk)


@register.inclusion_tag("includes/comments.html", takes_context=True)
def comments(context, page):
    request = context["request"]
    page = _shown_to(page, request)
    if page is None:
        return {"shown": False}
    user = request.user
    settings = CommunitySettings.current()
    anonymous = not user.is_authenticated
    may_comment = not anonymous or settings.anonymous_comments
    form = getattr(request, "community_comment_form", None) or CommentForm(anonymous=anonymous)
    threads = thread(page, user)
    return {
        "shown": True,
        "request": request,
        "page": page,
        "threads": threads,
        "count": sum(1 + len(replies) for comment, replies in threads if comment.deleted_at is None),
        "form": form,
        "anonymous": anonymous,
        "may_comment": may_comment,
        "moderated": anonymous or settings.moderate_member_comments,
        "pending": Comment.Status.PENDING,
        "csrf_token": context.get("csrf_token"),
    }


@register.inclusion_tag("includes/rating.html", takes_context=True)
def rating(context, page):
    request = context["request"]
    page = _shown_to(page, request)
    if page is None:
        return {"shown": False}
    user = request.user
    own = None
    if user.is_authenticated:
        own = Rating.objects.filter(page_id=page.pk, user=user).values_list("stars", flat=True).first()
    author = is_author(user, page)
    may_vote = not author and (user.is_authenticated or CommunitySettings.current().anonymous_ratings)
    totals = totals_for(page)
    return {
        "shown": True,
        "page": page,
        "totals": totals,
        "text": rating_text(totals),
        "stars_shown": round(totals.average) if totals.count else 0,
        "max_stars": range(1, MAX_STARS + 1),
        "form": RatingForm(initial={"stars": own}) if may_vote else None,
        "own": own,
        "author": author,
        "is_essay": isinstance(page, EssayPage),
        "signed_in": user.is_authenticated,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def rating_summary(page):
    """The rating text of a page in a list, or "" when it has no votes."""
    totals = totals_for(page)
    return rating_text(totals) if totals.count else ""


@register.simple_tag
def rating_texts(items):
    """{page id: rating text} of the rated pages in a list (pages, or search hits of pages), in one query."""
    pages = [getattr(item, "obj", item) for item in items]
    ids = [page.pk for page in pages if isinstance(page, Page)]
    return {
        totals.page_id: rating_text(totals) for totals in RatingTotals.objects.filter(page_id__in=ids, count__gt=0)
    }


@register.filter
def rating_of(ratings, page):
    return ratings.get(page.pk, "") if isinstance(page, Page) else ""


@register.inclusion_tag("includes/essay_of_month_badge.html")
def essay_of_month_badges(page):
    return {"months": list(page.months_won.order_by("-month").values_list("month", flat=True))}


@register.inclusion_tag("includes/nominate.html", takes_context=True)
def nominate_form(context, page):
    request = context["request"]
    shown = (
        is_moderator(request.user)
        and page.visibility != page.Visibility.PROTECTED
        and not page.nominations.filter(month=month.month_of()).exists()
    )
    return {"shown": shown, "page": page, "csrf_token": context.get("csrf_token")}
