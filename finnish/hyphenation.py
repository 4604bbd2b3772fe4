"""Repairing words that a PDF's line breaks left hyphenated ("kehittämi-sen" → "kehittämisen").

Voikko decides: the pieces are joined when the joined word is a Finnish word, the hyphenated
form is not, and the pieces are not both words of their own. Real hyphenated compounds
("tietosuoja-asetus", "EU-maat") and lists ("kehittämis- ja tutkimustyö") stay as written.
"""

import re

from finnish.analysis import is_known_word

# A lowercase piece, a hyphen (or a soft hyphen) and at most a line break or space, a lowercase piece.
BROKEN_WORD = re.compile(r"\b([^\W\d_]+)[-\u00ad][ \t]*\n?[ \t]*([^\W\d_A-ZÅÄÖ]+)\b")


def join_broken_words(text):
    """The text with its PDF hyphenation repaired where Voikko says a word was broken."""
    return BROKEN_WORD.sub(_joined, text) if "-" in text or "\u00ad" in text else text


def _joined(match):
    first, second = match.groups()
    joined = first + second
    if (
        is_known_word(joined)
        and not is_known_word(f"{first}-{second}")
        and not (is_known_word(first) and is_known_word(second))
    ):
        return joined
    return match.group()
