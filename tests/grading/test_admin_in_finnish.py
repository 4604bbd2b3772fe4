"""The admin pages each role works in show no English: neither the strings seen in English before, nor
any message of Wagtail's that has no Finnish translation (the project's locale-wagtail supplies them)."""

import datetime
import functools
import json
import re
from pathlib import Path

import polib
import pytest
import wagtail
from bs4 import BeautifulSoup
from django.utils import timezone, translation
from wagtail.models import TaskState

from essays.models import EssayIndexPage
from grading.models import Award
from grading.roles import DEFAULT_WORKFLOW
from tests.factories import BookFactory, EssayPageFactory
from tests.grading.helpers import essay_form_data, in_progress_state, signed_in, workflow_action_url

pytestmark = pytest.mark.usefixtures("without_index_updates")

# Seen in English, or broken, in the admin of the week's flows (regular expressions).
SEEN_BROKEN = [
    "Search all pages",
    r"\bSaved\b",
    r"\d+-\d+ of \d+",
    "Changes requested at",
    "Sent to ",
    "Only reviewers can edit",
    "Once live anyone can view",
    re.escape(DEFAULT_WORKFLOW[0]),
    r"\bChecks\b",
    "Content metrics",
    "Readability",
    r"muokata tätä sivu\b",
    r"\d+ henkilöt",
    "Mallin ",
    "Tarkastatettavana",
    "Isäntä",
    "Wagtaililin",
    "Hae (XLSX|CSV)",
    "tageista",
    "kaikkien muokattavissa",
    # Hard-coded in Wagtail's header template: the landmark a screen reader announces.
    r"\AActions\Z",
    # Wagtail's English user guide and release notes in the help menu.
    "Mitä uutta Wagtail",
    "Muokkausopas",
    "wagtail.org",
    # An app's code name in the reports.
    r"\A[a-z_]+\.[a-z_]+\Z",
    # Broken agreement: a task's name in Wagtail's sentence, capitalised or plural labels, Wagtail's non-word.
    "Odottaa Arviointi",
    "Lisää Kirjoittaja",
    "Lisää Kirja",
    r"Kirjoittajat \d",
    "Lisää kirjoittajat",
    "Maa-asetusto",
    "sivustolla localhost",
    "lähetetty tarkastettavaksi",
    # Found walking the demo: Django's humanize untranslated, Wagtail's Finnish with "items" left in,
    # a page search counting "None", the page tree's root by its English title.
    r"\b(ago|now)\b",
    "items tietuetta",
    r"\ANone:",
    r"\ARoot\Z|: Root\b",
    "Muokataan Essee",
    # The sidebar's "Pages" in the partitive, as a book's page count would read.
    r"\ASivuja\Z",
    # An imperative where a corrected award names the points it replaced.
    r"\bkorjaa:",
    # A model's name left in brackets where Wagtail's sentence needs it: "voivat muokata (sivu)".
    r"\((?:sivu|sivut|essee|esseet)\)",
    # Wagtail's word for a snippet, admin jargon on a student's dashboard.
    r"pätkäsi",
    # A link to material in English.
    "englanniksi",
    # The user groups under their English names.
    r"\b(Students|Coaches|Editors|Moderators)\b",
]
# Attributes that hold code, not words a person reads.
CODE_ATTRIBUTES = {"class", "id", "href", "src", "style", "name", "for", "type", "action", "method", "rel", "value"}
# Keys of the admin's script data that hold code (the sidebar's menu item names, icons, addresses).
CODE_KEYS = CODE_ATTRIBUTES | {"_type", "icon_name", "classname", "url"}
WAGTAIL_APPS = ["admin", "", "users", "snippets", "documents", "images", "sites", "contrib/redirects"]


@functools.cache
def untranslated_wagtail_messages():
    """[(message, pattern)] for each of Wagtail's admin messages that still reads in English in Finnish."""
    root = Path(wagtail.__file__).parent
    patterns = []
    with translation.override("fi"):
        for app in WAGTAIL_APPS:
            for catalogue in (root / app / "locale/en/LC_MESSAGES").glob("django*.po"):
                for entry in polib.pofile(str(catalogue)):
                    if translation.gettext(entry.msgid) != entry.msgid:
                        continue
                    words = re.sub(r"<[^>]+>", "", entry.msgid).strip()
                    parts = re.split(r"%\(\w+\)[sd]|%[sd]|\{\w+\}", words)
                    if sum(len(re.sub(r"[^A-Za-z]", "", part)) for part in parts) < 4:
                        continue
                    pattern = r"[^<>]{0,80}?".join(re.escape(part) for part in parts)
                    # A one-word message counts only as the whole text, not inside other words or names.
                    pattern = rf"\A{pattern}\Z" if " " not in words else rf"(?<![A-Za-z]){pattern}(?![A-Za-z])"
                    patterns.append((entry.msgid, re.compile(pattern)))
    return patterns


