"""The moderation queue in the admin, for editors and the coaches of the authors' teams."""

from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count
from django.http import HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import FormView, TemplateView
from wagtail.admin import messages
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin

from .access import is_moderator, moderatable_comments
from .comments import edit, moderate
from .forms import CommentEditForm
from .models import Comment

PER_PAGE = 50
ACTIONS = {
    "hyvaksy": (Comment.Status.APPROVED, gettext_lazy("The comment is approved and shown.")),
    "hylkaa": (Comment.Status.REJECTED, gettext_lazy("The comment is rejected.")),
    "roskaa": (Comment.Status.SPAM, gettext_lazy("The comment is marked as spam.")),
    "odottamaan": (Comment.Status.PENDING, gettext_lazy("The comment waits for approval again.")),
}


def status_counts(comments):
    counts = dict(comments.values_list("status").annotate(count=Count("pk")).order_by())
    return [(value, label, counts.get(value, 0)) for value, label in Comment.Status.choices]


class ModeratorView(WagtailAdminTemplateMixin, TemplateView):
    header_icon = "comment"

    def get_breadcrumbs_items(self):
        # The sticky header's last item is the heading people see: the view's title, not "Koti" (home).
        return [*self.breadcrumbs_items, {"url": "", "label": self.get_page_title()}]

    def dispatch(self, request, *args, **kwargs):
        if not is_moderator(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class QueueView(ModeratorView):
    template_name = "community/admin/queue.html"
    page_title = gettext_lazy("Comments")

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        status = self.request.GET.get("tila", Comment.Status.PENDING)
        if status not in Comment.Status.values:
            status = Comment.Status.PENDING
        comments = moderatable_comments(self.request.user)
        listed = comments.filter(status=status).select_related("page", "parent").prefetch_related("edits")
        listed = listed.order_by("created_at", "pk") if status == Comment.Status.PENDING else listed.order_by("-pk")
        context.update(
            status=status,
            counts=status_counts(comments),
            comments=Paginator(listed, PER_PAGE).get_page(self.request.GET.get("p")),
            actions=[(key, target) for key, (target, _message) in ACTIONS.items()],
        )
        return context


def moderate_comment(request, comment_id, action):
    if request.method != "POST":
        return HttpResponseBadRequest()
    if action not in ACTIONS:
        return HttpResponseBadRequest(_("Unknown action."))
    comment = get_object_or_404(moderatable_comments(request.user), pk=comment_id)
    status, message = ACTIONS[action]
    moderate(comment, status, request.user)
    messages.success(request, str(message))
    back = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}, require_https=False):
        back = reverse("community_admin:queue")
    return HttpResponseRedirect(back)


class EditView(WagtailAdminTemplateMixin, FormView):
    template_name = "community/admin/edit.html"
    form_class = CommentEditForm
    page_title = gettext_lazy("Edit comment")
    header_icon = "comment"

    def dispatch(self, request, *args, comment_id, **kwargs):
        self.comment = get_object_or_404(moderatable_comments(request.user).select_related("page"), pk=comment_id)
        return super().dispatch(request, *args, **kwargs)

    def get_breadcrumbs_items(self):
        queue = {"url": reverse("community_admin:queue"), "label": QueueView.page_title}
        return [*self.breadcrumbs_items, queue, {"url": "", "label": self.get_page_title()}]

    def get_initial(self):
        return {"text": self.comment.text}

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(comment=self.comment, edits=self.comment.edits.select_related("edited_by"))
        return context

    def form_valid(self, form):
        edit(self.comment, form.cleaned_data["text"], self.request.user, form.cleaned_data["reason"])
        messages.success(self.request, _("The comment is saved; the previous text is kept in its edit history."))
        return HttpResponseRedirect(f"{reverse('community_admin:queue')}?tila={self.comment.status}")
