"""Read a filled-in workbook into an assessment, as USERNAME would upload it.

The same checks and rights as the upload page apply (the person's sections, the workflow
stage), and the changes go through the same service, into the history with the file's name.
Answers changed online since the download are conflicts: by default the command lists them and
saves nothing; `--conflicts online` keeps the online answers, `--conflicts workbook` takes the
workbook's.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError

from assessments.access import Action, can
from assessments.exchange.workbook_apply import workbook_apply, workbook_changes
from assessments.exchange.workbook_import import WorkbookInvalid, workbook_read
from assessments.models import Assessment, User
from assessments.questionnaire import services


class Command(BaseCommand):
    help = "Read a filled-in offline workbook (XLSX) into an assessment, as a given person."

    def add_arguments(self, parser) -> None:
        parser.add_argument("assessment_id", type=int)
        parser.add_argument("file", type=Path)
        parser.add_argument("--user", required=True, help="The person the changes are made as.")
        parser.add_argument(
            "--dry-run", action="store_true", help="Show the changes and save nothing."
        )
        parser.add_argument(
            "--conflicts",
            choices=("stop", "online", "workbook"),
            default="stop",
            help="For answers changed online since the download (default: stop, save nothing).",
        )

    def handle(self, *args: Any, assessment_id: int, file: Path, user: str, **options: Any):
        person = User.objects.filter(username=user, is_active=True).first()
        if person is None:
            raise CommandError(f"There is no active user {user!r}.")
        assessment = (
            Assessment.objects.select_related("framework_version").filter(pk=assessment_id).first()
        )
        if assessment is None or not can(person, assessment, Action.ANSWER):
            raise CommandError(f"{user} may not change the answers of assessment {assessment_id}.")
        if not file.is_file():
            raise CommandError(f"There is no file {file}.")
        started = time.perf_counter()
        try:
            rows = workbook_read(content=file.read_bytes(), assessment=assessment, user=person)
        except WorkbookInvalid as error:
            raise CommandError(
                "Nothing was saved:\n" + "\n".join(f"  {p}" for p in error.problems)
            ) from None
        changes = workbook_changes(assessment=assessment, user=person, rows=rows)
        for change in changes:
            mark = "CONFLICT " if change.conflict else ""
            self.stdout.write(f"{mark}{change.answer}")
            for field in change.fields:
                self.stdout.write(f"    {field.label}: {field.old or '—'} → {field.new or '—'}")
        conflicts = [c for c in changes if c.conflict]
        if conflicts and options["conflicts"] == "stop":
            raise CommandError(
                f"{len(conflicts)} answer(s) changed online since the download; nothing was "
                "saved. Choose --conflicts online or --conflicts workbook."
            )
        if options["dry_run"]:
            self.stdout.write(f"{len(changes)} change(s); dry run, nothing saved.")
            return
        decisions = {c.answer.pk: options["conflicts"] for c in conflicts}
        seen = {c.answer.pk: c.answer.version for c in conflicts}
        try:
            changed = workbook_apply(
                assessment=assessment,
                user=person,
                rows=rows,
                decisions=decisions,
                seen=seen,
                source=file.name,
            )
        except (services.ConflictError, services.WorkflowError, WorkbookInvalid) as error:
            raise CommandError(f"Nothing was saved: {error}") from None
        elapsed = time.perf_counter() - started
        self.stdout.write(
            self.style.SUCCESS(f"{changed} change(s) saved from {file.name} in {elapsed:.2f} s.")
        )
