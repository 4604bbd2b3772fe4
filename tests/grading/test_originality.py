"""The originality check in the coach's grading view: similar essays with their share of overlap,
the shared passages side by side, acceptable matches, and what a coach may see of essays they
cannot read."""

import html
import random

import pytest
from bs4 import BeautifulSoup
from django.core.management import call_command
from wagtail.models import PageLogEntry

from essays.models import EssayPage
from originality.fingerprints import band_keys
from originality.models import AcceptedMatch, BandKey, Signature
from tests.factories import EssayPageFactory, paragraphs
from tests.grading.helpers import in_progress_state, signed_in, submit
from tests.originality.textgen import paragraphs_of, sentence

pytestmark = pytest.mark.usefixtures("without_index_updates")
PAYLOAD = "<script>alert('kopio')</script>"


def sentences(seed, count=24):
    rng = random.Random(seed)
    return [sentence(rng) for _ in range(count)]


ORIGINAL = sentences(1)
OTHER_TOPIC = sentences(2)


def essay_of(person, texts, **fields):
    return EssayPageFactory(authors=[person], body=paragraphs(*paragraphs_of(texts)), **fields)


def submitted(person, texts, title="Lähetetty essee"):
    essay = essay_of(person, texts, title=title)
    essay.unpublish()
    submit(essay, person.user)
    return EssayPage.objects.get(pk=essay.pk)


def grading_page(user, essay):
    return signed_in(user).get(f"/admin/points/grade/{in_progress_state(essay).pk}/")


def accept_url(essay, other):
    return f"/admin/points/grade/{in_progress_state(essay).pk}/originality/{other.pk}/accept/"


def test_a_saved_essay_gets_its_signature_and_band_keys(people):
    essay = essay_of(people.eetu, ORIGINAL)
    signature = Signature.objects.get(essay=essay)
    assert signature.shingles > 50
    assert len(signature.values()) == 128
    assert BandKey.objects.filter(essay=essay).count() == 64


def test_band_keys_are_stored_as_the_signature_gives_them_in_band_order(people):
    essay = essay_of(people.eetu, ORIGINAL)
    values = Signature.objects.get(essay=essay).values()
    stored = list(BandKey.objects.filter(essay=essay).order_by("id").values_list("key", flat=True))
    assert stored == band_keys(values)


def test_a_submitted_revision_updates_the_signature(people):
    essay = essay_of(people.aino, ORIGINAL[:6])
    before = Signature.objects.get(essay=essay).shingles
    essay.body = paragraphs(*paragraphs_of(ORIGINAL))
    essay.save_revision(user=people.aino.user)
    assert Signature.objects.get(essay=essay).shingles > before


def test_the_build_command_fingerprints_every_essay(people):
    essay = essay_of(people.eetu, ORIGINAL)
    Signature.objects.all().delete()
    BandKey.objects.all().delete()
    call_command("build_originality_index", verbosity=0)
    assert Signature.objects.filter(essay=essay).exists()
    assert BandKey.objects.filter(essay=essay).count() == 64


def test_a_copied_essay_is_shown_with_its_share(people):
    source = essay_of(people.eetu, ORIGINAL, title="Alkuperäinen essee")
    essay = submitted(people.aino, ORIGINAL[:12] + OTHER_TOPIC[:12])
    page = grading_page(people.marjut.user, essay).content.decode()
    assert "Alkuperäinen essee" in page
    share = int(page.split('data-share="')[1].split('"')[0])
    assert 40 <= share <= 60
    assert source.title in page


def test_an_unrelated_essay_on_the_same_topic_is_not_shown(people):
    essay_of(people.eetu, OTHER_TOPIC, title="Toinen aihe")
    essay = submitted(people.aino, ORIGINAL)
    page = grading_page(people.marjut.user, essay).content.decode()
    assert "Toinen aihe" not in page
    assert "Pankista ei löytynyt samankaltaisia esseitä." in page