@functools.cache
def any_english():
    """One pattern for all the English strings, so that most texts are read once."""
    alternatives = [pattern.pattern for _message, pattern in untranslated_wagtail_messages()] + SEEN_BROKEN
    return re.compile("|".join(f"(?:{alternative})" for alternative in alternatives))


def is_read(attribute):
    """Whether an attribute holds words a person reads (a tooltip, a label), not code."""
    if attribute.startswith("data-w-"):
        return attribute.endswith(("-content-value", "-label-value", "-message-value"))
    return attribute not in CODE_ATTRIBUTES


def shown_texts(html):
    """The texts a person reads or hears: text, labels, tooltips and the admin's script strings."""
    soup = BeautifulSoup(html, "html.parser")
    texts = []

    def strings_of(value):
        if isinstance(value, str):
            texts.append(value)
        elif isinstance(value, dict):
            for key, item in value.items():
                if key not in CODE_KEYS:
                    strings_of(item)
        elif isinstance(value, list):
            for item in value:
                strings_of(item)

    for script in soup.find_all(["script", "style", "template"]):
        if script.get("type") == "application/json" and script.string:
            strings_of(json.loads(script.string))
        if script.name != "template":
            script.decompose()
    texts.extend(" ".join(text.split()) for text in soup.find_all(string=True) if text.strip())
    for element in soup.find_all(True):
        for attribute, value in element.attrs.items():
            if is_read(attribute):
                texts.append(" ".join(value) if isinstance(value, list) else value)
    return [text for text in texts if text]


def english_in(html):
    """The English strings found in a page's shown texts."""
    found = set()
    for text in shown_texts(html):
        if not any_english().search(text):
            continue
        found.update(message for message, pattern in untranslated_wagtail_messages() if pattern.search(text))
        found.update(seen for seen in SEEN_BROKEN if re.search(seen, text))
    return found


def english_on(client, urls):
    """{url: English strings found} for the pages that show any."""
    found = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        html = response.json()["html"] if response["Content-Type"] == "application/json" else response.text
        if hits := english_in(html):
            found[url] = hits
    return found


@pytest.fixture
def week(people, submitted_essay):
    """The week's content: Aino's published essay, her submitted one, Eetu's returned one, a book."""
    published = EssayPageFactory(title="Asiakaskokemus", authors=[people.aino])
    returned = EssayPageFactory(title="Palaute tiimissä", authors=[people.eetu])
    returned.unpublish()
    returned.save_revision(user=people.eetu.user)
    returned.get_workflow().start(returned, people.eetu.user)
    in_progress_state(returned).task.specific.request_changes(
        in_progress_state(returned), people.marjut.user, comment="Lisää lähteet."
    )
    return {"published": published, "submitted": submitted_essay, "returned": returned, "book": BookFactory()}


def test_the_students_admin_is_in_finnish(people, week):
    index = people.site.essay_index.pk
    urls = [
        "/admin/",
        f"/admin/pages/{index}/",
        f"/admin/pages/add/essays/essaypage/{index}/",
        f"/admin/pages/{week['published'].pk}/edit/",
        f"/admin/pages/{week['submitted'].pk}/edit/",
        f"/admin/pages/{week['submitted'].pk}/history/",
        "/admin/points/own/",
        "/admin/account/",
        "/admin/snippets/essays/person/",
        "/admin/snippets/essays/book/",
        "/admin/pages/search/?q=asiakas",
    ]
    assert english_on(signed_in(people.aino.user), urls) == {}


def test_a_student_with_changes_requested_sees_finnish(people, week):
    urls = [f"/admin/pages/{week['returned'].pk}/edit/", "/admin/", "/admin/points/own/"]
    assert english_on(signed_in(people.eetu.user), urls) == {}


