"""Canonical forms of names and titles, and URL slugs that keep ä and ö."""

import re
import unicodedata

from django.utils.text import slugify

_SOFT_HYPHEN = "\u00ad"
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")


def normalize_name(text):
    """Canonical form of a person's name or a book title, used to spot duplicates.

    Case, spacing, dashes and PDF leftovers (soft hyphens) do not matter;
    ä and ö stay letters of their own.
    """
    text = unicodedata.normalize("NFC", text or "").replace(_SOFT_HYPHEN, "")
    text = _DASHES.sub("-", text)
    text = _SPACES.sub(" ", text).strip(" .,;:")
    return text.casefold()


def slug_for(text):
    """A URL slug that keeps ä and ö as they are."""
    return slugify(unicodedata.normalize("NFC", text or ""), allow_unicode=True)[:200] or "nimeton"
