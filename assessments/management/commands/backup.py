"""Write everything the app holds (framework content, reference data, users, agencies,
assessments, answers, history, comments, two-factor devices, audit log) to one file.

It is Django's dumpdata with natural keys, so the file restores into any freshly migrated
database, SQLite or PostgreSQL, whatever its ids. Restore with `manage.py restore FILE`.
The format is XML because Django's JSON serializer cuts timestamps to milliseconds, and the
history's times must come back exactly.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand

# Order matters only for readability: loaddata resolves natural keys across the whole file.
MODELS = [
    "iamm",
    "auth.group",
    "assessments.agency",
    "assessments.user",
    "assessments",
    "otp_totp",
]


class Command(BaseCommand):
    help = "Back up all data to an XML file (name it .xml.gz, .xml.bz2 or .xml.xz to compress)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. backup.xml.gz")

    def handle(self, *args, **options):
        call_command(
            "dumpdata",
            *MODELS,
            natural_foreign=True,
            natural_primary=True,
            format="xml",
            indent=1,
            output=options["file"],
            verbosity=0,
        )
        self.stdout.write(self.style.SUCCESS(f"Backup written to {options['file']}"))
