"""The user groups are named in Finnish and the grading workflow and its task each have a name of their
own, on a fresh database and on one that kept the names of before; code finds each by one constant."""

from django.apps import apps
from django.contrib.auth.models import Group
from wagtail.models import GroupApprovalTask, Workflow

from grading.models import GradingTask
from grading.roles import (
    COACHES,
    EDITORS,
    FORMER_NAMES,
    FORMER_WORKFLOW_NAME,
    MODERATORS,
    STUDENTS,
    TASK_NAME,
    WORKFLOW_NAME,
    name_grading_workflow_apart,
    name_groups_in_finnish,
    setup_all,
)


def test_a_migrated_database_has_the_groups_in_finnish_only(db):
    names = set(Group.objects.values_list("name", flat=True))
    assert {STUDENTS, COACHES, EDITORS, MODERATORS} <= names
    assert not names & set(FORMER_NAMES.values())


def test_english_named_groups_are_renamed_keeping_their_members_and_permissions(db, django_user_model):
    for name, former in FORMER_NAMES.items():
        Group.objects.filter(name=name).update(name=former)
    students = Group.objects.get(name="Students")
    permissions = set(students.permissions.all())
    member = django_user_model.objects.create(username="aino")
    member.groups.add(students)

    name_groups_in_finnish(apps)

    renamed = Group.objects.get(pk=students.pk)
    assert renamed.name == STUDENTS
    assert set(renamed.permissions.all()) == permissions
    assert list(member.groups.values_list("name", flat=True)) == [STUDENTS]
    assert not Group.objects.filter(name__in=FORMER_NAMES.values()).exists()


def test_setting_up_the_roles_before_the_renaming_adds_no_second_group(db):
    for name, former in FORMER_NAMES.items():
        Group.objects.filter(name=name).update(name=former)
    count = Group.objects.count()

    setup_all(apps)
    name_groups_in_finnish(apps)

    assert Group.objects.count() == count
    assert set(FORMER_NAMES) <= set(Group.objects.values_list("name", flat=True))


def test_editors_and_moderators_approve_other_pages(db):
    task = GroupApprovalTask.objects.get(name="Toimittajan hyväksyntä")
    assert set(task.groups.values_list("name", flat=True)) == {EDITORS, MODERATORS}


def test_the_grading_workflow_and_its_task_have_names_of_their_own(db):
    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert [task.name for task in workflow.tasks] == [TASK_NAME]
    assert WORKFLOW_NAME != TASK_NAME


def test_a_workflow_and_task_both_named_arviointi_are_renamed(db):
    Workflow.objects.filter(name=WORKFLOW_NAME).update(name=FORMER_WORKFLOW_NAME)
    GradingTask.objects.filter(name=TASK_NAME).update(name=FORMER_WORKFLOW_NAME)

    name_grading_workflow_apart(apps)

    workflow = Workflow.objects.get(name=WORKFLOW_NAME)
    assert [task.name for task in workflow.tasks] == [TASK_NAME]
