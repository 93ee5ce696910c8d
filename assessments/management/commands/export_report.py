"""Write an assessment's gap-analysis report or answers to a file.

Administrators produce reports in batches (for a regional meeting, for the archive) without
signing in as each country: this command bypasses the per-country access rules, so it is for
people with shell access only. PDFs come from the same store as the app's downloads, rendered
once per revision of the answers.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.files.storage import default_storage
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import override

from assessments.exchange import exports
from assessments.models import Assessment, PdfRender
from assessments.reports import data, html, queue

FORMATS = ("pdf", "html", *exports.FORMATS)


class Command(BaseCommand):
    help = "Export an assessment's gap-analysis report (PDF, HTML) or answers (CSV, XLSX, JSON)."

    def add_arguments(self, parser) -> None:
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("--format", "-f", choices=FORMATS, default="pdf", dest="fmt")
        parser.add_argument(
            "--lang", choices=[code for code, _name in settings.LANGUAGES], default="en"
        )
        parser.add_argument(
            "-o", "--output", required=True, help="The file to write; - for standard output."
        )
        parser.add_argument(
            "--summary",
            action="store_true",
            help="The summary report (a few pages, no annexes) instead of the full report.",
        )

    def handle(
        self, *args: Any, assessment_id: int, fmt: str, lang: str, output: str, summary: bool, **_
    ):
        assessment = (
            Assessment.objects.select_related("framework_version").filter(pk=assessment_id).first()
        )
        if assessment is None:
            raise CommandError(f"There is no assessment with id {assessment_id}.")
        content = self._content(assessment, fmt, lang, summary)
        path = write_output(content, output)
        if path is None:
            return
        self.stdout.write(
            self.style.SUCCESS(f"Wrote {fmt.upper()} of “{assessment}” ({lang}) to {path}.")
        )

    def _content(self, assessment: Assessment, fmt: str, lang: str, summary: bool) -> bytes:
        if fmt == "pdf":
            kind = PdfRender.Kind.SUMMARY if summary else PdfRender.Kind.REPORT
            name = queue.report_file(assessment=assessment, language=lang, kind=kind)
            with default_storage.open(name, "rb") as pdf:
                return pdf.read()
        if fmt == "html":
            with override(lang):
                report = data.build_report(assessment)
            return html.render_report_document(report, inline_css=True, summary=summary).encode()
        return exports.export(assessment, fmt, lang)[0]


def write_output(content: bytes, output: str) -> Path | None:
    """Writes to the file named `output`, or to standard output for "-" (then returns None)."""
    if output == "-":
        sys.stdout.buffer.write(content)
        sys.stdout.buffer.flush()
        return None
    path = Path(output)
    if not path.parent.is_dir():
        raise CommandError(f"The folder {path.parent} does not exist.")
    path.write_bytes(content)
    return path
