from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from essaybank.backup import read_manifest, restore_backup


class Command(BaseCommand):
    help = "Replace the database and the media files by those of a backup made with the backup command."

    def add_arguments(self, parser):
        parser.add_argument("file", help="An archive written by the backup command.")
        parser.add_argument(
            "--no-input", action="store_false", dest="interactive", help="Restore without asking for confirmation."
        )

    def handle(self, *args, **options):
        manifest = read_manifest(options["file"])
        if options["interactive"]:
            answer = input(
                _(
                    "Everything in the database and the media files will be replaced by the backup made %(created)s. "
                    "Type 'yes' to continue: "
                )
                % {"created": manifest["created"]}
            )
            if answer.strip().lower() not in ("yes", _("yes")):
                raise CommandError(_("Restore cancelled."))
        restore_backup(options["file"])
        self.stdout.write(_("Restored the backup made %(created)s.") % {"created": manifest["created"]})
