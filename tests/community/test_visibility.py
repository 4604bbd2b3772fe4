"""A page's comments and rating are seen, and written, exactly where the page is readable."""

import pytest
from django.test import Client
from wagtail.models import BaseViewRestriction, PageViewRestriction

from community.models import Comment, Rating
from tests.community.conftest import comment_data
from tests.factories import BookSummaryPageFactory, EssayPageFactory

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]


@pytest.fixture
def protected(people):
    essay = EssayPageFactory(title="Suojattu pohdinta", visibility="protected", authors=[people.author_person])
    Comment.objects.create(page=essay, author_name="Marjut", text="Salainen palaute", status="approved")
    return essay


@pytest.mark.parametrize("who", ["author", "coach", "editor"])
def test_protected_essay_comments_are_shown_to_its_readers(protected, people, client_for, who):
    assert "Salainen palaute" in client_for(getattr(people, who)).get(protected.url).content.decode()


@pytest.mark.parametrize("who", ["member", "other_coach"])
def test_protected_essay_takes_no_comment_from_others(protected, people, client_for, who):
    response = client_for(getattr(people, who)).post(f"/kommentit/{protected.pk}/", comment_data(protected))
    assert response.status_code == 404
    assert Comment.objects.filter(page=protected).count() == 1


def test_protected_essay_takes_no_vote_from_others(protected, people, client_for):
    response = client_for(people.member).post(f"/arviot/{protected.pk}/", {"stars": "5"})
    assert response.status_code == 404
    assert not Rating.objects.exists()


def test_community_essay_comments_are_not_posted_anonymously(people, community_settings):
    community_settings.anonymous_comments = True
    community_settings.save()
    essay = EssayPageFactory(visibility="community", authors=[people.author_person])
    response = Client().post(f"/kommentit/{essay.pk}/", comment_data(essay, name="Vieras"))
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_community_essay_takes_a_members_comment(people, client_for):
    essay = EssayPageFactory(visibility="community", authors=[people.author_person])
    response = client_for(people.member).post(f"/kommentit/{essay.pk}/", comment_data(essay))
    assert response.status_code == 302
    assert Comment.objects.filter(page=essay).exists()


def test_group_restricted_section_keeps_its_comments_from_outsiders(people, client_for, site_tree):
    restriction = PageViewRestriction.objects.create(
        page=site_tree.essay_index, restriction_type=BaseViewRestriction.GROUPS
    )
    restriction.groups.add(*people.coach.groups.all())
    essay = EssayPageFactory(authors=[people.author_person])
    response = client_for(people.member).post(f"/kommentit/{essay.pk}/", comment_data(essay))
    assert response.status_code == 404
    assert not Comment.objects.exists()


def test_unpublished_essay_takes_no_comment(people, client_for):
    essay = EssayPageFactory(authors=[people.author_person])
    essay.unpublish()
    response = client_for(people.member).post(f"/kommentit/{essay.pk}/", comment_data(essay))
    assert response.status_code == 404


def test_book_summary_takes_comments(people, client_for):
    summary = BookSummaryPageFactory()
    response = client_for(people.member).post(f"/kommentit/{summary.pk}/", comment_data(summary))
    assert response.status_code == 302
    assert "Hyvä ja selkeä essee" in Client().get(summary.url).content.decode()


def test_other_pages_take_no_comments(people, client_for, site_tree):
    index = site_tree.essay_index
    response = client_for(people.member).post(f"/kommentit/{index.pk}/", comment_data(index))
    assert response.status_code == 404
