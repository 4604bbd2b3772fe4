import datetime

from django.urls import include, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.ui.components import Component

from . import admin_views, personal_data
from .access import is_moderator, moderatable_comments, written_by_q
from .models import Comment

QUEUE_ON_DASHBOARD = 5
RECENT_FOR_AUTHORS = datetime.timedelta(days=30)

admin_urls = (
    [
        path("", admin_views.QueueView.as_view(), name="queue"),
        path("<int:comment_id>/muokkaa/", admin_views.EditView.as_view(), name="edit"),
        path("<int:comment_id>/<str:action>/", admin_views.moderate_comment, name="moderate"),
    ],
    "community_admin",
)


@hooks.register("register_admin_urls")
def register_moderation_urls():
    return [path("kommentit/", include(admin_urls, namespace="community_admin"))]


class ModerationMenuItem(MenuItem):
    def is_shown(self, request):
        return is_moderator(request.user)


@hooks.register("register_admin_menu_item")
def register_moderation_menu_item():
    return ModerationMenuItem(_("Comments"), reverse("community_admin:queue"), icon_name="comment", order=260)


class ModerationQueuePanel(Component):
    """The comments waiting for this moderator, the longest-waiting first, with the counts."""

    name = "community_moderation_queue"
    template_name = "community/panels/moderation_queue.html"
    order = 70

    def __init__(self, comments):
        self.comments = comments

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        waiting = self.comments.filter(status=Comment.Status.PENDING)
        context.update(
            waiting_count=waiting.count(),
            spam_count=self.comments.filter(status=Comment.Status.SPAM).count(),
            waiting=waiting.select_related("page").order_by("created_at", "pk")[:QUEUE_ON_DASHBOARD],
            csrf_token=parent_context.get("csrf_token"),
            request=parent_context.get("request"),
        )
        return context


class NewCommentsPanel(Component):
    """Approved comments of the last 30 days on the essays and summaries this user wrote."""

    name = "community_new_comments"
    template_name = "community/panels/new_comments.html"
    order = 80

    def __init__(self, comments):
        self.comments = comments

    def get_context_data(self, parent_context):
        context = super().get_context_data(parent_context)
        context["comments"] = self.comments
        return context


def comments_on_pages_of(user):
    since = timezone.now() - RECENT_FOR_AUTHORS
    return (
        Comment.objects.approved()
        .filter(created_at__gte=since, deleted_at__isnull=True)
        .filter(written_by_q(user))
        .exclude(user=user)
        .select_related("page")
        .order_by("-created_at", "-pk")[:10]
    )


@hooks.register("construct_homepage_panels")
def add_community_panels(request, panels):
    if is_moderator(request.user):
        panels.append(ModerationQueuePanel(moderatable_comments(request.user)))
    new_comments = list(comments_on_pages_of(request.user))
    if new_comments:
        panels.append(NewCommentsPanel(new_comments))


@hooks.register("register_personal_data")
def register_community_personal_data():
    return {"name": "community", "export": personal_data.export, "erase": personal_data.erase}
