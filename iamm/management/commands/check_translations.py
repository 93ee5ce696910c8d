"""Fails when French or Spanish is missing anywhere: an interface string without a translation
(or a fuzzy one) in the catalogues, or a content field with English but no French or Spanish.

Run by `make test` after `makemessages`, so a string added to the code without its translations
fails the build instead of appearing in English to an official in Dakar or Lima.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from modeltranslation.translator import translator

TARGET_LANGUAGES = ("fr", "es")


def catalogue_problems(po_file: Path) -> list[str]:
    """Untranslated and fuzzy entries of one .po file, as readable lines."""
    problems = []
    for flag, label in (("--untranslated", "untranslated"), ("--only-fuzzy", "fuzzy")):
        output = subprocess.run(
            ["msgattrib", flag, "--no-obsolete", "--no-wrap", str(po_file)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        for block in output.split("\n\n"):
            msgid = next((line for line in block.splitlines() if line.startswith("msgid ")), "")
            if msgid and msgid != 'msgid ""':
                problems.append(f"{po_file.relative_to(settings.BASE_DIR)}: {label} {msgid[6:]}")
    return problems


def content_problems() -> list[str]:
    """Rows whose English text has no French or Spanish counterpart."""
    problems = []
    for model in translator.get_registered_models():
        fields = translator.get_options_for_model(model).fields
        for row in model.objects.all():
            for field in fields:
                if not getattr(row, f"{field}_en", ""):
                    continue
                for lang in TARGET_LANGUAGES:
                    if not (getattr(row, f"{field}_{lang}", "") or "").strip():
                        label = model._meta.label
                        problems.append(f"{label} {row.pk} ({row}): no {lang} for {field}")
    return problems


class Command(BaseCommand):
    help = "Fail when an interface string or a content field lacks French or Spanish."

    def add_arguments(self, parser):
        parser.add_argument("--no-content", action="store_true", help="Only check the catalogues.")

    def handle(self, *args, **options):
        problems = []
        for lang in TARGET_LANGUAGES:
            po_file = Path(settings.LOCALE_PATHS[0]) / lang / "LC_MESSAGES" / "django.po"
            if not po_file.exists():
                problems.append(f"{po_file}: missing catalogue")
                continue
            problems += catalogue_problems(po_file)
        if not options["no_content"]:
            problems += content_problems()
        for problem in problems:
            self.stderr.write(problem)
        if problems:
            raise CommandError(f"{len(problems)} missing or fuzzy translation(s).")
        self.stdout.write(self.style.SUCCESS("Every string and content field has fr and es."))
