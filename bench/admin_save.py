"""Server time of publishing an essay from the admin: `python -m bench.admin_save`.

What the editor's *Julkaise* sets off after the form is valid: a revision saved and published,
with every receiver (search index, concept links, citations, references). Run on a database with
the demo content (DATABASE_URL; bench.imports keeps one as bench/imports/template.sqlite3); prints
the median of 20 publications, wall clock and CPU.
"""

import os
import statistics
import time


def main():
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "essaybank.settings.dev")
    import django

    django.setup()
    from django.conf import settings
    from django.db import transaction

    from essays.models import EssayPage

    settings.DEBUG = False
    essay = EssayPage.objects.live().order_by("pk").first().specific
    walls, cpus = [], []
    for _round in range(21):
        with transaction.atomic():
            wall, cpu = time.perf_counter(), time.process_time()
            essay.save_revision().publish()
            walls.append(time.perf_counter() - wall)
            cpus.append(time.process_time() - cpu)
            transaction.set_rollback(True)
        essay.refresh_from_db()
    # The first publication fills the process's caches; an admin server has them warm.
    print(
        f"publishing {essay.title!r}: median of 20, {statistics.median(walls[1:]) * 1000:.0f} ms wall, "
        f"{statistics.median(cpus[1:]) * 1000:.0f} ms CPU"
    )


if __name__ == "__main__":
    main()
