from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from community.imports import load_rating_baselines, read_rating_csv
from essays.models import ImportRecord


def pages_from_import_records(prefix):
    """{post id: page} from the import records whose external id is `prefix` + a WordPress post id."""
    records = ImportRecord.objects.filter(external_id__startswith=prefix).select_related("page")
    return {record.external_id.removeprefix(prefix): record.page for record in records}


class Command(BaseCommand):
    help = (
        "Load an old bank's star ratings (a CSV of post id, average, votes) as each page's baseline, "
        "which votes cast here add to. Safe to run again."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", help="CSV file: post id, average (0–5), number of votes")
        parser.add_argument(
            "--id-prefix",
            default="wordpress:",
            help="The import records' external id is this prefix followed by the post id (default: wordpress:)",
        )

    def handle(self, *args, csv_file, id_prefix, **options):
        try:
            with open(csv_file, encoding="utf-8-sig", newline="") as lines:
                rows, errors = read_rating_csv(lines)
        except OSError as error:
            raise CommandError(_("Cannot read %(file)s: %(error)s") % {"file": csv_file, "error": error}) from None
        for number, reason in errors:
            self.stderr.write(_("Line %(number)d: %(reason)s") % {"number": number, "reason": reason})
        updated, unknown = load_rating_baselines(rows, pages_from_import_records(id_prefix))
        for post_id in unknown:
            self.stderr.write(_("Post %(id)s: no imported page") % {"id": post_id})
        self.stdout.write(_("Rating baselines loaded for %(count)d pages.") % {"count": updated})
