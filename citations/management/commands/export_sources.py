from django.core.management.base import BaseCommand

from citations.interchange import FORMATS, export_sources
from citations.models import Source


class Command(BaseCommand):
    help = "Write every source as BibTeX, RIS or CSL-JSON to standard output or a file."

    def add_arguments(self, parser):
        parser.add_argument("--format", choices=sorted(FORMATS), default="csl-json")
        parser.add_argument("--output", help="File to write; default: standard output.")

    def handle(self, *args, format, output=None, **options):
        sources = Source.objects.select_related("book").prefetch_related("book__authors").order_by("pk")
        text = export_sources(sources, format)
        if output:
            with open(output, "w", encoding="utf-8") as file:
                file.write(text)
        else:
            self.stdout.write(text, ending="")