def test_shared_passages_are_highlighted_side_by_side_and_escaped(people):
    texts = [*ORIGINAL[:10], f"Koodi {PAYLOAD} jäi tekstiin mukaan tähän kohtaan.", *ORIGINAL[10:]]
    essay_of(people.eetu, [html.escape(text) for text in texts], title="Lähde")
    essay = submitted(people.aino, [html.escape(text) for text in texts])
    page = grading_page(people.marjut.user, essay).content.decode()
    assert PAYLOAD not in page
    assert "&lt;script&gt;alert(&#x27;kopio&#x27;)&lt;/script&gt;" in page
    assert page.count("<mark>") >= 2
    assert f"<mark>{ORIGINAL[0]}" in page


def test_the_coach_marks_a_match_acceptable_and_it_stays_shown_as_accepted(people):
    source = essay_of(people.aino, ORIGINAL, title="Ainon aiempi essee")
    essay = submitted(people.aino, ORIGINAL)
    response = signed_in(people.marjut.user).post(
        accept_url(essay, source), {"reason": "own-earlier", "explanation": "Sama kirjoittaja."}
    )
    assert response.status_code == 302
    acceptance = AcceptedMatch.objects.get(essay=essay, other=source)
    assert (acceptance.reason, acceptance.accepted_by) == ("own-earlier", people.marjut.user)
    page = grading_page(people.marjut.user, essay).content.decode()
    assert "Ainon aiempi essee" in page
    assert "Merkitty hyväksyttäväksi: Saman kirjoittajan aiempi essee" in page
    assert "Sama kirjoittaja." in page


def test_the_grading_pages_forms_leave_checking_to_the_server(people):
    """A browser checking a required field answers in its own language ("Please select an item in
    the list."); the server's answer is Finnish."""
    essay_of(people.eetu, ORIGINAL)
    essay = submitted(people.aino, ORIGINAL)
    page = BeautifulSoup(grading_page(people.marjut.user, essay).content, "html.parser")
    forms = [form for form in page.find_all("form") if form.select("[required]")]
    assert forms
    assert [form.get("action") for form in forms if not form.has_attr("novalidate")] == []


def test_accepting_without_a_reason_is_refused_in_finnish(people):
    source = essay_of(people.eetu, ORIGINAL)
    essay = submitted(people.aino, ORIGINAL)
    response = signed_in(people.marjut.user).post(accept_url(essay, source), {"reason": ""}, follow=True)
    assert "Valitse, miksi päällekkäisyys on hyväksyttävä." in response.content.decode()
    assert not AcceptedMatch.objects.exists()


def test_a_student_cannot_see_the_panel_or_mark_a_match(people):
    source = essay_of(people.eetu, ORIGINAL, title="Eetun essee")
    essay = submitted(people.aino, ORIGINAL)
    page = grading_page(people.aino.user, essay)
    assert page.status_code in (302, 403)
    assert "Eetun essee" not in page.content.decode()
    response = signed_in(people.aino.user).post(accept_url(essay, source), {"reason": "quotation"})
    assert response.status_code in (302, 403)
    assert not AcceptedMatch.objects.exists()


def test_another_teams_coach_cannot_mark_a_match(people):
    source = essay_of(people.eetu, ORIGINAL)
    essay = submitted(people.aino, ORIGINAL)
    response = signed_in(people.timo.user).post(accept_url(essay, source), {"reason": "quotation"})
    assert response.status_code in (302, 403)
    assert not AcceptedMatch.objects.exists()


def test_a_protected_essay_of_another_team_shows_only_that_it_matches(people):
    essay_of(people.iida, ORIGINAL, title="Iidan suojattu essee", visibility=EssayPage.Visibility.PROTECTED)
    essay = submitted(people.aino, ORIGINAL)
    page = grading_page(people.marjut.user, essay).content.decode()
    assert "Essee, jota et voi lukea: päällekkäisyys 100 %" in page
    assert "Iidan suojattu essee" not in page
    assert "Iida Koskinen" not in page
    assert "<mark>" not in page


def test_a_public_essay_of_another_team_is_shown_in_full(people):
    essay_of(people.iida, ORIGINAL, title="Iidan julkinen essee")
    essay = submitted(people.aino, ORIGINAL)
    page = grading_page(people.marjut.user, essay).content.decode()
    assert "Iidan julkinen essee" in page
    assert "Iida Koskinen" in page
    assert "<mark>" in page


