"""A data request: one person's data exported as a ZIP, or erased (essaybank.personal_data)."""

import datetime
import io
import json
import zipfile
from types import SimpleNamespace

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.management import ManagementUtility, call_command
from django.core.management.base import CommandError
from django.db import connections
from django.db.models import TextField
from django.db.models.functions import Cast
from django.test import Client
from wagtail import hooks
from wagtail.log_actions import log, registry
from wagtail.models import ModelLogEntry, PageLogEntry, ReferenceIndex, Revision
from wagtail.search.models import IndexEntry

from essaybank import personal_data
from essaybank.site_structure import section
from essays.facets import essay_facets
from essays.models import BookSummaryIndexPage, BookSummaryPage, EssayAuthor, EssayPage, Person, Team
from grading.models import Award
from grading.roles import COACHES, EDITORS, STUDENTS
from search import caches as search_caches
from search.models import Posting
from tests.factories import (
    BookFactory,
    CoachFactory,
    EssayPageFactory,
    PersonFactory,
    TeamFactory,
    UserFactory,
    paragraphs,
)
from tests.grading.helpers import signed_in, user_in

NAME = "Aino Virtanen"
SURNAME = "Virtanen"


def award(essay, person, points, coach, feedback=""):
    return Award.objects.create(
        essay=essay,
        student=person,
        team=person.team,
        points=points,
        coach=coach,
        feedback=feedback,
        submitted_on=datetime.date(2025, 3, 1),
    )


@pytest.fixture(scope="module")
def built(indexed_module_db):
    """Aino of team Pinkut wrote one essay alone that is to be kept, one with Eetu, and one to be
    deleted; all three are graded, she saved a revision of her own, and the log has entries by and
    about her. Built once for the module; each test's changes are rolled back after it."""
    marjut = CoachFactory(name="Marjut Hakala", user=user_in(COACHES, "marjut"))
    pinkut = TeamFactory(name="Pinkut", coach=marjut)
    aino = PersonFactory(name=NAME, team=pinkut, user=user_in(STUDENTS, "aino"))
    eetu = PersonFactory(name="Eetu Mäkinen", team=pinkut, user=user_in(STUDENTS, "eetu"))
    own = EssayPageFactory(
        title="Asiakaskokemuksen johtaminen",
        authors=[aino],
        body=paragraphs(
            f'Kirjoittanut <a href="/ihmiset/{aino.slug}/">{NAME}</a>.', "Asiakaskokemus syntyy kohtaamisissa."
        ),
    )
    shared = EssayPageFactory(title="Palvelumuotoilun kulmakivet", authors=[aino, eetu])
    doomed = EssayPageFactory(title="Kosketuspisteiden kartoitus", authors=[aino])
    own.save_revision(user=aino.user)
    log(instance=own, action="wagtail.edit", user=aino.user)
    log(instance=aino, action="wagtail.edit", user=UserFactory(username="toinen"))
    awards = [
        award(own, aino, 2, marjut.user, feedback=f"Hyvää pohdintaa, {NAME}!"),
        award(shared, aino, 3, marjut.user, feedback="Hyvä yhteisessee."),
        award(shared, eetu, 3, marjut.user, feedback="Hyvä yhteisessee."),
        award(doomed, aino, 1, marjut.user, feedback="Lyhyt mutta hyvä."),
    ]
    summary = BookSummaryPage(
        title="Tiivistelmä", slug="tiivistelma", book=BookFactory(), summary_author=aino, body=paragraphs("Tiivis.")
    )
    section(BookSummaryIndexPage).add_child(instance=summary)
    summary.save_revision().publish()
    return SimpleNamespace(
        people={"marjut": marjut.pk, "aino": aino.pk, "eetu": eetu.pk},
        essays={"own": own.pk, "shared": shared.pk, "doomed": doomed.pk},
        pinkut=pinkut.pk,
        awards=[row.pk for row in awards],
        editor=user_in(EDITORS, "toimittaja").pk,
    )


@pytest.fixture
def bank(db, built):
    """The module's data read afresh: an erasure changes the objects it is given."""
    return SimpleNamespace(
        **{name: Person.objects.get(pk=pk) for name, pk in built.people.items()},
        **{name: EssayPage.objects.get(pk=pk) for name, pk in built.essays.items()},
        pinkut=Team.objects.get(pk=built.pinkut),
        awards=[Award.objects.get(pk=pk) for pk in built.awards],
        editor=get_user_model().objects.get(pk=built.editor),
    )


def keep_two_delete_one(bank):
    return {
        bank.own.pk: personal_data.KEEP,
        bank.shared.pk: personal_data.KEEP,
        bank.doomed.pk: personal_data.DELETE,
    }


