"""Search results mark each part with its language: the interface is Finnish, English essays and
English terms are marked English."""

import re

from tests.factories import ConceptPageFactory, EssayPageFactory, paragraphs


def test_concept_snippet_does_not_start_with_the_english_term(client, site_tree):
    ConceptPageFactory(title="asiakaskokemus", english_term="customer experience", definition="Asiakkaan tulkinta.")
    html = client.get("/haku/", {"q": "asiakaskokemus"}).content.decode()
    snippet = re.search(r'<p class="snippet">(.*?)</p>', html, re.S).group(1)
    assert "customer experience" not in snippet
    assert '<span lang="en">customer experience</span>' in html


def test_english_essay_hit_marks_its_title_and_snippet_english(client, site_tree):
    EssayPageFactory(title="Team learning in practice", language="en", body=paragraphs("Teams learn by dialogue."))
    html = client.get("/haku/", {"q": "dialogue"}).content.decode()
    assert re.search(r'<a href="[^"]+" lang="en">Team learning in practice</a>', html)
    assert '<p class="snippet" lang="en">' in html
    assert '<html lang="fi">' in html
