"""The spam corpus through the real comment form: no real comment is refused, and of the spam only
what a person paid to spam could send gets through, and then only into the moderation queue.

`pytest tests/community/test_spam_corpus.py -s` prints the figures docs/community.md reports.
"""

import hashlib
from collections import Counter

import pytest
from django.test import Client

from community.models import Comment
from community.spam import WORK_PREFIX, FormToken
from tests.community.conftest import form_token
from tests.community.spam_corpus import BOT_KINDS, REAL, SPAM

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("without_index_updates")]


def proof_of_work(token):
    return next(
        str(n) for n in range(10**7) if hashlib.sha256(f"{token}:{n}".encode()).hexdigest().startswith(WORK_PREFIX)
    )


def answer(token, page):
    """The answer a person (or a bot reading Finnish) gives to the token's question."""
    from community.spam import QUESTIONS

    return sorted(QUESTIONS[FormToken.read(token, page.pk).question][1])[0]


def send(client, page, data):
    before = Comment.objects.count()
    client.post(f"/kommentit/{page.pk}/", data)
    return Comment.objects.count() > before


def real_comments(page):
    """People, each from an address of their own; every other one's browser does the proof of work."""
    stored = 0
    for number, text in enumerate(REAL):
        token = form_token(page, seconds_ago=20 + number, question=number % 5)
        data = {"text": text, "name": f"Lukija {number}", "tarkiste": token, "kotisivu": ""}
        if number % 2:
            data["laskenta"] = proof_of_work(token)
        else:
            data["vastaus"] = answer(token, page)
        stored += send(Client(REMOTE_ADDR=f"198.51.100.{number + 1}"), page, data)
    return stored


def bot_comments(page, kind):
    client = Client(REMOTE_ADDR={"naive": "203.0.113.1", "replay": "203.0.113.2"}.get(kind, "203.0.113.3"))
    if kind == "patient":
        client = Client(REMOTE_ADDR="203.0.113.4")
    harvested = form_token(page, seconds_ago=60)
    texts = [*SPAM, SPAM[5]] if kind in ("smart", "rotating") else SPAM
    stored = 0
    for number, text in enumerate(texts):
        data = {"text": text, "name": "Best Offers", "kotisivu": ""}
        if kind == "naive":
            data.update(tarkiste=form_token(page, seconds_ago=0), kotisivu="http://spam.example.invalid", vastaus="x")
        elif kind == "replay":
            data.update(tarkiste=harvested, vastaus=answer(harvested, page))
        elif kind == "patient":
            data.update(tarkiste=form_token(page, seconds_ago=30, question=number % 5), vastaus="yes")
        else:
            token = form_token(page, seconds_ago=30, question=number % 5)
            data.update(tarkiste=token, vastaus=answer(token, page))
        if kind == "rotating":
            client = Client(REMOTE_ADDR=f"203.0.113.{100 + number}")
        stored += send(client, page, data)
    return stored, len(texts)


@pytest.fixture
def open_comments(community_settings, essay):
    community_settings.anonymous_comments = True
    community_settings.save()
    return essay


def test_no_real_comment_is_refused(open_comments):
    assert real_comments(open_comments) == len(REAL)


@pytest.mark.parametrize("kind", ["naive", "replay", "patient"])
def test_bots_that_do_not_answer_like_a_person_get_nothing_through(open_comments, kind):
    stored, _sent = bot_comments(open_comments, kind)
    # The replaying bot's first post is an ordinary post; every later one is refused.
    assert stored == (1 if kind == "replay" else 0)


@pytest.mark.parametrize("kind", ["smart", "rotating"])
def test_spam_from_a_person_reaches_only_the_moderation_queue(open_comments, kind):
    stored, sent = bot_comments(open_comments, kind)
    assert 0 < stored < sent
    assert not Comment.objects.exclude(status="pending").exists()


def test_corpus_figures(open_comments, capsys):
    figures = Counter()
    figures["real sent"], figures["real stored"] = len(REAL), real_comments(open_comments)
    for kind in BOT_KINDS:
        stored, sent = bot_comments(open_comments, kind)
        figures[f"{kind} spam sent"], figures[f"{kind} spam stored"] = sent, stored
    refusals = figures["real sent"] - figures["real stored"]
    with capsys.disabled():
        print("\nspam corpus:", dict(figures), f"real refused: {refusals}")
    assert refusals == 0
