from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from community.spam import forget_addresses


class Command(BaseCommand):
    help = "Delete the hashed addresses of comments and votes older than 30 days. Run it daily."

    def handle(self, *args, **options):
        cleared = forget_addresses()
        self.stdout.write(_("Addresses forgotten: %(count)d.") % {"count": cleared})