def read_zip(content):
    archive = zipfile.ZipFile(io.BytesIO(content))
    return {name: archive.read(name) for name in archive.namelist()}


def comments_provider(exported, erased):
    """A section as the community app registers it: plain dicts and callables."""

    def register():
        return {
            "name": "community",
            "export": lambda person: exported.append(person.pk) or [{"comment": "Hyvä essee!"}],
            "erase": lambda person: erased.append(person.pk) or 3,
        }

    return register


# --- export -----------------------------------------------------------------------------------


def test_export_holds_the_profile_and_account(bank):
    files = read_zip(personal_data.export_bytes(bank.aino))
    profile = json.loads(files["profile.json"])
    assert profile["person"]["name"] == NAME
    assert profile["account"]["username"] == "aino"
    assert profile["account"]["groups"] == [STUDENTS]
    assert profile["team_memberships"] == ["Pinkut"]
    assert profile["book_summaries"][0]["title"] == "Tiivistelmä"


def test_export_holds_every_essay_with_its_revisions_and_text(bank):
    files = read_zip(personal_data.export_bytes(bank.aino))
    essay = json.loads(files[f"essays/{bank.own.pk}-{bank.own.slug}.json"])
    assert essay["title"] == "Asiakaskokemuksen johtaminen"
    assert len(essay["revisions"]) == 2
    assert essay["revisions"][1]["saved_by_this_person"] is True
    assert essay["revisions"][1]["content"]["title"] == "Asiakaskokemuksen johtaminen"
    text = files[f"essays/{bank.own.pk}-{bank.own.slug}.txt"].decode()
    assert "Asiakaskokemus syntyy kohtaamisissa." in text
    assert {f"essays/{essay.pk}-{essay.slug}.txt" for essay in (bank.shared, bank.doomed)} <= set(files)


def test_export_holds_awards_and_feedback(bank):
    files = read_zip(personal_data.export_bytes(bank.aino))
    received = json.loads(files["awards.json"])["received"]
    assert sorted(row["points"] for row in received) == [1, 2, 3]
    assert f"Hyvää pohdintaa, {NAME}!" in [row["feedback"] for row in received]


def test_export_holds_log_entries_by_and_about_the_person(bank):
    files = read_zip(personal_data.export_bytes(bank.aino))
    entries = json.loads(files["log_entries.json"])
    assert {"page", "model"} <= {entry["kind"] for entry in entries}
    assert any(entry["by_this_person"] and entry["object_id"] == bank.own.pk for entry in entries)
    assert any(entry["object_type"] == "person" and entry["label"] == NAME for entry in entries)


def test_export_holds_what_other_apps_register(bank):
    exported, erased = [], []
    with hooks.register_temporarily(personal_data.HOOK, comments_provider(exported, erased)):
        files = read_zip(personal_data.export_bytes(bank.aino))
    assert json.loads(files["community.json"]) == [{"comment": "Hyvä essee!"}]
    assert exported == [bank.aino.pk] and erased == []


def test_a_malformed_registration_is_refused(bank):
    with hooks.register_temporarily(personal_data.HOOK, lambda: {"name": "rikki", "export": None}):
        with pytest.raises(Exception, match="register_personal_data"):
            personal_data.export_bytes(bank.aino)


def test_export_command_writes_the_zip(bank, tmp_path):
    target = tmp_path / "aino.zip"
    out = io.StringIO()
    call_command("export_person", bank.aino.slug, str(target), stdout=out)
    assert "profile.json" in zipfile.ZipFile(target).namelist()
    assert "kirjoitettiin" in out.getvalue()


@pytest.mark.parametrize("command", [["export_person", "ei-ketaan", "x.zip"], ["erase_person", "ei-ketaan"]])
def test_an_unknown_person_is_a_finnish_error_and_a_failing_exit(db, command, capsys, monkeypatch):
    # run_from_argv closes every connection as the process would end, the test's own among them.
    monkeypatch.setattr(connections, "close_all", lambda: None)
    with pytest.raises(SystemExit) as exit_:
        ManagementUtility(["manage.py", *command]).execute()
    assert exit_.value.code == 1
    assert "Henkilöä ei löydy tunnisteella ”ei-ketaan”." in capsys.readouterr().err


# --- erasure ----------------------------------------------------------------------------------


