from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _
from wagtail.models import Page

from citations.extraction import record_citations
from concepts.linking import link_essay
from essays.models import EssayPage


class Command(BaseCommand):
    help = "Recognise the citations and find the concepts of every published page again (after an upgrade)."

    def handle(self, *args, **options):
        pages = Page.objects.live().specific()
        recorded = 0
        for page in pages:
            if hasattr(page, "body"):
                record_citations(page)
                recorded += 1
        essays = EssayPage.objects.live().prefetch_related("tags")
        for essay in essays:
            link_essay(essay)
        self.stdout.write(
            _("Citations recorded for %(pages)d pages, concepts found for %(essays)d essays.")
            % {"pages": recorded, "essays": essays.count()}
        )
