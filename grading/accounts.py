"""User accounts in the admin: nobody grants more than they hold.

Superusers manage every account. Anyone else with the user permissions (the Editors group) manages
only student and coach accounts: they may put an account in the Students or Coaches group and
nothing above it, never make an administrator, and never open an editor's or administrator's
account. They give a new account its first password but never set an existing one's: whoever knows
a student's or coach's password could write or grade in their name, so a forgotten password is
reset by the person through the sign-in page's e-mail link. For the same reason they give a new
account its e-mail address but never change an existing one's: a reset link sent to an address they
chose would hand them the account.
"""

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import PermissionDenied
from django.utils.translation import gettext_lazy as _
from wagtail.users.views import users

from .roles import COACHES, STUDENTS

GRANTABLE_BY_EDITORS = (STUDENTS, COACHES)


def grantable_groups(user):
    """The groups this admin user may put accounts in."""
    if user.is_superuser:
        return Group.objects.all()
    return Group.objects.filter(name__in=GRANTABLE_BY_EDITORS)


def manageable_users(user):
    """The accounts this admin user may see and change in the user admin."""
    accounts = get_user_model()._default_manager.all()
    if user.is_superuser:
        return accounts
    above = Group.objects.exclude(name__in=GRANTABLE_BY_EDITORS)
    return accounts.filter(is_superuser=False, is_staff=False).exclude(groups__in=above)


def limit_form_to(form, user):
    """Take away the fields and choices of an account form that would grant more than `user` holds."""
    if user.is_superuser:
        return form
    form.fields.pop("is_superuser", None)
    if "groups" in form.fields:
        form.fields["groups"].queryset = grantable_groups(user)
    return form


class ManageableUserMixin:
    def get_form(self, *args, **kwargs):
        return limit_form_to(super().get_form(*args, **kwargs), self.request.user)


class ManageableObjectMixin(ManageableUserMixin):
    def get_object(self, queryset=None):
        account = super().get_object(queryset)
        if not manageable_users(self.request.user).filter(pk=account.pk).exists():
            raise PermissionDenied
        return account


def refuses_bulk_action(request, accounts, action):
    """Whether a bulk action on accounts would reach an account, or grant a group, beyond the
    admin user's reach."""
    if request.user.is_superuser:
        return False
    reachable = set(manageable_users(request.user).filter(pk__in=[account.pk for account in accounts]))
    beyond_reach = any(account not in reachable for account in accounts)
    role = (action.cleaned_form.cleaned_data or {}).get("role") if action.cleaned_form else None
    return beyond_reach or (role is not None and not grantable_groups(request.user).filter(pk=role.pk).exists())


class IndexView(users.IndexView):
    def get_base_queryset(self):
        return super().get_base_queryset().filter(pk__in=manageable_users(self.request.user).values("pk"))


class CreateView(ManageableUserMixin, users.CreateView):
    pass


class WithoutPasswordMixin:
    """An account form that sets no password (UserForm.save reads its fields only when enabled)."""

    password_enabled = False


class EditView(ManageableObjectMixin, users.EditView):
    def get_form_class(self):
        form_class = super().get_form_class()
        if self.request.user.is_superuser:
            return form_class
        return type(form_class.__name__, (WithoutPasswordMixin, form_class), {})

    def get_form(self, *args, **kwargs):
        form = super().get_form(*args, **kwargs)
        if not self.request.user.is_superuser and "email" in form.fields:
            # A disabled field keeps the stored address whatever a POST says; an account saved
            # without one stays valid.
            form.fields["email"].disabled = True
            form.fields["email"].required = False
            form.fields["email"].help_text = _(
                "Only an administrator changes the e-mail address of an existing account, because the "
                "password reset link is sent there."
            )
        return form


class DeleteView(ManageableObjectMixin, users.DeleteView):
    pass


class UserViewSet(users.UserViewSet):
    index_view_class = IndexView
    add_view_class = CreateView
    edit_view_class = EditView
    delete_view_class = DeleteView
