import pytest
from wagtail.models import PageViewRestriction

from essays.models import EssayPage
from tests.factories import EssayPageFactory


@pytest.fixture
def hidden_essays(site_tree):
    """One essay of each kind anyone may not read: community, protected, a draft, and one under a
    password (Wagtail page privacy); each built by `make(**fields)` with the fields given."""

    def make(**fields):
        community = EssayPageFactory(title="Yhteisön essee", visibility=EssayPage.Visibility.COMMUNITY, **fields)
        protected = EssayPageFactory(title="Suojattu essee", visibility=EssayPage.Visibility.PROTECTED, **fields)
        draft = EssayPageFactory(title="Luonnosessee", **fields)
        draft.unpublish()
        locked = EssayPageFactory(title="Salasanaessee", **fields)
        PageViewRestriction.objects.create(
            page=locked, restriction_type=PageViewRestriction.PASSWORD, password="salainen"
        )
        return [community, protected, draft, locked]

    return make
