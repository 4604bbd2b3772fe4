"""The essays most similar to one: LSH candidates from the band keys, their share computed exactly.

A coach sees who wrote a matching essay, its title and the shared passages only if the admin lets
them read it (EssayPage.objects.hidden_in_admin_from); of any other essay, only that it matches and
how much.
"""

from dataclasses import dataclass

from django.db.models import Count

from essays.models import EssayPage

from .fingerprints import band_keys, essay_text, fingerprint, minhash_values
from .models import AcceptedMatch, BandKey, current_version

# Candidates checked exactly, those sharing the most bands first.
MAX_CANDIDATES = 40
# Matches shown to the coach, most similar first, and the least share shown.
MAX_MATCHES = 10
SHOWN_SHARE = 0.1
# The share from which a match is flagged.
NOTABLE_SHARE = 0.3


@dataclass
class Match:
    essay: EssayPage
    share: float
    readable: bool
    passages: list = None
    other_passages: list = None
    accepted: AcceptedMatch = None

    @property
    def percent(self):
        return round(self.share * 100)

    @property
    def notable(self):
        return self.share >= NOTABLE_SHARE

    @property
    def passage_count(self):
        return sum(1 for _text, shared in self.passages or () if shared)

    @property
    def other_passage_count(self):
        """The other essay's highlighted passages: one passage here may be three there, reordered or
        interrupted."""
        return sum(1 for _text, shared in self.other_passages or () if shared)


def candidates(essay_id, values):
    """Ids of the essays sharing a band key with these MinHash values, most shared bands first."""
    return list(
        BandKey.objects.filter(key__in=band_keys(values))
        .exclude(essay_id=essay_id)
        .values("essay_id")
        .annotate(bands=Count("id"))
        .order_by("-bands", "essay_id")
        .values_list("essay_id", flat=True)[:MAX_CANDIDATES]
    )


def shares(essay, text):
    """[(other essay, share, its fingerprint)] for the candidates of the essay with this text, at
    least SHOWN_SHARE, most similar first; and the text's fingerprint."""
    own = fingerprint(text)
    if not own.shingles:
        return own, []
    ids = candidates(essay.pk, minhash_values(own.shingles))
    others = (
        EssayPage.objects.filter(pk__in=ids)
        .select_related("latest_revision")
        .prefetch_related("essay_authors__person")
    )
    found = []
    for other in others:
        other_print = fingerprint(essay_text(current_version(other)))
        share = own.containment_in(other_print)
        if share >= SHOWN_SHARE:
            found.append((other, share, other_print))
    found.sort(key=lambda row: (-row[1], row[0].pk))
    return own, found[:MAX_MATCHES]


def matches_for(essay, user):
    """The essay's matches as this user may see them."""
    own, found = shares(essay, essay_text(essay))
    ids = [other.pk for other, _share, _print in found]
    hidden = set(EssayPage.objects.filter(pk__in=ids).hidden_in_admin_from(user).values_list("pk", flat=True))
    accepted = {
        acceptance.other_id: acceptance
        for acceptance in AcceptedMatch.objects.filter(essay_id=essay.pk, other_id__in=ids).select_related(
            "accepted_by"
        )
    }
    matches = []
    for other, share, other_print in found:
        readable = other.pk not in hidden
        matches.append(
            Match(
                essay=other,
                share=share,
                readable=readable,
                passages=own.passages(other_print) if readable else None,
                other_passages=other_print.passages(own) if readable else None,
                accepted=accepted.get(other.pk),
            )
        )
    return matches


def warning_percent(matches):
    """The largest share (in per cent) of the matches (matches_for) that reaches NOTABLE_SHARE and
    that no coach has accepted, so that the coach is warned before approving; else None."""
    flagged = [match.percent for match in matches if match.notable and match.accepted is None]
    return max(flagged, default=None)


def unaccepted_overlap_percent(essay):
    """warning_percent of the essay without building its matches' passages, for the dashboard's queue
    (and the grading dialog, a request of its own), which show no matches."""
    _own, found = shares(essay, essay_text(essay))
    accepted = set(AcceptedMatch.objects.filter(essay_id=essay.pk).values_list("other_id", flat=True))
    flagged = [share for other, share, _print in found if share >= NOTABLE_SHARE and other.pk not in accepted]
    return round(flagged[0] * 100) if flagged else None
