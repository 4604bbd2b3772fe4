from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from citations.interchange import FORMATS, format_for_filename, import_sources


class Command(BaseCommand):
    help = "Import sources from a BibTeX, RIS or CSL-JSON file. Sources that exist already are not duplicated."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path)
        parser.add_argument("--format", choices=sorted(FORMATS), help="Default: from the file name.")

    def handle(self, *args, file, format=None, **options):
        file_format = format or format_for_filename(file.name)
        if file_format is None:
            raise CommandError(_("Give --format: the file name does not tell it."))
        try:
            text = file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as error:
            raise CommandError(_("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error}) from None
        result = import_sources(text, file_format)
        for source in result.created:
            self.stdout.write(_("Added: %(source)s") % {"source": source})
        for title, existing in result.duplicates:
            self.stdout.write(_("Already a source: %(title)s (%(existing)s)") % {"title": title, "existing": existing})
        for where, reason in result.errors:
            self.stderr.write(f"{where}: {reason}")
        self.stdout.write(
            _("%(created)d added, %(duplicates)d already there, %(errors)d unreadable.")
            % {"created": len(result.created), "duplicates": len(result.duplicates), "errors": len(result.errors)}
        )
        if result.errors:
            raise CommandError(_("Some entries could not be read; the others were imported."))
