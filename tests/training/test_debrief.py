"""The debrief report (HTML, PDF, JSON, command) and a participant's own debrief."""

from __future__ import annotations

import io
import json
import re

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from assessments.training import report

from .workshop import answer, join, make_facilitator, make_workshop, participant_client

pytestmark = pytest.mark.django_db


@pytest.fixture
def workshop():
    workshop = make_workshop(facilitator=make_facilitator("fatima"))
    groups = {"Ana": ("0", "3"), "Ben": ("1", "3"), "Cy": ("2", "3"), "Dee": ("4", "3")}
    for name, (first, second) in groups.items():
        person, _ = join(workshop, name, show_name=name == "Ana")
        answer(person, 1, {"1.1": {"level": first, "evidence": f"{name}'s reading"}})
        answer(person, 1, {"1.2": {"level": second}})
    return workshop


def test_the_json_has_the_keys_of_the_issue_and_hand_computed_figures(workshop):
    data = json.loads(report.debrief_json(report.build_debrief(workshop)))
    assert data["practice"] is True
    assert data["participants_count"] == 4
    items = {item["code"]: item for item in data["items"]}
    assert set(items["1.1"]) == {"code", "n", "distribution", "median", "spread"}
    # 0 1 2 4: median 1.5; Q1 0.75, Q3 2.5 → IQR 1.75; range 4.
    assert items["1.1"]["n"] == 4
    assert items["1.1"]["median"] == 1.5
    assert items["1.1"]["spread"] == {"iqr": 1.75, "range": 4}
    assert items["1.1"]["distribution"] == {
        "0": 1,
        "1": 1,
        "2": 1,
        "3": 0,
        "4": 1,
        "na": 0,
        "dk": 0,
    }
    assert items["1.2"]["spread"] == {"iqr": 0, "range": 0}
    assert items["CU1"]["n"] == 0 and items["CU1"]["median"] is None


def test_the_debrief_names_the_agreed_and_the_disagreed_items(workshop):
    debrief = report.build_debrief(workshop)
    assert [row.item.code for row in debrief.disagreed] == ["1.1"]
    assert [row.item.code for row in debrief.agreed] == ["1.2"]


@pytest.mark.parametrize(
    ("lang", "words"),
    [("en", "Workshop debrief"), ("fr", "Bilan de l’atelier"), ("es", "Balance del taller")],
)
def test_the_debrief_page_is_marked_practice_in_each_language(client, workshop, lang, words):
    client.force_login(workshop.facilitator)
    response = client.get(reverse("training:debrief", args=[workshop.pk]), {"lang": lang})
    assert response.status_code == 200
    assert words in response.text


def test_the_debrief_pdf_is_marked_practice_on_every_page(client, workshop):
    client.force_login(workshop.facilitator)
    response = client.get(reverse("training:debrief_download", args=[workshop.pk, "pdf"]))
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    assert len(reader.pages) >= 2
    for page in reader.pages:
        assert "PRACTICE" in page.extract_text()


def test_a_debrief_pdf_that_takes_too_long_is_stopped_and_said_so(client, workshop, settings):
    # Made in the request, it had no time limit: a long text could hold a web worker.
    settings.PDF_RENDER_SECONDS = 0
    client.force_login(workshop.facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("training:debrief_download", args=[workshop.pk, "pdf"]))
    assert response.status_code == 503
    assert "La préparation du PDF prend trop de temps" in response.text


def test_each_language_s_debrief_keeps_its_own_file_name(client, workshop):
    client.force_login(workshop.facilitator)
    names = {
        client.get(reverse("training:debrief_download", args=[workshop.pk, fmt]), {"lang": lang})[
            "Content-Disposition"
        ]
        for lang in ("fr", "es")
        for fmt in ("pdf", "json")
    }
    assert len(names) == 4 and all(re.search(r'-(fr|es)\.(pdf|json)"$', n) for n in names)


def test_the_command_writes_each_format(workshop, tmp_path):
    for fmt in ("json", "html", "pdf"):
        path = tmp_path / f"debrief.{fmt}"
        call_command(
            "export_workshop_report",
            str(workshop.pk),
            "--format",
            fmt,
            "--lang",
            "fr",
            "-o",
            str(path),
            stdout=io.StringIO(),
        )
        assert path.stat().st_size > 0
    assert json.loads((tmp_path / "debrief.json").read_text())["language"] == "fr"
    assert "EXERCICE" in (tmp_path / "debrief.html").read_text()


def test_a_participant_downloads_their_answers_beside_the_groups(workshop):
    ben = workshop.participants.get(display_name="Ben")
    token = ben.new_token()
    ben.save()
    client = participant_client(ben, token)
    page = client.get(reverse("training:own_debrief", args=[ben.pk]))
    assert "Practice" in page.text and "1.5" in page.text.replace(",", ".")
    pdf = client.get(reverse("training:own_debrief_download", args=[ben.pk, "pdf"]))
    assert pdf["Content-Disposition"].startswith("attachment")
    text = PdfReader(io.BytesIO(pdf.content)).pages[0].extract_text()
    assert "PRACTICE" in text and "Ben" in text
