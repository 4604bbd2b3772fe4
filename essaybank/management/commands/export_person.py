from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from essaybank import personal_data


class Command(BaseCommand):
    help = "Writes everything stored about one person into a ZIP of JSON files and essay texts."

    def add_arguments(self, parser):
        parser.add_argument("person", help="the person's id or slug")
        parser.add_argument("file", help="the ZIP file to write")

    def handle(self, *args, person, file, **options):
        try:
            found = personal_data.find_person(person)
        except personal_data.PersonalDataError as error:
            raise CommandError(str(error)) from None
        if personal_data.is_erased_author(found):
            raise CommandError(
                _("“%(name)s” holds erased people's essays; it has no data of its own.") % {"name": found}
            )
        try:
            with open(file, "wb") as output:
                personal_data.write_export(found, output)
        except OSError as error:
            message = _("Cannot write %(file)s: %(error)s") % {"file": file, "error": error.strerror}
            raise CommandError(message) from None
        self.stdout.write(_("The data of %(name)s was written to %(file)s.") % {"name": found.name, "file": file})
