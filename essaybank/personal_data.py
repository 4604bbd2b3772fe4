"""Everything the site stores about one person, exported as a ZIP or erased on a data request.

The project layer gathers it because it spans every app: the person and their account (essays),
their essays with revisions and workflow states (Wagtail), awards and feedback (grading), log
entries and sign-in records; other apps add theirs through the ``register_personal_data`` hook
(docs/operations.md).

An erasure removes the person and their account. Each essay they wrote is either deleted or kept
under the shared person "Poistettu kirjoittaja"; their awards stay, without student or feedback,
in their team's totals. Stored revisions of kept pages are scrubbed in place rather than deleted,
so co-authors keep the history and a workflow in progress keeps its revision.
"""

import io
import json
import re
import zipfile
from dataclasses import asdict, dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ImproperlyConfigured
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.db.models import Q, TextField
from django.db.models.functions import Cast
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.log_actions import log
from wagtail.models import (
    Comment,
    CommentReply,
    ModelLogEntry,
    Page,
    PageLogEntry,
    ReferenceIndex,
    Revision,
    WorkflowState,
)
from wagtail.search import index

from essays.models import BookSummaryPage, EssayAuthor, EssayPage, FacetsVersion, Person
from finnish.names import normalize_name
from grading.accounts import manageable_users
from grading.models import Award
from search import caches as search_caches

HOOK = "register_personal_data"
ERASE_ACTION = "essaybank.erase_personal_data"
EXPORT_ACTION = "essaybank.export_personal_data"
# Stored as a person's name, so in the language of the content rather than through gettext.
ERASED_AUTHOR_NAME = "Poistettu kirjoittaja"

DELETE = "delete"
KEEP = "keep"
CHOICES = (DELETE, KEEP)


class PersonalDataError(Exception):
    """Bad input to an export or an erasure; the message is for the user, in Finnish."""


def find_person(identifier):
    """The person with this id (ASCII digits) or slug; PersonalDataError when there is none."""
    identifier = (identifier or "").strip()
    person = None
    if identifier.isascii() and identifier.isdigit():
        person = Person.objects.filter(pk=int(identifier)).first()
    if person is None and identifier:
        person = Person.objects.filter(slug=identifier).first()
    if person is None:
        raise PersonalDataError(_("No person has the id or slug “%(identifier)s”.") % {"identifier": identifier})
    return person


def erased_author():
    """The shared person that kept essays of erased people are credited to, created when first needed."""
    person = Person.objects.filter(normalized_name=normalize_name(ERASED_AUTHOR_NAME)).first()
    return person or Person.objects.create(name=ERASED_AUTHOR_NAME, role=Person.Role.STUDENT, team=None)


def is_erased_author(person):
    return person.normalized_name == normalize_name(ERASED_AUTHOR_NAME)


def may_handle(user, person=None):
    """Superusers, and editors for people whose account (if any) they may manage: the Students'
    and Coaches' accounts (grading.accounts)."""
    if not (user.is_active and user.is_authenticated):
        return False
    if user.is_superuser:
        return True
    if not (user.has_perm("essays.delete_person") and user.has_perm("essays.change_essaypage")):
        return False
    if person is None or person.user_id is None:
        return True
    return manageable_users(user).filter(pk=person.user_id).exists()


def providers():
    """The sections other apps register: dicts {"name", "export", "erase"}, checked here so that a
    malformed one fails loudly rather than being left out of an erasure."""
    found = []
    for register in hooks.get_hooks(HOOK):
        provider = register()
        if (
            not isinstance(provider, dict)
            or not isinstance(provider.get("name"), str)
            or not re.fullmatch(r"[a-z0-9_-]+", provider["name"])
            or not callable(provider.get("export"))
            or not callable(provider.get("erase"))
        ):
            raise ImproperlyConfigured(
                f"{register.__module__}.{register.__name__}: a {HOOK} hook returns "
                '{"name": "lowercase_name", "export": callable, "erase": callable}'
            )
        found.append(provider)
    return found


def authored_essays(person):
    return EssayPage.objects.filter(essay_authors__person=person).distinct().order_by("pk")


# --- export ---------------------------------------------------------------------------------


def _user_of(person):
    return get_user_model()._default_manager.filter(pk=person.user_id).first() if person.user_id else None


def _name_of_user(user):
    return (user.get_full_name() or user.get_username()) if user else None