def text_columns_holding(word):
    """(table, column) of the scanned text columns that still hold the word."""
    scanned = [
        (get_user_model(), ["username", "first_name", "last_name", "email"]),
        (Person, ["name", "slug"]),
        (EssayPage, ["title", "draft_title", "slug", "url_path", "body"]),
        (BookSummaryPage, ["title", "body"]),
        (Revision, ["content", "object_str"]),
        (ModelLogEntry, ["label", "data"]),
        (PageLogEntry, ["label", "data"]),
        (Award, ["feedback", "rule"]),
        (IndexEntry, ["title", "body", "autocomplete"]),
        (Posting, ["term"]),
    ]
    found = []
    for model, columns in scanned:
        for column in columns:
            rows = model.objects.annotate(as_text=Cast(column, TextField())).filter(as_text__icontains=word)
            if rows.exists():
                found.append((model._meta.db_table, column))
    return found


def test_the_scan_finds_the_name_before_the_erasure(bank):
    assert len(text_columns_holding(SURNAME)) >= 5


def test_erasure_leaves_no_trace_of_the_name(bank):
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert text_columns_holding(SURNAME) == []


def test_erasure_scrubs_revisions_of_an_essay_they_were_taken_off(bank):
    essay = EssayPageFactory(title="Tiimin oppimispäiväkirja", authors=[bank.aino, bank.eetu])
    essay.essay_authors = [EssayAuthor(person=bank.eetu, team=bank.pinkut)]
    essay.save_revision().publish()
    pattern = rf'"person": {bank.aino.pk}[,}}]'
    revisions = Revision.objects.annotate(as_text=Cast("content", TextField())).filter(as_text__regex=pattern)
    assert revisions.filter(object_id=str(essay.pk)).exists()
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert not revisions.exists()


def failed_sign_in(username):
    return AccessAttempt.objects.create(
        username=username,
        ip_address="127.0.0.1",
        user_agent="Firefox",
        http_accept="text/html",
        path_info="/admin/login/",
        get_data="",
        post_data="",
        failures_since_start=2,
    )


def test_sign_in_records_are_exported_and_erased(bank):
    failed_sign_in("aino")
    records = json.loads(read_zip(personal_data.export_bytes(bank.aino))["sign_in_records.json"])
    assert [(row["kind"], row["failures_since_start"]) for row in records] == [("accessattempt", 2)]
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert not AccessAttempt.objects.filter(username="aino").exists()


def test_erasure_clears_the_search_caches(bank, django_capture_on_commit_callbacks):
    key = search_caches.database_key("erasure-test")
    search_caches.counts.set(key, 7)
    with django_capture_on_commit_callbacks(execute=True):
        personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert search_caches.counts.get(key) is None


def test_erase_page_escapes_essay_titles(bank):
    EssayPageFactory(title="<script>alert(1)</script>", authors=[bank.aino])
    page = signed_in(bank.editor).get(erase_url(bank.aino)).content.decode()
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "<script>alert(1)" not in page


def test_erasure_removes_the_person_and_the_account(bank):
    user_id = bank.aino.user_id
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert not Person.objects.filter(pk=bank.aino.pk).exists()
    assert not get_user_model().objects.filter(pk=user_id).exists()


def test_erasure_keeps_the_teams_totals(bank):
    before = Award.objects.current().filter(team=bank.pinkut).total()
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert Award.objects.current().filter(team=bank.pinkut).total() == before == 9


def test_leaderboard_keeps_the_teams_points(bank):
    def pinkut_points():
        html = signed_in(bank.editor).get("/admin/points/leaderboard/").content.decode()
        row = html[html.index("Pinkut") :]
        return row[: row.index("</tr>")]

    assert "9 esseepistettä" in pinkut_points()
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert "9 esseepistettä" in pinkut_points()


def test_erased_awards_have_no_student_and_no_feedback(bank):
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    erased = Award.objects.filter(pk__in=[bank.awards[0].pk, bank.awards[1].pk, bank.awards[3].pk])
    assert [(row.student_id, row.feedback) for row in erased] == [(None, "")] * 3
    assert Award.objects.get(pk=bank.awards[2].pk).student == bank.eetu


def test_kept_essay_shows_the_erased_author_publicly(bank):
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    page = Client().get(bank.own.url).content.decode()
    assert personal_data.ERASED_AUTHOR_NAME in page
    assert SURNAME not in page


def test_co_author_stays_on_a_kept_essay(bank):
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    names = [author.name for author in EssayPage.objects.get(pk=bank.shared.pk).authors()]
    assert names == [personal_data.ERASED_AUTHOR_NAME, "Eetu Mäkinen"]


def test_deleted_essay_is_gone_from_the_site_and_search(bank):
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert not EssayPage.objects.filter(pk=bank.doomed.pk).exists()
    assert Client().get(bank.doomed.url).status_code == 404
    results = Client().get("/api/search/", {"q": "Kosketuspisteiden"}).json()
    assert "Kosketuspisteiden kartoitus" not in json.dumps(results, ensure_ascii=False)


