"""Words typed without the dots of ä and ö (a keyboard without them, a hurried phone): the dotted
spellings such a word may stand for. Which of them is a real word is for the index to tell."""

import itertools

# The a and o letters of a word tried dotted at most: 2**7 spellings.
MAX_UNDOTTED = 7
_DOTTED = {"a": "ä", "o": "ö", "A": "Ä", "O": "Ö"}


def dotted_spellings(word):
    """Every spelling of the word with one or more of its first MAX_UNDOTTED a and o letters
    dotted, fewest dots first; none for a word with a dotted letter (its writer types them)."""
    if any(letter in "äöÄÖ" for letter in word):
        return []
    positions = [index for index, letter in enumerate(word) if letter in _DOTTED][:MAX_UNDOTTED]
    spellings = []
    for count in range(1, len(positions) + 1):
        for chosen in itertools.combinations(positions, count):
            letters = list(word)
            for index in chosen:
                letters[index] = _DOTTED[letters[index]]
            spellings.append("".join(letters))
    return spellings
