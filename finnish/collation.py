"""Finnish alphabetical order, from ICU's collation for the fi_FI locale."""

import threading
import unicodedata

import icu

# ICU collators are not shared between threads; each thread builds its own on first use.
_local = threading.local()


def _collator():
    collator = getattr(_local, "collator", None)
    if collator is None:
        collator = icu.Collator.createInstance(icu.Locale("fi_FI"))
        # Secondary strength: accents count (sää is not saa), case does not (ÖLJY is öljy).
        collator.setStrength(icu.Collator.SECONDARY)
        _local.collator = collator
    return collator


def sort_key(text):
    """Key that orders strings as a Finnish dictionary does (…, z, å, ä, ö; ü with y; v before w)."""
    return _collator().getSortKey(unicodedata.normalize("NFC", text or ""))
