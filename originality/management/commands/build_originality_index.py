from django.core.management.base import BaseCommand
from django.db.models import Q

from essays.models import EssayPage
from originality.fingerprints import essay_text
from originality.models import Signature, current_version

BATCH = 500


class Command(BaseCommand):
    help = "Builds the originality signatures and LSH band keys of every essay, in batches."

    def add_arguments(self, parser):
        parser.add_argument("--missing", action="store_true", help="Only the essays that have no signature yet.")
        parser.add_argument("--batch-size", type=int, default=BATCH)

    def handle(self, *args, missing=False, batch_size=BATCH, verbosity=1, **options):
        essays = EssayPage.objects.order_by("pk")
        if missing:
            essays = essays.filter(Q(originality_signature__isnull=True))
        ids = list(essays.values_list("pk", flat=True))
        for start in range(0, len(ids), batch_size):
            batch = EssayPage.objects.filter(pk__in=ids[start : start + batch_size]).select_related("latest_revision")
            Signature.objects.store_many([(essay.pk, essay_text(current_version(essay))) for essay in batch])
            if verbosity > 1:
                self.stdout.write(f"{min(start + batch_size, len(ids))}/{len(ids)}")
        if verbosity:
            self.stdout.write(f"Fingerprinted {len(ids)} essays.")
