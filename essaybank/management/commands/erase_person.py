from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from essaybank import personal_data


def essay_choice(value):
    """ID=delete or ID=keep, as (id, choice)."""
    essay_id, _sep, choice = value.partition("=")
    if not (essay_id.isascii() and essay_id.isdigit()) or choice not in personal_data.CHOICES:
        raise ValueError(value)
    return int(essay_id), choice


class Command(BaseCommand):
    help = (
        "Erases one person: their account, person, log entries and sign-in records; each of their essays "
        "is deleted or kept under 'Poistettu kirjoittaja', and their awards stay in the team's totals."
    )

    def add_arguments(self, parser):
        parser.add_argument("person", help="the person's id or slug")
        default = parser.add_mutually_exclusive_group()
        default.add_argument(
            "--keep-essays", action="store_const", const=personal_data.KEEP, dest="default", help="keep every essay"
        )
        default.add_argument(
            "--delete-essays",
            action="store_const",
            const=personal_data.DELETE,
            dest="default",
            help="delete every essay",
        )
        parser.add_argument(
            "--essay",
            action="append",
            default=[],
            metavar="ID=delete|keep",
            help="the choice for one essay (repeatable); overrides --keep-essays and --delete-essays",
        )
        parser.add_argument("--no-input", action="store_false", dest="interactive", help="do not ask first")

    def handle(self, *args, person, default, essay, interactive, **options):
        try:
            found = personal_data.find_person(person)
            given = dict(essay_choice(value) for value in essay)
        except personal_data.PersonalDataError as error:
            raise CommandError(str(error)) from None
        except ValueError as error:
            raise CommandError(
                _("Give an essay's choice as ID=delete or ID=keep, not “%(value)s”.") % {"value": error}
            ) from None
        essays = list(personal_data.authored_essays(found))
        choices = {item.pk: default for item in essays if default is not None} | given
        try:
            personal_data.check_choices(essays, choices)
        except personal_data.PersonalDataError as error:
            hint = _("Use --keep-essays, --delete-essays or --essay ID=delete|keep.")
            raise CommandError(f"{error} {hint}") from None
        if interactive:
            for item in essays:
                self.stdout.write(f"  {item.pk} {item.title}: {choices[item.pk]}")
            answer = input(_("Erase %(name)s for good? Type yes to go on: ") % {"name": found.name})
            if answer.strip().lower() not in ("yes", "kyllä"):
                raise CommandError(_("Nothing was erased."))
        try:
            result = personal_data.erase(found, choices)
        except personal_data.PersonalDataError as error:
            raise CommandError(str(error)) from None
        self.stdout.write(personal_data.summary(result.as_dict()))
