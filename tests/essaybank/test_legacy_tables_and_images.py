"""import_wordpress keeps a post's own tables as table blocks and an image inside a paragraph in its
place in the text."""

import io
from pathlib import Path

import pytest
from django.core.management import call_command

from essaybank.models import WordPressPost

pytestmark = pytest.mark.usefixtures("site_tree", "without_index_updates")

FIXTURES = Path(__file__).parent / "fixtures"


@pytest.fixture
def imported(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    call_command(
        "import_wordpress",
        str(FIXTURES / "tables_and_images.xml"),
        "--uploads",
        str(FIXTURES / "uploads"),
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )


def essay(post_id):
    return WordPressPost.objects.get(site="taulukot.example", post_id=post_id).page.specific


def test_a_table_of_the_essay_becomes_a_table_block(imported):
    tables = [block.value for block in essay(501).body if block.block_type == "table"]
    assert len(tables) == 1
    assert tables[0]["table_caption"] == "Asiakkaan polku"
    assert tables[0]["first_row_is_table_header"]
    assert tables[0]["data"] == [
        ["Vaihe", "Kosketuspiste", "Tunne"],
        ["Ennen", "Verkkosivu\nSomepostaus", "Utelias"],
        ["Aikana", "Kassa & palvelu", ""],
    ]


def test_the_books_table_still_gives_the_books_and_no_table_block(imported):
    page = essay(501)
    assert [source.book.title for source in page.book_sources.all()] == ["Palvelumuotoilu"]
    assert not any(
        "Tuulaniemi" in str(cell) for block in page.body if block.block_type == "table" for cell in block.value["data"]
    )


def test_the_table_is_shown_with_its_header_and_escaped_cells(imported, client):
    html = client.get(essay(501).url).content.decode()
    assert '<th scope="col">Kosketuspiste</th>' in html
    assert "<td>Verkkosivu<br>Somepostaus</td>" in html
    assert "<caption>Asiakkaan polku</caption>" in html
    assert "Kassa &amp; palvelu" in html and "alert(1)" not in html


def test_an_image_inside_a_paragraph_keeps_its_place_in_the_text(imported):
    kinds = [(block.block_type, getattr(block.value, "source", "")) for block in essay(502).body]
    assert kinds == [
        ("paragraph", "<p>Aamun palaveri alkoi <b>kysymyksellä </b></p>"),
        ("image", ""),
        ("paragraph", "<p><b> ja</b> jatkui vastauksilla.</p>"),
        ("paragraph", "<p>Lopuksi sovimme seuraavasta askeleesta.</p>"),
    ]
    assert essay(502).body[1].value["image"].title == "Tiimi palaverissa"
