"""The editors' list of imported WordPress posts to check: flagged posts, ambiguous books and
missing images, filtered by kind and marked handled; nobody else may open it."""

import io
import re
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.urls import reverse

from essaybank.models import WordPressPost
from grading.roles import COACHES, EDITORS, STUDENTS
from tests.factories import EssayPageFactory, UserFactory
from tests.grading.helpers import user_in

pytestmark = pytest.mark.usefixtures("site_tree", "without_index_updates")

FIXTURES = Path(__file__).parent / "fixtures"
LIST_URL = "/admin/wordpress-posts/"


@pytest.fixture
def imported(settings, tmp_path):
    """The custom-field export imported: post 109 names an ambiguous book, post 102 a missing image,
    one post is unreadable."""
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command(
        "import_wordpress",
        str(FIXTURES / "custom_fields.xml"),
        "--uploads",
        str(FIXTURES / "uploads"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


@pytest.fixture
def posts():
    """Imported posts as the importer records them: one of each kind of problem, one with another
    problem, one without."""

    def post(post_id, title, problems=(), **kinds):
        page = EssayPageFactory(title=title)
        return WordPressPost.objects.create(
            site="esseet.example", post_id=post_id, title=title, page=page, problems=list(problems), **kinds
        )

    return SimpleNamespace(
        unreadable=post(
            201, "Rikkinäinen", ["tekstiä ei voitu lukea (rikki): se säilytettiin sellaisenaan"], unreadable=True
        ),
        ambiguous=post(
            202,
            "Johtajuudesta",
            [
                "kirja 'Johtajuus' voi olla mikä tahansa näistä: 'Johtajuus. Tiimin näkökulma', 'Johtajuus – "
                "Yrityksen näkökulma'; sitä ei liitetty, toimittaja päättää"
            ],
            book_ambiguous=True,
        ),
        image=post(
            203,
            "Kuvallinen",
            ["kuvaa kadonnut.jpg ei löydy ladatuista tiedostoista: sen teksti säilytettiin"],
            image_missing=True,
        ),
        undated=post(204, "Päiväämätön", ["esseellä ei ole päivämäärää: käytetään tuontipäivää"]),
        fine=post(205, "Kunnossa"),
    )


@pytest.fixture
def editor_client(client):
    client.force_login(user_in(EDITORS, "toimittaja"))
    return client


def listed_titles(response):
    html = response.content.decode()
    rows = html[html.index('<table class="listing"') :]
    return {title.strip() for title in re.findall(r'<div class="title-wrapper">\s*<a href="[^"]*">([^<]*)<', rows)}


def post_row(response, post):
    html = response.content.decode()
    rows = html[html.index('<table class="listing"') :].split("<tr")
    return next(row for row in rows if re.search(rf"<td >\s*{post.post_id}\s*</td>", row))


def test_the_importer_records_the_kind_of_each_problem(imported):
    assert WordPressPost.objects.get(post_id=109).book_ambiguous
    assert WordPressPost.objects.get(post_id=102).image_missing
    assert WordPressPost.objects.get(title="Rikkinäinen").unreadable


def test_the_list_shows_only_posts_with_problems(posts, editor_client):
    response = editor_client.get(LIST_URL)
    assert response.status_code == 200
    assert listed_titles(response) == {"Rikkinäinen", "Johtajuudesta", "Kuvallinen", "Päiväämätön"}


def test_a_row_shows_the_post_id_the_finnish_reason_and_the_edit_link(posts, editor_client):
    post = posts.ambiguous
    row = post_row(editor_client.get(LIST_URL), post)
    assert "Johtajuus. Tiimin näkökulma" in row
    assert "sitä ei liitetty" in row
    assert reverse("wagtailadmin_pages:edit", args=[post.page_id]) in row
    assert "Muokkaa esseetä" in row


@pytest.mark.parametrize(
    ("kind", "title"),
    [
        ("book_ambiguous", "Johtajuudesta"),
        ("image_missing", "Kuvallinen"),
        ("unreadable", "Rikkinäinen"),
        ("other", "Päiväämätön"),
    ],
)
def test_the_list_filters_by_kind_of_problem(posts, editor_client, kind, title):
    assert listed_titles(editor_client.get(LIST_URL, {"kind": kind})) == {title}


def test_an_editor_marks_a_post_handled(posts, editor_client):
    post = posts.ambiguous
    response = editor_client.post(f"{LIST_URL}edit/{post.pk}/", {"handled": "on"})
    assert response.status_code == 302
    post.refresh_from_db()
    assert post.handled
    assert post.title not in listed_titles(editor_client.get(LIST_URL, {"handled": "no"}))


def test_the_screen_speaks_finnish(posts, editor_client):
    html = editor_client.get(LIST_URL, {"handled": "no"}).content.decode()
    assert re.search(r"Käsitelty:\s*</span>\s*<b[^>]*>Ei</b>", html)
    for finnish in ("Tarkistettavat tuodut artikkelit", "Uusi sivu", "Syy", "Käsitelty", "Ongelma"):
        assert finnish in html
    assert "Imported posts" not in html and "Reason" not in html


def test_an_editor_cannot_add_or_delete_posts(posts, editor_client):
    post = posts.ambiguous
    assert editor_client.get(f"{LIST_URL}new/").status_code == 404
    assert editor_client.post(f"{LIST_URL}delete/{post.pk}/").status_code == 404
    assert WordPressPost.objects.filter(pk=post.pk).exists()


@pytest.mark.parametrize("group", [STUDENTS, COACHES])
def test_students_and_coaches_are_refused(posts, client, group):
    client.force_login(user_in(group, f"kayttaja-{group.lower()}"))
    post = posts.ambiguous
    assert client.get(LIST_URL).status_code == 403
    assert client.post(f"{LIST_URL}edit/{post.pk}/", {"handled": "on"}).status_code == 403
    post.refresh_from_db()
    assert not post.handled


def test_a_superuser_sees_the_list(posts, client):
    client.force_login(UserFactory(username="paakayttaja", is_superuser=True, is_staff=True))
    assert client.get(LIST_URL).status_code == 200


def test_titles_and_reasons_from_the_import_are_escaped(posts, editor_client):
    WordPressPost.objects.create(
        site="esseet.example",
        post_id=206,
        title="<script>alert(1)</script>",
        problems=['kirja "<img src=x onerror=alert(2)>" voi olla useampi'],
        book_ambiguous=True,
    )
    html = editor_client.get(LIST_URL).content.decode()
    assert "<script>alert(1)" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