def test_search_finds_the_kept_essay_but_not_the_name(bank):
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    kept = json.dumps(Client().get("/api/search/", {"q": "johtaminen"}).json(), ensure_ascii=False)
    assert "Asiakaskokemuksen johtaminen" in kept
    assert "Asiakaskokemuksen johtaminen" not in json.dumps(
        Client().get("/api/search/", {"q": SURNAME}).json(), ensure_ascii=False
    )


def test_person_page_and_facet_are_gone(bank):
    slug = bank.aino.slug
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert Client().get(f"/ihmiset/{slug}/").status_code == 404
    authors = [value for value, _text in essay_facets().facets["kirjoittaja"].options]
    assert slug not in authors
    assert personal_data.erased_author().slug in authors


def test_reference_index_points_no_more_to_the_person(bank):
    ReferenceIndex.create_or_update_for_object(bank.own)
    person_type = ContentType.objects.get_for_model(Person)
    references = ReferenceIndex.objects.filter(to_content_type=person_type, to_object_id=str(bank.aino.pk))
    assert references.exists()
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert not references.exists()
    assert ReferenceIndex.get_references_to(personal_data.erased_author()).filter(object_id=str(bank.own.pk))


def test_erasure_is_in_the_audit_log_without_the_name(bank):
    personal_data.erase(bank.aino, keep_two_delete_one(bank), user=bank.editor)
    entry = ModelLogEntry.objects.get(action=personal_data.ERASE_ACTION)
    assert entry.user == bank.editor
    assert entry.data["essays_deleted"] == 1 and entry.data["essays_kept"] == 2
    assert entry.data["awards_anonymised"] == 3
    assert SURNAME not in json.dumps(entry.data) + entry.label
    assert registry.get_action_label(personal_data.ERASE_ACTION) == "Henkilötietojen poisto"
    assert "1 essee poistettiin" in registry.get_formatter(entry).format_message(entry)


def test_erasure_calls_what_other_apps_register(bank):
    exported, erased = [], []
    person_id = bank.aino.pk
    with hooks.register_temporarily(personal_data.HOOK, comments_provider(exported, erased)):
        result = personal_data.erase(bank.aino, keep_two_delete_one(bank))
    assert erased == [person_id]
    assert result.other == {"community": 3}


def test_erasure_needs_a_choice_for_every_essay(bank):
    with pytest.raises(personal_data.PersonalDataError, match="Valitse"):
        personal_data.erase(bank.aino, {bank.own.pk: personal_data.KEEP})
    assert Person.objects.filter(pk=bank.aino.pk).exists()


def test_the_erased_author_cannot_be_erased(bank):
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    with pytest.raises(personal_data.PersonalDataError):
        personal_data.erase(personal_data.erased_author(), {})


def test_two_erased_co_authors_share_the_kept_essay(bank):
    personal_data.erase(bank.aino, keep_two_delete_one(bank))
    personal_data.erase(Person.objects.get(pk=bank.eetu.pk), {bank.shared.pk: personal_data.KEEP})
    assert [a.name for a in EssayPage.objects.get(pk=bank.shared.pk).authors()] == [personal_data.ERASED_AUTHOR_NAME]
    assert Award.objects.current().filter(team=bank.pinkut).total() == 9


def test_erase_command_with_per_essay_choices(bank):
    out = io.StringIO()
    call_command(
        "erase_person",
        str(bank.aino.pk),
        "--keep-essays",
        f"--essay={bank.doomed.pk}=delete",
        "--no-input",
        stdout=out,
    )
    assert not EssayPage.objects.filter(pk=bank.doomed.pk).exists()
    assert EssayPage.objects.filter(pk=bank.own.pk).exists()
    assert "1 essee poistettiin, 2 esseetä säilytettiin" in out.getvalue()


def test_erase_command_stops_unless_told_yes(bank, monkeypatch):
    monkeypatch.setattr("builtins.input", lambda prompt: "ei")
    with pytest.raises(CommandError, match="Mitään ei poistettu"):
        call_command("erase_person", bank.aino.slug, "--keep-essays", stdout=io.StringIO())
    assert Person.objects.filter(pk=bank.aino.pk).exists()


def test_export_lists_a_coachs_awards_given(bank):
    files = read_zip(personal_data.export_bytes(bank.marjut))
    given = json.loads(files["awards.json"])["given_as_coach"]
    assert sorted(row["points"] for row in given) == [1, 2, 3, 3]


