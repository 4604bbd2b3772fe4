"""Finnish alphabetical order."""

import unicodedata

# Finnish alphabetical order puts å, ä and ö after z, in that order; other
# accented letters sort with their base letter (é with e, ü with y).
_AFTER_Z = {"å": "{", "ä": "|", "ö": "}"}


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
