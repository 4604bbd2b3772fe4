"""Script payloads written into every field students, coaches and editors write, and into every
import format, never run on any page that shows them: in headless Chromium, with the
Content-Security-Policy on and with it bypassed, so that escaping itself is what is tested."""

import datetime
import json

import pytest
from django.utils.html import escape
from wagtail.rich_text import RichText

from citations.interchange import import_sources
from citations.models import Source
from concepts.models import ConceptPage
from essaybank.importer import Importer
from essays.models import Book, BookSummaryPage, EssayPage, EssayType, Person, Team
from grading.models import Award, RuleSet, Term
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)
WAIT_SECONDS = 10
PASSWORD = "Salasana-2026-xss"
FIELDS = []


def payload(field):
    """A script tag, an image's onerror, an attribute breakout with both quotes and an SVG onload,
    each setting window.__xss to the field's number when run."""
    FIELDS.append(field)
    number = len(FIELDS)
    return f"\"'><script>__xss={number}</script><img src=x onerror=__xss={number}><svg onload=__xss={number}>"


def short_payload(field):
    """For fields of 30 characters."""
    FIELDS.append(field)
    return f"'\"><svg onload=__xss={len(FIELDS)}>"


JAVASCRIPT_URL = "javascript:__xss=999"


def jsonl_records():
    team = payload("team name (JSONL)")
    return [
        {"id": "xss-team", "kind": "team", "name": team, "coach": payload("coach name (JSONL)"), "start_year": 2022},
        {
            "id": "xss-book",
            "kind": "book",
            "title": payload("book title (JSONL)"),
            "authors": [payload("book author (JSONL)")],
            "year": 2020,
            "publisher": payload("book publisher (JSONL)"),
            "category": payload("book category (JSONL)"),
            "points": 2,
        },
        {
            "id": "xss-essay",
            "kind": "essay",
            "title": "Skriptiessee " + payload("essay title (JSONL)"),
            "written": "2024-03-01",
            "language": "fi",
            "authors": [{"name": payload("author name (JSONL)"), "team": team}],
            "essay_type": "individual",
            "points": 2,
            "books": [{"title": payload("essay book title (JSONL)"), "authors": [payload("essay book author")]}],
            "other_sources": [payload("other source (JSONL)")],
            "categories": ["9. " + payload("category (JSONL)")],
            "tags": [short_payload("tag (JSONL)")],
            "body": "\n\n".join(
                [
                    "## " + payload("heading (JSONL)"),
                    "Skripti kappaleessa " + payload("paragraph (JSONL)") + " (Skriptinen 2020, 11).",
                    "> " + payload("quotation (JSONL)"),
                    "- " + payload("list item (JSONL)"),
                ]
            ),
        },
        {
            "id": "xss-summary",
            "kind": "book_summary",
            "title": "Skriptitiivistelmä " + payload("summary title (JSONL)"),
            "book": payload("summary book (JSONL)"),
            "author": payload("summary author (JSONL)"),
            "written": "2024-03-02",
            "body": payload("summary body (JSONL)"),
            "key_insights": [payload("key insight (JSONL)")],
        },
        {
            "id": "xss-concept",
            "kind": "concept",
            "term": "skriptikäsite " + payload("concept term (JSONL)"),
            "english_term": payload("english term (JSONL)"),
            "synonyms": [payload("synonym (JSONL)")],
            "definition": payload("definition (JSONL)"),
            "source": {"book": payload("definition book (JSONL)"), "page": "11"},
            "body": payload("concept body (JSONL)"),
        },
    ]


def bibtex():
    return (
        "@book{skripti,\n"
        f"  title = {{Skriptikirja {payload('title (BibTeX)')}}},\n"
        f"  author = {{Skriptinen, {payload('author (BibTeX)')}}},\n"
        f"  publisher = {{{payload('publisher (BibTeX)')}}},\n"
        f"  address = {{{payload('place (BibTeX)')}}},\n"
        "  year = {2020},\n"
        f"  url = {{{JAVASCRIPT_URL}}}\n"
        "}\n"
    )


