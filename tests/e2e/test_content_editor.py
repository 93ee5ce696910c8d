"""An IOM content editor revises the framework in the admin: clones the published version into a
named draft, edits an understanding in English and French, previews the reference pages, reads
the diff, and publishes the draft as the current version. At a laptop's 1366 px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from iamm.models import CommonUnderstanding, FrameworkVersion
from iamm.services import framework_version_publish
from tests.helpers import make_draft_framework, make_user

pytestmark = pytest.mark.django_db(transaction=True)

# How far the widest inline table reaches past the window's right edge (the admin lets an
# inline scroll sideways inside its box, so the page itself never looks too wide).
OVERFLOW = """() => Math.max(0, ...[...document.querySelectorAll('.inline-group table')].map(
  (table) => table.getBoundingClientRect().left + table.scrollWidth
)) - document.documentElement.clientWidth"""
NEW_EN = "States cooperate on migration in good faith, revised in 2026."
NEW_FR = "Les États coopèrent de bonne foi en matière de migration, révisé en 2026."


def test_an_editor_clones_edits_previews_diffs_and_publishes(open_browser):
    source = framework_version_publish(version=make_draft_framework("iamm-2005"))
    make_user("ines", country="FR", is_staff=True, is_superuser=True)
    editor = open_browser()
    editor.page.set_viewport_size({"width": 1366, "height": 768})
    editor.sign_in("ines")

    # The published version says why it is read-only and offers a clone with a real name.
    editor.goto(f"/admin/iamm/frameworkversion/{source.pk}/change/")
    expect(editor.page.get_by_text("this version is published.")).to_be_visible()
    editor.link("Clone into a new draft")
    code = editor.page.get_by_label("code of the new draft")
    expect(code).to_have_value("iamm-2005-draft-1")
    code.fill("iamm-2026")
    editor.page.get_by_label("title (en)").fill("IAMM, 2026 revision")
    editor.click(editor.page.get_by_role("button", name="Create the draft"))
    expect(editor.page.get_by_text("Created the draft version iamm-2026")).to_be_visible()

    # Its content at a glance links to each item; the understanding is edited in two languages.
    glance = editor.page.locator("#content-at-a-glance")
    editor.click(glance.get_by_role("link", name="Understanding 2", exact=True))
    expect(editor.page.locator(".iamm-version-banner")).to_contain_text("(iamm-2026), Draft")
    editor.page.locator("#id_text_en").fill(NEW_EN)
    editor.page.locator("#id_text_fr").fill(NEW_FR)
    editor.click(editor.page.get_by_role("button", name="Save", exact=True))
    draft = FrameworkVersion.objects.get(code="iamm-2026")
    saved = CommonUnderstanding.objects.get(version=draft, number=2)
    assert (saved.text_en, saved.text_fr) == (NEW_EN, NEW_FR)

    # The inline tables of areas and of practices fit the laptop screen.
    heading = draft.headings.get(number=1)
    area = heading.areas.get(code="1.1")
    for page in (f"practiceheading/{heading.pk}", f"practicearea/{area.pk}"):
        editor.goto(f"/admin/iamm/{page}/change/")
        overflow = editor.page.evaluate(OVERFLOW)
        assert overflow <= 0, f"{page} is {overflow} px too wide at 1366 px"

    # The preview shows the reference pages as they will look, in each language.
    editor.goto("/framework/iamm-2026/understandings/")
    expect(editor.page.get_by_text(NEW_EN)).to_be_visible()
    editor.switch_language("fr")
    expect(editor.page.get_by_text(NEW_FR)).to_be_visible()
    editor.switch_language("en")

    # The diff shows the old and new text side by side, language by language.
    editor.goto(f"/admin/iamm/frameworkversion/{draft.pk}/diff/")
    changed = editor.page.locator("#diff-changed")
    expect(changed.locator("td.iamm-added[lang=en]")).to_have_text(NEW_EN)
    expect(changed.locator("td.iamm-added[lang=fr]")).to_have_text(NEW_FR)
    expect(changed.locator("td.iamm-removed[lang=en]")).to_have_text("Understanding 2")

    # Publishing shows a summary and asks first.
    editor.goto(f"/admin/iamm/frameworkversion/{draft.pk}/change/")
    editor.link("Publish…")
    expect(editor.page.get_by_text("Publishing iamm-2026 freezes 3")).to_be_visible()
    draft.refresh_from_db()
    assert not draft.is_published
    editor.click(editor.page.get_by_role("button", name="Yes, publish iamm-2026"))
    expect(editor.page.get_by_text("Published iamm-2026.")).to_be_visible()
    draft.refresh_from_db()
    assert draft.is_published and draft.is_current
    assert FrameworkVersion.objects.current() == draft
