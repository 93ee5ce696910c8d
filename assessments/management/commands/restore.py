"""Restore a backup made by `manage.py backup` into a freshly migrated database.

It refuses to run over existing assessments (restoring would mix two histories) unless
--force is given; the whole restore is one transaction, so a failure leaves nothing behind.
"""

from __future__ import annotations

from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from assessments.models import Assessment


class Command(BaseCommand):
    help = "Restore a backup file made by `manage.py backup`."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument(
            "--force", action="store_true", help="Restore even if assessments already exist."
        )

    def handle(self, *args, **options):
        if Assessment.objects.exists() and not options["force"]:
            raise CommandError(
                "This database already holds assessments. Restore into a freshly migrated "
                "database, or pass --force to load the backup over them."
            )
        with transaction.atomic():
            call_command("loaddata", options["file"], verbosity=0)
        self.stdout.write(self.style.SUCCESS(f"Restored {options['file']}"))