def ris():
    return (
        "TY  - JOUR\n"
        f"TI  - Skriptiartikkeli {payload('title (RIS)')}\n"
        f"AU  - Riskinen, {payload('author (RIS)')}\n"
        f"JO  - {payload('journal (RIS)')}\n"
        "PY  - 2021\n"
        f"UR  - {JAVASCRIPT_URL}\n"
        "ER  - \n"
    )


def csl_json():
    return json.dumps(
        [
            {
                "id": "skripti-csl",
                "type": "webpage",
                "title": "Skriptisivu " + payload("title (CSL-JSON)"),
                "author": [{"family": "Cslinen", "given": payload("author (CSL-JSON)")}],
                "container-title": payload("container (CSL-JSON)"),
                "publisher": payload("publisher (CSL-JSON)"),
                "issued": {"date-parts": [[2022]]},
                "URL": JAVASCRIPT_URL,
            }
        ]
    )


def written_in_the_admin(superuser):
    """What the admin's forms store as it is: plain text fields of sources, people, books, rule
    sets and terms, a rich-text paragraph as Draftail stores typed text, and a coach's feedback."""
    Source.objects.create(
        kind=Source.Kind.REPORT,
        title="Skriptiraportti " + payload("source title (admin)"),
        authors="Adminen, " + payload("source author (admin)"),
        editors=payload("source editor (admin)"),
        publisher=payload("source publisher (admin)"),
        publisher_place=payload("source place (admin)"),
        container_title=payload("source container (admin)"),
        genre=payload("source genre (admin)"),
        volume=short_payload("source volume (admin)"),
        edition=short_payload("source edition (admin)"),
        year=2023,
    )
    team = Team.objects.create(name=payload("team name (admin)"), start_year=2023)
    person = Person.objects.create(name=payload("person name (admin)"), team=team)
    Book.objects.create(title=payload("book title (admin)"), publisher=payload("book publisher (admin)"))
    EssayType.objects.create(code="skripti", name=payload("essay type (admin)"), default_points=1)
    rule_set = RuleSet.objects.create(
        name=payload("rule set (admin)"), notes=payload("rule notes (admin)"), effective_from=datetime.date(2020, 1, 1)
    )
    Term.objects.create(
        name=payload("term (admin)"), starts_on=datetime.date(2024, 1, 1), ends_on=datetime.date(2024, 12, 31)
    )
    essay = EssayPage.objects.get(title__startswith="Skriptiessee")
    essay.body.insert(0, ("paragraph", RichText(f"<p>{escape(payload('paragraph typed in the editor'))}</p>")))
    essay.save_revision().publish()
    Award.objects.create(
        essay=essay,
        student=person,
        team=team,
        points=2,
        rule=payload("award rule (admin)"),
        rule_set=rule_set,
        coach=superuser,
        feedback=payload("coach feedback"),
        submitted_on=datetime.date(2024, 3, 1),
    )
    return essay


@pytest.fixture
def payload_site(site_tree):
    FIELDS.clear()
    report = Importer().run([json.dumps(record, ensure_ascii=False) for record in jsonl_records()])
    assert not report.errors, report.errors
    for text, file_format in ((bibtex(), "bibtex"), (ris(), "ris"), (csl_json(), "csl-json")):
        result = import_sources(text, file_format)
        assert not result.errors, result.errors
    superuser = UserFactory(username="paakayttaja", is_superuser=True, is_staff=True)
    superuser.set_password(PASSWORD)
    superuser.save()
    return written_in_the_admin(superuser)


