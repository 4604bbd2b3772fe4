"""Demo grading: a coach, students and an editor who can sign in, terms, rule sets, and essays that
went through the grading workflow. Runs after the demo content is imported; running it again
changes nothing."""

import datetime

from django.apps import apps as global_apps
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db.models import Min
from django.utils import timezone
from wagtail.models import WorkflowState
from wagtail.rich_text import RichText

from essays.models import EssayAuthor, EssayIndexPage, EssayPage, EssayType, ImportRecord, Person, Team

from .models import PROGRAMME_START, Award, PointRule, RuleSet, Term
from .roles import COACHES, EDITORS, STUDENTS, setup_all

# (username, person's name in the demo content, group)
ACCOUNTS = [
    ("valmentaja", "Marjut Hakala", COACHES),
    ("aino", "Aino Virtanen", STUDENTS),
    ("eetu", "Eetu Mäkinen", STUDENTS),
    ("veera", "Veera Nieminen", STUDENTS),
]
EDITOR_ACCOUNT = "toimittaja"

RULE_SETS = [
    (
        "Pisteytys 2019",
        datetime.date(2019, 1, 1),
        {"blog": 1, "individual": 2, "academic": 3, "reflection": 1, "team": 2, "comment": 1},
    ),
    (
        "Pisteytys 2024",
        datetime.date(2024, 8, 1),
        {"blog": 1, "individual": 2, "academic": 3, "reflection": 2, "podcast": 2, "team": 3, "comment": 1},
    ),
]

# The demo accounts' team started two programme years before the day the demo is loaded, so that
# today falls in one of its terms that has a target (its fifth or sixth) whatever the year.
DEMO_TEAM = "Pinkut"
DEMO_TEAM_YEARS_BEFORE = 2

# (imported essay id, points, feedback, the team's term it was sent in: 0 is its first)
GRADED = [
    (
        "demo-essay-01",
        1,
        "Hyvä havainto pienten hetkien merkityksestä. Seuraavaksi voisit kokeilla kosketuspisteiden kartoitusta.",
        1,
    ),
    ("demo-essay-02", 2, "Selkeä rakenne ja omat esimerkit tiimistä. Lähdeviitteet kunnossa.", 1),
    ("demo-essay-05", 2, "Toimiva soluessee: jokaisen osuus näkyy, ja palvelupolku on kuvattu hyvin.", 2),
    ("demo-essay-06", 1, "Huippu–loppu-sääntö avattu ymmärrettävästi.", 3),
]

# (slug, title, authors' usernames, type code, claimed points, text); the last one gets changes requested.
# Each claims the class its essay-type menu selects under "Pisteytys 2024".
WAITING = [
    (
        "kosketuspisteet-asiakkaan-polulla",
        "Kosketuspisteet asiakkaan polulla",
        ["aino"],
        "individual",
        2,
        "Kävimme tiimin kanssa läpi oman kahvilaprojektimme kosketuspisteet ja huomasimme, että asiakas "
        "kohtaa meidät jo ennen ensimmäistä kahvikuppia: somessa, opasteissa ja kassajonossa.",
    ),
    (
        "palautteen-antaminen-tiimissa",
        "Palautteen antaminen tiimissä",
        ["eetu", "veera"],
        "team",
        3,
        "Kirjoitimme yhdessä siitä, miten palaute muuttui tiimissämme kuukausittaisista palavereista "
        "jatkuvaksi keskusteluksi. Kokeilimme kolmea eri tapaa ja vertailimme niitä.",
    ),
    (
        "segmentointi-ja-oma-asiakas",
        "Segmentointi ja oma asiakas",
        ["veera"],
        "blog",
        1,
        "Segmentointi tuntui ensin turhalta, mutta kun jaoimme asiakkaamme kolmeen ryhmään, markkinointi helpottui.",
    ),
]
CHANGES_REQUESTED = "segmentointi-ja-oma-asiakas"
CHANGES_FEEDBACK = "Lisää vähintään yksi kirjalähde ja kerro, miten jaoitte asiakkaat ryhmiin."


def programme_year(day):
    """The year the programme year containing the day began (programmes start in the autumn)."""
    return day.year if (day.month, day.day) >= PROGRAMME_START else day.year - 1


def term_start(start_year, number):
    """The first day of a team's term: 0 is the autumn the team started, 1 the spring after, …"""
    year = start_year + (number + 1) // 2
    return datetime.date(year, *PROGRAMME_START) if number % 2 == 0 else datetime.date(year, 1, 1)


def _terms(today):
    """Spring and autumn terms from the oldest essay's year to the year after today."""
    oldest = EssayPage.objects.aggregate(oldest=Min("written"))["oldest"]
    first = min(oldest.year if oldest else today.year, programme_year(today) - DEMO_TEAM_YEARS_BEFORE)
    for year in range(first, today.year + 2):
        Term.objects.get_or_create(
            name=f"Kevät {year}",
            defaults={"starts_on": datetime.date(year, 1, 1), "ends_on": datetime.date(year, 7, 31)},
        )
        Term.objects.get_or_create(
            name=f"Syksy {year}",
            defaults={"starts_on": datetime.date(year, 8, 1), "ends_on": datetime.date(year, 12, 31)},
        )


