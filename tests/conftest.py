from types import SimpleNamespace

import pytest
from django.test import Client

from concepts.models import ConceptIndexPage
from essaybank.site_structure import ensure_site_structure
from essays.models import BookSummaryIndexPage, EssayIndexPage
from tests.factories import UserFactory


def pytest_configure(config):
    # whitenoise warns that collectstatic has not run; the tests do not serve static files.
    config.addinivalue_line("filterwarnings", "ignore:No directory at:UserWarning")


@pytest.fixture
def site_tree(db):
    """The home page and its three section pages, as every Esseepankki site has them."""
    home = ensure_site_structure()
    return SimpleNamespace(
        home=home,
        essay_index=EssayIndexPage.objects.child_of(home).get(),
        summary_index=BookSummaryIndexPage.objects.child_of(home).get(),
        concept_index=ConceptIndexPage.objects.child_of(home).get(),
    )


@pytest.fixture
def member(db):
    """A signed-in member of the community with no special rights."""
    return UserFactory(username="jasen")


@pytest.fixture
def member_client(member):
    client = Client()
    client.force_login(member)
    return client


@pytest.fixture
def superuser(db):
    return UserFactory(username="paakayttaja", is_staff=True, is_superuser=True)


@pytest.fixture
def superuser_client(superuser):
    client = Client()
    client.force_login(superuser)
    return client


@pytest.fixture
def client_for():
    """A client signed in as the given user."""

    def make(user):
        client = Client()
        client.force_login(user)
        return client

    return make
