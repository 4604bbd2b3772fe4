"""import_wordpress: a WordPress export, in both bank shapes, becomes essays, redirects and comments."""

import datetime
import io
import shutil
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.contrib.redirects.models import Redirect
from wagtail.images import get_image_model
from wagtail.models import Page

from community.models import Comment
from essaybank.importer import Importer
from essaybank.models import WordPressPost
from essaybank.wordpress import written_date
from essays.models import Book, Category, EssayPage, Person, Team

pytestmark = pytest.mark.usefixtures("site_tree", "without_index_updates")

FIXTURES = Path(__file__).parent / "fixtures"
CUSTOM_FIELDS = FIXTURES / "custom_fields.xml"
TEXT_METADATA = FIXTURES / "text_metadata.xml"
OLD_SITE = "http://vanha-pankki.example"


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def import_file(path=CUSTOM_FIELDS, *options):
    """Runs the command; returns (stdout, stderr, error or None)."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("import_wordpress", str(path), *options, stdout=out, stderr=err)
    except CommandError as error:
        return out.getvalue(), err.getvalue(), error
    return out.getvalue(), err.getvalue(), None


def import_custom_fields():
    return import_file(CUSTOM_FIELDS, "--uploads", str(FIXTURES / "uploads"), "--old-site", OLD_SITE)


def essay(post_id, site="esseet.example"):
    return WordPressPost.objects.get(site=site, post_id=post_id).page.specific


def texts(page):
    return [getattr(block.value, "source", block.value) for block in page.body]


# The custom-field shape


@pytest.mark.usefixtures("media")
def test_author_and_team_come_from_the_custom_fields_not_the_posting_account():
    import_custom_fields()
    page = essay(101)
    assert [person.name for person in page.authors()] == ["Aino Aaltonen", "Eetu Mäkinen"]
    assert [team.name for team in page.teams()] == ["Pinkut 1"]
    assert not Person.objects.filter(name__in=["arkisto", "Esseepankin arkisto"]).exists()


@pytest.mark.usefixtures("media")
def test_essay_type_and_points_come_from_the_custom_fields():
    import_custom_fields()
    page = essay(101)
    assert (page.essay_type.code, page.claimed_points) == ("individual", 2)


@pytest.mark.usefixtures("media")
def test_ei_tiimia_means_no_team():
    import_custom_fields()
    assert essay(102).essay_authors.get().team is None
    assert not Team.objects.filter(name__iexact="Ei tiimiä").exists()


@pytest.mark.usefixtures("media")
def test_plugin_leftovers_and_empty_paragraphs_leave_the_body():
    import_custom_fields()
    body = " ".join(str(text) for text in texts(essay(101)))
    for leftover in ("VN:F", "Rating:", "votes cast", "Keskustele artikkelista", "Kirjoita kommentti", "[ratings"):
        assert leftover not in body
    assert "olet ihminen" not in body
    assert "&nbsp;" not in body and "\xa0" not in body


@pytest.mark.usefixtures("media")
def test_body_html_becomes_heading_list_quote_and_paragraph_blocks():
    import_custom_fields()
    types = [block.block_type for block in essay(101).body]
    assert types == ["paragraph", "heading", "bullet_list", "quote", "paragraph"]


@pytest.mark.usefixtures("media")
def test_script_links_are_dropped_and_their_text_kept():
    import_custom_fields()
    last = texts(essay(101))[-1]
    assert "javascript" not in last
    assert "tämä" in last


@pytest.mark.usefixtures("media")
def test_pdf_hyphenation_is_repaired_and_real_compounds_kept():
    import_custom_fields()
    first = texts(essay(101))[0]
    assert "kehittämisen" in first
    assert "tietosuoja-asetus" in first


@pytest.mark.usefixtures("media")
def test_text_without_paragraph_tags_is_split_at_blank_lines():
    import_custom_fields()
    paragraphs = [block for block in essay(102).body if block.block_type == "paragraph"]
    assert "Kohtaaminen ratkaisee" in paragraphs[0].value.source
    assert "Toinen kappale" in paragraphs[1].value.source


@pytest.mark.usefixtures("media")
def test_numbered_categories_keep_their_parents_and_others_become_tags():
    import_custom_fields()
    category = essay(101).categories.get()
    assert (str(category), str(category.parent)) == ("2.2. Tiimityön taidot ja työkalut", "2. Tiimityö")
    assert [tag.name for tag in essay(102).tags.all()] == ["english essays"]
    assert not Category.objects.filter(name__iexact="Uncategorized").exists()


@pytest.mark.usefixtures("media")
def test_tags_are_imported():
    import_custom_fields()
    assert [tag.name for tag in essay(101).tags.all()] == ["palaute"]


# Statuses


@pytest.mark.usefixtures("media")
def test_drafts_and_pending_posts_become_drafts():
    import_custom_fields()
    assert (essay(103).live, essay(104).live) == (False, False)
    assert essay(101).live


@pytest.mark.usefixtures("media")
def test_private_post_becomes_a_community_essay():
    import_custom_fields()
    assert essay(105).visibility == EssayPage.Visibility.COMMUNITY


@pytest.mark.usefixtures("media")
def test_password_protected_post_becomes_protected():
    import_custom_fields()
    assert essay(106).visibility == EssayPage.Visibility.PROTECTED


@pytest.mark.usefixtures("media")
def test_pages_menu_items_revisions_and_attachments_are_skipped_and_counted():
    out, _err, _error = import_custom_fields()
    assert not WordPressPost.objects.filter(post_id__in=[2, 3, 111, 201, 202]).exists()
    assert "5 kohdetta ohitettu" in out
    for post_type in ("page", "nav_menu_item", "revision", "attachment"):
        assert post_type in out


# Books


@pytest.mark.usefixtures("media")
def test_book_with_subtitle_and_authors_in_other_order_is_the_same_book():
    import_custom_fields()
    assert essay(101).book_sources.get().book == essay(102).book_sources.get().book


@pytest.mark.usefixtures("media")
def test_book_named_by_its_authors_inflected_is_found():
    import_custom_fields()
    assert essay(110).book_sources.get().book.title == "Asiakaskokemus"


@pytest.mark.usefixtures("media")
def test_title_that_could_be_two_books_is_not_linked_and_is_listed():
    out, _err, _error = import_custom_fields()
    assert not essay(109).book_sources.exists()
    problem = WordPressPost.objects.get(post_id=109).problems[0]
    assert "Johtajuus. Tiimin näkökulma" in problem and "Johtajuus – Yrityksen näkökulma" in problem
    assert "109" in out and "Johtajuus. Tiimin näkökulma" in out


def test_jsonl_import_matches_books_the_same_way():
    Importer().run(['{"id": "k1", "kind": "book", "title": "Asiakaskokemus", "authors": ["Janne Löytänä"]}'])
    line = (
        '{"id": "e1", "title": "Essee", "written": "2020-01-01", "authors": ["Aino Aaltonen"],'
        ' "books": [{"title": "Asiakaskokemus. Palvelubisneksestä kokemusbisnekseen", "authors": ["Löytänä, J."]}]}'
    )
    Importer().run([line])
    assert Book.objects.count() == 1


# Titles and dates


@pytest.mark.usefixtures("media")
def test_duplicate_titles_become_two_essays_with_their_own_addresses():
    import_custom_fields()
    first, second = essay(107), essay(108)
    assert first.title == second.title
    assert first.url != second.url


@pytest.mark.usefixtures("media")
def test_lowercase_title_gets_a_capital_letter():
    import_custom_fields()
    assert essay(109).title == "Johtajuus kasvaa tiimissä"


def test_two_digit_years_are_this_or_the_last_century():
    assert written_date("26.05.18") == datetime.date(2018, 5, 26)
    assert written_date("3.9.99") == datetime.date(1999, 9, 3)


# The text-metadata shape


def test_metadata_lines_become_authors_team_type_and_date():
    import_file(TEXT_METADATA)
    page = essay(31, site="pankki.example/esseet")
    assert [person.name for person in page.authors()] == ["Sanni Salmela", "Niilo Nurmela"]
    assert [team.name for team in page.teams()] == ["Kipinä"]
    assert (page.essay_type.code, page.claimed_points, page.written) == ("individual", 2, datetime.date(2018, 5, 26))


def test_metadata_lines_and_books_table_leave_the_body():
    import_file(TEXT_METADATA)
    body = " ".join(str(text) for text in texts(essay(31, site="pankki.example/esseet")))
    assert "Kirjoittanut" not in body and "KIRJALÄHTEET" not in body and "Saarijärvi" not in body
    assert "organisaation kulttuuri" in body


def test_books_table_gives_books_with_several_authors():
    import_file(TEXT_METADATA)
    books = [source.book for source in essay(31, site="pankki.example/esseet").book_sources.all()]
    assert [(book.title, book.author_names()) for book in books] == [
        ("Strategiana asiakaskokemus – Miksi, mitä, miten?", ["Hannu Saarijärvi", "Pekka Puustinen"]),
        ("Palvelumuotoilu", ["Ilona Ilmonen", "Ukko Uusitalo"]),
    ]


def test_book_line_with_surname_and_initial_authors_is_the_same_book():
    import_file(TEXT_METADATA)
    page = essay(32, site="pankki.example/esseet")
    assert page.book_sources.get().book.title == "Strategiana asiakaskokemus – Miksi, mitä, miten?"
    assert page.written == datetime.date(1999, 9, 3)


def test_field_option_maps_other_custom_field_names(tmp_path):
    renamed = tmp_path / "renamed.xml"
    renamed.write_text(CUSTOM_FIELDS.read_text(encoding="utf-8").replace("esseen_kirjoittaja", "writer"), "utf-8")
    import_file(renamed, "--field", "author=writer")
    assert [person.name for person in essay(101).authors()] == ["Aino Aaltonen", "Eetu Mäkinen"]


# Comments


@pytest.mark.usefixtures("media")
def test_approved_comments_keep_name_time_and_text():
    import_custom_fields()
    comment = Comment.objects.get(legacy_key="esseet.example:501")
    assert (comment.page_id, comment.author_name, comment.text) == (
        essay(101).pk,
        "Ilona Ihanainen",
        "Hyvä huomio palautteen ajoituksesta.",
    )
    assert timezone.localtime(comment.created_at).isoformat() == "2019-03-13T09:15:00+02:00"


@pytest.mark.usefixtures("media")
def test_reply_is_attached_to_its_comment():
    import_custom_fields()
    reply = Comment.objects.get(legacy_key="esseet.example:502")
    assert reply.parent.legacy_key == "esseet.example:501"


@pytest.mark.usefixtures("media")
def test_spam_trash_and_unapproved_comments_are_not_imported():
    import_custom_fields()
    assert sorted(Comment.objects.values_list("legacy_key", flat=True)) == ["esseet.example:501", "esseet.example:502"]


# Images


def test_image_from_the_uploads_becomes_an_image_block(media):
    import_custom_fields()
    image_block = next(block for block in essay(102).body if block.block_type == "image")
    assert image_block.value["image"].title == "Tiimi palaverissa"
    assert get_image_model().objects.count() == 1


def test_missing_image_is_reported_and_its_text_kept(media):
    out, _err, _error = import_custom_fields()
    assert "kadonnut.jpg" in out
    assert any("Kadonnut kaavio" in str(text) for text in texts(essay(102)))


# Old addresses


@pytest.mark.usefixtures("media")
@pytest.mark.parametrize(
    "old_address",
    ["/2019/03/palaute-kasvattaa-tiimia/", "/?p=101"],
)
def test_old_addresses_redirect_permanently_to_the_essay(client, old_address):
    import_custom_fields()
    response = client.get(old_address)
    assert response.status_code == 301
    assert response["Location"].endswith(essay(101).url)


@pytest.mark.usefixtures("media")
def test_address_on_the_old_domain_redirects_too(client):
    import_custom_fields()
    response = client.get("/2016/03/tiimin-alku/")
    assert response.status_code == 301
    assert response["Location"].endswith(essay(110).url)


@pytest.mark.usefixtures("media")
def test_links_to_the_old_domain_become_local_addresses():
    import_custom_fields()
    assert 'href="/2016/03/tiimin-alku/"' in texts(essay(101))[-1]


def test_address_under_a_path_keeps_its_path(client):
    import_file(TEXT_METADATA)
    response = client.get("/esseet/?p=31")
    assert response.status_code == 301


# Problems


@pytest.mark.usefixtures("media")
def test_post_that_cannot_be_read_is_kept_raw_unpublished_and_flagged():
    out, _err, _error = import_custom_fields()
    record = WordPressPost.objects.get(title="Rikkinäinen")
    page = record.page.specific
    assert not page.live
    assert "Teksti, jonka tunniste puuttuu." in texts(page)[0]
    assert record.problems


def test_file_that_breaks_off_keeps_the_posts_before_and_fails():
    out, err, error = import_file(FIXTURES / "broken_xml.xml")
    assert error is not None
    assert EssayPage.objects.get().title == "Ehjä essee"
    assert "XML" in err


def test_entity_expansion_is_refused(tmp_path):
    bomb = tmp_path / "bomb.xml"
    bomb.write_text(
        '<?xml version="1.0"?><!DOCTYPE rss [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
        "<rss><channel><item><title>&b;</title></item></channel></rss>",
        encoding="utf-8",
    )
    _out, _err, error = import_file(bomb)
    assert error is not None
    assert not EssayPage.objects.exists()


def test_missing_uploads_directory_is_a_clear_error(tmp_path):
    _out, _err, error = import_file(CUSTOM_FIELDS, "--uploads", str(tmp_path / "ei-ole"))
    assert "ei ole hakemisto" in str(error)


# Running again


def snapshot():
    essays = [
        (
            page.title,
            page.slug,
            page.live,
            page.visibility,
            page.written,
            [block.block_type for block in page.body],
            [person.name for person in page.authors()],
            [source.book_id for source in page.book_sources.all()],
        )
        for page in EssayPage.objects.order_by("pk")
    ]
    counts = [model.objects.count() for model in (Book, Person, Team, Comment, Redirect, get_image_model())]
    return essays, counts, sorted(Redirect.objects.values_list("old_path", "redirect_page_id"))


@pytest.mark.usefixtures("media")
def test_importing_twice_gives_identical_results():
    import_custom_fields()
    first = snapshot()
    out, _err, _error = import_custom_fields()
    assert snapshot() == first
    assert "0 esseetä luotu" in out


@pytest.mark.usefixtures("media")
def test_dry_run_writes_nothing():
    out, _err, _error = import_file(CUSTOM_FIELDS, "--dry-run", "--uploads", str(FIXTURES / "uploads"))
    assert not EssayPage.objects.exists() and not Redirect.objects.exists() and not Comment.objects.exists()
    assert "esseetä luotu" in out


def test_summary_is_in_finnish_and_a_failed_post_exits_non_zero(tmp_path):
    too_long = tmp_path / "too_long.xml"
    too_long.write_text(CUSTOM_FIELDS.read_text(encoding="utf-8").replace("Veera Nieminen", "Veera " * 40), "utf-8")
    out, err, error = import_file(too_long)
    assert error is not None and "epäonnistui" in str(error)
    assert "Artikkeli 102" in err
    assert WordPressPost.objects.filter(post_id=101).exists()


def test_post_whose_address_cannot_be_redirected_is_reported_and_leaves_no_essay(tmp_path):
    too_long = tmp_path / "long_address.xml"
    address = "https://esseet.example/2019/04/asiakaskokemus-syntyy/"
    too_long.write_text(
        CUSTOM_FIELDS.read_text(encoding="utf-8").replace(address, address + "pitka-" * 60 + "/"), "utf-8"
    )
    _out, err, error = import_file(too_long)
    assert error is not None and "Artikkeli 102" in err
    assert not WordPressPost.objects.filter(post_id=102).exists()
    assert not EssayPage.objects.filter(import_record__external_id="wordpress:esseet.example:102").exists()
    assert WordPressPost.objects.filter(post_id=101).exists()
    assert Page.find_problems() == ([], [], [], [], [])


def test_a_post_failing_among_others_of_its_chunk_leaves_theirs_linked(tmp_path):
    too_long = tmp_path / "long_address.xml"
    address = "https://esseet.example/2019/04/asiakaskokemus-syntyy/"
    too_long.write_text(
        CUSTOM_FIELDS.read_text(encoding="utf-8").replace(address, address + "pitka-" * 60 + "/"), "utf-8"
    )
    import_file(too_long)
    # Post 103 has no comments: it is linked with the chunk's other new posts, not on its own.
    draft = essay(103)
    assert WordPressPost.objects.get(post_id=103).status == "draft"
    assert set(Redirect.objects.filter(redirect_page=draft).values_list("old_path", flat=True)) == {"/?p=103"}


def test_images_are_copied_from_uploads_once(media, tmp_path):
    uploads = tmp_path / "uploads"
    shutil.copytree(FIXTURES / "uploads", uploads)
    import_file(CUSTOM_FIELDS, "--uploads", str(uploads))
    import_file(CUSTOM_FIELDS, "--uploads", str(uploads))
    assert get_image_model().objects.count() == 1
