"""Demo comments, ratings, a moderation queue and an essay of the month, written for this project.
Runs after the demo content and grading accounts exist; running it again changes nothing."""

import datetime
import decimal

from django.contrib.auth import get_user_model
from django.utils import timezone
from wagtail.models import Site

from essays.models import ImportRecord

from .imports import load_rating_baselines
from .models import Comment, CommunitySettings, EssayOfMonth, MonthlyVote, Nomination
from .month import decide, month_of, previous_month
from .ratings import cast_vote

DEMO_SOURCE = "demo"
APPROVED, PENDING, SPAM = Comment.Status.APPROVED, Comment.Status.PENDING, Comment.Status.SPAM

# (key, page, username or None, name for an anonymous writer, days ago, status, reply to, text)
COMMENTS = [
    (
        "c1",
        "demo-essay-01",
        "eetu",
        "",
        12,
        APPROVED,
        None,
        "Hyvä huomio siitä, että kahvilan tervehdys ratkaisee enemmän kuin hinta. "
        "Huomasin saman meidän ensimmäisessä asiakasprojektissa.",
    ),
    (
        "c2",
        "demo-essay-01",
        "aino",
        "",
        11,
        APPROVED,
        "c1",
        "Kiitos Eetu! Kerro lisää siitä projektista, niin kirjoitan ehkä jatkoesseen.",
    ),
    (
        "c3",
        "demo-essay-01",
        None,
        "Liisa, alumni",
        9,
        APPROVED,
        None,
        "Luin tämän ennen omaa asiakastapaamistani ja uskalsin kysyä enemmän.\n\n"
        "Samasta aiheesta on hyvä kooste osoitteessa https://example.org/asiakaskokemus – suosittelen.",
    ),
    (
        "c4",
        "demo-essay-01",
        None,
        "Markku",
        1,
        PENDING,
        None,
        "Miten te mittaisitte näitä pieniä hetkiä? Onko teillä jokin kysely käytössä?",
    ),
    (
        "c5",
        "demo-essay-02",
        "veera",
        "",
        6,
        APPROVED,
        None,
        "Luottamus ennen tuloksia – tämä kolahti. Palaverimme paranivat, kun uskalsimme sanoa "
        "keskeneräisetkin ajatukset ääneen.",
    ),
    (
        "c6",
        "demo-essay-05",
        "valmentaja",
        "",
        5,
        APPROVED,
        None,
        "Hieno soluessee. Palvelupolun kuvaus on selkeä; seuraavaksi kannattaa testata yksi muutos "
        "oikeilla asiakkailla ja kertoa, mitä tapahtui.",
    ),
    (
        "c7",
        "demo-essay-06",
        None,
        "Jonna",
        2,
        PENDING,
        None,
        "Huippu–loppu-sääntö selittää, miksi muistan festareista vain jonot ja viimeisen keikan. "
        "Onko tästä suomenkielistä lähdettä?",
    ),
    (
        "c8",
        "demo-essay-03",
        None,
        "Edullista näkyvyyttä",
        3,
        SPAM,
        None,
        "PARAS TARJOUS!!! Lisää seuraajia heti https://example.invalid/tarjous https://example.invalid/bonus",
    ),
    (
        "c9",
        "demo-summary-01",
        "eetu",
        "",
        4,
        APPROVED,
        None,
        "Tiivistelmä säästi aikaa ennen kirjapiiriä – avainoivallukset olivat juuri ne, joista puhuimme.",
    ),
    (
        "c10",
        "demo-essay-34",
        None,
        "Tuomas",
        0,
        PENDING,
        None,
        "Kanvaasin täyttäminen yhdessä asiakkaan kanssa on hyvä idea. Kokeilimme samaa kesäyrityksessä.",
    ),
]

# (username, page, stars)
VOTES = [
    ("eetu", "demo-essay-01", 5),
    ("veera", "demo-essay-01", 4),
    ("valmentaja", "demo-essay-01", 4),
    ("aino", "demo-essay-02", 4),
    ("veera", "demo-essay-02", 3),
    ("aino", "demo-essay-06", 5),
    ("eetu", "demo-essay-06", 5),
    ("toimittaja", "demo-essay-11", 4),
    ("eetu", "demo-essay-11", 5),
    ("aino", "demo-essay-16", 3),
    ("toimittaja", "demo-summary-01", 4),
]

# What an old bank's rating plugin counted for some essays: (page, average, votes).
BASELINES = [("demo-essay-07", decimal.Decimal("3.80"), 5), ("demo-essay-14", decimal.Decimal("4.50"), 2)]

# (page, nominated by, reason, voters) last month and this month.
LAST_MONTH = [
    (
        "demo-essay-05",
        "valmentaja",
        "Soluessee, jossa jokaisen osuus näkyy ja asiakaspolku on piirretty huolella.",
        ["eetu"],
    ),
    (
        "demo-essay-11",
        "toimittaja",
        "Neljän kirjoittajan havainnot samasta kauppakeskuksesta täydentävät toisiaan.",
        ["veera", "aino", "toimittaja"],
    ),
]
THIS_MONTH = [
    ("demo-essay-06", "valmentaja", "Selkeä ja omiin kokemuksiin sidottu esimerkki huippu–loppu-säännöstä.", ["eetu"]),
    ("demo-essay-16", "toimittaja", "Käytännöllinen malli kosketuspisteiden kartoitukseen.", []),
]


def _pages():
    return {record.external_id: record.page.specific for record in ImportRecord.objects.select_related("page")}


def _users():
    return {user.username: user for user in get_user_model().objects.filter(is_active=True)}


def _comments(pages, users, now):
    saved = {}
    for key, page_id, username, name, days_ago, status, parent, text in COMMENTS:
        page = pages.get(page_id)
        user = users.get(username) if username else None
        if page is None or (username and user is None):
            continue
        written = now - datetime.timedelta(days=days_ago, hours=2)
        comment, _created = Comment.objects.update_or_create(
            legacy_source=DEMO_SOURCE,
            legacy_key=key,
            defaults={
                "page": page,
                "parent": saved.get(parent),
                "user": user,
                "author_name": user.person.name if user and hasattr(user, "person") else name,
                "text": text,
                "created_at": written,
                "status": status,
                "authors_notified_at": written if status == APPROVED else None,
            },
        )
        saved[key] = comment


def _nominations(month, entries, pages, users):
    for page_id, nominator, reason, voters in entries:
        essay = pages.get(page_id)
        if essay is None:
            continue
        nomination, _created = Nomination.objects.get_or_create(
            month=month, essay=essay, defaults={"nominated_by": users.get(nominator), "reason": reason}
        )
        for username in voters:
            if username in users and not MonthlyVote.objects.filter(month=month, user=users[username]).exists():
                MonthlyVote.objects.create(month=month, nomination=nomination, user=users[username])


def load_community_demo(now=None):
    now = now or timezone.now()
    site = Site.objects.filter(is_default_site=True).first()
    if site is not None:
        settings = CommunitySettings.for_site(site)
        settings.anonymous_comments = True
        settings.anonymous_ratings = True
        settings.save()
    pages, users = _pages(), _users()
    _comments(pages, users, now)
    for username, page_id, stars in VOTES:
        if username in users and page_id in pages:
            cast_vote(pages[page_id], stars, user=users[username])
    load_rating_baselines(BASELINES, pages)
    this_month = month_of(now)
    last_month = previous_month(this_month)
    if not EssayOfMonth.objects.filter(month=last_month).exists():
        _nominations(last_month, LAST_MONTH, pages, users)
        decide(last_month)
    _nominations(this_month, THIS_MONTH, pages, users)
