from __future__ import annotations

import io
import json

import pytest
from django.core.management import CommandError, call_command
from pypdf import PdfReader

from tests.helpers import make_framework

from .helpers import make_exercise, make_process, share, validated_assessment

pytestmark = pytest.mark.django_db


@pytest.fixture
def exercise():
    version = make_framework("test-1")
    exercise = make_exercise(make_process(["FR", "DE", "IT"]), version)
    for country, level in zip(["FR", "DE", "IT"], "024", strict=True):
        assessment = validated_assessment(country, version=version, default=level)
        share(exercise, assessment, anonymous=country == "IT")
    return exercise


def test_it_writes_the_json_with_the_issue_keys(exercise, tmp_path):
    target = tmp_path / "regional.json"
    call_command(
        "export_regional_report",
        exercise.pk,
        "--format",
        "json",
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    data = json.loads(target.read_text())
    assert set(data) == {"participants_count", "headings", "shared_gaps"}
    assert data["headings"][0]["median"] == 50 and data["headings"][0]["n"] == 3
    assert set(data["headings"][0]) == {"number", "title", "n", "min", "q1", "median", "q3", "max"}


@pytest.mark.parametrize("lang, word", [("fr", "Participation"), ("es", "Participación")])
def test_it_writes_a_tagged_pdf_in_each_language_without_the_anonymous_state(
    exercise, tmp_path, lang, word
):
    target = tmp_path / "regional.pdf"
    call_command(
        "export_regional_report",
        exercise.pk,
        "--lang",
        lang,
        "-o",
        str(target),
        stdout=io.StringIO(),
    )
    reader = PdfReader(target)
    text = "\n".join(page.extract_text() for page in reader.pages)
    assert word in text
    assert "Itali" not in text  # Italie, Italia
    assert "/StructTreeRoot" in reader.trailer["/Root"]


def test_it_writes_html_and_refuses_an_unknown_exercise(exercise, tmp_path):
    target = tmp_path / "regional.html"
    call_command(
        "export_regional_report", exercise.pk, "-f", "html", "-o", str(target), stdout=io.StringIO()
    )
    assert "<style>" in target.read_text()
    with pytest.raises(CommandError):
        call_command("export_regional_report", 999, "-o", str(target))
