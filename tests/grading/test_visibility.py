"""Protected essays reach only their authors, the authors' coach and editors; community essays only
signed-in users; on every public surface: home, listings, book, person, team and concept pages,
search and the search API."""

import pytest
from django.test import Client
from django.urls import reverse

from essays.models import EssayPage
from tests.factories import BookFactory, ConceptPageFactory, EssayPageFactory
from tests.grading.helpers import signed_in

PROTECTED_TITLE = "Xylofonin suojattu essee"
COMMUNITY_TITLE = "Zeppeliinin yhteisöessee"

VIEWERS = ["anonymous", "member", "other_student", "author", "co_author", "coach", "other_coach", "editor"]
READS_PROTECTED = {"author", "co_author", "coach", "editor"}
READS_COMMUNITY = set(VIEWERS) - {"anonymous"}


@pytest.fixture
def essays(people):
    book = BookFactory(title="Asiakaskokemus")
    concept = ConceptPageFactory(title="asiakaskokemus", slug="asiakaskokemus")
    common = {"books": [book], "tags": ["asiakaskokemus"], "authors": [people.aino, people.eetu]}
    EssayPageFactory(title=PROTECTED_TITLE, visibility=EssayPage.Visibility.PROTECTED, **common)
    EssayPageFactory(title=COMMUNITY_TITLE, visibility=EssayPage.Visibility.COMMUNITY, **common)
    return {
        "home": "/",
        "essay list": "/esseet/",
        "book": f"/kirjat/{book.slug}/",
        "person": f"/ihmiset/{people.aino.slug}/",
        "team": f"/tiimit/{people.pinkut.slug}/",
        "concept": f"/kasitteet/{concept.slug}/",
    }


def client_for_viewer(viewer, people):
    users = {
        "member": people.member,
        "other_student": people.iida.user,
        "author": people.aino.user,
        "co_author": people.eetu.user,
        "coach": people.marjut.user,
        "other_coach": people.timo.user,
        "editor": people.editor,
    }
    return Client() if viewer == "anonymous" else signed_in(users[viewer])


@pytest.mark.usefixtures("without_index_updates")
@pytest.mark.parametrize("viewer", VIEWERS)
@pytest.mark.parametrize("surface", ["home", "essay list", "book", "person", "team", "concept"])
def test_pages_show_protected_and_community_essays_only_to_their_readers(surface, viewer, people, essays):
    response = client_for_viewer(viewer, people).get(essays[surface])
    assert response.status_code == 200
    html = response.content.decode()
    assert (PROTECTED_TITLE in html) is (viewer in READS_PROTECTED)
    assert (COMMUNITY_TITLE in html) is (viewer in READS_COMMUNITY)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_finds_protected_and_community_essays_only_for_their_readers(viewer, people, essays):
    client = client_for_viewer(viewer, people)
    protected = client.get("/haku/", {"q": "Xylofonin"}).content.decode()
    community = client.get("/haku/", {"q": "Zeppeliinin"}).content.decode()
    # The search page marks the words found inside titles, so the essays are looked for by address.
    protected_link = f'href="{EssayPage.objects.get(title=PROTECTED_TITLE).url}"'
    community_link = f'href="{EssayPage.objects.get(title=COMMUNITY_TITLE).url}"'
    assert (protected_link in protected) is (viewer in READS_PROTECTED)
    assert (community_link in community) is (viewer in READS_COMMUNITY)


@pytest.mark.parametrize("viewer", VIEWERS)
def test_search_api_returns_protected_and_community_essays_only_to_their_readers(viewer, people, essays):
    client = client_for_viewer(viewer, people)
    protected = [hit["title"] for hit in client.get("/api/search/", {"q": "Xylofonin"}).json()["results"]]
    community = [hit["title"] for hit in client.get("/api/search/", {"q": "Zeppeliinin"}).json()["results"]]
    assert (PROTECTED_TITLE in protected) is (viewer in READS_PROTECTED)
    assert (COMMUNITY_TITLE in community) is (viewer in READS_COMMUNITY)


