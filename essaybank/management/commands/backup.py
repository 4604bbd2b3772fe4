from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from essaybank.backup import create_backup


class Command(BaseCommand):
    help = "Back up the database and the media files into one archive (.tar.gz) while the site runs."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The archive to write, e.g. esseepankki-2025-01-31.tar.gz")

    def handle(self, *args, **options):
        manifest = create_backup(options["file"])
        self.stdout.write(
            _("Backup of the %(vendor)s database and the media files written to %(file)s.")
            % {"vendor": manifest["vendor"], "file": options["file"]}
        )
