"""Precision and recall of "overlap ≥ 30 %" on the generated test set (textgen), through the real
pipeline: essays saved as pages, their signatures and band keys stored, each submitted essay
checked against the bank by LSH and an exact share."""

import pytest

from originality.matching import NOTABLE_SHARE, shares
from tests.factories import EssayPageFactory, paragraphs
from tests.originality.textgen import generated_set, is_copy, paragraphs_of


@pytest.fixture
def saved_test_set(db):
    bank, submitted = generated_set()
    pages = {
        case.name: EssayPageFactory(title=case.name, body=paragraphs(*paragraphs_of(case.sentences)))
        for case in bank + submitted
    }
    return pages, submitted


def test_overlap_of_30_percent_is_found_with_precision_and_recall_of_at_least_0_9(saved_test_set):
    pages, submitted = saved_test_set
    names = {page.pk: name for name, page in pages.items()}
    truth = {(case.name, case.source) for case in submitted if is_copy(case)}
    found = set()
    for case in submitted:
        essay = pages[case.name]
        _print, matches = shares(essay, " ".join(case.sentences))
        found |= {(case.name, names[other.pk]) for other, share, _other_print in matches if share >= NOTABLE_SHARE}
    true_positives = len(found & truth)
    precision = true_positives / len(found)
    recall = true_positives / len(truth)
    print(f"originality test set: {len(submitted)} submitted, {len(truth)} copies, {len(found)} flagged")
    print(f"precision {precision:.3f}, recall {recall:.3f}")
    assert len(truth) >= 20
    assert precision >= 0.9
    assert recall >= 0.9
