from hypothesis import given
from hypothesis import strategies as st

from finnish.collation import sort_key
from finnish.names import normalize_name, slug_for


def test_sort_key_puts_o_umlaut_after_z():
    assert sorted(["Öljy", "Zeta", "Auto"], key=sort_key) == ["Auto", "Zeta", "Öljy"]


def test_sort_key_puts_a_umlaut_before_o_umlaut():
    assert sorted(["Öljy", "Ääni"], key=sort_key) == ["Ääni", "Öljy"]


def test_sort_key_puts_a_ring_before_a_umlaut():
    assert sorted(["Ääni", "Åke", "Zeta"], key=sort_key) == ["Zeta", "Åke", "Ääni"]


def test_sort_key_ignores_case():
    assert sort_key("ÖLJY") == sort_key("öljy")


def test_sort_key_sorts_e_acute_with_e():
    assert sorted(["Eero", "Émile", "Erkki"], key=sort_key) == ["Eero", "Émile", "Erkki"]


def test_sort_key_does_not_fold_a_umlaut_to_a():
    """'sää' and 'saa' are different words and must not sort as one."""
    assert sort_key("sää") != sort_key("saa")


def test_sort_key_sorts_u_umlaut_with_y():
    assert sorted(["Myy", "Müller", "Mx"], key=sort_key) == ["Mx", "Müller", "Myy"]


def test_sort_key_keeps_v_and_w_apart():
    """Modern Finnish order (CLDR) has w as a letter of its own after v."""
    assert sorted(["waaka", "vbbb", "vaaka"], key=sort_key) == ["vaaka", "vbbb", "waaka"]


def test_sort_key_sorts_danish_and_norwegian_letters_with_finnish_ones():
    assert sorted(["Öljy", "Ørsted", "Ääni", "Æble", "Zeta"], key=sort_key) == [
        "Zeta",
        "Æble",
        "Ääni",
        "Öljy",
        "Ørsted",
    ]


def test_sort_key_puts_spaces_and_digits_before_letters():
    assert sorted(["ab", "a b", "9", ""], key=sort_key) == ["", "9", "a b", "ab"]


def test_sort_key_accepts_none_as_empty():
    assert sort_key(None) == sort_key("")


def test_sort_key_treats_decomposed_letters_as_composed():
    assert sort_key("a\u0308") == sort_key("ä")


def test_normalize_name_ignores_case_and_spacing():
    assert normalize_name(" asiakaskokemus ") == normalize_name("Asiakaskokemus")
    assert normalize_name("Janne   Löytänä") == normalize_name("janne löytänä")


def test_normalize_name_ignores_soft_hyphens():
    assert normalize_name("asiakas\u00adkokemus") == normalize_name("asiakaskokemus")


def test_normalize_name_treats_dash_variants_alike():
    assert normalize_name("Strategiana asiakaskokemus \u2013 Miksi") == normalize_name(
        "Strategiana asiakaskokemus - Miksi"
    )
    assert normalize_name("Saarijärvi\u2010Puustinen") == normalize_name("Saarijärvi-Puustinen")


def test_normalize_name_keeps_a_umlaut_distinct_from_a():
    assert normalize_name("Sää") != normalize_name("Saa")
    assert normalize_name("Öljy") != normalize_name("Oljy")


def test_slug_for_keeps_finnish_letters():
    assert slug_for("Tiimityön taidot ja työkalut") == "tiimityön-taidot-ja-työkalut"


def test_slug_for_empty_text_has_a_fallback():
    assert slug_for("") == "nimeton"


@given(st.text())
def test_normalize_name_is_idempotent(text):
    assert normalize_name(normalize_name(text)) == normalize_name(text)


@given(st.lists(st.text(alphabet="abczåäöABCZÅÄÖ", max_size=6), max_size=8))
def test_sort_key_orders_alphabet_as_finnish_dictionary(names):
    """Letter by letter, the order is a < b < c < z < å < ä < ö, whatever the case."""
    alphabet = "abczåäö"
    expected = sorted(names, key=lambda name: [alphabet.index(char) for char in name.lower()])
    assert [sort_key(name) for name in sorted(names, key=sort_key)] == [sort_key(name) for name in expected]
