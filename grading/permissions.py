"""Permission policies of the admin, registered in wagtail_hooks in place of Wagtail's own.

Pages: the pages a user may explore leave out the essays they may not read
(EssayPage.objects.hidden_in_admin_from), so every admin surface Wagtail builds on the page policy
(explorer, page search, page-type listings, the admin page API, the site history) follows one rule.

Images and documents: whoever may add uploads to a collection chooses the ones they uploaded
there, as Wagtail's ownership model already lets them edit those; choosing other people's uploads
takes the collection's "choose" permission, which students do not hold.
"""

from wagtail.permission_policies.collections import CollectionOwnershipPermissionPolicy
from wagtail.permission_policies.pages import PagePermissionPolicy

from essays.models import EssayPage


def refused_some_essay(request):
    """Whether the signed-in user may not read some essay, asked once per request by the menu and the
    middleware that both keep site-wide page reports from such a user."""
    if not hasattr(request, "_refused_some_essay"):
        request._refused_some_essay = EssayPage.objects.hidden_in_admin_from(request.user).exists()
    return request._refused_some_essay


def without_unreadable_essays(pages, user):
    return pages.exclude(pk__in=EssayPage.objects.hidden_in_admin_from(user).values("pk"))


class ReadablePagesPermissionPolicy(PagePermissionPolicy):
    def explorable_instances(self, user):
        return without_unreadable_essays(super().explorable_instances(user), user)


class OwnUploadsPermissionPolicy(CollectionOwnershipPermissionPolicy):
    def __init__(self, model, auth_model):
        super().__init__(model, auth_model=auth_model, owner_field_name="uploaded_by_user")

    def _owns(self, user, instance):
        return (
            user.is_authenticated
            and getattr(instance, self.owner_field_name) == user
            and self._check_perm(user, ["add"], collection=instance.collection)
        )

    def user_has_permission(self, user, action):
        if action == "choose":
            return self._check_perm(user, ["add", "choose"])
        return super().user_has_permission(user, action)

    def user_has_any_permission_for_instance(self, user, actions, instance):
        if "choose" in actions and self._owns(user, instance):
            return True
        return super().user_has_any_permission_for_instance(user, actions, instance)

    def instances_user_has_any_permission_for(self, user, actions):
        instances = super().instances_user_has_any_permission_for(user, actions)
        if "choose" not in actions or not user.is_authenticated or (user.is_active and user.is_superuser):
            return instances
        own = self.model._default_manager.filter(
            collection__in=self._collections_with_perm(user, ["add"]), **{self.owner_field_name: user}
        )
        return instances | own
