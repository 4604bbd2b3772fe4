"""Citations on essay and concept pages, the cited-in page, the editor's modal and the reports."""

import html
import json
import re

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from wagtail.admin.rich_text.converters.contentstate import ContentstateConverter
from wagtail.models import Site
from wagtail.rich_text import RichText
from wagtail.test.utils.form_data import inline_formset, nested_form_data, rich_text, streamfield

from citations.models import Citation, CitationSettings, Source
from tests.factories import ConceptPageFactory, EssayPageFactory, paragraphs


def inserted(source, pages, form="parenthetical", text="(vanha muoto)"):
    return f'<a linktype="citation" id="{source.pk}" pages="{pages}" form="{form}">{text}</a>'


@pytest.fixture
def cited_essay(site_tree, books):
    body = [
        ("paragraph", RichText(f"<p>Asiakas kokee itse {inserted(books['kortesuo'].source, '11')}.</p>")),
        ("paragraph", RichText("<p>Löytänän ja Kortesuon (2011) mukaan ja (Tuulaniemi 2011, 78–80).</p>")),
        ("paragraph", RichText("<p>Tuntematon lähde (Virtanen 2019, 5) jää listalle.</p>")),
    ]
    return EssayPageFactory(title="Lähteellinen essee", body=body, books=[books["arantola"]])


def test_publishing_records_inserted_and_typed_citations(cited_essay, books):
    recorded = [(c.origin, c.source, c.pages) for c in Citation.objects.filter(page=cited_essay)]
    assert recorded == [
        ("inserted", books["kortesuo"].source, "11"),
        ("typed", books["kortesuo"].source, ""),
        ("typed", books["tuulaniemi"].source, "78–80"),
        ("typed", None, "5"),
    ]


def test_essay_page_shows_citations_in_the_house_style(client, cited_essay):
    # The text, not the head, whose description quotes the first lines as the writer typed them.
    html = client.get(cited_essay.url).content.decode()
    html = html[html.index('class="essay-body"') :]
    assert "(Kortesuo &amp; Löytänä 2011, 11)</a>" in html
    assert "Löytänän ja Kortesuon (2011)</a>" in html
    assert "(Tuulaniemi 2011, 78–80)</a>" in html
    assert "(vanha muoto)" not in html


def test_unmatched_citation_is_shown_as_the_writer_typed_it(client, cited_essay):
    html = client.get(cited_essay.url).content.decode()
    assert "Tuntematon lähde (Virtanen 2019, 5) jää listalle." in html


def test_essay_ends_with_a_bibliography_of_cited_and_listed_sources(client, cited_essay):
    html = client.get(cited_essay.url).content.decode()
    bibliography = html[html.index('class="bibliography"') :]
    assert "<h2>Lähteet</h2>" in bibliography
    arantola = bibliography.index("Arantola, Heli &amp; Simonen, Kaisa 2009.")
    kortesuo = bibliography.index("Kortesuo, Katleena &amp; Löytänä, Janne 2011.")
    tuulaniemi = bibliography.index("Tuulaniemi, Juha 2011.")
    assert arantola < kortesuo < tuulaniemi


def test_bibliography_links_each_book_title_to_the_book(client, cited_essay, books):
    html = client.get(cited_essay.url).content.decode()
    bibliography = html[html.index('class="bibliography"') :]
    book = books["tuulaniemi"]
    assert f'Tuulaniemi, Juha 2011. <a href="{book.get_absolute_url()}">Palvelumuotoilu</a>. Talentum.' in bibliography


def test_site_setting_switches_the_style_to_apa(client, cited_essay):
    settings = CitationSettings.for_site(Site.objects.get(is_default_site=True))
    settings.citation_style = "apa"
    settings.save()
    html = client.get(cited_essay.url).content.decode()
    assert "(Kortesuo &amp; Löytänä, 2011, s. 11)" in html


def test_concept_body_citations_are_formatted_too(client, site_tree, books):
    concept = ConceptPageFactory(title="kosketuspiste", body=paragraphs("Kohtaaminen (Tuulaniemi 2011, 80)."))
    html = client.get(concept.url).content.decode()
    assert "(Tuulaniemi 2011, 80)</a>" in html
    assert "Tuulaniemi, Juha 2011." in html


def test_source_page_lists_where_it_is_cited_with_pages(client, cited_essay, books):
    html = client.get(reverse("citations:source", args=[books["tuulaniemi"].source.pk])).content.decode()
    assert "Lähteellinen essee" in html
    assert "78–80" in html


def test_source_page_does_not_show_protected_essays_to_the_public(client, site_tree, books):
    EssayPageFactory(title="Salainen", visibility="protected", body=paragraphs("Näin (Tuulaniemi 2011, 12)."))
    html = client.get(reverse("citations:source", args=[books["tuulaniemi"].source.pk])).content.decode()
    assert "Salainen" not in html


def test_unknown_source_page_is_not_found(client, db):
    assert client.get("/lahteet/999999/").status_code == 404


def test_adding_a_source_links_citations_that_were_waiting_for_it(cited_essay):
    source = Source.objects.create(title="Uusi kirja", authors="Virtanen, Ville", year=2019)
    assert Citation.objects.get(page=cited_essay, pages="5").source == source


