"""Write an assessment's offline workbook (XLSX) to a file.

For a coordinator preparing workbooks for a meeting, or for an administrator: the command has no
signed-in person, so it bypasses the per-section rights and exports every section unless
`--sections` names some (0 is Part A, 1-20 the headings).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from assessments.exchange import workbook
from assessments.models import Assessment


class Command(BaseCommand):
    help = "Write an assessment's offline workbook (XLSX), to fill in and upload again."

    def add_arguments(self, parser) -> None:
        parser.add_argument("assessment_id", type=int)
        parser.add_argument(
            "--lang", choices=[code for code, _name in settings.LANGUAGES], default="en"
        )
        parser.add_argument(
            "--sections",
            nargs="+",
            type=int,
            metavar="ORDER",
            help="Only these sections: 0 for Part A, a heading's number for its section.",
        )
        parser.add_argument("-o", "--output", required=True, help="The .xlsx file to write.")

    def handle(
        self, *args: Any, assessment_id: int, lang: str, sections, output: str, **options: Any
    ) -> None:
        assessment = (
            Assessment.objects.select_related("framework_version").filter(pk=assessment_id).first()
        )
        if assessment is None:
            raise CommandError(f"There is no assessment with id {assessment_id}.")
        if sections:
            unknown = set(sections) - set(assessment.sections.values_list("order", flat=True))
            if unknown:
                raise CommandError(f"No such section: {', '.join(map(str, sorted(unknown)))}.")
        path = Path(output)
        if not path.parent.is_dir():
            raise CommandError(f"The folder {path.parent} does not exist.")
        items = workbook.assessment_items(assessment, language=lang, orders=sections)
        path.write_bytes(
            workbook.workbook_build(
                version=assessment.framework_version,
                items=items,
                language=lang,
                assessment=assessment,
                agencies=workbook.workbook_agencies(assessment),
            )
        )
        self.stdout.write(
            self.style.SUCCESS(
                f"Wrote the workbook of “{assessment}” ({lang}, {len(items)} items) to {path}."
            )
        )
