"""What a stored PDF is called: the key of everything it depends on, and its file name.

The key is known without rendering anything: for a report, the assessment, its revision and
status (and the previous cycle's revision, which the report compares with), the language, the
format, the framework version, the layout version (templates, stylesheet, fonts, score bands)
and the translations version; for a blank questionnaire, the framework version, the language and
the same two versions. So a cache hit costs two small queries and a file open, however large
the report (assessments.reports.queue).
"""

from __future__ import annotations

import functools
import hashlib
from pathlib import Path

from django.conf import settings
from django.utils import timezone

from iamm.models import FrameworkVersion

from ..models import Assessment, PdfRender
from .pdf import PDF_OPTIONS

# Bump when the PDFs' layout changes in a way no template, stylesheet or font file shows.
REPORT_FORMAT = 3  # 3: bounded texts (reports.texts) after merging issue 13
STORAGE_DIR = "reports"
LAYOUT_FILES = ("templates/reports", "static/reports")


@functools.cache
def layout_version() -> str:
    """A digest of what shapes every PDF besides its data: the report and questionnaire
    templates, the print stylesheet and fonts, the score bands. Computed once per process:
    a deployment restarts the workers."""
    digest = hashlib.sha256(f"{REPORT_FORMAT}\n{PDF_OPTIONS}\n{settings.SCORE_BANDS}\n".encode())
    for folder in LAYOUT_FILES:
        for path in sorted((settings.BASE_DIR / folder).rglob("*")):
            if path.is_file():
                digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


@functools.cache
def translations_version() -> str:
    """A digest of the compiled interface translations the PDFs are written with."""
    digest = hashlib.sha256()
    for folder in settings.LOCALE_PATHS:
        for path in sorted(Path(folder).rglob("*.mo")):
            digest.update(str(path.relative_to(folder)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:12]


def framework_stamp(version: FrameworkVersion) -> str:
    # A published version is frozen; a draft's content may change, so it is never cached long.
    if version.published_at:
        return f"{version.code}@{int(version.published_at.timestamp())}"
    return f"{version.code}@draft{int(timezone.now().timestamp())}"


def report_key(
    assessment: Assessment, language: str, fmt: str = "pdf", kind: str = PdfRender.Kind.REPORT
) -> str:
    previous = f"p{assessment.previous.revision}" if assessment.previous_id else ""
    return "/".join(
        [
            kind,
            str(assessment.pk),
            f"r{assessment.revision}{previous}-{assessment.status}",
            language,
            fmt,
            framework_stamp(assessment.framework_version),
            layout_version(),
            translations_version(),
        ]
    )


def blank_key(version: FrameworkVersion, language: str, fmt: str = "pdf") -> str:
    return "/".join(
        ["blank", framework_stamp(version), language, fmt, layout_version(), translations_version()]
    )


def file_name(render: PdfRender) -> str:
    digest = hashlib.sha256(render.key.encode()).hexdigest()[:16]
    if render.is_report:
        folder = f"{STORAGE_DIR}/assessment-{render.assessment_id}"
        name = f"{render.kind}-{render.language}-r{render.revision}-{digest}"
        return f"{folder}/{name}.{render.format}"
    folder = f"{STORAGE_DIR}/blank-{render.framework_version.code}"
    return f"{folder}/{render.language}-{digest}.{render.format}"


def report_filename(
    assessment: Assessment, extension: str, language: str, kind: str = "report"
) -> str:
    """The file's name as the person saves it: editions in several languages side by side in a
    folder do not take each other's name (as the workbook's)."""
    status = "" if assessment.is_validated else f"-{assessment.status}"
    edition = "-summary" if kind == PdfRender.Kind.SUMMARY else ""
    name = f"iamm-report{edition}-{assessment.country}-{assessment.cycle}{status}-{language}"
    return f"{name}.{extension}"
