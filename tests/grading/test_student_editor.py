"""What a student meets in the essay editor: only what they can use, labelled and explained in Finnish,
and one clear way back to grading after the coach asks for changes."""

import html
import json
import re

import pytest
from wagtail.test.utils.form_data import nested_form_data, streamfield

from essays.models import EssayPage
from grading.models import GradingTask
from grading.views import feedback_for
from tests.factories import EssayPageFactory
from tests.grading.helpers import essay_form_data, in_progress_state, signed_in, submit

pytestmark = pytest.mark.usefixtures("without_index_updates")


def add_url(people):
    return f"/admin/pages/add/essays/essaypage/{people.site.essay_index.pk}/"


def options_of(html, name):
    """[(group label or "", option text)] of a select in the page."""
    select = re.search(rf'<select name="{re.escape(name)}"[^>]*>(.*?)</select>', html, re.S).group(1)
    found, group = [], ""
    for match in re.finditer(r'<optgroup label="([^"]*)">|<option value="[^"]+"[^>]*>([^<]*)</option>', select):
        if match.group(1) is not None:
            group = match.group(1)
        else:
            found.append((group, match.group(2).strip()))
    return found


def returned_essay(people):
    essay = EssayPageFactory(title="Palaute tiimissä", authors=[people.aino])
    essay.unpublish()
    submit(essay, people.aino.user)
    state = in_progress_state(essay)
    GradingTask.objects.get(pk=state.task_id).request_changes(state, people.marjut.user, comment="Lisää lähteet.")
    return EssayPage.objects.get(pk=essay.pk)


def test_the_author_is_the_student_in_a_chooser_of_students(people):
    html = signed_in(people.aino.user).get(add_url(people)).content.decode()
    field = re.search(r'<input type="hidden" name="essay_authors-0-person"[^>]*>', html).group(0)
    assert f'value="{people.aino.pk}"' in field
    assert "/admin/student-chooser/" in html
    assert '<select name="essay_authors-0-person"' not in html


def test_the_point_class_is_a_choice_explained_by_essay_types(people):
    html = signed_in(people.aino.user).get(add_url(people)).content.decode()
    assert ("", "2 esseepistettä – Yksilöessee, Solu- tai tiimiessee") in options_of(html, "claimed_points")
    assert "Valmentaja vahvistaa tai muuttaa sen arvioidessaan." in html


def test_the_point_classes_say_esseepiste_as_every_points_screen_does(people):
    labels = [
        label
        for _value, label in options_of(
            signed_in(people.aino.user).get(add_url(people)).content.decode(), "claimed_points"
        )
    ]
    assert any(label.startswith("1 esseepiste – ") for label in labels)
    assert not [label for label in labels if re.match(r"\d+ piste(ttä)? ", label)]


def test_a_student_gets_no_promote_tab_and_no_chooser_to_edit_essay_types(people):
    html = signed_in(people.aino.user).get(add_url(people)).content.decode()
    assert 'id="tab-label-nosto"' not in html
    assert 'name="slug"' not in html
    assert "/admin/snippets/essays/essaytype/edit/" not in html
    assert '<select name="essay_type"' in html


def test_an_editor_keeps_the_promote_tab(people):
    html = signed_in(people.editor).get(add_url(people)).content.decode()
    assert 'id="tab-label-nosto"' in html


def test_a_students_essay_gets_its_slug_from_its_title(people):
    data = essay_form_data("Tiimin palautekulttuuri", "", [people.aino])
    del data["slug"]
    signed_in(people.aino.user).post(add_url(people), data)
    assert EssayPage.objects.get(title="Tiimin palautekulttuuri").slug == "tiimin-palautekulttuuri"


def test_an_empty_other_source_is_refused_in_finnish_also_in_a_draft(people):
    data = essay_form_data("Lähteetön", "lahteeton", [people.aino], **{"action-save-draft": "action-save-draft"})
    data.update(nested_form_data({"other_sources": streamfield([("source", {"reference": "", "url": ""})])}))
    response = signed_in(people.aino.user).post(add_url(people), data)
    assert not EssayPage.objects.filter(slug="lahteeton").exists()
    # The StreamField's errors reach the page in its JSON.
    assert json.dumps("Kirjoita lähde tai poista tyhjä lähde.")[1:-1] in html.unescape(response.content.decode())


def test_after_changes_are_requested_the_student_sees_them_and_one_way_back(people):
    essay = returned_essay(people)
    html = signed_in(people.aino.user).get(f"/admin/pages/{essay.pk}/edit/").content.decode()
    assert "Valmentajan pyytämät muutokset: Lisää lähteet." in html
    assert "Lähetä uudelleen arvioitavaksi" in html
    assert 'name="action-restart-workflow"' not in html
    assert 'name="action-cancel-workflow"' not in html


def test_a_resubmitted_essay_leaves_the_list_of_requested_changes(people):
    essay = returned_essay(people)
    assert list(feedback_for(people.aino))
    essay.current_workflow_state.resume(people.aino.user)
    assert list(feedback_for(people.aino)) == []


def test_other_students_drafts_are_not_listed_or_opened(people):
    draft = EssayPageFactory(title="Eetun luonnos", authors=[people.eetu])
    draft.unpublish()
    client = signed_in(people.aino.user)
    assert "Eetun luonnos" not in client.get(f"/admin/pages/{people.site.essay_index.pk}/").content.decode()
    assert client.get(f"/admin/pages/{draft.pk}/edit/").status_code == 404


def test_the_coach_still_reads_a_teams_draft_in_grading(people):
    essay = returned_essay(people)
    essay.current_workflow_state.resume(people.aino.user)
    state = in_progress_state(essay)
    response = signed_in(people.marjut.user).get(f"/admin/pages/workflow/preview/{essay.pk}/{state.task_id}/")
    assert response.status_code == 200


def test_the_editor_does_not_autosave(people):
    html = signed_in(people.aino.user).get(add_url(people)).content.decode()
    assert "data-w-autosave-interval-value" not in html


def title_input(html):
    return re.search(r'<input[^>]*id="id_title"[^>]*>', html).group(0)


def test_a_students_form_loads_no_script_that_needs_the_fields_a_student_does_not_get(people):
    """No slug field: the title copies into nothing (an empty target fails in the browser); no settings
    tab: the comments app would start without its panel."""
    html = signed_in(people.aino.user).get(add_url(people)).content.decode()
    assert "w-sync" not in title_input(html)
    assert "wagtailadmin/js/comments.js" not in html


def test_an_editors_form_keeps_the_slug_copying_and_comments(people):
    html = signed_in(people.editor).get(add_url(people)).content.decode()
    assert 'data-w-sync-target-value="#id_slug"' in title_input(html)
    assert "wagtailadmin/js/comments.js" in html
