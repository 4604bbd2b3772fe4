from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from essaybank.importer import Importer
from essaybank.workers import add_workers_argument


class Command(BaseCommand):
    help = "Import essays, book summaries, concepts, books and teams from a JSON Lines file."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="JSON Lines file, one object per line")
        add_workers_argument(parser, "lines")

    def handle(self, *args, file, workers, **options):
        importer = Importer(progress=self.show_progress, workers=workers)
        try:
            # Read as bytes: a line that is not UTF-8 is reported on its own, not the whole file.
            with file.open("rb") as lines:
                total = sum(1 for _line in lines)
                lines.seek(0)
                report = importer.run(lines, total=total)
        except OSError as error:
            self.stopped(importer.report)
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from None
        except BaseException:
            self.stopped(importer.report)
            raise
        for notice in report.notices:
            self.stderr.write(notice)
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

    def stopped(self, report):
        """Where an import that stopped part way can be resumed: every chunk before is committed."""
        self.stderr.write(
            ngettext(
                "The import stopped: the first %(count)d line is saved. Running it again continues from "
                "there; the lines already saved are updated, not imported twice.",
                "The import stopped: the first %(count)d lines are saved. Running it again continues from "
                "there; the lines already saved are updated, not imported twice.",
                report.committed,
            )
            % {"count": report.committed}
        )

    def show_progress(self, number, total, report):
        self.stderr.write(
            _("%(number)d/%(total)d lines read, %(imported)d imported")
            % {
                "number": number,
                "total": total,
                "imported": report.imported,
            }
        )