def test_erase_command_without_choices_refuses_in_finnish(bank):
    with pytest.raises(CommandError, match="--keep-essays"):
        call_command("erase_person", bank.aino.slug, "--no-input")
    assert Person.objects.filter(pk=bank.aino.pk).exists()


def test_erase_command_refuses_an_essay_not_theirs(bank):
    other = EssayPageFactory(title="Eetun essee", authors=[bank.eetu])
    with pytest.raises(CommandError, match=f"Nämä eivät ole henkilön esseitä: {other.pk}"):
        call_command("erase_person", bank.aino.slug, "--keep-essays", f"--essay={other.pk}=delete", "--no-input")
    assert EssayPage.objects.filter(pk=other.pk).exists()


def test_erase_command_refuses_a_malformed_choice(bank):
    with pytest.raises(CommandError, match="ID=delete"):
        call_command("erase_person", bank.aino.slug, "--essay=x=poista", "--no-input")


# --- the admin ---------------------------------------------------------------------------------


def export_url(person):
    return f"/admin/personal-data/{person.pk}/export/"


def erase_url(person):
    return f"/admin/personal-data/{person.pk}/erase/"


def erase_form(bank):
    return {f"essay_{pk}": choice for pk, choice in keep_two_delete_one(bank).items()} | {"confirm": "on"}


def test_editor_downloads_the_zip(bank):
    response = signed_in(bank.editor).get(export_url(bank.aino))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert "profile.json" in read_zip(response.content)
    assert ModelLogEntry.objects.filter(action=personal_data.EXPORT_ACTION, user=bank.editor).exists()


def test_editor_sees_a_choice_for_each_essay(bank):
    page = signed_in(bank.editor).get(erase_url(bank.aino)).content.decode()
    for essay in (bank.own, bank.shared, bank.doomed):
        assert f'name="essay_{essay.pk}"' in page
    assert "Poistettu kirjoittaja" in page


def test_editor_erases_through_the_admin(bank):
    response = signed_in(bank.editor).post(erase_url(bank.aino), erase_form(bank))
    assert response.status_code == 302
    assert not Person.objects.filter(pk=bank.aino.pk).exists()
    assert not EssayPage.objects.filter(pk=bank.doomed.pk).exists()


def test_admin_erasure_without_every_choice_changes_nothing(bank):
    form = erase_form(bank)
    del form[f"essay_{bank.doomed.pk}"]
    response = signed_in(bank.editor).post(erase_url(bank.aino), form)
    assert response.status_code == 200
    assert Person.objects.filter(pk=bank.aino.pk).exists()


def refused(response):
    """The admin refuses with a 403, or (Wagtail's way for signed-in users) a redirect to its home."""
    if response.status_code == 302:
        return response["Location"] == "/admin/" or response["Location"].startswith("/admin/login/")
    return response.status_code == 403


def test_editor_cannot_erase_an_editor(bank):
    other = PersonFactory(name="Toinen Toimittaja", user=user_in(EDITORS, "toinen-toimittaja"))
    assert refused(signed_in(bank.editor).get(erase_url(other)))
    assert refused(signed_in(bank.editor).get(export_url(other)))
    assert Person.objects.filter(pk=other.pk).exists()


def test_superuser_may_erase_anyone(bank):
    admin = UserFactory(username="paakayttaja", is_superuser=True)
    assert signed_in(admin).get(erase_url(bank.marjut)).status_code == 200


@pytest.mark.parametrize("role", ["anonymous", "student", "own student", "coach"])
@pytest.mark.parametrize("method,url", [("get", export_url), ("get", erase_url), ("post", erase_url)])
def test_others_are_refused_every_personal_data_url(bank, role, method, url):
    client = {
        "anonymous": Client(),
        "student": signed_in(bank.eetu.user),
        "own student": signed_in(bank.aino.user),
        "coach": signed_in(bank.marjut.user),
    }[role]
    response = getattr(client, method)(url(bank.aino), erase_form(bank) if method == "post" else None)
    assert refused(response)
    assert response.get("Content-Type") != "application/zip"
    assert Person.objects.filter(pk=bank.aino.pk).exists()
    assert not ModelLogEntry.objects.filter(action=personal_data.EXPORT_ACTION).exists()


@pytest.mark.parametrize("role,shown", [("editor", True), ("coach", False), ("student", False)])
def test_people_list_offers_the_actions_to_editors_only(bank, role, shown):
    user = {"editor": bank.editor, "coach": bank.marjut.user, "student": bank.eetu.user}[role]
    page = signed_in(user).get("/admin/snippets/essays/person/").content.decode()
    assert (export_url(bank.aino) in page) is shown
    assert (erase_url(bank.aino) in page) is shown
