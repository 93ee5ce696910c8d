"""loaddata cannot change a published version; it may add versions and change drafts."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from iamm.models import CommonUnderstanding, FrameworkVersion
from iamm.services import framework_version_publish
from tests.helpers import make_draft_framework

pytestmark = pytest.mark.django_db


def dump(code: str) -> list[dict]:
    """The version's rows as the README's dumpdata writes them (natural keys)."""
    out = StringIO()
    call_command(
        "dumpdata", "iamm", natural_foreign=True, natural_primary=True, stdout=out, indent=2
    )
    return [
        row
        for row in json.loads(out.getvalue())
        if row["model"] != "iamm.frameworkversion" or row["fields"]["code"] == code
    ]


def write(tmp_path: Path, rows: list[dict]) -> str:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(rows), encoding="utf-8")
    return str(path)


def edit(rows: list[dict], model: str, number: int, **fields) -> None:
    row = next(r for r in rows if r["model"] == model and r["fields"].get("number") == number)
    row["fields"].update(fields)


def test_a_fixture_editing_a_published_version_is_refused_with_nothing_changed(tmp_path):
    version = framework_version_publish(version=make_draft_framework("pub-1"))
    rows = dump("pub-1")
    # A change the load would reach first, which must be rolled back too.
    edit(rows, "iamm.practiceheading", 1, title_en="Renamed heading")
    edit(rows, "iamm.commonunderstanding", 2, text_en="Rewritten after publication")
    rows.sort(key=lambda r: r["model"] != "iamm.practiceheading")
    with pytest.raises(CommandError) as error:
        call_command("loaddata", write(tmp_path, rows), verbosity=0)
    message = str(error.value)
    assert "pub-1 is published" in message
    assert "title_en would change from “Heading 1” to “Renamed heading”" in message
    assert version.headings.get(number=1).title_en == "Heading 1"
    assert version.understandings.get(number=2).text_en == "Understanding 2"


def test_a_fixture_adding_content_to_a_published_version_is_refused(tmp_path):
    framework_version_publish(version=make_draft_framework("pub-1"))
    rows = dump("pub-1")
    extra = next(r for r in rows if r["model"] == "iamm.commonunderstanding")
    rows.append({**extra, "fields": {**extra["fields"], "number": 9, "text_en": "New"}})
    with pytest.raises(CommandError, match="it would be added"):
        call_command("loaddata", write(tmp_path, rows), verbosity=0)
    assert not CommonUnderstanding.objects.filter(number=9).exists()


def test_reloading_an_unchanged_published_version_is_allowed(tmp_path):
    version = framework_version_publish(version=make_draft_framework("pub-1"))
    version.make_current()
    call_command("loaddata", write(tmp_path, dump("pub-1")), verbosity=0)
    version.refresh_from_db()
    assert version.is_current  # the fixture does not reset what the admin decided


def test_a_fixture_may_add_a_new_published_version_and_change_a_draft(tmp_path):
    framework_version_publish(version=make_draft_framework("pub-1"))
    make_draft_framework("draft-1")
    # The published content under a new code is a new version...
    new_version = json.loads(json.dumps(dump("pub-1")).replace('"pub-1"', '"pub-2"'))
    new_version = [r for r in new_version if "pub-2" in json.dumps(r)]
    # ...and a draft may change.
    draft_rows = [r for r in dump("draft-1") if "draft-1" in json.dumps(r)]
    understanding = next(
        r
        for r in draft_rows
        if r["model"] == "iamm.commonunderstanding" and r["fields"]["number"] == 1
    )
    understanding["fields"]["text_en"] = "Revised in the draft"
    call_command("loaddata", write(tmp_path, new_version + draft_rows), verbosity=0)
    pub_2 = FrameworkVersion.objects.get(code="pub-2")
    assert pub_2.is_published
    assert pub_2.understandings.count() == 3
    assert pub_2.headings.get(number=2).areas.count() == 2
    draft_cu = CommonUnderstanding.objects.get(version__code="draft-1", number=1)
    assert draft_cu.text_en == "Revised in the draft"