def profile(person):
    user = _user_of(person)
    teams = {person.team} if person.team else set()
    teams.update(authorship.team for authorship in person.authorships.select_related("team") if authorship.team)
    account = None
    if user is not None:
        account = {
            "username": user.get_username(),
            "first_name": user.first_name,
            "last_name": user.last_name,
            "email": user.email,
            "is_active": user.is_active,
            "is_superuser": user.is_superuser,
            "date_joined": user.date_joined,
            "last_login": user.last_login,
            "groups": sorted(user.groups.values_list("name", flat=True)),
        }
    return {
        "person": {
            "id": person.pk,
            "name": person.name,
            "slug": person.slug,
            "role": person.role,
            "team": person.team.name if person.team else None,
            "teams_coached": sorted(person.coached_teams.values_list("name", flat=True)),
        },
        "account": account,
        "team_memberships": sorted(team.name for team in teams),
        "book_summaries": [
            {"id": summary.pk, "title": summary.title, "book": summary.book.title, "written": summary.written}
            for summary in BookSummaryPage.objects.filter(summary_author=person).select_related("book")
        ],
    }


def essay_text(essay):
    """The essay's current title and text as plain paragraphs."""
    paragraphs = [essay.title]
    for child in essay.body:
        paragraphs.extend(str(text) for text in child.block.get_searchable_content(child.value) if str(text).strip())
    return "\n\n".join(paragraphs) + "\n"


def _workflow_history(page, user):
    states = WorkflowState.objects.for_instance(page).select_related("workflow", "requested_by").order_by("pk")
    return [
        {
            "workflow": state.workflow.name,
            "status": state.status,
            "started": state.created_at,
            "requested_by_this_person": user is not None and state.requested_by_id == user.pk,
            "tasks": [
                {
                    "task": task_state.task.name,
                    "status": task_state.status,
                    "started": task_state.started_at,
                    "finished": task_state.finished_at,
                    "finished_by": _name_of_user(task_state.finished_by),
                    "comment": task_state.comment,
                }
                for task_state in state.task_states.select_related("task", "finished_by").order_by("pk")
            ],
        }
        for state in states
    ]


def essay_record(essay, user):
    return {
        "id": essay.pk,
        "title": essay.title,
        "url": essay.url,
        "live": essay.live,
        "visibility": essay.visibility,
        "written": essay.written,
        "essay_type": essay.essay_type.name if essay.essay_type else None,
        "authors": [authorship.person.name for authorship in essay.essay_authors.select_related("person")],
        "revisions": [
            {
                "id": revision.pk,
                "created_at": revision.created_at,
                "saved_by_this_person": user is not None and revision.user_id == user.pk,
                "content": revision.content,
            }
            for revision in essay.revisions.order_by("created_at", "pk")
        ],
        "workflow": _workflow_history(essay, user),
    }


def _award_record(award):
    return {
        "id": award.pk,
        "essay": award.essay_title,
        "team": award.team.name if award.team else None,
        "points": award.points,
        "suggested_points": award.suggested_points,
        "rule": award.rule,
        "graded_by": _name_of_user(award.coach),
        "awarded_at": award.awarded_at,
        "submitted_on": award.submitted_on,
        "feedback": award.feedback,
        "corrects": award.corrects_id,
        "counts_in_totals": not hasattr(award, "correction"),
    }


def awards(person):
    user = _user_of(person)
    related = ("essay", "team", "coach", "correction")
    return {
        "received": [_award_record(award) for award in person.awards.select_related(*related).order_by("pk")],
        "given_as_coach": [
            _award_record(award) for award in Award.objects.filter(coach=user).select_related(*related).order_by("pk")
        ]
        if user
        else [],
    }


def _about(person, user):
    """Model log entries about the person or their account."""
    about = Q(content_type=ContentType.objects.get_for_model(Person), object_id=str(person.pk))
    if user is not None:
        about |= Q(content_type=ContentType.objects.get_for_model(type(user)), object_id=str(user.pk))
    return about


def _by(user):
    return Q(user_id=user.pk) if user is not None else Q(pk__in=[])


