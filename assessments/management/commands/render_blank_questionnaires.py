"""Render the blank questionnaire of every published framework version in every language.

Run at deploy (after `migrate`): a new layout, stylesheet or translation makes new PDFs, and
they should be ready before the first visitor asks, since a public request never renders one
(it queues it and says it is being prepared). Renders in this process, so it needs no worker
(`--queue` leaves them to the workers instead); what is already stored is skipped.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand

from assessments.models import PdfRender
from assessments.reports import queue
from iamm.models import FrameworkVersion


class Command(BaseCommand):
    help = "Render the blank questionnaire of every published framework version, every language."

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "--queue",
            action="store_true",
            help="Only queue the missing ones for the task workers (`make run`).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        rendered = failed = 0
        for version in FrameworkVersion.objects.published():
            for language, _name in settings.LANGUAGES:
                render = queue.blank_render_request(version=version, language=language)
                if render.is_ready or options["queue"]:
                    continue
                try:
                    queue.blank_file(version=version, language=language)
                except queue.RenderFailed as error:
                    failed += 1
                    self.stderr.write(f"{version.code} ({language}): {error}")
                else:
                    rendered += 1
                    self.stdout.write(f"{version.code} ({language})")
        stored = PdfRender.objects.filter(kind=PdfRender.Kind.BLANK, state="ready").count()
        summary = f"{rendered} rendered, {failed} failed, {stored} stored."
        self.stdout.write(self.style.ERROR(summary) if failed else self.style.SUCCESS(summary))