def test_an_essay_sent_back_is_said_to_wait_for_its_authors_changes(people, week):
    html = signed_in(people.eetu.user).get(f"/admin/pages/{week['returned'].pk}/edit/").content.decode()
    texts = shown_texts(html)
    assert "Odottaa kirjoittajan muutoksia" in texts
    assert "Tarkastettavana" not in texts


def test_the_status_of_an_essay_sent_back_names_the_coach_who_asked(people, week):
    forty_minutes_ago = timezone.now() - datetime.timedelta(minutes=40)
    TaskState.objects.filter(workflow_state__object_id=str(week["returned"].pk)).update(finished_at=forty_minutes_ago)
    html = signed_in(people.eetu.user).get(f"/admin/pages/{week['returned'].pk}/edit/").content.decode()
    texts = shown_texts(html)
    assert "Marjut pyysi muutoksia 40 minuuttia sitten" in texts
    assert not [text for text in texts if "tekijänä" in text]


def test_the_history_names_the_workflow_and_its_step_in_finnish_quotes(people, week):
    html = signed_in(people.editor).get(f"/admin/pages/{week['returned'].pk}/history/").content.decode()
    texts = shown_texts(html)
    assert "”Esseen arviointi” käynnistetty. Seuraava vaihe: ”Valmentajan arviointi”" in texts
    assert "Muutoksia pyydetty vaiheessa ”Valmentajan arviointi”" in texts
    assert not [text for text in texts if re.search(r"'[^']+'", text)]


def test_the_projects_messages_quote_in_finnish(db):
    """Our catalogues quote with ”…” only, never with straight or English quotation marks."""
    catalogues = [
        *Path(".").glob("locale*/fi/LC_MESSAGES/django.po"),
        *Path(".").glob("*/locale/fi/LC_MESSAGES/django.po"),
    ]
    quoted = re.compile(r"""(?<![=\w])["'“«][^"'”»<>]+["'”»](?!\w)""")
    found = [
        (str(catalogue), entry.msgstr)
        for catalogue in catalogues
        for entry in polib.pofile(str(catalogue))
        if quoted.search(re.sub(r"<[^>]+>", "", entry.msgstr).replace("”", ""))
    ]
    assert len(catalogues) > 5
    assert found == []


def test_the_time_since_changes_were_requested_reads_in_finnish(people, week):
    forty_minutes_ago = timezone.now() - datetime.timedelta(minutes=40)
    TaskState.objects.filter(workflow_state__object_id=str(week["returned"].pk)).update(finished_at=forty_minutes_ago)
    html = signed_in(people.eetu.user).get(f"/admin/pages/{week['returned'].pk}/edit/").content.decode()
    assert "Muutoksia pyydetty 40 minuuttia sitten" in shown_texts(html)


def test_the_coachs_admin_is_in_finnish(people, week):
    essay = week["submitted"]
    state = in_progress_state(essay)
    urls = [
        "/admin/",
        "/admin/points/leaderboard/",
        f"/admin/points/teams/{people.pinkut.pk}/",
        "/admin/points/awards/",
        "/admin/points/export/",
        workflow_action_url(essay, "approve", state),
        workflow_action_url(essay, "reject", state),
        f"/admin/pages/workflow/preview/{essay.pk}/{state.task_id}/",
    ]
    assert english_on(signed_in(people.marjut.user), urls) == {}


def test_a_corrected_award_reads_in_finnish(people, week):
    from grading.models import Award

    award = Award.objects.create(
        essay=week["published"], student=people.aino, team=people.pinkut, points=1, submitted_on=datetime.date.today()
    )
    award.correct(2, "Laajempi kuin blogi.", people.marjut.user)
    state = in_progress_state(week["submitted"])
    coach_urls = ["/admin/points/awards/", f"/admin/points/grade/{state.pk}/"]
    found = english_on(signed_in(people.aino.user), ["/admin/points/own/"])
    found.update(english_on(signed_in(people.marjut.user), coach_urls))
    assert found == {}