def test_the_panel_counts_essays_and_passages_with_number_agreement(people):
    essay_of(people.eetu, ORIGINAL)
    one = submitted(people.aino, ORIGINAL, title="Yksi osuma")
    page = grading_page(people.marjut.user, one).content.decode()
    assert "1 samankaltainen essee pankissa." in page
    assert "1 yhteinen jakso" in page
    essay_of(people.eetu, [*ORIGINAL[:8], *OTHER_TOPIC[:8], *ORIGINAL[16:]])
    page = grading_page(people.marjut.user, one).content.decode()
    assert "2 samankaltaista esseetä pankissa." in page
    assert "2 yhteistä jaksoa" in page


def test_the_panel_counts_the_passages_highlighted_on_each_side(people):
    essay_of(people.eetu, [*ORIGINAL[:8], *OTHER_TOPIC[:4], *ORIGINAL[8:16], *OTHER_TOPIC[4:8], *ORIGINAL[16:]])
    essay = submitted(people.aino, ORIGINAL)
    html = grading_page(people.marjut.user, essay).content.decode()
    summary = " ".join(BeautifulSoup(html, "html.parser").select_one(".originality-match summary").get_text().split())
    marks = [
        len(side.find_all("mark")) for side in BeautifulSoup(html, "html.parser").select(".originality-passages > div")
    ]
    own, other = marks
    assert own == 1 and other > 1
    assert f"1 yhteinen jakso tässä esseessä, {other} jaksoa toisessa" in summary


def withdraw_url(essay, other):
    return f"/admin/points/grade/{in_progress_state(essay).pk}/originality/{other.pk}/withdraw/"


@pytest.fixture
def accepted(people):
    """Aino's submitted essay whose overlap with her earlier one Marjut has marked acceptable."""
    source = essay_of(people.aino, ORIGINAL, title="Ainon aiempi essee")
    essay = submitted(people.aino, ORIGINAL)
    signed_in(people.marjut.user).post(accept_url(essay, source), {"reason": "own-earlier", "explanation": "Sama."})
    return essay, source


def test_the_coach_withdraws_an_acceptance_and_the_match_can_be_accepted_again(people, accepted):
    essay, source = accepted
    response = signed_in(people.marjut.user).post(withdraw_url(essay, source), follow=True)
    page = response.content.decode()
    assert "Päällekkäisyyden hyväksyntä esseen ”Ainon aiempi essee” kanssa peruttiin." in page
    assert not AcceptedMatch.objects.exists()
    assert "Merkitty hyväksyttäväksi" not in page
    assert accept_url(essay, source) in page


def test_accepting_and_withdrawing_are_in_the_essays_history(people, accepted):
    essay, source = accepted
    signed_in(people.marjut.user).post(withdraw_url(essay, source))
    entries = PageLogEntry.objects.filter(page=essay).order_by("timestamp", "pk")
    actions = [
        (entry.action, entry.user, entry.data.get("other")) for entry in entries if "originality" in entry.action
    ]
    assert actions == [
        ("originality.accept_match", people.marjut.user, source.pk),
        ("originality.withdraw_acceptance", people.marjut.user, source.pk),
    ]
    history = signed_in(people.editor).get(f"/admin/pages/{essay.pk}/history/").content.decode()
    assert f"Päällekkäisyyden hyväksyntä esseen {source.pk} kanssa peruttiin." in history


def test_withdrawing_what_is_not_accepted_says_so_in_finnish(people, accepted):
    essay, source = accepted
    client = signed_in(people.marjut.user)
    client.post(withdraw_url(essay, source))
    response = client.post(withdraw_url(essay, source), follow=True)
    assert response.status_code == 200
    assert "Päällekkäisyyttä ei ole (enää) merkitty hyväksyttäväksi: mitään ei peruttu." in response.content.decode()


@pytest.mark.parametrize("who", ["aino", "timo"])
def test_a_student_or_another_teams_coach_cannot_withdraw_an_acceptance(people, accepted, who):
    essay, source = accepted
    response = signed_in(getattr(people, who).user).post(withdraw_url(essay, source))
    assert response.status_code in (302, 403)
    assert AcceptedMatch.objects.filter(essay=essay, other=source).exists()
