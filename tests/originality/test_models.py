"""Signatures and band keys as stored (originality.models)."""

import random

import pytest

from originality.fingerprints import band_keys
from originality.models import BandKey, Signature
from tests.factories import EssayPageFactory, paragraphs
from tests.originality.textgen import paragraphs_of, sentence

pytestmark = pytest.mark.usefixtures("without_index_updates")


def text(seed):
    rng = random.Random(seed)
    return " ".join(paragraphs_of([sentence(rng) for _ in range(12)]))


@pytest.mark.django_db
def test_band_keys_of_several_essays_get_their_ids_essay_by_essay_in_the_order_given(site_tree):
    first, second = EssayPageFactory(body=paragraphs("Yksi.")), EssayPageFactory(body=paragraphs("Kaksi."))
    Signature.objects.store_many([(second.pk, text(2)), (first.pk, text(1))])
    essays = BandKey.objects.filter(essay__in=[first, second])
    stored = list(essays.order_by("id").values_list("essay_id", "key"))
    expected = [
        (essay.pk, key) for essay in (second, first) for key in band_keys(Signature.objects.get(essay=essay).values())
    ]
    assert stored == expected
    assert len(stored) == 128


@pytest.mark.django_db
def test_an_essay_without_shingles_stores_no_band_keys_beside_one_with_them(site_tree):
    short, long = EssayPageFactory(body=paragraphs("Lyhyt.")), EssayPageFactory(body=paragraphs("Pitkä."))
    Signature.objects.store_many([(short.pk, "Lyhyt."), (long.pk, text(3))])
    essays = BandKey.objects.filter(essay__in=[short, long])
    assert list(essays.values_list("essay_id", flat=True).distinct()) == [long.pk]
    assert Signature.objects.get(essay=short).shingles == 0
