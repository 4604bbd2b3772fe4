"""Near-duplicate fingerprints of essay text: lemma shingles, their MinHash and its LSH band keys.

A text is compared on what it says, not how its words are inflected: every word becomes its
lemma (finnish.analysis.lemma, as phrase search sees it), and a *shingle* is three neighbouring
lemmas within one sentence. Shingles never cross a sentence boundary, so reordering sentences or
paragraphs leaves a copied text's shingles intact.

The share of overlap of text A with text B is the containment of A's shingles in B's: the part of
A that B also says. MinHash (datasketch) estimates the Jaccard similarity of two shingle sets; its
values are cut into bands, and each band hashed into one 64-bit key: two texts that share a key are
candidates, whose share is then computed exactly.
"""

import bisect
import functools
import hashlib
import html
import itertools
import re
from dataclasses import dataclass

import numpy as np

from finnish.ahead import made_ahead
from finnish.analysis import WORD_RE, lemma
from finnish.indexing import plain_text

SHINGLE_WORDS = 3
NUM_PERM = 128
SEED = 21
# A text copied 30 % into another of its length has Jaccard similarity 0.18 with it, less with a
# longer one: the bands are those datasketch's MinHashLSH finds best for 0.1 (64 bands of 2 values),
# with which a pair at 0.18 shares a band with probability 0.87 and two essays on the same book
# (about 0.02) with probability 0.03. They are written out because stored band keys depend on them,
# and because datasketch, which loads scipy, takes most of a second to import (a test checks them).
LSH_THRESHOLD = 0.1
BANDS, ROWS = 64, 2
MIN_PASSAGE_WORDS = 5
SENTENCE_END_RE = re.compile(r"[.!?…]+(?=\s|$)|\n")


@dataclass(frozen=True)
class Fingerprint:
    """A text's words (their spans in it) and its shingles, each with the index of its first word."""

    text: str
    spans: tuple
    shingles: dict

    def containment_in(self, other):
        """The share of this text's shingles that the other text also has (0–1)."""
        if not self.shingles:
            return 0.0
        return len(self.shingles.keys() & other.shingles.keys()) / len(self.shingles)

    def passages(self, other):
        """The text in runs, [(text, shared)]: shared runs are the words of the shingles the other
        text also has, at least MIN_PASSAGE_WORDS in a row (a lone common phrase is no passage)."""
        shared_words = set()
        for shingle in self.shingles.keys() & other.shingles.keys():
            for start in self.shingles[shingle]:
                shared_words.update(range(start, start + SHINGLE_WORDS))
        runs, position = [], 0
        for shared, words in itertools.groupby(range(len(self.spans)), key=shared_words.__contains__):
            words = list(words)
            if shared and len(words) >= MIN_PASSAGE_WORDS:
                start, stop = self.spans[words[0]][0], self.spans[words[-1]][1]
                runs += [(self.text[position:start], False), (self.text[start:stop], True)]
                position = stop
        runs.append((self.text[position:], False))
        return [(text, shared) for text, shared in runs if text]


def essay_text(essay):
    """The running text of an essay's body, with the editor's character references decoded."""
    return body_text(essay.body)


def body_text(body):
    """essay_text of an essay whose body is this StreamField value."""
    return " ".join(html.unescape(plain_text(body)).split())


def fingerprint(text):
    matches = list(WORD_RE.finditer(text))
    spans = tuple(match.span() for match in matches)
    lemmas = [lemma(match.group()) for match in matches]
    # A sentence ends before the first word that starts at or after its end.
    starts = [start for start, _end in spans]
    cuts = [bisect.bisect_left(starts, match.end()) for match in SENTENCE_END_RE.finditer(text)]
    shingles = {}
    for first, stop in itertools.pairwise([0, *cuts, len(lemmas)]):
        if stop - first < SHINGLE_WORDS:
            continue
        # The sentence from each of a shingle's word positions on: zip stops at the shortest, the last shingle.
        runs = (lemmas[first + offset : stop] for offset in range(SHINGLE_WORDS))
        for word, shingle in enumerate(map(" ".join, zip(*runs, strict=False)), start=first):
            shingles.setdefault(shingle, []).append(word)
    return Fingerprint(text=text, spans=spans, shingles=shingles)


def shingle_set(text):
    """The shingles of fingerprint(text) without their places, all that a signature needs: no word
    spans the end of a sentence, so the text is cut into sentences first and each one's lemmas
    shingled at once."""
    shingles = set()
    for sentence in SENTENCE_END_RE.split(text):
        lemmas = list(map(lemma, WORD_RE.findall(sentence)))
        shingles.update(map(" ".join, zip(*(lemmas[offset:] for offset in range(SHINGLE_WORDS)), strict=False)))
    return shingles


@functools.cache
def _drawn():
    """A MinHash of the seed, whose permutations every other one reuses: datasketch draws them for
    every MinHash made. datasketch is imported by the first signature, not by every process that
    loads the apps."""
    from datasketch import MinHash

    return MinHash(num_perm=NUM_PERM, seed=SEED)


def minhash_values(shingles):
    """The MinHash of shingles (fingerprint().shingles or shingle_set()) as NUM_PERM unsigned 32-bit values."""
    from datasketch import MinHash

    drawn = _drawn()
    minhash = MinHash(num_perm=NUM_PERM, seed=SEED, permutations=drawn.permutations, scheme=drawn.scheme)
    minhash.update_batch([shingle.encode() for shingle in shingles])
    return minhash.hashvalues.astype(np.uint32)


def band_keys(values):
    """One signed 64-bit key per band of MinHash values; the band's number is part of the key."""
    keys = []
    for band in range(BANDS):
        digest = hashlib.blake2b(
            values[band * ROWS : (band + 1) * ROWS].tobytes(), digest_size=8, person=band.to_bytes(2, "big")
        ).digest()
        keys.append(int.from_bytes(digest, "big", signed=True))
    return keys


# An import's worker process makes an essay's signature as it reads the record, for the end of the
# chunk to take (finnish.ahead).
@made_ahead
def signature(text):
    """What an essay of this essay_text stores: its MinHash values' bytes, its number of
    shingles and, if it has any, its band keys."""
    shingles = shingle_set(text)
    values = minhash_values(shingles)
    return values.tobytes(), len(shingles), band_keys(values) if shingles else []