def _demo_team(today):
    """The demo accounts' team, started so that its targets cover today; returns its start year."""
    start_year = programme_year(today) - DEMO_TEAM_YEARS_BEFORE
    Team.objects.filter(name=DEMO_TEAM).update(start_year=start_year)
    return start_year


def _rule_sets():
    for name, effective_from, points in RULE_SETS:
        rule_set, created = RuleSet.objects.get_or_create(effective_from=effective_from, defaults={"name": name})
        if created:
            for order, (code, value) in enumerate(points.items()):
                PointRule.objects.create(
                    rule_set=rule_set, essay_type=EssayType.objects.get(code=code), points=value, sort_order=order
                )


def _accounts(password):
    user_model = get_user_model()
    users = {}
    for username, person_name, group_name in ACCOUNTS:
        person = Person.objects.get(name=person_name)
        first, _space, last = person_name.partition(" ")
        user, created = user_model.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last, "email": f"{username}@example.org"}
        )
        if created:
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))
        if person.user_id != user.pk:
            person.user = user
            person.save()
        users[username] = user
    editor, created = user_model.objects.get_or_create(
        username=EDITOR_ACCOUNT,
        defaults={"first_name": "Toni", "last_name": "Toimittaja", "email": "toimittaja@example.org"},
    )
    if created:
        editor.set_password(password)
        editor.save()
    editor.groups.add(Group.objects.get(name=EDITORS))
    users[EDITOR_ACCOUNT] = editor
    return users


def _submit(essay, student, submitted_on):
    """Send the essay's latest revision to grading as the student, dated the day it was submitted."""
    essay.save_revision(user=student)
    state = essay.get_workflow().start(essay, student)
    submitted_at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(12)))
    WorkflowState.objects.filter(pk=state.pk).update(created_at=submitted_at)
    state.refresh_from_db()
    return state.current_task_state.specific


def _graded(users, start_year):
    """The demo team's essays graded in its earlier terms, each written a week before it was sent."""
    coach = users["valmentaja"]
    for external_id, points, feedback, term in GRADED:
        essay = EssayPage.objects.get(pk=ImportRecord.objects.get(external_id=external_id).page_id)
        if Award.objects.filter(essay=essay).exists():
            continue
        author = Person.objects.filter(authorships__essay=essay, user__isnull=False).first()
        submitted_on = term_start(start_year, term) + datetime.timedelta(days=40)
        essay.written = submitted_on - datetime.timedelta(days=7)
        task_state = _submit(essay, author.user, submitted_on)
        task_state.task.specific.approve(task_state, coach, points=points, comment=feedback)
        awarded_at = timezone.make_aware(datetime.datetime.combine(submitted_on, datetime.time(15)))
        Award.objects.filter(essay=essay).update(awarded_at=awarded_at + datetime.timedelta(days=5))


def _waiting(users):
    index = EssayIndexPage.objects.first()
    coach = users["valmentaja"]
    for slug, title, usernames, type_code, claimed, text in WAITING:
        if EssayPage.objects.filter(slug=slug).exists():
            continue
        authors = [Person.objects.get(user=users[username]) for username in usernames]
        essay = EssayPage(
            title=title,
            slug=slug,
            written=timezone.localdate(),
            essay_type=EssayType.objects.get(code=type_code),
            claimed_points=claimed,
            body=[("paragraph", RichText(f"<p>{text}</p>"))],
            owner=users[usernames[0]],
            live=False,
        )
        essay.essay_authors = [EssayAuthor(person=person, team=person.team) for person in authors]
        index.add_child(instance=essay)
        task_state = _submit(essay, users[usernames[0]], timezone.localdate())
        if slug == CHANGES_REQUESTED:
            task_state.task.specific.request_changes(task_state, coach, comment=CHANGES_FEEDBACK)


def load_grading_demo(password):
    """Create the demo grading data; returns the accounts as (username, description) pairs."""
    setup_all(global_apps)
    today = timezone.localdate()
    _terms(today)
    _rule_sets()
    users = _accounts(password)
    _graded(users, _demo_team(today))
    _waiting(users)
    return [
        ("valmentaja", "Marjut Hakala, tiimin Pinkut valmentaja"),
        ("aino", "Aino Virtanen, opiskelija (Pinkut)"),
        ("eetu", "Eetu Mäkinen, opiskelija (Pinkut)"),
        ("veera", "Veera Nieminen, opiskelija (Pinkut)"),
        (EDITOR_ACCOUNT, "Toni Toimittaja, toimittaja"),
    ]