def public_paths(essay):
    summary = BookSummaryPage.objects.get()
    person = essay.essay_authors.first().person
    return [
        "/",
        "/esseet/",
        essay.url,
        summary.url,
        "/tiivistelmat/",
        "/kasitteet/",
        "/kirjat/",
        "/tiimit/",
        f"/ihmiset/{person.slug}/",
        f"/tiimit/{person.team.slug}/",
        "/lahteet/",
        "/haku/?q=skripti",
        "/haku/?q=svg",
        "/haku/?q=script",
        *(f"/kirjat/{book.slug}/" for book in Book.objects.all()),
        *(f"/lahteet/{source.pk}/" for source in Source.objects.all()),
        *(page.url for page in ConceptPage.objects.all()),
    ]


def admin_paths(essay):
    return [
        f"/admin/pages/{essay.get_parent().pk}/",
        f"/admin/pages/{essay.pk}/edit/",
        f"/admin/pages/{essay.pk}/history/",
        "/admin/pages/search/?q=skripti",
        "/admin/snippets/essays/person/",
        "/admin/snippets/essays/book/",
        "/admin/snippets/essays/team/",
        "/admin/snippets/citations/source/",
        "/admin/snippets/grading/ruleset/",
        "/admin/snippets/grading/term/",
        "/admin/points/awards/",
        "/admin/points/leaderboard/",
        "/admin/reports/site-history/",
    ]


def ran_scripts(browser):
    return browser.execute_script(
        "return [window.__xss || null,"
        ' document.querySelectorAll(\'a[href^="javascript:" i], [src^="javascript:" i]\').length]'
    )


def shows_payloads_as_text(browser):
    return "onerror=__xss=" in browser.execute_script("return document.body.innerText")


def visit_all(browser, base_url, paths):
    """{path: (the field whose payload ran, javascript: links)} for each page where one did, and
    the pages that showed no payload as text (a page that failed, or a path that shows nothing)."""
    fired, silent = {}, []
    for path in paths:
        browser.get(f"{base_url}{path}")
        number, javascript_links = ran_scripts(browser)
        if number or javascript_links:
            fired[path] = (FIELDS[number - 1] if number and number <= len(FIELDS) else number, javascript_links)
        if not shows_payloads_as_text(browser):
            silent.append(path)
    return fired, silent


def sign_in(browser, base_url):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{base_url}/admin/login/")
    browser.find_element(By.NAME, "username").send_keys("paakayttaja")
    browser.find_element(By.NAME, "password").send_keys(PASSWORD)
    browser.find_element(By.CSS_SELECTOR, "form button[type=submit]").click()
    WebDriverWait(browser, WAIT_SECONDS).until(lambda driver: driver.current_url.endswith("/admin/"))


@pytest.fixture(params=["policy on", "policy bypassed"])
def policy(request, browser):
    browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": request.param == "policy bypassed"})
    browser.delete_all_cookies()
    yield request.param
    browser.execute_cdp_cmd("Page.setBypassCSP", {"enabled": False})


def test_the_detector_sees_a_payload_that_runs(browser):
    browser.get("data:text/html,<p>x</p><img src=x onerror=window.__xss=1>")
    assert ran_scripts(browser)[0] == 1


def test_no_payload_runs_on_public_pages(browser, live_server, payload_site, policy):
    fired, silent = visit_all(browser, live_server.url, public_paths(payload_site))
    assert fired == {}
    assert silent == []


def test_no_payload_runs_in_the_search_box_suggestions(browser, live_server, payload_site, policy):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.support.ui import WebDriverWait

    browser.get(f"{live_server.url}/haku/")
    box = browser.find_element(By.ID, "search-page-q")
    box.send_keys("skripti")
    listbox = browser.find_element(By.ID, box.get_attribute("aria-controls"))
    WebDriverWait(browser, WAIT_SECONDS).until(lambda _driver: listbox.is_displayed())
    assert ran_scripts(browser) == [None, 0]


def test_no_payload_runs_in_the_admin(browser, live_server, payload_site, policy):
    sign_in(browser, live_server.url)
    fired, silent = visit_all(browser, live_server.url, admin_paths(payload_site))
    assert fired == {}
    assert silent == []
