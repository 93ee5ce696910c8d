"""Write a workshop's debrief (PDF, HTML or JSON) to a file.

For facilitators' archives and for administrators with shell access: it bypasses the
facilitator check. The debrief holds practice answers only, marked as such on every page.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.management.commands.export_report import write_output
from assessments.models import Workshop
from assessments.training import report

FORMATS = ("pdf", "html", "json")


class Command(BaseCommand):
    help = "Export a training workshop's debrief report (PDF, HTML or JSON)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("workshop_id", type=int)
        parser.add_argument("--format", "-f", choices=FORMATS, default="pdf", dest="fmt")
        parser.add_argument("--lang", choices=[code for code, _name in settings.LANGUAGES])
        parser.add_argument(
            "-o", "--output", required=True, help="The file to write; - for standard output."
        )

    def handle(self, *args: Any, workshop_id: int, fmt: str, lang: str | None, output: str, **_):
        workshop = (
            Workshop.objects.select_related("framework_version", "regional_process")
            .filter(pk=workshop_id)
            .first()
        )
        if workshop is None:
            raise CommandError(f"There is no workshop with id {workshop_id}.")
        debrief = report.build_debrief(workshop, language=lang)
        if fmt == "pdf":
            content = report.debrief_pdf(debrief)
        elif fmt == "html":
            content = report.render_debrief_document(debrief, inline_css=True).encode()
        else:
            content = report.debrief_json(debrief).encode()
        path = write_output(content, output)
        if path is None:
            return
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote {fmt.upper()} debrief of “{workshop}” ({debrief.language}) to {path}."
            )
        )
