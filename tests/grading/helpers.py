"""Helpers that use the admin as a person would."""

import datetime

from django.contrib.auth.models import Group
from django.test import Client
from wagtail.models import TaskState
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from essays.models import EssayType
from grading.models import Term
from tests.factories import UserFactory


def user_in(group_name, username):
    user = UserFactory(username=username, first_name=username.capitalize())
    user.groups.add(Group.objects.get(name=group_name))
    return user


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def submit(essay, user):
    """Send the essay's newest revision to grading, as the editor's "submit" button does."""
    revision = essay.save_revision(user=user)
    essay.get_workflow().start(essay, user)
    return revision


def in_progress_state(essay):
    return TaskState.objects.for_instance(essay).get(status=TaskState.STATUS_IN_PROGRESS)


def workflow_action_url(essay, action, task_state):
    return f"/admin/pages/workflow/action/{essay.pk}/{action}/{task_state.pk}/"


def essay_form_data(title, slug, authors, essay_type="individual", visibility="public", **extra):
    """The page editor's form for an essay, as the browser posts it."""
    data = nested_form_data(
        {
            "title": title,
            "slug": slug,
            "written": "2025-02-03",
            "language": "fi",
            "essay_type": str(EssayType.objects.get(code=essay_type).pk),
            "claimed_points": "2",
            "visibility": visibility,
            "essay_authors": inline_formset(
                [{"person": str(person.pk), "team": str(person.team_id or "")} for person in authors]
            ),
            "book_sources": inline_formset([]),
            "body": streamfield([("paragraph", rich_text("<p>Asiakaskokemus syntyy kohtaamisissa.</p>"))]),
            "other_sources": streamfield([]),
            "tags": "",
        }
    )
    data.update(extra)
    return data


def spring_and_autumn_terms(*years):
    """Kevät (1.1.–31.7.) and Syksy (1.8.–31.12.) terms of these years."""
    for year in years:
        Term.objects.create(
            name=f"Kevät {year}", starts_on=datetime.date(year, 1, 1), ends_on=datetime.date(year, 7, 31)
        )
        Term.objects.create(
            name=f"Syksy {year}", starts_on=datetime.date(year, 8, 1), ends_on=datetime.date(year, 12, 31)
        )
