from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from wagtail.models import Site

from community.demo import load_community_demo
from essaybank.importer import Importer
from essaybank.site_structure import ensure_site_structure
from essays.models import EssayPage
from grading.addresses import links_to
from grading.demo import load_grading_demo

DEMO_CONTENT = Path(__file__).resolve().parents[2] / "demo" / "content.jsonl"
DEMO_ADMIN = "admin"
DEMO_PASSWORD_FALLBACK = "esseepankki-demo"
HOME_INTRO = (
    "<p>Esseepankissa tiimiyrittäjät julkaisevat esseitä lukemistaan kirjoista. "
    "Selaa kirjoja, tutustu käsitteisiin tai lue uusimmat esseet – kaikki on linkitetty toisiinsa.</p>"
)


class Command(BaseCommand):
    help = "Create the demo site: teams, people, books, essays, summaries and concepts. Safe to run again."

    def add_arguments(self, parser):
        parser.add_argument(
            "--if-empty", action="store_true", help="Load content only when the site has no essays yet."
        )
        parser.add_argument(
            "--address",
            help="HOST:PORT the demo is served at; the default site takes it, so that its links carry the port.",
        )

    def handle(self, *args, if_empty=False, address=None, **options):
        if not address:
            return self.load(if_empty)
        self.serve_at(address)
        # The demo's grading e-mails link to where the demo is served, its port included.
        with links_to(f"http://{address}"):
            return self.load(if_empty)

    def load(self, if_empty):
        password = settings.DEMO_ADMIN_PASSWORD or DEMO_PASSWORD_FALLBACK
        grading_accounts = []
        # A database loaded before keeps its content but gets what the site structure lacks (the site's name).
        ensure_site_structure()
        if not (if_empty and EssayPage.objects.exists()):
            self.load_content()
            # Grading builds on the imported people and essays, so it comes after them.
            grading_accounts = load_grading_demo(password)
            # Comments and votes come from the grading demo's accounts.
            load_community_demo()
        user_model = get_user_model()
        if not user_model.objects.filter(username=DEMO_ADMIN).exists():
            user_model.objects.create_superuser(DEMO_ADMIN, "admin@example.org", password)
        self.stdout.write(
            _("Demo admin: %(username)s / %(password)s") % {"username": DEMO_ADMIN, "password": password}
        )
        for username, description in grading_accounts:
            self.stdout.write(
                _("Demo login: %(username)s / %(password)s (%(description)s)")
                % {"username": username, "password": password, "description": description}
            )

    def serve_at(self, address):
        hostname, _colon, port = address.rpartition(":")
        if not (hostname and port.isdigit() and 0 < int(port) < 65536):
            raise CommandError(
                _("The address must be HOST:PORT, e.g. 127.0.0.1:8000: %(address)s") % {"address": address}
            )
        ensure_site_structure()
        site = Site.objects.get(is_default_site=True)
        site.hostname, site.port = hostname, int(port)
        # Saved, not updated, so that Wagtail forgets the site addresses it has cached.
        site.save()

    def load_content(self):
        home = ensure_site_structure()
        if not home.intro:
            home.intro = HOME_INTRO
            home.save_revision().publish()
        with DEMO_CONTENT.open(encoding="utf-8") as lines:
            report = Importer().run(lines)
        if report.errors:
            details = "; ".join(f"{number}: {reason}" for number, reason in report.errors)
            raise CommandError(_("Demo content has errors: %(details)s") % {"details": details})
        self.stdout.write(
            self.style.SUCCESS(
                _("Demo content ready: %(created)d pages created, %(updated)d records updated.")
                % {"created": report.created, "updated": report.updated}
            )
        )