@pytest.mark.usefixtures("without_index_updates")
@pytest.mark.parametrize("viewer", VIEWERS)
def test_protected_essay_page_opens_only_for_its_readers(viewer, people, essays):
    essay = EssayPage.objects.get(title=PROTECTED_TITLE)
    response = client_for_viewer(viewer, people).get(essay.url)
    assert (response.status_code == 200) is (viewer in READS_PROTECTED)


@pytest.mark.usefixtures("without_index_updates")
def test_protected_essay_is_hidden_from_other_students_in_the_admin_explorer(people, essays):
    response = signed_in(people.iida.user).get(f"/admin/pages/{people.site.essay_index.pk}/")
    html = response.content.decode()
    assert COMMUNITY_TITLE in html
    assert PROTECTED_TITLE not in html


@pytest.mark.usefixtures("without_index_updates")
def test_protected_essay_is_hidden_from_other_students_in_the_page_chooser(people, essays):
    html = signed_in(people.iida.user).get(f"/admin/choose-page/{people.site.essay_index.pk}/").json()["html"]
    assert COMMUNITY_TITLE in html
    assert PROTECTED_TITLE not in html


@pytest.mark.usefixtures("without_index_updates")
def test_protected_essay_is_offered_to_its_author_in_the_page_chooser(people, essays):
    html = signed_in(people.aino.user).get(f"/admin/choose-page/{people.site.essay_index.pk}/").json()["html"]
    assert PROTECTED_TITLE in html


@pytest.mark.usefixtures("without_index_updates")
@pytest.mark.parametrize("query", ["", "?export=csv"])
def test_students_cannot_open_the_unmatched_citations_report(people, query):
    response = signed_in(people.iida.user).get(reverse("citations_unmatched") + query)
    assert response.status_code in (302, 403)


@pytest.mark.usefixtures("without_index_updates")
def test_people_list_shows_students_no_usernames(people):
    people.aino.user.username = "salainen_tunnus"
    people.aino.user.save()
    html = signed_in(people.iida.user).get("/admin/snippets/essays/person/").content.decode()
    assert "Aino Virtanen" in html
    assert "salainen_tunnus" not in html


def protected_essay():
    return EssayPage.objects.get(title=PROTECTED_TITLE)


@pytest.mark.usefixtures("without_index_updates")
@pytest.mark.parametrize(
    "path",
    [
        "/admin/pages/{id}/",
        "/admin/pages/{id}/usage/",
        "/admin/pages/{id}/history/",
        "/admin/pages/{id}/revisions/",
        "/admin/pages/{id}/edit/preview/",
        "/admin/bulk/wagtailcore/page/delete/?next=/admin/&id={id}",
    ],
)
def test_admin_views_of_a_protected_essay_are_not_found_by_other_students(people, essays, path):
    response = signed_in(people.iida.user).get(path.format(id=protected_essay().pk))
    assert response.status_code == 404
    assert PROTECTED_TITLE not in response.content.decode()


@pytest.mark.usefixtures("without_index_updates")
def test_admin_explorer_of_a_protected_essay_opens_for_its_author(people, essays):
    assert signed_in(people.aino.user).get(f"/admin/pages/{protected_essay().pk}/").status_code == 200


@pytest.mark.usefixtures("without_index_updates")
def test_admin_page_api_leaves_out_essays_the_student_may_not_read(people, essays):
    listing = signed_in(people.iida.user).get("/admin/api/main/pages/", {"child_of": people.site.essay_index.pk})
    titles = [item["title"] for item in listing.json()["items"]]
    assert COMMUNITY_TITLE in titles
    assert PROTECTED_TITLE not in titles
    detail = signed_in(people.iida.user).get(f"/admin/api/main/pages/{protected_essay().pk}/")
    assert detail.status_code == 404


@pytest.mark.parametrize(("viewer", "shown"), [("iida", False), ("aino", True)])
def test_admin_page_search_shows_a_protected_essay_only_to_those_who_may_read_it(people, essays, viewer, shown):
    response = signed_in(getattr(people, viewer).user).get("/admin/pages/search/", {"q": "Xylofonin"})
    assert response.status_code == 200
    assert (PROTECTED_TITLE in response.content.decode()) is shown
