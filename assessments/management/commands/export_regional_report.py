"""Write a regional exercise's report to a file (PDF, HTML or JSON).

Secretariats circulate the report before and after a meeting, and staff archive it; this
command reads the exercise directly, without the access rules of the app, so it is for people
with shell access only. It writes exactly what the secretariat's downloads give: anonymous
shares are never named, figures are withheld below the minimum group.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from assessments.models import RegionalExercise
from assessments.regional import report as regional

FORMATS = ("pdf", "html", "json")


class Command(BaseCommand):
    help = "Export a regional exercise's report (PDF, HTML or JSON)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("exercise_id", type=int)
        parser.add_argument("--format", "-f", choices=FORMATS, default="pdf", dest="fmt")
        parser.add_argument(
            "--lang", choices=[code for code, _name in settings.LANGUAGES], default="en"
        )
        parser.add_argument(
            "-o", "--output", required=True, help="The file to write; - for standard output."
        )

    def handle(self, *args: Any, exercise_id: int, fmt: str, lang: str, output: str, **options):
        exercise = (
            RegionalExercise.objects.select_related("process", "framework_version")
            .filter(pk=exercise_id)
            .first()
        )
        if exercise is None:
            raise CommandError(f"There is no regional exercise with id {exercise_id}.")
        with override(lang):
            report = regional.build_regional_report(exercise)
        if fmt == "pdf":
            content = regional.render_pdf(report)
        elif fmt == "html":
            content = regional.render_document(report, inline_css=True).encode()
        else:
            content = regional.render_json(report)
        if output == "-":
            sys.stdout.buffer.write(content)
            sys.stdout.buffer.flush()
            return
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        path.write_bytes(content)
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {fmt.upper()} of “{exercise}” ({lang}) to {path}.")
        )
