"""Wagtail's page privacy in every public listing.

An editor restricts a page and everything under it (Wagtail's PageViewRestriction: a password,
signed-in members only, or members of some groups). A listing (search, autocomplete, the essay
index, book, person, team and concept pages) leaves out every page under a restriction the reader
does not pass: a LOGIN restriction passes for signed-in users, a GROUPS one for members of one of
its groups, a PASSWORD one never (a password unlocks one page view, not listings). Superusers and
editors see everything. Serving a restricted page stays Wagtail's job (its before_serve_page check).

Restrictions are few, so the rule is a condition on path prefixes, one read of the restrictions
per call of hidden_paths, as Wagtail's own PageQuerySet.public() does for anonymous readers.
"""

from django.db.models import Q
from wagtail.models import BaseViewRestriction, PageViewRestriction


def sees_everything(user):
    """Superusers and editors: no visibility rule or view restriction hides a page from them."""
    return user is not None and (user.is_superuser or user.has_perm("essays.change_essaypage"))


def hidden_paths(user=None):
    """The tree paths of the restricted sections the user (None: an anonymous reader) does not
    pass, as a sorted tuple of prefixes none of which lies inside another; () when none."""
    if user is not None and sees_everything(user):
        return ()
    if user is None or not user.is_authenticated:
        return _outermost(PageViewRestriction.objects.values_list("page__path", flat=True))
    restrictions = {}
    for pk, path, kind, group in PageViewRestriction.objects.values_list(
        "pk", "page__path", "restriction_type", "groups"
    ):
        restrictions.setdefault(pk, (path, kind, set()))[2].add(group)
    user_groups = None
    hidden = []
    for path, kind, groups in restrictions.values():
        if kind == BaseViewRestriction.LOGIN:
            continue
        if kind == BaseViewRestriction.GROUPS:
            if user_groups is None:
                user_groups = set(user.groups.values_list("pk", flat=True))
            if user_groups & groups:
                continue
        # PASSWORD, GROUPS not passed, and any kind Wagtail may add later.
        hidden.append(path)
    return _outermost(hidden)


def _outermost(paths):
    kept = []
    for path in sorted(set(paths)):
        if not kept or not path.startswith(kept[-1]):
            kept.append(path)
    return tuple(kept)


def hidden_q(paths):
    """The pages in the sections with these paths (hidden_paths)."""
    condition = Q()
    for path in paths:
        condition |= Q(path__startswith=path)
    return condition


def without_hidden(pages, paths):
    """The page queryset without the pages under these paths (hidden_paths)."""
    return pages.exclude(hidden_q(paths)) if paths else pages


def listable_by(pages, user):
    """The page queryset without the pages under restrictions the user does not pass."""
    return without_hidden(pages, hidden_paths(user))
