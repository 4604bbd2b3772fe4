"""What Wagtail's checks panel reads in an essay's preview: the body's words alone, no empty table
header for it to flag, and no CSS selectors shown to the writer."""

import pytest
from bs4 import BeautifulSoup
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from wagtail.contrib.table_block.blocks import TableBlock

from tests.factories import BookFactory, CategoryFactory, EssayPageFactory, PersonFactory

pytestmark = pytest.mark.usefixtures("without_index_updates")

BODY = "Asiakaskokemus syntyy jokaisessa kohtaamisessa, ja tiimi oppii siitä joka viikko."
# The selector Wagtail's content extractor takes the metrics from (its preview panel's targetElement).
CONTENT_SELECTOR = 'main, [role="main"]'


def checked_content(html):
    return BeautifulSoup(html, "html.parser").select_one(CONTENT_SELECTOR)


@pytest.fixture
def essay(site_tree):
    return EssayPageFactory(
        title="Kohtaamiset",
        authors=[PersonFactory(name="Aino Virtanen")],
        books=[BookFactory(title="Asiakaskokemus", author_names=["Janne Löytänä", "Katleena Kortesuo"])],
        categories=[CategoryFactory(number="2.2", name="Tiimityön taidot ja työkalut")],
        tags=["asiakaskokemus"],
        body=[("paragraph", f"<p>{BODY}</p>")],
    )


def test_the_preview_offers_the_body_alone_to_the_word_count(essay):
    html = essay.make_preview_request().content.decode()
    content = checked_content(html)
    assert content.get_text(" ", strip=True) == BODY


def test_the_published_page_keeps_its_main_landmark(essay, client):
    html = client.get(essay.url).content.decode()
    content = checked_content(html)
    assert content.name == "main"
    assert "Aino Virtanen" in content.get_text()


def test_an_empty_table_header_cell_is_no_header(db):
    value = TableBlock().to_python(
        {"data": [["Kirja", "Tekijä", ""], ["Asiakaskokemus", "Löytänä", "2011"]], "first_row_is_table_header": True}
    )
    html = render_to_string(
        "blocks/table_block.html",
        {"table_header": value["data"][0], "data": value["data"][1:], "first_col_is_header": False},
    )
    headers = [th.get_text(strip=True) for th in BeautifulSoup(html, "html.parser").select("th")]
    assert headers == ["Kirja", "Tekijä"]


def test_the_editor_loads_the_stylesheet_that_hides_issue_selectors(essay, superuser_client):
    html = superuser_client.get(f"/admin/pages/{essay.pk}/edit/").content.decode()
    assert "data-content-checker-selector-text" in html
    assert "essays/css/checks.css" in html


def test_the_checks_stylesheet_hides_the_selector_text():
    with open(finders.find("essays/css/checks.css"), encoding="utf-8") as stylesheet:
        rules = stylesheet.read()
    assert ".w-content-checker__selector-text {\n    display: none;" in rules
