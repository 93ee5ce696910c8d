"""Write everything the app holds (framework content, reference data, users, agencies,
assessments, answers, history, comments, two-factor devices, audit log, admin history) to
one file.

It is Django's dumpdata with natural keys, so the file restores into any freshly migrated
database, SQLite or PostgreSQL, whatever its ids. Restore with `manage.py restore FILE`.
The format is JSON written by `exact_json` (every microsecond, every character escaped), so
that any text the database accepted comes back byte for byte.

The file holds password hashes and two-factor secrets: it is created readable by its owner
only, written under a temporary name beside its destination, read back and counted, and only
then renamed into place, so a failed backup never leaves a partial or unreadable file under
the name a restore would use.
"""

from __future__ import annotations

import bz2
import gzip
import json
import lzma
import os
import tempfile
from collections import Counter
from pathlib import Path

from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

# Order matters only for readability: loaddata resolves natural keys across the whole file.
MODELS = [
    "iamm",
    "auth.group",
    "assessments.agency",
    "assessments.user",
    "assessments",
    "otp_totp",
    "admin.logentry",
]
# Derived from the rest and rendered again on demand: the PDF render records point at files a
# backup does not hold.
LEFT_OUT = {"assessments.pdfrender"}
FORMAT = "exact-json"
OPENERS = {".json": open, ".gz": gzip.open, ".bz2": bz2.open, ".xz": lzma.open}


def backup_models() -> list[type]:
    labels = []
    for label in MODELS:
        if "." in label:
            labels.append(apps.get_model(label))
        else:
            labels.extend(apps.get_app_config(label).get_models())
    return [
        model
        for model in dict.fromkeys(labels)
        if not model._meta.proxy and model._meta.label_lower not in LEFT_OUT
    ]


def verify(path: Path, opener) -> int:
    """Parse the whole file and check that it holds every row of every model backed up."""
    with opener(path, "rt", encoding="ascii") as stream:
        records = json.load(stream)
    found = Counter(record["model"] for record in records)
    expected = {m._meta.label_lower: m._base_manager.count() for m in backup_models()}
    missing = {label: n for label, n in expected.items() if found[label] != n}
    if missing:
        raise CommandError(f"The backup file does not hold every row: {missing}")
    return len(records)


class Command(BaseCommand):
    help = "Back up all data to a JSON file (name it .json.gz, .json.bz2 or .json.xz to compress)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="Where to write the backup, e.g. backup.json.gz")

    def handle(self, *args, **options):
        target = Path(options["file"])
        suffixes = target.suffixes[-2:]
        if ".json" not in suffixes or suffixes[-1] not in OPENERS:
            raise CommandError("Name the backup FILE.json, FILE.json.gz, .json.bz2 or .json.xz.")
        serializers.register_serializer(FORMAT, "assessments.management.exact_json")
        # mkstemp creates the file readable and writable by its owner only; dumpdata opens
        # it again by name (the compression follows the suffix), which keeps that mode.
        handle, temporary = tempfile.mkstemp(
            dir=target.parent, prefix=f".{target.name}.", suffix=target.suffix
        )
        os.close(handle)
        try:
            call_command(
                "dumpdata",
                *MODELS,
                natural_foreign=True,
                natural_primary=True,
                use_base_manager=True,
                format=FORMAT,
                indent=1,
                output=temporary,
                verbosity=0,
            )
            count = verify(Path(temporary), OPENERS[target.suffix])
            with open(temporary, "rb") as written:
                os.fsync(written.fileno())
            os.replace(temporary, target)
        except BaseException:
            Path(temporary).unlink(missing_ok=True)  # dumpdata reports what went wrong
            raise
        self.stdout.write(self.style.SUCCESS(f"Backup of {count} records written to {target}"))
