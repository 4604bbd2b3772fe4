from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from essaybank.importer import Importer


class Command(BaseCommand):
    help = "Import essays, book summaries, concepts, books and teams from a JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="JSON Lines file, one object per line")

    def handle(self, *args, file, **options):
        try:
            # Read as bytes: a line that is not UTF-8 is reported on its own, not the whole file.
            with file.open("rb") as lines:
                total = sum(1 for _line in lines)
                lines.seek(0)
                report = Importer(progress=self.show_progress).run(lines, total=total)
        except OSError as error:
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from None
        for number, reason in [*report.warnings, *report.errors]:
            self.stderr.write(_("Line %(number)d: %(reason)s") % {"number": number, "reason": reason})
        summary = _("%(created)d created, %(updated)d updated, %(failed)d lines failed.") % {
            "created": report.created,
            "updated": report.updated,
            "failed": len({number for number, _reason in report.errors}),
        }
        if report.errors:
            raise CommandError(summary)
        self.stdout.write(self.style.SUCCESS(summary))

    def show_progress(self, number, total, report):
        self.stderr.write(
            _("%(number)d/%(total)d lines read, %(imported)d imported")
            % {
                "number": number,
                "total": total,
                "imported": report.imported,
            }
        )
