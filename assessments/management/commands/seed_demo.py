"""Create Demoland, a fictional country, with its team and two assessment cycles, for trainers
and developers (see `assessments.demo.generator`). Only where settings.DEMO_MODE is on."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.demo.generator import Demo, MissingFramework


class Command(BaseCommand):
    help = "Create the fictional country Demoland (QZ), its team and two assessment cycles."

    def handle(self, *args: Any, **options: Any) -> None:
        if not getattr(settings, "DEMO_MODE", False):
            raise CommandError(
                "Demo data is only created when DEMO_MODE is on (for example "
                "`DEMO_MODE=1 python manage.py seed_demo`). Never turn it on in production."
            )
        try:
            lines = Demo().seed()
        except MissingFramework as error:
            raise CommandError(str(error)) from error
        for style, text in lines:
            self.stdout.write(getattr(self.style, style)(text) if style else text)
