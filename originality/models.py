import json

import numpy as np
from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils.translation import gettext_lazy as _

from essays.models import EssayPage

from .fingerprints import NUM_PERM, essay_text, signature


def current_version(essay):
    """The essay as last saved: its newest revision while that is not published, else the page."""
    if essay.has_unpublished_changes and essay.latest_revision_id:
        return essay.latest_revision.as_object()
    return essay


class SignatureManager(models.Manager):
    def store(self, essay):
        """Fingerprint the essay (as given) and replace its signature and band keys."""
        self.store_many([(essay.pk, essay_text(essay))])

    def store_many(self, texts):
        """Signatures and band keys of [(essay id, text)], in one transaction."""
        signatures, keys = [], {}
        for essay_id, text in texts:
            minhash, shingles, keys[essay_id] = signature(text)
            signatures.append(Signature(essay_id=essay_id, minhash=minhash, shingles=shingles))
        ids = [essay_id for essay_id, _text in texts]
        with transaction.atomic():
            self.filter(essay_id__in=ids).delete()
            BandKey.objects.filter(essay_id__in=ids).delete()
            self.bulk_create(signatures)
            BandKey.objects.insert_keys(keys)


class BandKeyManager(models.Manager):
    def insert_keys(self, keys):
        """Insert essays' band keys, {essay id: [key, …]}, without a model instance each (an essay
        has BANDS of them, and an instance would cost more than its insert), in one statement: on
        PostgreSQL from two arrays, on SQLite from the JSON object (an executemany runs a statement
        per row). Rows get their ids in the order given, essay by essay."""
        if not any(keys.values()):
            return
        connection = connections[router.db_for_write(self.model)]
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(self.model._meta.get_field(name).column) for name in ("essay", "key"))
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                essay_ids = [essay_id for essay_id, essay_keys in keys.items() for _key in essay_keys]
                arrays = "unnest(%s::integer[], %s::bigint[]) WITH ORDINALITY AS row (essay, key, number)"
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT essay, key FROM {arrays} ORDER BY number",
                    [essay_ids, [key for essay_keys in keys.values() for key in essay_keys]],
                )
            else:
                # An object member's id grows in the JSON's order, an array element's key is its index.
                cursor.execute(
                    f"INSERT INTO {table} ({columns}) SELECT essay.key, band.value "
                    "FROM json_each(%s) AS essay, json_each(essay.value) AS band ORDER BY essay.id, band.key",
                    [json.dumps(keys)],
                )


class Signature(models.Model):
    """An essay's MinHash over its lemma shingles (originality.fingerprints)."""

    essay = models.OneToOneField(
        EssayPage, primary_key=True, on_delete=models.CASCADE, related_name="originality_signature"
    )
    minhash = models.BinaryField()
    shingles = models.PositiveIntegerField()
    updated_at = models.DateTimeField(auto_now=True)

    objects = SignatureManager()

    class Meta:
        verbose_name = _("originality signature")
        verbose_name_plural = _("originality signatures")

    def __str__(self):
        return str(self.essay_id)

    def values(self):
        return np.frombuffer(bytes(self.minhash), dtype=np.uint32, count=NUM_PERM)


class BandKey(models.Model):
    """One LSH band of an essay's signature: essays sharing a key are candidates for a match."""

    essay = models.ForeignKey(EssayPage, on_delete=models.CASCADE, related_name="+")
    key = models.BigIntegerField(db_index=True)

    objects = BandKeyManager()

    class Meta:
        verbose_name = _("band key")
        verbose_name_plural = _("band keys")

    def __str__(self):
        return f"{self.essay_id}: {self.key}"


class AcceptedMatch(models.Model):
    """A coach's word that an essay's overlap with another is acceptable."""

    class Reason(models.TextChoices):
        QUOTATION = "quotation", _("Quotation with a source")
        OWN_EARLIER = "own-earlier", _("The same author's earlier essay")
        OTHER = "other", _("Other reason")

    essay = models.ForeignKey(EssayPage, on_delete=models.CASCADE, related_name="accepted_matches")
    other = models.ForeignKey(EssayPage, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=20, choices=Reason.choices)
    explanation = models.CharField(_("explanation"), max_length=500, blank=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+", verbose_name=_("accepted by")
    )
    accepted_at = models.DateTimeField(_("accepted at"), auto_now=True)

    class Meta:
        verbose_name = _("accepted match")
        verbose_name_plural = _("accepted matches")
        constraints = [models.UniqueConstraint(fields=["essay", "other"], name="originality_one_acceptance_per_pair")]

    def __str__(self):
        return f"{self.essay_id} ~ {self.other_id}: {self.get_reason_display()}"
