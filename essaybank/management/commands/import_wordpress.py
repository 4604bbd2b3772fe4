import sys
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from tqdm import tqdm

from essaybank.wordpress import FIELDS, WordPressImporter
from essaybank.workers import add_workers_argument


def field_mapping(value):
    name, separator, key = value.partition("=")
    if not separator or name not in FIELDS or not key:
        raise ValueError(value)
    return name, key


class Command(BaseCommand):
    help = "Import a WordPress essay bank from its export file (Tools → Export)."

    def add_arguments(self, parser):
        parser.add_argument("file", type=Path, help="WordPress export (WXR) file")
        parser.add_argument("--uploads", type=Path, help="a copy of the site's wp-content/uploads directory")
        parser.add_argument("--dry-run", action="store_true", help="report everything, write nothing")
        parser.add_argument(
            "--field",
            action="append",
            default=[],
            type=field_mapping,
            metavar="NAME=KEY",
            help=f"custom field key of a metadata field; names: {', '.join(FIELDS)}",
        )
        parser.add_argument(
            "--old-site", action="append", default=[], metavar="URL", help="an earlier address of the bank"
        )
        add_workers_argument(parser, "posts")

    def handle(self, *args, file, uploads, dry_run, field, old_site, workers, **options):
        if uploads is not None and not uploads.is_dir():
            raise CommandError(_("%(directory)s is not a directory") % {"directory": uploads})
        bar = tqdm(unit=_(" posts"), disable=not sys.stderr.isatty(), file=sys.stderr)
        importer = WordPressImporter(
            fields=dict(field),
            old_sites=old_site,
            uploads=uploads,
            progress=lambda report: bar.update(),
            workers=workers,
        )
        try:
            with file.open("rb") as source:
                report = importer.run(source, dry_run=dry_run)
        except OSError as error:
            self.stopped(importer.report, dry_run)
            raise CommandError(
                _("Cannot read %(file)s: %(reason)s") % {"file": file, "reason": error.strerror}
            ) from None
        except BaseException:
            self.stopped(importer.report, dry_run)
            raise
        finally:
            bar.close()
        self.summary(report, dry_run)
        if report.errors:
            failed = len(report.errors)
            raise CommandError(
                ngettext("%(count)d post failed.", "%(count)d posts failed.", failed) % {"count": failed}
            )

    def stopped(self, report, dry_run):
        """Where an import that stopped part way can be resumed: every chunk before is committed."""
        if dry_run:
            return
        self.stderr.write(
            ngettext(
                "The import stopped: the first %(count)d item of the export is saved. Running it again "
                "continues from there; the posts already saved are updated, not imported twice.",
                "The import stopped: the first %(count)d items of the export are saved. Running it again "
                "continues from there; the posts already saved are updated, not imported twice.",
                report.committed,
            )
            % {"count": report.committed}
        )

    def summary(self, report, dry_run):
        counts = report.counts
        skipped = sum(count for name, count in counts.items() if name.startswith("skipped "))
        lines = [
            _("Dry run: nothing was saved.") if dry_run else "",
            ngettext("%(count)d essay created", "%(count)d essays created", report.created)
            % {"count": report.created},
            ngettext("%(count)d essay updated", "%(count)d essays updated", report.updated)
            % {"count": report.updated},
            ngettext("%(count)d item skipped", "%(count)d items skipped", skipped) % {"count": skipped},
            *(
                f"  {name.removeprefix('skipped ')}: {count}"
                for name, count in sorted(counts.items())
                if name.startswith("skipped ")
            ),
            ngettext("%(count)d book created", "%(count)d books created", counts["books"])
            % {"count": counts["books"]},
            ngettext("%(count)d book form merged", "%(count)d book forms merged", counts["books merged"])
            % {"count": counts["books merged"]},
            ngettext("%(count)d person created", "%(count)d people created", counts["people"])
            % {"count": counts["people"]},
            ngettext("%(count)d team created", "%(count)d teams created", counts["teams"])
            % {"count": counts["teams"]},
            ngettext("%(count)d comment kept", "%(count)d comments kept", counts["comments"])
            % {"count": counts["comments"]},
            ngettext("%(count)d image stored", "%(count)d images stored", counts["images"])
            % {"count": counts["images"]},
            ngettext("%(count)d image missing", "%(count)d images missing", counts["images missing"])
            % {"count": counts["images missing"]},
            ngettext("%(count)d redirect created", "%(count)d redirects created", counts["redirects"])
            % {"count": counts["redirects"]},
        ]
        self.stdout.write("\n".join(line for line in lines if line))
        for notice in report.notices:
            self.stderr.write(notice)
        for post_id, title, reason in report.warnings:
            self.stdout.write(
                _("Post %(id)s %(title)r: %(reason)s") % {"id": post_id, "title": title, "reason": reason}
            )
        for post_id, title, reason in report.errors:
            self.stderr.write(
                _("Post %(id)s %(title)r failed: %(reason)s") % {"id": post_id, "title": title, "reason": reason}
            )
