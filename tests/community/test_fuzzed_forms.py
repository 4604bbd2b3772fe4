"""Whatever the comment and rating forms receive, the answer is a redirect, a page with a message or a
clear 4xx, never a server error, and nothing is stored from a refused post."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from community.models import Comment, Rating
from tests.community.conftest import form_token

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]

FIELDS = ["text", "name", "parent", "kotisivu", "tarkiste", "vastaus", "laskenta", "stars"]
values = st.one_of(
    st.text(max_size=60),
    st.sampled_from(["\x00", "-1", "0", "6", "99999999999999999999", "<script>", "x" * 6000, "1:2:3:4:5"]),
)


@pytest.fixture
def target(essay, people, community_settings):
    community_settings.anonymous_comments = community_settings.anonymous_ratings = True
    community_settings.save()
    return essay


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.dictionaries(st.sampled_from(FIELDS), values, max_size=6), valid_token=st.booleans())
def test_any_comment_post_is_answered_without_a_server_error(target, data, valid_token):
    if valid_token:
        data = {**data, "tarkiste": form_token(target)}
    before = Comment.objects.count()
    response = Client().post(f"/kommentit/{target.pk}/", data)
    assert response.status_code in (302, 400), response.status_code
    if response.status_code == 400:
        assert Comment.objects.count() == before


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(stars=values)
def test_any_rating_post_is_answered_without_a_server_error(target, stars):
    before = Rating.objects.count()
    response = Client().post(f"/arviot/{target.pk}/", {"stars": stars})
    assert response.status_code in (302, 400)
    if response.status_code == 400:
        assert Rating.objects.count() == before