def test_the_editors_admin_is_in_finnish(people, week):
    urls = [
        "/admin/",
        "/admin/pages/",
        f"/admin/pages/{people.site.essay_index.pk}/",
        f"/admin/pages/{week['published'].pk}/edit/",
        f"/admin/pages/{week['published'].pk}/history/",
        "/admin/snippets/essays/book/",
        f"/admin/snippets/essays/book/edit/{week['book'].pk}/",
        "/admin/snippets/essays/book/add/",
        "/admin/snippets/essays/person/",
        "/admin/snippets/essays/team/",
        "/admin/snippets/grading/ruleset/",
        "/admin/snippets/grading/term/",
        "/admin/users/",
        f"/admin/users/edit/{people.aino.user.pk}/",
        "/admin/reports/locked/",
        "/admin/reports/site-history/",
        "/admin/pages/1/",
        "/admin/pages/search/?q=asiakas",
        "/admin/wordpress-posts/",
        "/admin/snippets/essays/essaytype/",
        "/admin/reports/unmatched-citations/",
        f"/admin/merge/book/{week['book'].pk}/",
        "/admin/reports/aging-pages/",
        "/admin/reports/page-types-usage/",
    ]
    assert english_on(signed_in(people.editor), urls) == {}


def test_the_user_groups_are_named_in_finnish(people, admin_user):
    urls = [
        "/admin/groups/",
        "/admin/users/",
        f"/admin/users/edit/{people.marjut.user.pk}/",
        "/admin/workflows/tasks/index/",
    ]
    assert english_on(signed_in(admin_user), urls) == {}


def test_a_student_reads_that_the_essay_was_sent_for_grading(people):
    url = f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"
    data = essay_form_data("Kosketuspisteet", "kosketuspisteet", [people.aino], **{"action-submit": "action-submit"})
    response = signed_in(people.aino.user).post(url, data, follow=True)
    html = response.content.decode()
    assert "Essee ”Kosketuspisteet” tallennettiin ja lähetettiin arvioitavaksi." in html
    assert english_in(html) == set()


def test_a_student_reads_that_the_essay_was_created_named_as_an_essay(people):
    url = f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"
    data = essay_form_data("Kosketuspisteet", "kosketuspisteet", [people.aino])
    html = signed_in(people.aino.user).post(url, data, follow=True).content.decode()
    assert "Essee ”Kosketuspisteet” luotu." in html
    assert "Sivu ”Kosketuspisteet”" not in html


def test_a_student_reads_that_the_essay_was_updated_named_as_an_essay(people, week):
    essay = week["published"]
    data = essay_form_data("Asiakaskokemus", essay.slug, [people.aino])
    html = signed_in(people.aino.user).post(f"/admin/pages/{essay.pk}/edit/", data, follow=True).content.decode()
    assert "Essee ”Asiakaskokemus” päivitetty." in html


def test_an_editor_reads_that_the_essay_was_deleted_named_as_an_essay(admin_user, week):
    essay = week["published"]
    html = signed_in(admin_user).post(f"/admin/pages/{essay.pk}/delete/", follow=True).content.decode()
    assert "Essee ”Asiakaskokemus” poistettu." in html
    assert "Sivu ”Asiakaskokemus”" not in html


def test_an_editor_reads_that_the_essay_was_copied_named_as_an_essay(people, admin_user, week):
    essay = week["published"]
    data = {"new_title": "Asiakaskokemus 2", "new_slug": "asiakaskokemus-2", "new_parent_page": essay.get_parent().pk}
    html = signed_in(admin_user).post(f"/admin/pages/{essay.pk}/copy/", data, follow=True).content.decode()
    assert "Essee ”Asiakaskokemus” kopioitu." in html


def test_an_editor_reads_that_the_essay_was_moved_named_as_an_essay(people, admin_user, week):
    essay = week["published"]
    archive = people.site.home.add_child(instance=EssayIndexPage(title="Arkisto", slug="arkisto"))
    url = f"/admin/pages/{essay.pk}/move/{archive.pk}/confirm/"
    html = signed_in(admin_user).post(url, follow=True).content.decode()
    assert "Essee ”Asiakaskokemus” siirretty." in html


def test_an_editor_reads_that_the_essay_was_unpublished_named_as_an_essay(people, admin_user, week):
    essay = week["published"]
    response = signed_in(admin_user).post(f"/admin/pages/{essay.pk}/unpublish/", follow=True)
    assert "Essee ”Asiakaskokemus” piilotettu." in response.content.decode()
    assert response.redirect_chain[-1][0] == f"/admin/pages/{essay.get_parent().pk}/"
    essay.refresh_from_db()
    assert not essay.live


