from django.core.management.base import BaseCommand
from django.utils.translation import ngettext

from community.month import decide_past_months


class Command(BaseCommand):
    help = "Decide the essay of every finished month that has votes but no winner yet. Safe to run again."

    def handle(self, *args, **options):
        for winner in decide_past_months():
            self.stdout.write(
                ngettext(
                    "%(month)s: %(title)s (%(votes)d vote)", "%(month)s: %(title)s (%(votes)d votes)", winner.votes
                )
                % {"month": f"{winner.month:%m/%Y}", "title": winner.essay.title, "votes": winner.votes}
            )
