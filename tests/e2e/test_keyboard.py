"""A section completed with the keyboard only: Tab, Shift+Tab, Space, the arrow keys and Enter.

Every element that receives focus on the way must show it (an outline), the skip link comes
first, and after a failed submission the focus lands on the error summary.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, expect

from assessments.models import Section
from tests.helpers import PASSWORD

from . import demoland
from .browser import Visitor

pytestmark = pytest.mark.django_db(transaction=True)

# The focused element, and whether it shows an outline. A date field's calendar button lives in
# the browser's own shadow tree: the field is then document.activeElement without matching
# :focus, and the browser draws that button's focus ring itself, out of reach of the page's CSS.
FOCUS_STYLE = """() => {
  const el = document.activeElement;
  const style = getComputedStyle(el);
  return {
    label: `${el.tagName.toLowerCase()}#${el.id} ${(el.textContent || "").trim().slice(0, 40)}`,
    own: el.matches(":focus"),
    visible: style.outlineStyle !== "none" && parseFloat(style.outlineWidth) >= 2,
  };
}"""


class Keyboard:
    """Tabs through a page as a keyboard user does, noting any focus that cannot be seen."""

    def __init__(self, visitor: Visitor) -> None:
        self.visitor = visitor
        self.page = visitor.page
        self.invisible_focus: list[str] = []

    def tab(self, *, back: bool = False) -> None:
        self.page.keyboard.press("Shift+Tab" if back else "Tab")
        focus = self.page.evaluate(FOCUS_STYLE)
        if focus["own"] and not focus["visible"]:
            self.invisible_focus.append(f"{self.page.url} {focus['label']}")

    def tab_to(self, target: Locator, *, back: bool = False, limit: int = 80) -> None:
        for _ in range(limit):
            self.tab(back=back)
            if target.evaluate("el => el === document.activeElement"):
                return
        raise AssertionError(f"{limit} presses of Tab never reached {target}")

    def press(self, key: str) -> None:
        self.page.keyboard.press(key)


def test_a_contributor_completes_a_section_with_the_keyboard_only(open_browser, team):
    assessment = demoland.cycle_2026(team, copy=False, assign=False)
    visitor = open_browser()
    keys = Keyboard(visitor)
    page = visitor.page

    visitor.goto("/")
    keys.tab()
    skip = page.get_by_role("link", name="Skip to main content")
    expect(skip).to_be_focused()
    expect(skip).to_be_in_viewport()
    assert skip.bounding_box()["width"] > 20  # shown on focus, not only to screen readers
    keys.press("Enter")
    expect(page.locator("main")).to_be_focused()
    keys.tab()
    assert page.evaluate("document.querySelector('main').contains(document.activeElement)")

    # Back up to the header's "Sign in"; the sign-in page puts the focus in its first field.
    keys.tab_to(page.get_by_role("link", name="Sign in", exact=True), back=True)
    with visitor.navigates():
        keys.press("Enter")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type("bruno")
    keys.tab()
    page.keyboard.type(PASSWORD)
    with visitor.navigates():
        keys.press("Enter")

    keys.tab_to(page.get_by_role("link", name=demoland.TITLE_2026))
    with visitor.navigates():
        keys.press("Enter")
    keys.tab_to(page.get_by_role("link", name="9. Integration", exact=True))
    with visitor.navigates():
        keys.press("Enter")

    # Evidence typed, but no level chosen: "Save and continue" fails.
    integration = visitor.region("9.1 Integration")
    keys.tab_to(integration.get_by_label("Evidence (optional)"))
    page.keyboard.type("National Integration Programme 2020–2024")
    keys.tab_to(page.get_by_role("button", name="Save and continue"))
    with visitor.navigates(status=400):
        keys.press("Enter")
    summary = page.locator("[data-error-summary]")
    expect(summary).to_be_focused()
    assert page.evaluate("document.activeElement.hasAttribute('data-error-summary')")
    outline = summary.evaluate("el => getComputedStyle(el).outlineStyle")
    assert outline != "none", "the focused error summary shows no outline"

    # The summary's link takes the focus to the question; the arrow keys choose the level.
    keys.tab()
    expect(summary.get_by_role("link")).to_be_focused()
    keys.press("Enter")
    first_level = integration.get_by_label("0 – Not addressed")
    expect(first_level).to_be_focused()
    keys.press("Space")
    for _ in range(3):
        keys.press("ArrowDown")
    expect(integration.get_by_label("3 – Partially implemented")).to_be_checked()
    expect(integration.get_by_label("Evidence (optional)")).to_have_value(
        "National Integration Programme 2020–2024"
    )
    keys.tab_to(page.get_by_role("button", name="Save and continue"))
    with visitor.navigates(status=200):
        keys.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("Check your answers")
    keys.tab_to(page.get_by_label("Yes, I've completed this section"))
    keys.press("Space")
    keys.tab_to(page.get_by_role("button", name="Continue"))
    with visitor.navigates():
        keys.press("Enter")
    expect(page.locator(".task-list__item").filter(has_text="9. Integration")).to_contain_text(
        "Completed"
    )

    assert not keys.invisible_focus, "focus without a visible outline:\n" + "\n".join(
        dict.fromkeys(keys.invisible_focus)
    )
    section = assessment.sections.get(heading__number=9)
    assert section.status == Section.Status.COMPLETED
    answer = section.answers.get()
    assert (answer.level, answer.updated_by) == ("3", team.bruno)
    assert answer.evidence.startswith("National Integration Programme")
    assert assessment.answers.exclude(level="").count() == 1
