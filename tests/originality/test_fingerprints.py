"""Fingerprints of essay text: shingles within sentences, the MinHash and its band keys."""

import os
import subprocess
import sys

import numpy as np
import pytest
from datasketch import MinHash, MinHashLSH

from finnish.analysis import lemma
from originality.fingerprints import (
    BANDS,
    LSH_THRESHOLD,
    NUM_PERM,
    ROWS,
    SEED,
    band_keys,
    fingerprint,
    minhash_values,
    shingle_set,
)


def test_shingles_are_three_neighbouring_lemmas_with_their_first_words_index():
    shingled = fingerprint("Asiakas kokee palvelun hyvänä")
    lemmas = [lemma(word) for word in ("Asiakas", "kokee", "palvelun", "hyvänä")]
    assert shingled.shingles == {" ".join(lemmas[0:3]): [0], " ".join(lemmas[1:4]): [1]}


def test_shingles_do_not_cross_a_sentence_end():
    shingled = fingerprint("Tiimi oppii yhdessä. Valmentaja antaa palautetta heti!")
    assert sorted(shingled.shingles.values()) == [[0], [3], [4]]


def test_a_sentence_of_fewer_than_three_words_gives_no_shingles_but_keeps_the_word_count():
    shingled = fingerprint("Hyvä. Tiimi oppii yhdessä.")
    assert list(shingled.shingles.values()) == [[1]]
    assert len(shingled.spans) == 4


def test_a_repeated_shingle_keeps_every_place_it_starts():
    shingled = fingerprint("Tiimi oppii yhdessä. Tiimi oppii yhdessä.")
    assert list(shingled.shingles.values()) == [[0, 3]]


def test_word_spans_point_into_the_text():
    text = "Asiakaskokemus syntyy   kohtaamisissa."
    shingled = fingerprint(text)
    assert [text[start:end] for start, end in shingled.spans] == ["Asiakaskokemus", "syntyy", "kohtaamisissa"]


@pytest.mark.parametrize(
    "text",
    [
        "",
        "Hyvä",
        "Hyvä. Tiimi oppii",
        "Tiimi oppii yhdessä. Tiimi oppii yhdessä!",
        "Asiakas-kokemus syntyy nopeasti… Mutta 3.5 prosenttia ei riitä?! Kyllä riittää\nUusi rivi alkaa tästä",
        "Huippu–loppu-sääntö: ihminen muistaa kokemuksen huipun ja lopun.Heti perään jatkuu lause ilman välilyöntiä.",
        'Johtaja sanoi: "Palvelu on tärkeää." Asiakas (ks. Kotler 2003, s. 14) oli samaa mieltä.  ',
    ],
)
def test_shingle_set_is_the_fingerprints_shingles(text):
    assert shingle_set(text) == fingerprint(text).shingles.keys()


def test_minhash_is_datasketchs_of_the_same_seed():
    """The permutations drawn once give the values a MinHash drawing its own would."""
    shingled = fingerprint("Asiakas kokee palvelun hyvänä, kun jokainen kohtaaminen onnistuu.")
    reference = MinHash(num_perm=NUM_PERM, seed=SEED)
    reference.update_batch([shingle.encode() for shingle in shingled.shingles])
    assert np.array_equal(minhash_values(shingled.shingles), reference.hashvalues.astype(np.uint32))


def test_texts_sharing_shingles_share_band_keys_and_others_do_not():
    copied = "Asiakas kokee palvelun hyvänä, kun jokainen kohtaaminen onnistuu ja tiimi oppii."
    keys = band_keys(minhash_values(shingle_set(copied)))
    again = band_keys(minhash_values(shingle_set(copied.upper())))
    other = band_keys(minhash_values(shingle_set("Kirjanpito vaatii tarkkuutta joka kuukausi ilman poikkeuksia.")))
    assert keys == again
    assert not set(keys) & set(other)


def test_the_bands_are_those_datasketch_finds_best_for_the_threshold():
    best = MinHashLSH(threshold=LSH_THRESHOLD, num_perm=NUM_PERM)
    assert (BANDS, ROWS) == (best.b, best.r)


def test_loading_the_apps_does_not_import_datasketch():
    """datasketch loads scipy: only a process that makes a signature pays for it."""
    script = "import sys, django; django.setup(); print('datasketch' in sys.modules)"
    environment = {**os.environ, "DJANGO_SETTINGS_MODULE": "essaybank.settings.dev"}
    result = subprocess.run(
        [sys.executable, "-c", script], env=environment, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"