def test_unmatched_citations_report_lists_them_for_editors(superuser_client, cited_essay):
    html = superuser_client.get(reverse("citations_unmatched")).content.decode()
    assert "(Virtanen 2019, 5)" in html
    assert "(Tuulaniemi 2011, 78–80)" not in html


def test_citation_modal_returns_the_chosen_citation(superuser_client, books):
    response = superuser_client.post(
        reverse("citations_admin:insert"),
        {"source": books["arantola"].source.pk, "pages": "29-32", "form": "narrative"},
    )
    data = json.loads(response.content)
    assert data["step"] == "chosen"
    assert data["result"] == {
        "id": books["arantola"].source.pk,
        "pages": "29–32",
        "form": "narrative",
        "text": "Arantola & Simonen (2009, 29–32)",
    }


def test_citation_modal_rejects_pages_that_are_not_pages(superuser_client, books):
    response = superuser_client.post(
        reverse("citations_admin:insert"),
        {"source": books["arantola"].source.pk, "pages": "sivu x", "form": "narrative"},
    )
    data = json.loads(response.content)
    assert data["step"] == "choose"
    assert "29–32" in data["html"]


def test_citation_entity_survives_the_editor_round_trip(books):
    stored = (
        f"<p>Teksti {inserted(books['kortesuo'].source, '11', 'narrative', 'Kortesuo &amp; Löytänä (2011, 11)')}</p>"
    )
    converter = ContentstateConverter(features=["bold", "citation"])
    contentstate = converter.from_database_format(stored)
    entity = next(iter(json.loads(contentstate)["entityMap"].values()))
    assert entity["type"] == "CITATION"
    assert entity["data"] == {"id": books["kortesuo"].source.pk, "pages": "11", "form": "narrative"}
    assert re.sub(r' data-block-key="\w+"', "", converter.to_database_format(contentstate)) == stored


def test_editor_of_an_essay_offers_the_citation_button(superuser_client, cited_essay):
    html = superuser_client.get(reverse("wagtailadmin_pages:edit", args=[cited_essay.pk])).content.decode()
    assert "citations/js/citation-entity.js" in html


def test_import_view_reports_added_and_unreadable_entries(superuser_client, db):
    upload = SimpleUploadedFile("lahteet.ris", b"TY  - BOOK\nTI  - Kirja\nPY  - 2001\nER  -\nTY  - BOOK\nER  -\n")
    html = superuser_client.post(reverse("citations_admin:import"), {"file": upload}).content.decode()
    assert Source.objects.filter(title="Kirja").exists()
    assert "record 2" in html or "tietue 2" in html


def test_export_of_an_unknown_format_is_not_found(superuser_client, db):
    assert superuser_client.get(reverse("citations_admin:export", args=["docx"])).status_code == 404


def test_export_view_sends_bibtex(superuser_client, books):
    response = superuser_client.get(reverse("citations_admin:export", args=["bibtex"]))
    assert response["Content-Disposition"] == 'attachment; filename="lahteet.bib"'
    assert "Palvelumuotoilu" in response.content.decode()


def test_unmatched_citations_csv_keeps_formulas_as_text(superuser_client, site_tree):
    EssayPageFactory(title='=HYPERLINK("http://x")', body=paragraphs("Näin (Virtanen 2019, 5) sanottiin."))
    response = superuser_client.get(reverse("citations_unmatched") + "?export=csv")
    rows = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert rows[1].split(",")[0] == '"\'=HYPERLINK(""http://x"")"'


BROKEN = "(Arantola & Lisäsin viitteen toiseen kappaleeseen.Simonen 2009, 29–32)"


def test_text_typed_into_a_citation_is_reported_as_unmatched(superuser_client, site_tree, books):
    EssayPageFactory(title="Rikkinäinen viite", body=paragraphs(f"Palvelu syntyy yhdessä {BROKEN}."))
    html = superuser_client.get(reverse("citations_unmatched")).content.decode()
    assert "Rikkinäinen viite" in html
    assert BROKEN.replace("&", "&amp;") in html


def test_a_parenthesis_with_a_year_that_is_no_citation_is_not_reported(superuser_client, site_tree, books):
    EssayPageFactory(title="Vuosiluku", body=paragraphs("Yritys (Nokia perustettiin 1865) kasvoi."))
    assert not Citation.objects.filter(page__title="Vuosiluku").exists()


def test_saving_an_essay_with_a_broken_citation_warns_the_writer(superuser_client, site_tree, books):
    essay = EssayPageFactory(title="Rikkinäinen viite", body=paragraphs("Palvelu syntyy yhdessä."))
    url = reverse("wagtailadmin_pages:edit", args=[essay.pk])
    form = superuser_client.get(url).context["form"]
    data = nested_form_data(
        {
            **{name: form.initial.get(name) for name in ("title", "slug", "written", "language", "visibility")},
            "essay_authors": inline_formset([]),
            "book_sources": inline_formset([]),
            "body": streamfield([("paragraph", rich_text(f"<p>Palvelu syntyy yhdessä {BROKEN}.</p>"))]),
            "other_sources": streamfield([]),
            "tags": "",
        }
    )
    response = superuser_client.post(url, data, follow=True)
    shown = [html.unescape(str(message)) for message in response.context["messages"]]
    assert any(
        f"Tämä lähdeviite ei ole lähdeviitteen muotoinen, joten mikään lähde ei vastaa sitä: {BROKEN}." in message
        for message in shown
    ), shown
