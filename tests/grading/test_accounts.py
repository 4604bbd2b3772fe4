"""Who may manage which accounts in the admin: no role grants more than it holds."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from grading.roles import COACHES, EDITORS, MODERATORS, STUDENTS
from tests.factories import UserFactory
from tests.grading.helpers import signed_in, user_in

pytestmark = pytest.mark.usefixtures("without_index_updates")
User = get_user_model()

NO_USER_ADMIN = ["coach", "student", "member"]


@pytest.fixture
def accounts(people):
    admin = UserFactory(username="paakayttaja", is_superuser=True)
    return {
        "superuser": admin,
        "editor": people.editor,
        "other_editor": user_in(EDITORS, "toinen_toimittaja"),
        "coach": people.marjut.user,
        "student": people.aino.user,
        "member": people.member,
    }


def new_account(username, *groups, **extra):
    data = {
        "username": username,
        "email": f"{username}@example.fi",
        "first_name": "Uusi",
        "last_name": "Käyttäjä",
        "password1": "Pitka-salasana-2026",
        "password2": "Pitka-salasana-2026",
        "groups": [Group.objects.get(name=name).pk for name in groups],
    }
    return data | extra


def edit_data(account, *groups, **extra):
    data = {
        "username": account.username,
        "email": account.email or f"{account.username}@example.fi",
        "first_name": account.first_name or "Etu",
        "last_name": account.last_name or "Suku",
        "is_active": "on",
        "groups": [Group.objects.get(name=name).pk for name in groups],
    }
    return data | extra


@pytest.mark.parametrize("role", ["superuser", "editor"])
def test_superuser_and_editor_create_student_accounts(accounts, role):
    signed_in(accounts[role]).post(reverse("wagtailusers_users:add"), new_account("uusi_opiskelija", STUDENTS))
    created = User.objects.get(username="uusi_opiskelija")
    assert list(created.groups.values_list("name", flat=True)) == [STUDENTS]


@pytest.mark.parametrize("role", NO_USER_ADMIN)
def test_other_roles_create_no_accounts(accounts, role):
    signed_in(accounts[role]).post(reverse("wagtailusers_users:add"), new_account("uusi_opiskelija", STUDENTS))
    assert not User.objects.filter(username="uusi_opiskelija").exists()


def test_editor_cannot_create_a_superuser(accounts):
    signed_in(accounts["editor"]).post(
        reverse("wagtailusers_users:add"), new_account("uusi", STUDENTS, is_superuser="on")
    )
    assert not User.objects.filter(username="uusi", is_superuser=True).exists()


def test_superuser_can_create_a_superuser(accounts):
    signed_in(accounts["superuser"]).post(reverse("wagtailusers_users:add"), new_account("uusi", is_superuser="on"))
    assert User.objects.get(username="uusi").is_superuser


@pytest.mark.parametrize("group", [EDITORS, MODERATORS, "Site-wide editors"])
def test_editor_cannot_grant_a_group_above_coaches(accounts, group):
    Group.objects.get_or_create(name=group)
    signed_in(accounts["editor"]).post(reverse("wagtailusers_users:add"), new_account("uusi", group))
    assert not User.objects.filter(username="uusi", groups__name=group).exists()


def test_editor_cannot_promote_a_student_to_editor(accounts):
    student = accounts["student"]
    signed_in(accounts["editor"]).post(
        reverse("wagtailusers_users:edit", args=[student.pk]), edit_data(student, EDITORS)
    )
    assert list(student.groups.values_list("name", flat=True)) == [STUDENTS]


def test_editor_cannot_make_a_student_superuser(accounts):
    student = accounts["student"]
    signed_in(accounts["editor"]).post(
        reverse("wagtailusers_users:edit", args=[student.pk]), edit_data(student, STUDENTS, is_superuser="on")
    )
    student.refresh_from_db()
    assert not student.is_superuser


def test_editor_moves_a_student_to_coaches(accounts):
    student = accounts["student"]
    signed_in(accounts["editor"]).post(
        reverse("wagtailusers_users:edit", args=[student.pk]), edit_data(student, COACHES)
    )
    assert list(student.groups.values_list("name", flat=True)) == [COACHES]


@pytest.mark.parametrize("target", ["student", "coach"])
def test_editor_is_offered_no_password_for_a_students_or_coachs_account(accounts, target):
    account = accounts[target]
    html = signed_in(accounts["editor"]).get(reverse("wagtailusers_users:edit", args=[account.pk])).content.decode()
    assert 'name="first_name"' in html
    assert 'name="password1"' not in html


def test_editor_sets_the_first_password_of_a_new_account(accounts):
    signed_in(accounts["editor"]).post(reverse("wagtailusers_users:add"), new_account("uusi_valmentaja", COACHES))
    assert User.objects.get(username="uusi_valmentaja").check_password("Pitka-salasana-2026")


def test_superuser_sets_a_students_password(accounts):
    student = accounts["student"]
    signed_in(accounts["superuser"]).post(
        reverse("wagtailusers_users:edit", args=[student.pk]),
        edit_data(student, STUDENTS, password1="Uusi-salasana-2026", password2="Uusi-salasana-2026"),
    )
    student.refresh_from_db()
    assert student.check_password("Uusi-salasana-2026")


def test_editor_is_shown_a_coachs_email_address_read_only(accounts):
    coach = accounts["coach"]
    html = signed_in(accounts["editor"]).get(reverse("wagtailusers_users:edit", args=[coach.pk])).content
    field = BeautifulSoup(html, "html.parser").find("input", attrs={"name": "email"})
    assert field["value"] == coach.email
    assert field.has_attr("disabled")


@pytest.mark.parametrize("target", ["student", "coach"])
def test_editor_cannot_change_an_accounts_email_address_by_a_crafted_post(accounts, target):
    account = accounts[target]
    address = account.email
    signed_in(accounts["editor"]).post(
        reverse("wagtailusers_users:edit", args=[account.pk]),
        edit_data(account, STUDENTS if target == "student" else COACHES, email="kaappaaja@example.fi"),
    )
    account.refresh_from_db()
    assert account.email == address


def test_editor_still_saves_an_account_that_has_no_email_address(accounts):
    student = accounts["student"]
    User.objects.filter(pk=student.pk).update(email="")
    data = edit_data(student, STUDENTS, email="", first_name="Aino-Maria")
    signed_in(accounts["editor"]).post(reverse("wagtailusers_users:edit", args=[student.pk]), data)
    student.refresh_from_db()
    assert (student.first_name, student.email) == ("Aino-Maria", "")


def test_editor_gives_a_new_account_its_email_address(accounts):
    signed_in(accounts["editor"]).post(reverse("wagtailusers_users:add"), new_account("uusi_valmentaja", COACHES))
    assert User.objects.get(username="uusi_valmentaja").email == "uusi_valmentaja@example.fi"


def test_superuser_changes_a_coachs_email_address(accounts):
    coach = accounts["coach"]
    signed_in(accounts["superuser"]).post(
        reverse("wagtailusers_users:edit", args=[coach.pk]), edit_data(coach, COACHES, email="marjut.uusi@example.fi")
    )
    coach.refresh_from_db()
    assert coach.email == "marjut.uusi@example.fi"


@pytest.mark.parametrize("target", ["superuser", "other_editor"])
def test_editor_cannot_open_or_change_accounts_above_coaches(accounts, target):
    account = accounts[target]
    editor = signed_in(accounts["editor"])
    assert editor.get(reverse("wagtailusers_users:edit", args=[account.pk])).status_code in (302, 403)
    editor.post(reverse("wagtailusers_users:edit", args=[account.pk]), edit_data(account, STUDENTS, is_active=""))
    editor.post(reverse("wagtailusers_users:delete", args=[account.pk]))
    account.refresh_from_db()
    assert account.is_active
    assert account.groups.exists() or account.is_superuser


def test_editor_lists_only_student_and_coach_accounts(accounts):
    html = signed_in(accounts["editor"]).get(reverse("wagtailusers_users:index")).content.decode()
    assert "aino" in html
    assert "marjut" in html
    assert "paakayttaja" not in html
    assert "toinen_toimittaja" not in html


@pytest.mark.parametrize("role", NO_USER_ADMIN)
def test_other_roles_do_not_see_the_user_list(accounts, role):
    response = signed_in(accounts[role]).get(reverse("wagtailusers_users:index"))
    assert response.status_code in (302, 403)
    assert "paakayttaja" not in response.content.decode()


@pytest.mark.parametrize("role", ["editor", *NO_USER_ADMIN])
def test_only_superusers_manage_groups(accounts, role):
    client = signed_in(accounts[role])
    client.post(reverse("wagtailusers_groups:add"), {"name": "Oma ryhmä"})
    editors = Group.objects.get(name=EDITORS)
    client.post(reverse("wagtailusers_groups:edit", args=[editors.pk]), {"name": "Muutettu"})
    assert not Group.objects.filter(name__in=["Oma ryhmä", "Muutettu"]).exists()


def bulk_url(action, *accounts):
    ids = "&".join(f"id={account.pk}" for account in accounts)
    return reverse("wagtail_bulk_action", args=["auth", "user", action]) + f"?next=/admin/users/&{ids}"


def test_editor_cannot_bulk_assign_the_editors_role(accounts):
    student = accounts["student"]
    editors = Group.objects.get(name=EDITORS)
    signed_in(accounts["editor"]).post(bulk_url("assign_role", student), {"role": editors.pk})
    assert not student.groups.filter(name=EDITORS).exists()


def test_editor_bulk_assigns_the_coaches_role(accounts):
    student = accounts["student"]
    coaches = Group.objects.get(name=COACHES)
    signed_in(accounts["editor"]).post(bulk_url("assign_role", student), {"role": coaches.pk})
    assert student.groups.filter(name=COACHES).exists()


@pytest.mark.parametrize("action", ["delete", "set_active_state"])
def test_editor_cannot_bulk_change_a_superuser(accounts, action):
    admin = accounts["superuser"]
    signed_in(accounts["editor"]).post(bulk_url(action, admin, accounts["student"]), {"mark_as_active": ""})
    admin.refresh_from_db()
    assert admin.is_active


# The permission matrix of user and group management: each role against each action, asserted by
# what the action left in the database.
NEW_PASSWORD = "Uusi-salasana-2026"
ROLES = ["anonymous", "student", "coach", "editor", "superuser"]
GROUPS = [STUDENTS, COACHES, EDITORS, MODERATORS]
ACTIONS = [
    "list users",
    "create user",
    "edit user",
    "set is_superuser",
    "set password",
    *(f"add to {group}" for group in GROUPS),
    "delete user",
    "edit groups",
]
ALLOWED = {
    "anonymous": set(),
    "student": set(),
    "coach": set(),
    "editor": {"list users", "create user", "edit user", f"add to {STUDENTS}", f"add to {COACHES}"},
    "superuser": set(ACTIONS),
}


def management_forms(superuser, url):
    """The formsets' management fields of an admin form, as the browser would post them."""
    import re

    html = signed_in(superuser).get(url).content.decode()
    return dict(re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"', html))


def perform(action, client, target, superuser):
    """Try the action; whether it took effect."""
    if action == "list users":
        response = client.get(reverse("wagtailusers_users:index"))
        return response.status_code == 200 and target.username in response.content.decode()
    if action == "create user":
        client.post(reverse("wagtailusers_users:add"), new_account("uusi_tili", STUDENTS))
        return User.objects.filter(username="uusi_tili").exists()
    edit_url = reverse("wagtailusers_users:edit", args=[target.pk])
    if action == "edit user":
        client.post(edit_url, edit_data(target, STUDENTS, first_name="Muutettu"))
        target.refresh_from_db()
        return target.first_name == "Muutettu"
    if action == "set is_superuser":
        client.post(edit_url, edit_data(target, STUDENTS, is_superuser="on"))
        target.refresh_from_db()
        return target.is_superuser
    if action == "set password":
        client.post(edit_url, edit_data(target, STUDENTS, password1=NEW_PASSWORD, password2=NEW_PASSWORD))
        target.refresh_from_db()
        return target.check_password(NEW_PASSWORD)
    if action.startswith("add to "):
        group = action.removeprefix("add to ")
        client.post(edit_url, edit_data(target, group))
        return target.groups.filter(name=group).exists()
    if action == "delete user":
        client.post(reverse("wagtailusers_users:delete", args=[target.pk]))
        return not User.objects.filter(pk=target.pk).exists()
    if action == "edit groups":
        coaches = Group.objects.get(name=COACHES)
        url = reverse("wagtailusers_groups:edit", args=[coaches.pk])
        client.post(url, {"name": "Muutettu ryhmä", **management_forms(superuser, url)})
        return Group.objects.filter(name="Muutettu ryhmä").exists()
    raise ValueError(action)


@pytest.mark.parametrize("action", ACTIONS)
@pytest.mark.parametrize("role", ROLES)
def test_user_and_group_management_permission_matrix(accounts, role, action):
    for name in GROUPS:
        Group.objects.get_or_create(name=name)
    target = UserFactory(username="kohde", first_name="Kohde")
    client = Client() if role == "anonymous" else signed_in(accounts[role])
    assert perform(action, client, target, accounts["superuser"]) is (action in ALLOWED[role])
