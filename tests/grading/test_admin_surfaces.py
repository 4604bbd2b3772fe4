"""The admin's other surfaces follow the same visibility rule: uploads are their uploader's,
site-wide listings and reports leave out the essays their user may not read, and page bulk actions
answer a 400 to ids that are not ids."""

import pytest
from wagtail.models import Collection
from wagtail_factories import DocumentFactory, ImageFactory

from essays.models import EssayPage
from tests.factories import EssayPageFactory
from tests.grading.helpers import signed_in

pytestmark = pytest.mark.usefixtures("without_index_updates")
PROTECTED_TITLE = "Xylofonin suojattu essee"


@pytest.fixture
def uploads(people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    root = Collection.get_first_root_node()
    return {
        "own_image": ImageFactory(title="Iidan kaavio", collection=root, uploaded_by_user=people.iida.user),
        "other_image": ImageFactory(title="Ainon valokuva", collection=root, uploaded_by_user=people.aino.user),
        "document": DocumentFactory(title="Ainon muistiinpanot", collection=root, uploaded_by_user=people.aino.user),
    }


@pytest.fixture
def protected(people):
    return EssayPageFactory(title=PROTECTED_TITLE, visibility=EssayPage.Visibility.PROTECTED, authors=[people.aino])


@pytest.mark.parametrize("path", ["/admin/images/", "/admin/images/chooser/", "/admin/images/chooser/results/"])
def test_a_student_sees_only_their_own_images(people, uploads, path):
    html = signed_in(people.iida.user).get(path).content.decode()
    assert "Iidan kaavio" in html
    assert "Ainon valokuva" not in html


def test_a_student_cannot_choose_another_students_image_by_id(people, uploads):
    response = signed_in(people.iida.user).get(f"/admin/images/chooser/chosen/{uploads['other_image'].pk}/")
    assert response.status_code in (302, 403)
    assert "Ainon valokuva" not in response.content.decode()


def test_a_student_chooses_their_own_image_by_id(people, uploads):
    response = signed_in(people.iida.user).get(f"/admin/images/chooser/chosen/{uploads['own_image'].pk}/")
    assert response.status_code == 200
    assert "Iidan kaavio" in response.content.decode()


def test_a_student_sees_no_one_elses_documents(people, uploads):
    response = signed_in(people.iida.user).get("/admin/documents/chooser/")
    assert "Ainon muistiinpanot" not in response.content.decode()


def test_a_superuser_chooses_any_image(superuser_client, uploads):
    html = superuser_client.get("/admin/images/chooser/").content.decode()
    assert "Iidan kaavio" in html
    assert "Ainon valokuva" in html


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/usage/essays/essaypage/",
        "/admin/reports/page-types-usage/",
        "/admin/reports/site-history/",
        "/admin/bulk/wagtailcore/page/delete/?next=/admin/&id=all&childOf={index}",
        "/admin/bulk/wagtailcore/page/move/?next=/admin/&id=all&childOf={index}",
    ],
)
def test_site_wide_admin_listings_leave_out_an_essay_the_student_may_not_read(people, protected, path):
    response = signed_in(people.iida.user).get(path.format(index=people.site.essay_index.pk))
    assert response.status_code in (200, 404)
    assert PROTECTED_TITLE not in response.content.decode()


@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/usage/essays/essaypage/",
        "/admin/reports/page-types-usage/",
        "/admin/reports/site-history/",
        "/admin/bulk/wagtailcore/page/delete/?next=/admin/&id=all&childOf={index}",
    ],
)
def test_site_wide_admin_listings_show_an_editor_every_essay(people, protected, path):
    response = signed_in(people.editor).get(path.format(index=people.site.essay_index.pk))
    assert response.status_code == 200
    assert PROTECTED_TITLE in response.content.decode()


def test_the_page_usage_report_names_no_essay_the_student_may_not_read(people):
    own = EssayPageFactory(title="Iidan oma essee", authors=[people.iida])
    linking = EssayPageFactory(
        title=PROTECTED_TITLE,
        visibility=EssayPage.Visibility.PROTECTED,
        authors=[people.aino],
        body=[("paragraph", f'<p><a linktype="page" id="{own.pk}">Iidan essee</a></p>')],
    )
    from wagtail.models import ReferenceIndex

    ReferenceIndex.create_or_update_for_object(linking)
    assert ReferenceIndex.get_references_to(own).exists()
    response = signed_in(people.iida.user).get(f"/admin/pages/{own.pk}/usage/")
    assert response.status_code == 200
    assert PROTECTED_TITLE not in response.content.decode()


@pytest.mark.parametrize(
    "query",
    ["id=²", "id=٣", "id=abc", "id=1%00", "id=all&childOf=x", "id=all&childOf=²"],
)
@pytest.mark.parametrize("model", ["wagtailcore/page", "auth/user", "wagtailimages/image"])
def test_bulk_actions_answer_400_to_ids_that_are_not_ids(people, model, query):
    action = "delete"
    response = signed_in(people.editor).get(f"/admin/bulk/{model}/{action}/?next=/admin/&{query}")
    assert response.status_code == 400


def test_bulk_action_on_the_children_of_a_missing_page_is_not_found(people):
    response = signed_in(people.editor).get("/admin/bulk/wagtailcore/page/delete/?next=/admin/&id=all&childOf=999999")
    assert response.status_code == 404
