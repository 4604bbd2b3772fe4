"""finnish.ahead: a text's analysis made in another process, kept until it is called for."""

import pickle

from finnish.ahead import KEPT, made_ahead
from finnish.indexing import text_analysis


@made_ahead
def shouted(text):
    return text.upper()


def test_a_kept_result_is_taken_once_by_the_call():
    shouted.keep("tiimi", "made elsewhere")
    assert shouted("tiimi") == "made elsewhere"
    assert shouted("tiimi") == "TIIMI"


def test_kept_results_are_bounded_oldest_first():
    for number in range(KEPT + 10):
        shouted.keep(f"teksti {number}", "x")
    assert len(shouted.kept) == KEPT
    assert "teksti 0" not in shouted.kept and f"teksti {KEPT + 9}" in shouted.kept
    shouted.kept.clear()


def test_made_ahead_function_is_pickled_by_name():
    assert pickle.loads(pickle.dumps(text_analysis)) is text_analysis


def test_what_a_worker_makes_is_what_the_call_makes():
    text, result = text_analysis.make("Tiimit oppivat palautteesta yhdessä.")
    assert pickle.loads(pickle.dumps(result)) == text_analysis.function(text) == result
