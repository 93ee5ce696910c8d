"""The report as HTML: the page's language and the standalone document the PDF is made from."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils.translation import get_language, override

from .data import Report


def report_language(requested: str | None) -> str:
    """One of the app's languages: the requested one if we have it, else the active one."""
    codes = [code for code, _name in settings.LANGUAGES]
    for candidate in (requested, get_language(), settings.LANGUAGE_CODE):
        if candidate:
            base = candidate.split("-")[0].lower()
            if base in codes:
                return base
    return codes[0]


def render_report_document(
    report: Report, *, inline_css: bool = False, summary: bool = False
) -> str:
    """The report as a standalone HTML document (the PDF's source; `--format html`): the full
    report, or with `summary` the few pages a minister reads (no annexes, top gaps only)."""
    with override(report.language):
        return render_to_string(
            "reports/report.html",
            {
                "report": report,
                "summary": summary,
                "inline_css": _static_text("reports/report.css") if inline_css else "",
            },
        )


def _static_text(path: str) -> str:
    found = finders.find(path)
    return Path(found).read_text(encoding="utf-8") if found else ""
