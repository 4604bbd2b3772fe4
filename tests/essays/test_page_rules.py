"""Where each page type may be created, and that the admin lets an editor create each one."""

import pytest
from wagtail.models import Page
from wagtail.test.utils import WagtailPageTestCase

from concepts.models import ConceptIndexPage, ConceptPage
from essaybank.models import HomePage
from essaybank.site_structure import ensure_site_structure
from essays.models import BookSummaryIndexPage, BookSummaryPage, EssayIndexPage, EssayPage

pytestmark = pytest.mark.usefixtures("without_index_updates")


class PageCreationRulesTests(WagtailPageTestCase):
    def test_home_page_only_under_root(self):
        self.assertAllowedParentPageTypes(HomePage, {Page})

    def test_home_page_not_under_a_section(self):
        self.assertCanNotCreateAt(EssayIndexPage, HomePage)
        self.assertCanNotCreateAt(HomePage, HomePage)

    def test_home_page_holds_the_three_sections(self):
        self.assertAllowedSubpageTypes(HomePage, {EssayIndexPage, BookSummaryIndexPage, ConceptIndexPage})

    def test_section_pages_only_under_home_page(self):
        for section in (EssayIndexPage, BookSummaryIndexPage, ConceptIndexPage):
            with self.subTest(section=section.__name__):
                self.assertAllowedParentPageTypes(section, {HomePage})
                self.assertCanCreateAt(HomePage, section)
                self.assertCanNotCreateAt(Page, section)

    def test_essay_only_under_essay_index(self):
        self.assertAllowedParentPageTypes(EssayPage, {EssayIndexPage})
        self.assertCanNotCreateAt(HomePage, EssayPage)
        self.assertCanNotCreateAt(BookSummaryIndexPage, EssayPage)
        self.assertCanNotCreateAt(ConceptIndexPage, EssayPage)

    def test_essay_index_holds_only_essays(self):
        self.assertAllowedSubpageTypes(EssayIndexPage, {EssayPage})

    def test_book_summary_only_under_summary_index(self):
        self.assertAllowedParentPageTypes(BookSummaryPage, {BookSummaryIndexPage})
        self.assertAllowedSubpageTypes(BookSummaryIndexPage, {BookSummaryPage})
        self.assertCanNotCreateAt(EssayIndexPage, BookSummaryPage)

    def test_concept_only_under_concept_index(self):
        self.assertAllowedParentPageTypes(ConceptPage, {ConceptIndexPage})
        self.assertAllowedSubpageTypes(ConceptIndexPage, {ConceptPage})
        self.assertCanNotCreateAt(EssayIndexPage, ConceptPage)

    def test_detail_pages_have_no_children(self):
        for model in (EssayPage, BookSummaryPage, ConceptPage):
            with self.subTest(model=model.__name__):
                self.assertAllowedSubpageTypes(model, set())

    def test_only_one_home_page(self):
        ensure_site_structure()
        self.assertFalse(HomePage.can_create_at(Page.get_first_root_node()))


def add_page_url(model, parent):
    return f"/admin/pages/add/{model._meta.app_label}/{model._meta.model_name}/{parent.pk}/"


def test_admin_create_view_renders_for_home_page(superuser_client):
    HomePage.objects.all().delete()  # a site has one home page; an editor creates it on an empty tree
    root = Page.get_first_root_node()
    response = superuser_client.get(add_page_url(HomePage, root))
    assert response.status_code == 200


@pytest.mark.parametrize(
    ("model", "parent_name"),
    [
        (EssayIndexPage, "home"),
        (BookSummaryIndexPage, "home"),
        (ConceptIndexPage, "home"),
        (EssayPage, "essay_index"),
        (BookSummaryPage, "summary_index"),
        (ConceptPage, "concept_index"),
    ],
    ids=lambda value: getattr(value, "__name__", value),
)
def test_admin_create_view_renders(superuser_client, site_tree, model, parent_name):
    response = superuser_client.get(add_page_url(model, getattr(site_tree, parent_name)))
    assert response.status_code == 200


def test_admin_refuses_essay_under_home_page(superuser_client, site_tree):
    response = superuser_client.get(add_page_url(EssayPage, site_tree.home))
    assert response.status_code == 302
    assert response.url == "/admin/"


def test_admin_create_view_of_essay_offers_the_fields_of_an_essay(superuser_client, site_tree):
    response = superuser_client.get(add_page_url(EssayPage, site_tree.essay_index))
    html = response.content.decode()
    for field in ("essay_authors-TOTAL_FORMS", "book_sources-TOTAL_FORMS", 'name="written"', 'name="visibility"'):
        assert field in html


class EditorCreatesPagesTests(WagtailPageTestCase):
    """An editor can create an essay and a concept through the admin, not only the importer."""

    def setUp(self):
        self.login()
        self.home = ensure_site_structure()
        self.essay_index = EssayIndexPage.objects.get()
        self.concept_index = ConceptIndexPage.objects.get()

    def test_editor_creates_an_essay(self):
        from tests.factories import PersonFactory

        person = PersonFactory(name="Aino Aaltonen")
        data = {
            "title": "Asiakaskokemus arjessa",
            "slug": "asiakaskokemus-arjessa",
            "written": "2018-05-26",
            "language": "fi",
            "visibility": "public",
            "essay_authors-TOTAL_FORMS": "1",
            "essay_authors-INITIAL_FORMS": "0",
            "essay_authors-MIN_NUM_FORMS": "0",
            "essay_authors-MAX_NUM_FORMS": "1000",
            "essay_authors-0-person": str(person.pk),
            "essay_authors-0-team": "",
            "essay_authors-0-ORDER": "1",
            "essay_authors-0-id": "",
            "essay_authors-0-DELETE": "",
            "book_sources-TOTAL_FORMS": "0",
            "book_sources-INITIAL_FORMS": "0",
            "book_sources-MIN_NUM_FORMS": "0",
            "book_sources-MAX_NUM_FORMS": "1000",
            "body-count": "1",
            "body-0-type": "paragraph",
            "body-0-value": '{"blocks":[{"key":"a","text":"Tekstiä.","type":"unstyled","depth":0,'
            '"inlineStyleRanges":[],"entityRanges":[]}],"entityMap":{}}',
            "body-0-deleted": "",
            "body-0-order": "0",
            "body-0-id": "",
            "other_sources-count": "0",
            "tags": "",
        }
        self.assertCanCreate(self.essay_index, EssayPage, data)
        essay = EssayPage.objects.get(slug="asiakaskokemus-arjessa")
        self.assertEqual(essay.authors(), [person])
        self.assertEqual(essay.essay_authors.get().team, person.team)
