"""Rendered PDFs in Django's default storage under `reports/`, named by the assessment's
revision, the language and a digest of the HTML they were made from, so a stored PDF is served
until anything it shows changes and a stale one never is."""

from __future__ import annotations

import hashlib

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils.translation import override

from ..models import Assessment
from .data import build_report
from .html import render_report_document
from .limits import bytes_before, one_at_a_time, render_deadline
from .pdf import html_to_pdf, stylesheet_digest

# Bump when the report's layout changes in a way the HTML digest would not see (e.g. CSS only).
REPORT_FORMAT = 1
STORAGE_DIR = "reports"


def stored_pdf(directory: str, language: str, html: str, *, revision: int | None = None) -> str:
    """The storage name of the PDF of `html`, rendering and storing it on first use.

    Named `<directory>/<language>[-r<revision>]-<digest of the HTML>.pdf`; older PDFs of the
    same directory and language are removed once the new one is stored. One render at a time
    per directory and language, within PDF_RENDER_SECONDS (else limits.RenderTimeout).
    """
    source = f"{REPORT_FORMAT}\n{stylesheet_digest()}\n{html}"
    digest = hashlib.sha256(source.encode()).hexdigest()[:20]
    stem = language if revision is None else f"{language}-r{revision}"
    name = f"{directory}/{stem}-{digest}.pdf"
    if default_storage.exists(name):
        return name
    deadline = render_deadline()  # waiting for another render counts too
    with one_at_a_time(f"{directory}/{language}", deadline=deadline):
        if default_storage.exists(name):
            return name  # the render we waited for was this one
        pdf = bytes_before(lambda: html_to_pdf(html), deadline=deadline)
        saved = default_storage.save(name, ContentFile(pdf))
        if saved != name:
            # Another server stored the same PDF meanwhile: keep theirs.
            default_storage.delete(saved)
        _remove_older(directory, language, keep=name)
    return name


def _remove_older(directory: str, language: str, *, keep: str) -> None:
    try:
        _dirs, files = default_storage.listdir(directory)
    except FileNotFoundError:
        return
    for filename in files:
        path = f"{directory}/{filename}"
        if path != keep and filename.startswith(f"{language}-") and filename.endswith(".pdf"):
            default_storage.delete(path)


def report_pdf(assessment: Assessment, language: str) -> str:
    """The storage name of the assessment's report PDF in `language`, rendered if needed."""
    with override(language):
        html = render_report_document(build_report(assessment))
    directory = f"{STORAGE_DIR}/assessment-{assessment.pk}"
    return stored_pdf(directory, language, html, revision=assessment.revision)


def report_filename(assessment: Assessment, extension: str) -> str:
    status = "" if assessment.is_validated else f"-{assessment.status}"
    return f"iamm-report-{assessment.country}-{assessment.cycle}{status}.{extension}"
