"""Delete the training workshops past their retention period, with all their practice data.

Participants were told their practice answers are deleted after the workshop: run this daily
(cron or a scheduled task). WORKSHOP_RETENTION_DAYS counts from a workshop's last day.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand
from django.utils import timezone

from assessments.training import services


class Command(BaseCommand):
    help = "Delete workshops whose last day is more than WORKSHOP_RETENTION_DAYS ago."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--dry-run", action="store_true", help="List what would be deleted; delete nothing."
        )

    def handle(self, *args: Any, dry_run: bool, **options: Any) -> None:
        lines = services.workshops_purge_expired(today=timezone.localdate(), dry_run=dry_run)
        for line in lines:
            self.stdout.write(f"  {line}")
        verb = "Would delete" if dry_run else "Deleted"
        days = settings.WORKSHOP_RETENTION_DAYS
        self.stdout.write(
            self.style.SUCCESS(f"{verb} {len(lines)} workshop(s) ended more than {days} days ago.")
        )
