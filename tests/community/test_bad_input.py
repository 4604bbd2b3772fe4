"""Bad comments get a Finnish message, keep what was typed, and store nothing."""

import pytest

from community.models import Comment
from tests.community.conftest import comment_data

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]

BAD_TEXTS = {
    "empty": ("", "Kirjoita kommentti ennen lähettämistä."),
    "only_spaces": ("   \n\n  ", "Kirjoita kommentti ennen lähettämistä."),
    "too_long": ("a" * 5001, "Kommentti saa olla enintään 5\N{NO-BREAK SPACE}000 merkkiä pitkä; tässä on 5001."),
    "control_characters": ("Hei\x07 kaikki\x1b[31m", "Tekstissä on ohjausmerkkejä, joita ei voi tallentaa."),
    "script": ("Katso <script>alert('x')</script>", "Kirjoita tavallista tekstiä: HTML-koodi ja skriptit"),
    "event_handler": ('<img src=x onerror="alert(1)">', "Kirjoita tavallista tekstiä: HTML-koodi ja skriptit"),
    "javascript_link": ("Klikkaa javascript:alert(1)", "Kirjoita tavallista tekstiä: HTML-koodi ja skriptit"),
}


@pytest.mark.parametrize("case", BAD_TEXTS)
def test_bad_comment_is_refused_with_a_finnish_message(essay, people, client_for, case):
    text, message = BAD_TEXTS[case]
    response = client_for(people.member).post(f"/kommentit/{essay.pk}/", comment_data(essay, text=text))
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not Comment.objects.exists()


def test_refused_comment_keeps_what_was_typed(essay, people, client_for):
    text = "Pitkä ja huolellinen kommentti <script>"
    response = client_for(people.member).post(f"/kommentit/{essay.pk}/", comment_data(essay, text=text))
    assert "Pitkä ja huolellinen kommentti &lt;script&gt;</textarea>" in response.content.decode()


def test_exactly_5000_characters_is_accepted(essay, people, client_for):
    response = client_for(people.member).post(f"/kommentit/{essay.pk}/", comment_data(essay, text="a" * 5000))
    assert response.status_code == 302
    assert len(Comment.objects.get().text) == 5000


def test_replayed_form_stores_the_comment_once(essay, people, client_for):
    client = client_for(people.member)
    data = comment_data(essay)
    client.post(f"/kommentit/{essay.pk}/", data)
    response = client.post(f"/kommentit/{essay.pk}/", {**data, "text": "Toinen teksti samalla lomakkeella"})
    assert response.status_code == 400
    assert "Tämä lomake on jo lähetetty." in response.content.decode()
    assert Comment.objects.count() == 1


def test_missing_token_is_refused(essay, people, client_for):
    data = comment_data(essay)
    del data["tarkiste"]
    response = client_for(people.member).post(f"/kommentit/{essay.pk}/", data)
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_comment_on_a_missing_page_is_404(people, client_for):
    assert client_for(people.member).post("/kommentit/999999/", {"text": "x"}).status_code == 404


def test_get_on_the_comment_address_is_refused(essay, people, client_for):
    assert client_for(people.member).get(f"/kommentit/{essay.pk}/").status_code == 405


def test_anonymous_name_with_markup_is_refused(essay, community_settings, client):
    community_settings.anonymous_comments = True
    community_settings.save()
    response = client.post(f"/kommentit/{essay.pk}/", comment_data(essay, name="<b>Vieras</b>"))
    assert response.status_code == 400
    assert not Comment.objects.exists()


def test_ordinary_symbols_are_not_taken_for_markup(essay, people, client_for):
    text = "Onnistuminen = hyvä suunnitelma, ja 3 < 5 > 1. Sähköposti <aino at example.org> ei ole HTML:ää."
    response = client_for(people.member).post(f"/kommentit/{essay.pk}/", comment_data(essay, text=text))
    assert response.status_code == 302
    assert Comment.objects.get().text == text