def test_the_correction_page_quotes_the_essay_finnish_style(people):
    essay = EssayPageFactory(title="Asiakaskokemus", authors=[people.aino])
    award = Award.objects.create(
        essay=essay, student=people.aino, team=people.pinkut, points=2, submitted_on=datetime.date(2025, 2, 1)
    )
    client = signed_in(people.marjut.user)
    page = client.get(f"/admin/points/awards/{award.pk}/correct/").content.decode()
    assert "esseestä ”Asiakaskokemus”" in page
    url = f"/admin/points/awards/{award.pk}/correct/"
    html = client.post(url, {"points": "3", "feedback": "Pisteluokka."}, follow=True).content.decode()
    assert "pisteytys esseestä ”Asiakaskokemus” korjattiin." in html


def test_a_student_reads_that_the_revised_essay_was_sent_again_for_grading(people, week):
    essay = week["returned"]
    data = essay_form_data("Palaute tiimissä", essay.slug, [people.eetu], **{"action-submit": "action-submit"})
    html = signed_in(people.eetu.user).post(f"/admin/pages/{essay.pk}/edit/", data, follow=True).content.decode()
    assert "Essee ”Palaute tiimissä” lähetettiin arvioitavaksi." in html
    assert english_in(html) == set()


def test_a_coauthors_stale_window_is_told_who_sent_the_essay_and_when(people):
    essay = EssayPageFactory(title="Tiimin palvelupolku", authors=[people.aino, people.eetu])
    essay.unpublish()
    essay.save_revision(user=people.aino.user)
    essay.get_workflow().start(essay, people.aino.user)
    state = in_progress_state(essay)
    state.task.specific.request_changes(state, people.marjut.user, comment="Lisää lähteet.")
    data = essay_form_data("Tiimin palvelupolku", essay.slug, [people.aino, people.eetu])
    signed_in(people.aino.user).post(f"/admin/pages/{essay.pk}/edit/", {**data, "action-submit": "action-submit"})
    # Eetu's window still offers to send it again.
    response = signed_in(people.eetu.user).post(
        f"/admin/pages/{essay.pk}/edit/", {**data, "action-submit": "action-submit"}, follow=True
    )
    text = " ".join(BeautifulSoup(response.content, "html.parser").get_text().split())
    assert re.search(
        r"Aino Virtanen lähetti esseen ”Tiimin palvelupolku” arvioitavaksi "
        r"\d{1,2}\.\d{1,2}\.\d{4} klo \d{1,2}\.\d{2}; "
        r"sitä ei voi muokata ennen kuin se on arvioitu\. Muutoksiasi ei tallennettu\.",
        text,
    ), text


def test_aging_pages_name_no_publisher_for_a_page_published_without_a_user(people, week):
    html = signed_in(people.editor).get("/admin/reports/aging-pages/").content.decode()
    row = BeautifulSoup(html, "html.parser").find("a", string=re.compile("Asiakaskokemus")).find_parent("tr")
    cells = [" ".join(cell.get_text().split()) for cell in row.find_all("td")]
    assert "None" not in cells
    assert "—Julkaistu ilman käyttäjää (tuonti tai demo)" in cells


def test_the_checks_panel_explains_its_metrics_in_finnish_without_an_english_guide(people, week):
    html = signed_in(people.aino.user).get(f"/admin/pages/{week['published'].pk}/edit/").content.decode()
    # The dialog sits in a <template> that Wagtail's script moves into the page.
    explainer = html[html.index('id="metrics-explainer-dialog"') :]
    explainer = BeautifulSoup(explainer[: explainer.index("</template>")], "html.parser")
    assert "Luettavuus lasketaan sanojen ja virkkeiden pituudesta" in explainer.get_text()
    assert explainer.select("a") == []


def test_the_help_menu_leads_to_no_english_guide(people):
    html = signed_in(people.editor).get("/admin/").content.decode()
    assert "wagtail.org" not in html
    assert "Pikanäppäimet" in html


def test_the_untranslated_message_check_finds_english():
    """The check itself: a message Wagtail's Finnish lacks is found in a page's text."""
    with translation.override("fi"):
        messages = [message for message, _pattern in untranslated_wagtail_messages()]
    assert "Search all pages…" not in messages  # supplied by locale-wagtail
    assert messages, "Every Wagtail message is translated: the check could not fail"
    message, pattern = untranslated_wagtail_messages()[0]
    assert pattern.search(re.sub(r"%\(\w+\)[sd]", "X", re.sub(r"<[^>]+>", "", message)))
