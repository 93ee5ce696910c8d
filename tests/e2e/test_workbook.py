"""The offline workbook in a real browser: Bruno downloads his agency's workbook, fills it in
with a spreadsheet library (as Excel would), and uploads it; one of his answers was changed
online meanwhile, and he decides to keep the workbook's."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

from assessments.models import AnswerChange
from assessments.questionnaire import services
from tests.assessments.test_workbook import edit

from . import demoland

pytestmark = pytest.mark.django_db(transaction=True)

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def test_a_contributor_fills_in_the_workbook_offline_and_uploads_it(open_browser, team):
    assessment = demoland.cycle_2026(team)
    bruno = open_browser()
    bruno.sign_in("bruno")
    bruno.link(demoland.TITLE_2026)
    bruno.link("Fill in offline (Excel workbook)")
    with bruno.page.expect_download() as info:
        bruno.page.get_by_role("link", name="Workbook in French (Excel)").click()
    download = info.value
    assert download.suggested_filename == "iamm-workbook-QZ-2026-fr.xlsx"
    content = Path(download.path()).read_bytes()
    codes = [
        r[0]
        for r in load_workbook(io.BytesIO(content))["Answers"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert codes == ["6.1", "6.2", "8.1"]  # only his agency's headings

    # Meanwhile Amina changes 6.2 online.
    online = assessment.answers.get(area__code="6.2")
    services.answers_save(
        assessment=assessment, user=team.amina, updates=[(online, online.version, {"level": "1"})]
    )
    filled = edit(
        content,
        {
            ("6.1", "Current level"): "3 – Partiellement mis en œuvre",
            # Typed as '=… in a spreadsheet: text that starts with "=", not a formula.
            ("6.1", "Evidence"): "'=Rapport annuel 2025",
            ("6.2", "Current level"): 4,
        },
    )
    bruno.page.locator("#id_file").set_input_files(
        files=[{"name": "réunion.xlsx", "mimeType": XLSX, "buffer": filled}]
    )
    bruno.button("Upload and check the changes", status=200)
    page = bruno.page
    expect(page.get_by_role("heading", level=1)).to_have_text("Check the changes from the workbook")
    expect(page.locator("main")).to_contain_text("=Rapport annuel 2025")
    expect(page.locator("main")).to_contain_text("In the workbook")

    bruno.button("Confirm and save the changes", status=400)  # the conflict is not decided
    expect(page.locator(".error-summary")).to_contain_text("Choose which answer to keep for")
    page.get_by_label("Take the answer from the workbook").check()
    bruno.button("Confirm and save the changes", status=200)
    expect(page.locator(".messages")).to_contain_text(
        "2 answers changed from the workbook réunion.xlsx."
    )

    answers = {
        a.area.code: a for a in assessment.answers.filter(area__isnull=False).select_related("area")
    }
    assert answers["6.1"].level == "3"
    assert answers["6.1"].evidence == "=Rapport annuel 2025"
    assert answers["6.2"].level == "4"
    assert AnswerChange.objects.filter(answer=answers["6.1"], changed_by=team.bruno).count() == 1