def log_entries(person):
    user = _user_of(person)
    entries = []
    sources = (
        ("model", ModelLogEntry.objects, _about(person, user) | _by(user)),
        ("page", PageLogEntry.objects, _by(user)),
    )
    for kind, manager, condition in sources:
        for entry in manager.filter(condition).select_related("content_type").order_by("timestamp", "pk"):
            entries.append(
                {
                    "kind": kind,
                    "action": entry.action,
                    "label": entry.label,
                    "object_type": entry.content_type.model if entry.content_type else None,
                    "object_id": entry.page_id if kind == "page" else entry.object_id,
                    "timestamp": entry.timestamp,
                    "by_this_person": user is not None and entry.user_id == user.pk,
                    "data": entry.data,
                }
            )
    return entries


def _sign_in_models():
    from axes.models import AccessAttempt, AccessFailureLog, AccessLog

    return (AccessAttempt, AccessLog, AccessFailureLog)


def sign_in_records(person):
    user = _user_of(person)
    if user is None:
        return []
    records = []
    for model in _sign_in_models():
        for row in model.objects.filter(username__iexact=user.get_username()).values():
            records.append({"kind": model._meta.model_name, **row})
    return records


def admin_comments(person):
    user = _user_of(person)
    if user is None:
        return []
    return [
        {"page": comment.page_id, "text": comment.text, "created_at": comment.created_at}
        for comment in Comment.objects.filter(user=user).order_by("pk")
    ] + [
        {"reply_to": reply.comment_id, "text": reply.text, "created_at": reply.created_at}
        for reply in CommentReply.objects.filter(user=user).order_by("pk")
    ]


def export_files(person):
    """{path in the ZIP: bytes}: JSON files and each essay's text."""
    user = _user_of(person)

    def as_json(value):
        return json.dumps(value, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2).encode()

    files = {
        "profile.json": as_json(profile(person)),
        "awards.json": as_json(awards(person)),
        "log_entries.json": as_json(log_entries(person)),
        "sign_in_records.json": as_json(sign_in_records(person)),
        "admin_comments.json": as_json(admin_comments(person)),
    }
    for essay in authored_essays(person).select_related("essay_type"):
        stem = f"essays/{essay.pk}-{slugify(essay.slug) or 'essee'}"
        files[f"{stem}.json"] = as_json(essay_record(essay, user))
        files[f"{stem}.txt"] = essay_text(essay).encode()
    for provider in providers():
        files[f"{provider['name']}.json"] = as_json(provider["export"](person))
    files["manifest.json"] = as_json(
        {"person": person.pk, "exported_at": timezone.now(), "files": sorted(files)},
    )
    return files


