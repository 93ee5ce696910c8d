"""`manage.py export_report`: reports and exports in batches, for administrators."""

from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from assessments.models import User
from tests.assessments.test_reports import scenario_assessment
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def assessment():
    return scenario_assessment(make_user("alice", role=User.Role.COORDINATOR))


def export(assessment, fmt: str, path, *extra: str) -> str:
    out = io.StringIO()
    call_command(
        "export_report", str(assessment.pk), "--format", fmt, "-o", str(path), *extra, stdout=out
    )
    return out.getvalue()


def test_it_writes_the_pdf_report(assessment, tmp_path):
    path = tmp_path / "report.pdf"
    message = export(assessment, "pdf", path)
    assert "Wrote PDF" in message
    reader = PdfReader(path)
    assert "Demoland" in reader.pages[0].extract_text()


def test_it_writes_a_standalone_html_report_in_the_language_asked_for(assessment, tmp_path):
    path = tmp_path / "report.html"
    export(assessment, "html", path, "--lang", "es")
    html = path.read_text()
    assert html.startswith("<!doctype html>")
    assert '<html lang="es">' in html
    assert "<style>" in html and "@page" in html  # the stylesheet travels with the file


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_it_writes_the_answer_exports(assessment, tmp_path, fmt):
    path = tmp_path / f"answers.{fmt}"
    export(assessment, fmt, path)
    assert path.stat().st_size > 0
    if fmt == "json":
        assert json.loads(path.read_text())["assessment"]["id"] == assessment.pk


def test_it_refuses_an_unknown_assessment(tmp_path):
    with pytest.raises(CommandError, match="no assessment with id 999"):
        call_command("export_report", "999", "-o", str(tmp_path / "x.pdf"))


def test_it_refuses_an_unknown_format(assessment, tmp_path):
    with pytest.raises(CommandError):
        call_command("export_report", str(assessment.pk), "--format", "doc", "-o", "x")


def test_it_refuses_a_missing_folder(assessment, tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        export(assessment, "csv", tmp_path / "missing" / "answers.csv")


def test_it_writes_the_summary_pdf_without_the_annexes(assessment, tmp_path):
    summary, full = tmp_path / "summary.pdf", tmp_path / "report.pdf"
    export(assessment, "pdf", summary, "--summary")
    export(assessment, "pdf", full)
    summary_text = "".join(page.extract_text() for page in PdfReader(summary).pages)
    full_text = "".join(page.extract_text() for page in PdfReader(full).pages)
    assert "Executive summary" in summary_text and "Executive summary" in full_text
    assert "Annex 2" not in summary_text and "Annex 2" in full_text
