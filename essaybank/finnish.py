"""Facts of the Finnish language that the whole site relies on."""

import re
import unicodedata

from django.utils.text import slugify

# Finnish alphabetical order puts å, ä and ö after z, in that order; other
# accented letters sort with their base letter (é with e, ü with y).
_AFTER_Z = {"å": "{", "ä": "|", "ö": "}"}
_SOFT_HYPHEN = "\u00ad"
_DASHES = re.compile(r"[\u2010-\u2015\u2212]")
_SPACES = re.compile(r"\s+")


def _fold_letter(char):
    if char in _AFTER_Z:
        return _AFTER_Z[char]
    if char == "ü":
        return "y"
    decomposed = unicodedata.normalize("NFD", char)
    return decomposed[0]


def sort_key(text):
    """Key that orders strings as a Finnish dictionary does (…, z, å, ä, ö)."""
    lowered = unicodedata.normalize("NFC", text or "").casefold()
    return "".join(_fold_letter(char) for char in lowered)


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
