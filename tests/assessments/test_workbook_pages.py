"""The offline workbook's pages: download, upload, preview, confirm; the commands.

Amina coordinates Demoland; Bruno contributes for the Ministry of the Interior (heading 6);
Carol only views; Dave coordinates France and learns nothing about Demoland.
"""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from assessments.models import AnswerChange, User
from assessments.questionnaire import services
from tests.assessments.test_workbook import edit, snapshot
from tests.assessments.test_workbook import team as team  # noqa: F401 (the fixture)
from tests.helpers import make_user

pytestmark = pytest.mark.django_db


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def download(client: Client, assessment, lang: str = "en") -> bytes:
    response = client.get(
        reverse("assessments:workbook_download", args=[assessment.pk]), {"lang": lang}
    )
    assert response.status_code == 200, response.status_code
    return response.content


def upload(client: Client, assessment, content: bytes, name: str = "answers.xlsx"):
    file = io.BytesIO(content)
    file.name = name
    return client.post(reverse("assessments:workbook_upload", args=[assessment.pk]), {"file": file})


def test_download_upload_preview_and_confirm(team):
    assessment, client = team["assessment"], client_for(team["amina"])
    content = edit(download(client, assessment, "fr"), {("1.1", "Evidence"): "Loi de 2016"})
    response = upload(client, assessment, content, "réunion du 3 mars.xlsx")
    assert response.status_code == 302
    preview = client.get(response.url)
    assert preview.status_code == 200
    page = preview.content.decode()
    assert "Loi de 2016" in page and "1.1" in page
    assert assessment.answers.get(area__code="1.1").evidence != "Loi de 2016"
    done = client.post(response.url)
    assert done.status_code == 302
    answer = assessment.answers.get(area__code="1.1")
    assert answer.evidence == "Loi de 2016"
    entry = AnswerChange.objects.filter(answer=answer).first()
    assert (entry.changed_by, entry.source) == (team["amina"], "réunion du 3 mars.xlsx")
    history = client.get(reverse("assessments:answer", args=[assessment.pk, answer.pk]))
    assert "from the workbook réunion du 3 mars.xlsx" in history.content.decode()
    assert client.post(response.url).status_code == 404  # the upload is used up


def test_an_unchanged_workbook_shows_0_changes(team):
    assessment, client = team["assessment"], client_for(team["amina"])
    response = upload(client, assessment, download(client, assessment, "es"))
    page = client.get(response.url).content.decode()
    assert "0 changes" in page


def test_a_bad_file_gets_a_clear_message_in_the_persons_language(team):
    assessment, client = team["assessment"], client_for(team["amina"])
    before = snapshot(assessment)
    content = edit(download(client, assessment), {("3.1", "Current level"): "=1+3"})
    response = upload(client, assessment, content)
    assert response.status_code == 400
    page = response.content.decode()
    assert "There is a problem" in page and "The cell holds a formula" in page
    assert "<td>Answers</td><td>25</td><td>Current level</td>" in page.replace("\n", "")
    response = upload(client, assessment, b"not a workbook at all")
    assert "not an Excel workbook" in response.content.decode()
    assert snapshot(assessment) == before


def test_an_oversized_upload_is_refused_before_reading(team, settings):
    settings.WORKBOOK_MAX_UPLOAD_BYTES = 2 * 1024 * 1024
    assessment, client = team["assessment"], client_for(team["amina"])
    response = upload(client, assessment, b"PK" + b"\0" * (3 * 1024 * 1024))
    assert response.status_code == 400
    assert "larger than 2 MB" in response.content.decode()


