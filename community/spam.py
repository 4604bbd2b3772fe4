"""Self-hosted spam protection for the comment form; nothing here calls an outside service.

Every form carries a signed token (the page, a one-time nonce, a check question and the time it
was shown). A post is refused when the token is forged, old or already used, when the hidden
honeypot field is filled, when it comes sooner than MIN_SECONDS after the form was shown, when
the account or address has posted too much lately, when it holds too many links, when the same
text was posted already, and, from an anonymous visitor, when neither the browser's proof of
work nor the answer to the check question is right.
"""

import datetime
import hashlib
import hmac
import secrets
from dataclasses import dataclass

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Comment, Rating
from .text import links_in

TOKEN_SALT = "community.comment-form"
TOKEN_MAX_AGE = datetime.timedelta(hours=12)
MIN_SECONDS = 4
MAX_LINKS = 2
# (window, most comments in it), per account and per address.
RATE_LIMITS = [(datetime.timedelta(minutes=10), 4), (datetime.timedelta(days=1), 20)]
DUPLICATE_WINDOW = datetime.timedelta(days=7)
# Leading zero hex digits of sha256(token ":" counter): 16 bits, some 65 000 hashes in the browser.
WORK_PREFIX = "0000"
ADDRESS_KEPT = datetime.timedelta(days=30)

# Questions a person reading Finnish answers at once; a bot without the page's script must too.
QUESTIONS = [
    (_("What is the capital of Finland?"), {"helsinki", "helsingfors"}),
    (_("How many days are there in a week? Write the number."), {"7", "seitsemän"}),
    (_("Write the word kirja backwards."), {"ajrik"}),
    (_("What is two plus three? Write the number."), {"5", "viisi"}),
    (_("What colour is fresh snow?"), {"valkoinen", "valkea"}),
]


class Refused(Exception):
    """A post the spam protection turned away, with the Finnish reason shown to the writer."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def address_hash(request):
    """The reader's address as a keyed hash: the address itself is never stored."""
    address = request.META.get("REMOTE_ADDR", "") or ""
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()


@dataclass
class FormToken:
    page_id: int
    nonce: str
    question: int
    shown_at: datetime.datetime

    @classmethod
    def new(cls, page_id, now=None):
        now = now or timezone.now()
        return cls(page_id, secrets.token_hex(16), secrets.randbelow(len(QUESTIONS)), now)

    def sign(self):
        stamp = int(self.shown_at.timestamp())
        return signing.Signer(salt=TOKEN_SALT).sign(f"{self.page_id}:{self.nonce}:{self.question}:{stamp}")

    @classmethod
    def read(cls, value, page_id, now=None):
        """The token of a posted form, or Refused when it is not one we signed for this page lately."""
        invalid = Refused("token", _("The form is not valid. Reload the page and try again."))
        try:
            raw = signing.Signer(salt=TOKEN_SALT).unsign(value or "")
            token_page, nonce, question, stamp = raw.split(":")
            shown_at = datetime.datetime.fromtimestamp(int(stamp), tz=datetime.UTC)
            token = cls(int(token_page), nonce, int(question), shown_at)
        except (signing.BadSignature, ValueError, OverflowError):
            raise invalid from None
        if token.page_id != page_id or not 0 <= token.question < len(QUESTIONS):
            raise invalid
        if (now or timezone.now()) - token.shown_at > TOKEN_MAX_AGE:
            raise Refused("expired", _("The form has expired. Reload the page and write your comment again."))
        return token

    @property
    def question_text(self):
        return QUESTIONS[self.question][0]

    def answers(self, answer):
        return (answer or "").strip().lower() in QUESTIONS[self.question][1]

    def work_done(self, counter):
        """Whether sha256 of the signed token, a colon and `counter` starts with WORK_PREFIX."""
        if not counter or len(counter) > 20 or not counter.isascii() or not counter.isdigit():
            return False
        return hashlib.sha256(f"{self.sign()}:{counter}".encode()).hexdigest().startswith(WORK_PREFIX)


def renew_token(form, page):
    """Give a posted form a fresh token (when its own is forged, old or used) and return it."""
    token = FormToken.new(page.pk)
    form.data = form.data.copy()
    form.data["tarkiste"] = token.sign()
    return token


def normalised(text):
    return " ".join(text.lower().split())


def check(*, token, text, user, ip_hash, honeypot, answer, work, now=None):
    """Raise Refused if this post looks like spam; return nothing when it may be stored."""
    now = now or timezone.now()
    if honeypot:
        raise Refused("honeypot", _("The comment could not be saved."))
    if Comment.objects.filter(form_nonce=token.nonce).exists():
        raise Refused("replay", _("This form has been sent already. Reload the page to write another comment."))
    if (now - token.shown_at).total_seconds() < MIN_SECONDS:
        raise Refused("too_fast", _("The form was sent too quickly. Wait a moment and send it again."))
    recent = Comment.objects.filter(user=user) if user.is_authenticated else Comment.objects.filter(ip_hash=ip_hash)
    for window, most in RATE_LIMITS:
        if recent.filter(created_at__gte=now - window).count() >= most:
            raise Refused("rate", _("You have commented a lot in a short time. Try again later."))
    if user.is_authenticated and ip_hash:
        # One address may hold several accounts; it gets the same limit in all.
        if (
            Comment.objects.filter(ip_hash=ip_hash, created_at__gte=now - RATE_LIMITS[0][0]).count()
            >= 2 * (RATE_LIMITS[0][1])
        ):
            raise Refused("rate", _("You have commented a lot in a short time. Try again later."))
    if len(links_in(text)) > MAX_LINKS:
        raise Refused("links", _("A comment may hold at most %(count)d links.") % {"count": MAX_LINKS})
    # The same text from this writer anywhere, or from anyone on this page.
    earlier = (recent | Comment.objects.filter(page_id=token.page_id)).filter(created_at__gte=now - DUPLICATE_WINDOW)
    wanted = normalised(text)
    if any(normalised(previous) == wanted for previous in earlier.values_list("text", flat=True)):
        raise Refused("duplicate", _("You have already sent this same comment."))
    if not user.is_authenticated:
        if not (token.work_done(work) or token.answers(answer)):
            raise Refused("question", _("Answer the check question to send your comment."))


def forget_addresses(now=None):
    """Clear the address hashes older than ADDRESS_KEPT from comments and votes; returns how many."""
    before = (now or timezone.now()) - ADDRESS_KEPT
    cleared = 0
    with transaction.atomic():
        for model in (Comment, Rating):
            cleared += model.objects.filter(ip_hashed_at__lt=before).update(ip_hash="", ip_hashed_at=None)
    return cleared
