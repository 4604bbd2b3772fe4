"""Wagtail's page bulk actions with the admin's visibility rule: the pages they act on, named by
id or by "select all" in a listing, leave out the essays the user may not read."""

from django.http import Http404
from django.shortcuts import get_list_or_404
from wagtail.admin.views.pages.bulk_actions import (
    DeleteBulkAction,
    MoveBulkAction,
    PublishBulkAction,
    UnpublishBulkAction,
)
from wagtail.models import Page

from .permissions import without_unreadable_essays


class ReadablePagesMixin:
    def get_queryset(self, model, object_ids):
        return get_list_or_404(without_unreadable_essays(model.objects.filter(pk__in=object_ids), self.request.user))

    def get_all_objects_in_listing_query(self, parent_id):
        if parent_id is not None and not Page.objects.filter(pk=parent_id).exists():
            raise Http404
        return super().get_all_objects_in_listing_query(parent_id)


class ReadableDeleteBulkAction(ReadablePagesMixin, DeleteBulkAction):
    pass


class ReadableMoveBulkAction(ReadablePagesMixin, MoveBulkAction):
    pass


class ReadablePublishBulkAction(ReadablePagesMixin, PublishBulkAction):
    pass


class ReadableUnpublishBulkAction(ReadablePagesMixin, UnpublishBulkAction):
    pass


PAGE_BULK_ACTIONS = [
    ReadableDeleteBulkAction,
    ReadableMoveBulkAction,
    ReadablePublishBulkAction,
    ReadableUnpublishBulkAction,
]