def write_export(person, output, user=None):
    """Write the person's ZIP to a binary file object, and log that it was made."""
    with zipfile.ZipFile(output, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for path, content in sorted(export_files(person).items()):
            archive.writestr(path, content)
    log(instance=person, action=EXPORT_ACTION, user=user)


def export_bytes(person, user=None):
    buffer = io.BytesIO()
    write_export(person, buffer, user=user)
    return buffer.getvalue()


# --- erasure --------------------------------------------------------------------------------


@dataclass
class Erasure:
    """What an erasure did, in numbers only: it goes into the audit log."""

    essays_deleted: int = 0
    essays_kept: int = 0
    summaries_kept: int = 0
    awards_anonymised: int = 0
    revisions_scrubbed: int = 0
    log_entries_removed: int = 0
    log_entries_anonymised: int = 0
    sign_in_records_removed: int = 0
    admin_comments_removed: int = 0
    account_deleted: bool = False
    other: dict = field(default_factory=dict)

    def as_dict(self):
        return asdict(self)


class _Scrubber:
    """Replaces the person's name, person id and account id in stored JSON and text."""

    def __init__(self, person, user, replacement):
        self.name = re.compile(re.escape(person.name), re.IGNORECASE) if person.name.strip() else None
        # The slug as it appears in links to the person's page, such as /ihmiset/aino-virtanen/.
        self.slug = re.compile(rf"/{re.escape(person.slug)}/") if person.slug else None
        self.person_id = person.pk
        self.user_id = user.pk if user else None
        self.replacement = replacement

    def text(self, value):
        if self.name:
            value = self.name.sub(ERASED_AUTHOR_NAME, value)
        if self.slug:
            value = self.slug.sub(f"/{self.replacement.slug}/", value)
        return value

    def json(self, value, key=None):
        if isinstance(value, dict):
            return {k: self.json(v, k) for k, v in value.items()}
        if isinstance(value, list):
            return [self.json(item, key) for item in value]
        if isinstance(value, str):
            return self.text(value)
        if key in ("person", "summary_author", "student") and value == self.person_id:
            return self.replacement.pk
        if key in ("owner", "locked_by", "requested_by") and self.user_id is not None and value == self.user_id:
            return None
        return value


def summary(counts):
    """What an erasure did (Erasure.as_dict()), as a sentence for the admin, the command and the log."""
    parts = [
        ngettext("%(count)d essay deleted", "%(count)d essays deleted", counts["essays_deleted"]),
        ngettext("%(count)d essay kept", "%(count)d essays kept", counts["essays_kept"]),
        ngettext("%(count)d award anonymised", "%(count)d awards anonymised", counts["awards_anonymised"]),
        ngettext("%(count)d revision scrubbed", "%(count)d revisions scrubbed", counts["revisions_scrubbed"]),
        ngettext("%(count)d log entry removed", "%(count)d log entries removed", counts["log_entries_removed"]),
    ]
    numbers = [
        counts["essays_deleted"],
        counts["essays_kept"],
        counts["awards_anonymised"],
        counts["revisions_scrubbed"],
        counts["log_entries_removed"],
    ]
    text = ", ".join(part % {"count": number} for part, number in zip(parts, numbers, strict=True))
    if counts["account_deleted"]:
        text += ", " + _("user account deleted")
    for name, number in sorted(counts.get("other", {}).items()):
        text += f", {name}: {number}"
    return _("Personal data erased: %(summary)s.") % {"summary": text}


def check_choices(essays, choices):
    missing = [essay for essay in essays if choices.get(essay.pk) not in CHOICES]
    if missing:
        raise PersonalDataError(
            _("Choose whether to delete or keep each essay; no choice for: %(essays)s.")
            % {"essays": ", ".join(f"{essay.pk} {essay.title}" for essay in missing)}
        )
    unknown = set(choices) - {essay.pk for essay in essays}
    if unknown:
        raise PersonalDataError(
            _("These are not the person's essays: %(ids)s.") % {"ids": ", ".join(str(pk) for pk in sorted(unknown))}
        )


def _scrub_page(page, scrubber):
    """The page's own text fields and body without the name; saved only if something changed."""
    changed = []
    for name in ("title", "draft_title", "seo_title", "search_description"):
        value = getattr(page, name)
        if value and scrubber.text(value) != value:
            setattr(page, name, scrubber.text(value))
            changed.append(name)
    if hasattr(page, "body"):
        raw = list(page.body.get_prep_value())
        scrubbed = scrubber.json(raw)
        if scrubbed != raw:
            page.body = scrubbed
            changed.append("body")
    if changed:
        page.save(update_fields=changed, clean=False)


def _naming(person, account):
    """Revisions whose stored content names the person or the account by id, wherever they are
    (an essay they were taken off as an author, a page they once owned), or that the account saved.
    The content is matched as text: Django and PostgreSQL both write `"key": value`."""
    patterns = [rf'"(person|summary_author)": {person.pk}[,}}]']
    if account is not None:
        patterns.append(rf'"(owner|locked_by)": {account.pk}[,}}]')
    as_text = Revision.objects.annotate(as_text=Cast("content", TextField()))
    condition = Q(pk__in=as_text.filter(as_text__regex="|".join(patterns)).values("pk"))
    return condition | Q(user=account) if account is not None else condition


def _scrub_revisions(revisions, scrubber, user):
    count = 0
    for revision in revisions:
        content = scrubber.json(revision.content)
        object_str = scrubber.text(revision.object_str)
        saved_by = None if user is not None and revision.user_id == user.pk else revision.user_id
        if content != revision.content or object_str != revision.object_str or saved_by != revision.user_id:
            revision.content, revision.object_str, revision.user_id = content, object_str, saved_by
            revision.save(update_fields=["content", "object_str", "user"])
            count += 1
    return count


def _scrub_log_entries(entries, scrubber, user):
    count = 0
    for entry in entries:
        label, data = scrubber.text(entry.label), scrubber.json(entry.data)
        by = None if user is not None and entry.user_id == user.pk else entry.user_id
        if label != entry.label or data != entry.data or by != entry.user_id:
            entry.label, entry.data, entry.user_id = label, data, by
            entry.save(update_fields=["label", "data", "user"])
            count += 1
    return count


def _delete_essays(essays, result):
    """Delete the essays with their revisions, workflow states and page log entries; their
    awards stay in their teams' totals without the essay."""
    page_type = ContentType.objects.get_for_model(Page)
    Award.objects.filter(essay__in=essays).update(essay=None)
    result.log_entries_removed += PageLogEntry.objects.filter(page_id__in=[essay.pk for essay in essays]).delete()[0]
    for essay in essays:
        WorkflowState.objects.for_instance(essay).delete()
        Revision.objects.filter(base_content_type=page_type, object_id=str(essay.pk)).delete()
        essay.delete()
    result.essays_deleted = len(essays)


def _credit_to_erased_author(person, essays, scrubber, result):
    """Credit the kept essays and the person's book summaries to the erased author; returns the pages."""
    replacement = scrubber.replacement
    for essay in essays:
        for authorship in EssayAuthor.objects.filter(essay=essay, person=person):
            # A second erased co-author of the same essay: the erased author is there already.
            if EssayAuthor.objects.filter(essay=essay, person=replacement).exists():
                authorship.delete()
            else:
                authorship.person = replacement
                authorship.save()
        _scrub_page(essay, scrubber)
    summaries = list(BookSummaryPage.objects.filter(summary_author=person))
    for summary in summaries:
        summary.summary_author = replacement
        summary.save(update_fields=["summary_author"], clean=False)
        _scrub_page(summary, scrubber)
    result.essays_kept, result.summaries_kept = len(essays), len(summaries)
    return essays + summaries


def _erase_history(person, account, pages, scrubber, result):
    """Scrub the revisions and log entries that stay; delete the log entries about the person."""
    page_type = ContentType.objects.get_for_model(Page)
    page_ids = [page.pk for page in pages]
    revisions = Revision.objects.filter(
        Q(base_content_type=page_type, object_id__in=[str(pk) for pk in page_ids]) | _naming(person, account)
    )
    result.revisions_scrubbed = _scrub_revisions(revisions, scrubber, account)
    result.log_entries_removed += ModelLogEntry.objects.filter(_about(person, account)).delete()[0]
    result.log_entries_anonymised = _scrub_log_entries(
        ModelLogEntry.objects.filter(_by(account)), scrubber, account
    ) + _scrub_log_entries(PageLogEntry.objects.filter(Q(page_id__in=page_ids) | _by(account)), scrubber, account)


def _erase_account(account, result):
    for model in _sign_in_models():
        result.sign_in_records_removed += model.objects.filter(username__iexact=account.get_username()).delete()[0]
    # Wagtail's page-editor comments go with the account (on_delete CASCADE).
    result.admin_comments_removed = (
        Comment.objects.filter(user=account).count() + CommentReply.objects.filter(user=account).count()
    )
    account.delete()
    result.account_deleted = True


def erase(person, choices, user=None):
    """Erase the person: `choices` maps each of their essays' ids to DELETE or KEEP; `user` is who
    asked, for the audit log. Returns an Erasure; raises PersonalDataError (nothing changed) on
    bad input."""
    if is_erased_author(person):
        raise PersonalDataError(_("“%(name)s” holds erased people's essays and cannot be erased.") % {"name": person})
    with transaction.atomic():
        essays = list(authored_essays(person))
        check_choices(essays, choices)
        account = _user_of(person)
        result = Erasure()
        for provider in providers():
            result.other[provider["name"]] = int(provider["erase"](person))

        replacement = erased_author()
        scrubber = _Scrubber(person, account, replacement)
        _delete_essays([essay for essay in essays if choices[essay.pk] == DELETE], result)
        result.awards_anonymised = Award.objects.filter(student=person).update(student=None, feedback="")
        pages = _credit_to_erased_author(
            person, [essay for essay in essays if choices[essay.pk] == KEEP], scrubber, result
        )
        _erase_history(person, account, pages, scrubber, result)

        person_type = ContentType.objects.get_for_model(Person)
        ReferenceIndex.objects.filter(to_content_type=person_type, to_object_id=str(person.pk)).delete()
        person.delete()
        if account is not None:
            _erase_account(account, result)

        for page in pages:
            page = page.specific_class.objects.get(pk=page.pk)
            index.insert_or_update_object(page)
            ReferenceIndex.create_or_update_for_object(page)
        # QuerySet.update() above sends no signals: the facets and the search app's caches are told here.
        FacetsVersion.replace()
        transaction.on_commit(search_caches.forget_database)
        log(instance=replacement, action=ERASE_ACTION, user=user, data=result.as_dict())
    return result
