import secrets

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import IntegrityError
from django.http import Http404, HttpResponseBadRequest, HttpResponseForbidden, HttpResponseRedirect, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST
from wagtail.models import Page

from essays.models import EssayPage

from . import month
from .access import can_read, commentable, is_author, is_moderator
from .comments import ParentNotFound, post_comment, remove_own
from .forms import CommentForm, NominationForm, RatingForm
from .models import Comment, CommunitySettings, Nomination
from .ratings import cast_vote, rating_text
from .spam import FormToken, Refused, address_hash, check, renew_token

VOTER_COOKIE = "arvioija"
VOTER_COOKIE_SALT = "community.voter"
VOTER_COOKIE_AGE = 60 * 60 * 24 * 365
FRESH_TOKEN_NEEDED = {"token", "expired", "replay"}


def _readable_page(request, page_id):
    """The live essay or book summary with this id if the reader may see it; 404 otherwise, so
    that a page the reader may not see is not told apart from one that does not exist."""
    page = get_object_or_404(Page, pk=page_id)
    page = commentable(page)
    if page is None or not can_read(page, request):
        raise Http404
    return page


def _back_to(page, anchor=""):
    return HttpResponseRedirect(f"{page.url}{anchor}")


def _page_with_form(request, page, form, status=400):
    """The page again with the comment form as it was posted and its errors: nothing typed is lost."""
    request.community_comment_form = form
    response = page.serve(request)
    response.status_code = status
    return response


@require_POST
def comment(request, page_id):
    page = _readable_page(request, page_id)
    anonymous = not request.user.is_authenticated
    if anonymous and not CommunitySettings.current().anonymous_comments:
        return HttpResponseForbidden(_("Sign in to comment."))
    form = CommentForm(request.POST, anonymous=anonymous)
    if not form.is_valid():
        return _page_with_form(request, page, form)
    data = form.cleaned_data
    ip_hash = address_hash(request)
    try:
        token = FormToken.read(data["tarkiste"], page.pk)
        check(
            token=token,
            text=data["text"],
            user=request.user,
            ip_hash=ip_hash,
            honeypot=data["kotisivu"],
            answer=data["vastaus"],
            work=data["laskenta"],
        )
        saved = post_comment(
            page,
            user=request.user,
            text=data["text"],
            name=data["name"],
            parent_id=data["parent"],
            ip_hash=ip_hash,
            nonce=token.nonce,
        )
    except Refused as refused:
        if refused.code in FRESH_TOKEN_NEEDED:
            renew_token(form, page)
        form.add_error(None, refused.message)
        return _page_with_form(request, page, form)
    except ParentNotFound:
        return HttpResponseBadRequest(_("The comment you replied to is not on this page."))
    except IntegrityError:
        renew_token(form, page)
        form.add_error(None, _("This form has been sent already. Reload the page to write another comment."))
        return _page_with_form(request, page, form)
    if saved.status == Comment.Status.APPROVED:
        messages.success(request, _("Your comment has been published."))
    else:
        messages.info(request, _("Thank you! Your comment is shown once a moderator has approved it."))
    return _back_to(page, f"#kommentti-{saved.pk}")


@require_POST
@login_required
def delete_comment(request, comment_id):
    comment = get_object_or_404(Comment, pk=comment_id, user=request.user, deleted_at__isnull=True)
    page = commentable(comment.page)
    remove_own(comment)
    messages.success(request, _("Your comment has been deleted."))
    return _back_to(page, "#kommentit") if page is not None and page.live else HttpResponseRedirect("/")


def _voter_key(request):
    """The anonymous voter's id from their signed cookie; "" when missing or forged."""
    return request.get_signed_cookie(VOTER_COOKIE, default="", salt=VOTER_COOKIE_SALT)


def _wants_json(request):
    return "application/json" in request.headers.get("Accept", "")


def _refuse_vote(request, page, message, status):
    if _wants_json(request):
        return JsonResponse({"error": message}, status=status)
    if status == 400:
        return HttpResponseBadRequest(message)
    messages.error(request, message)
    return _back_to(page, "#arvio")


@require_POST
def rate(request, page_id):
    page = _readable_page(request, page_id)
    form = RatingForm(request.POST)
    if not form.is_valid():
        return _refuse_vote(request, page, _("A rating is 0–5 stars."), 400)
    user = request.user
    voter_key = ""
    if not user.is_authenticated:
        if not CommunitySettings.current().anonymous_ratings:
            return _refuse_vote(request, page, _("Sign in to rate essays."), 403)
        voter_key = _voter_key(request) or secrets.token_hex(16)
    elif is_author(user, page):
        return _refuse_vote(request, page, _("You cannot rate your own essay."), 403)
    vote, totals = cast_vote(
        page, form.cleaned_data["stars"], user=user, voter_key=voter_key, ip_hash=address_hash(request)
    )
    if _wants_json(request):
        response = JsonResponse({"stars": vote.stars, "count": totals.count, "text": rating_text(totals)})
    else:
        messages.success(request, _("Thank you for rating!"))
        response = _back_to(page, "#arvio")
    if vote.voter_key:
        response.set_signed_cookie(
            VOTER_COOKIE,
            vote.voter_key,
            salt=VOTER_COOKIE_SALT,
            max_age=VOTER_COOKIE_AGE,
            httponly=True,
            samesite="Lax",
            secure=request.is_secure(),
        )
    return response


@require_POST
@login_required
def nominate(request, page_id):
    page = _readable_page(request, page_id)
    if not isinstance(page, EssayPage) or not is_moderator(request.user):
        return HttpResponseForbidden(_("Only coaches and editors nominate essays of the month."))
    form = NominationForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(" ".join(form.errors.get("reason", [])))
    try:
        _nomination, created = month.nominate(page, request.user, form.cleaned_data["reason"])
    except month.NotAllowed:
        return HttpResponseBadRequest(_("A protected essay cannot be the essay of the month."))
    if created:
        messages.success(request, _("The essay is nominated for the essay of the month."))
    else:
        messages.info(request, _("The essay was nominated for this month already."))
    return _back_to(page)


@require_POST
@login_required
def vote_month(request, nomination_id):
    nomination = get_object_or_404(Nomination, pk=nomination_id)
    if not month.nominations(nomination.month, request.user).filter(pk=nomination.pk).exists():
        raise Http404
    try:
        counted = month.vote(nomination, request.user)
    except month.NotAllowed:
        return HttpResponseBadRequest(_("The voting for that month is over."))
    if counted:
        messages.success(request, _("Your vote has been counted."))
    else:
        messages.error(request, _("You have already voted this month."))
    return HttpResponseRedirect(reverse("community:essay_of_month"))


@require_GET
def essay_of_month(request):
    current = month.month_of()
    voted = None
    if request.user.is_authenticated:
        voted = (
            Nomination.objects.filter(votes__user=request.user, votes__month=current).values_list("pk", flat=True)
        ).first()
    return render(
        request,
        "community/essay_of_month.html",
        {
            "winners": month.winners(request.user),
            "current_month": current,
            "nominations": month.nominations(current, request.user),
            "voted_for": voted,
        },
    )
