import pytest

from search.engine import highlight


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
