from wagtail.permission_policies import ModelPermissionPolicy


class ReviewPermissionPolicy(ModelPermissionPolicy):
    """Imported posts are looked at and marked handled, never added or deleted in the admin."""

    def user_has_permission(self, user, action):
        return action not in ("add", "delete") and super().user_has_permission(user, action)
