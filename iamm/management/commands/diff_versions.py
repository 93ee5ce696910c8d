"""Print what changed between two framework versions, for review outside the admin.

The same diff as the draft's admin page (iamm.diff.version_diff): items added and removed, and for
each changed item the old and new text of every changed column, language by language.
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from iamm.diff import version_diff
from iamm.models import FrameworkVersion


class Command(BaseCommand):
    help = "Print the differences between two framework versions: diff_versions OLD NEW."

    def add_arguments(self, parser) -> None:
        parser.add_argument("old", help="Code of the earlier version, for example iamm-2005.")
        parser.add_argument("new", help="Code of the later version (a draft or published).")

    def handle(self, *args, old: str, new: str, **options) -> None:
        versions = {v.code: v for v in FrameworkVersion.objects.filter(code__in=[old, new])}
        for code in (old, new):
            if code not in versions:
                raise CommandError(f"There is no framework version with the code {code!r}.")
        diff = version_diff(old=versions[old], new=versions[new])
        out = self.stdout
        out.write(f"--- {old}\n+++ {new}")
        if diff.is_empty:
            out.write(self.style.SUCCESS("No differences."))
            return
        for item in diff.added:
            out.write(self.style.SUCCESS(f"+ {item.kind.label} {item.key_text}: {item.label}"))
        for item in diff.removed:
            out.write(self.style.ERROR(f"- {item.kind.label} {item.key_text}: {item.label}"))
        for changed in diff.changed:
            out.write(f"~ {changed.item.kind.label} {changed.item.key_text}: {changed.item.label}")
            for change in changed.changes:
                out.write(f"    {change.column}:")
                out.write(self.style.ERROR(f"      - {change.old}"))
                out.write(self.style.SUCCESS(f"      + {change.new}"))
        out.write(
            f"{len(diff.added)} added, {len(diff.removed)} removed, {len(diff.changed)} changed."
        )
