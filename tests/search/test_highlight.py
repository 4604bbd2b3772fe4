import pytest

from search.highlight import highlight


@pytest.mark.parametrize(
    ("query", "text", "marked"),
    [
        ("työ", "Kotitöiden ja etätöiden määrä", ["Kotitöiden", "etätöiden"]),
        ("aika", "Työajan seuranta alkaa", ["Työajan"]),
        ("yö", "Öitä valvotaan", ["Öitä"]),
        ("tie", "Oikoteiden kartta", ["Oikoteiden"]),
        ("ikä", "iän mukaan", ["iän"]),
        ("yksi", "yhden kerran", ["yhden"]),
        ("apu", "avun tarve", ["avun"]),
        ("itä", "idän suunta", ["idän"]),
        ("olla", "Kaivo on syvä", ["on"]),
        ("hyvä", "Parempi kuin paras", ["Parempi", "paras"]),
        ("ei", "Älä unohda", ["Älä"]),
        ("edessä", "Astu eteen", ["eteen"]),
        ("evätä", "Lautakunta epää luvan", ["epää"]),
        ("kukaan", "Ketään ei näkynyt", ["Ketään"]),
        ("se", "Sitä ennen", ["Sitä"]),
        ("y-akseli", "Y-akselin nimi", ["Y-akselin"]),
    ],
)
def test_words_whose_first_letters_change_are_marked(query, text, marked):
    """Gradation both ways, shortened plural stems, suppletive forms, short words whose forms share
    only their first letter and joined words: the quick letter check lets them through."""
    assert [word for word in marked if f"<mark>{word}</mark>" in highlight(text, [query], whole=True)] == marked


def test_words_that_do_not_match_stay_unmarked():
    assert "<mark>" not in highlight("Tie vie kotiin", ["työ"], whole=True)


def test_snippet_of_a_text_without_query_words_starts_at_its_beginning():
    text = " ".join(f"sana{number}" for number in range(60))
    assert highlight(text, []).startswith("sana0 ")


def test_snippet_starts_ten_words_before_the_first_match_and_shows_thirty():
    words = [f"sana{number}" for number in range(100)]
    words[50] = "asiakaskokemuksesta"
    snippet = highlight(" ".join(words), ["asiakaskokemus"])
    assert snippet.startswith("… sana40 sana41 ")
    assert "<mark>asiakaskokemuksesta</mark>" in snippet
    assert snippet.endswith(" sana69 …")


def test_snippet_counts_long_words_before_the_match():
    """The words before the first match are read from a stretch of text that grows until it holds ten."""
    words = [f"{'pitkä' * 12}{number}" for number in range(30)] + ["kokemuksista"]
    snippet = highlight(" ".join(words), ["kokemus"])
    assert snippet.startswith(f"… {'pitkä' * 12}20 ")
    assert snippet.endswith("<mark>kokemuksista</mark>")


def test_snippet_marks_a_joined_word_whole_when_its_later_part_matches():
    words = [f"sana{number}" for number in range(20)] + ["tietosuoja-asetuskin"] + ["loppu"] * 5
    snippet = highlight(" ".join(words), ["asetus"])
    assert "<mark>tietosuoja-asetuskin</mark>" in snippet
    assert snippet.startswith("… sana10 ")


def test_snippet_shows_a_joined_word_whole_where_ten_words_back_is_its_beginning():
    words = ["alku-" + "osa" * 60] + [f"sana{number}" for number in range(9)] + ["kokemuksista"]
    snippet = highlight("Otsikko. " + " ".join(words), ["kokemus"])
    assert snippet.startswith("… alku-osaosa")