def test_a_conflict_is_shown_side_by_side_and_the_person_decides(team):
    assessment, client = team["assessment"], client_for(team["amina"])
    content = edit(
        download(client, assessment), {("1.1", "Current level"): 4, ("3.1", "Current level"): 1}
    )
    online = assessment.answers.get(area__code="1.1")
    services.answers_save(
        assessment=assessment, user=team["bruno"], updates=[(online, 1, {"level": "3"})]
    )
    url = upload(client, assessment, content).url
    page = client.get(url).content.decode()
    assert "Saved online" in page and "In the workbook" in page
    missing = client.post(url)
    assert missing.status_code == 400
    assert "Choose which answer to keep for" in missing.content.decode()
    assert assessment.answers.get(area__code="3.1").level == ""
    done = client.post(url, {f"decision-{online.pk}": "workbook"})
    assert done.status_code == 302
    assert assessment.answers.get(area__code="1.1").level == "4"
    assert assessment.answers.get(area__code="3.1").level == "1"


def test_the_upload_belongs_to_its_person(team):
    assessment = team["assessment"]
    amina = client_for(team["amina"])
    url = upload(
        amina, assessment, edit(download(amina, assessment), {("3.1", "Evidence"): "x"})
    ).url
    bruno = client_for(team["bruno"])
    assert bruno.get(url).status_code == 404
    assert bruno.post(url).status_code == 404


def test_access_rules(team):
    assessment = team["assessment"]
    carol = make_user("carol", role=User.Role.VIEWER)
    urls = [
        reverse("assessments:workbook_download", args=[assessment.pk]),
        reverse("assessments:workbook_upload", args=[assessment.pk]),
    ]
    for url in urls:
        assert client_for(team["dave"]).get(url).status_code == 404
        assert client_for(carol).get(url).status_code == 403
        assert Client().get(url).status_code == 302


def test_a_contributor_downloads_only_the_sections_they_may_edit(team):
    assessment = team["assessment"]
    content = download(client_for(team["bruno"]), assessment)
    codes = [
        r[0]
        for r in load_workbook(io.BytesIO(content))["Answers"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    assert codes == ["6.1", "6.2"]


def test_the_blank_workbook_is_public_and_translated(team):
    response = Client().get(reverse("assessments:blank_xlsx", args=["iamm-2005"]), {"lang": "es"})
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content))
    assert book["Answers"].max_row == 64
    assert "Cuestionario" in book["Instructions"]["A1"].value or book["Instructions"]["A1"].value


def test_the_commands_export_and_import(team, tmp_path):
    assessment = team["assessment"]
    path = tmp_path / "wb.xlsx"
    call_command(
        "export_workbook",
        assessment.pk,
        "--lang",
        "fr",
        "--sections",
        "1",
        "-o",
        str(path),
        stdout=io.StringIO(),
    )
    book = load_workbook(path)
    assert [r[0] for r in book["Answers"].iter_rows(min_row=2, values_only=True)] == ["1.1", "1.2"]
    path.write_bytes(edit(path.read_bytes(), {("1.1", "Planned action"): "Train border guards"}))
    out = io.StringIO()
    call_command(
        "import_workbook", assessment.pk, str(path), "--user", "amina", "--dry-run", stdout=out
    )
    assert "Train border guards" in out.getvalue() and "dry run" in out.getvalue()
    assert assessment.answers.get(area__code="1.1").planned_action == "'quoted by the user"
    call_command("import_workbook", assessment.pk, str(path), "--user", "amina", stdout=out)
    assert assessment.answers.get(area__code="1.1").planned_action == "Train border guards"
    with pytest.raises(CommandError, match="Nothing was saved"):
        path.write_bytes(b"nope")
        call_command("import_workbook", assessment.pk, str(path), "--user", "amina")
    with pytest.raises(CommandError, match="may not change"):
        call_command("import_workbook", assessment.pk, str(path), "--user", "dave")


def test_the_preview_does_not_grow_with_the_number_of_changes(team):
    assessment, client = team["assessment"], client_for(team["amina"])
    content = download(client, assessment)
    counts = []
    for codes in (["3.1"], ["3.1", "3.2", "3.3", "4.1", "4.2", "4.3", "4.4", "4.5"]):
        url = upload(client, assessment, edit(content, {(c, "Evidence"): "x" for c in codes})).url
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1]
