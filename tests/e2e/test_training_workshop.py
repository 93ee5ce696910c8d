"""A workshop in the room: Fatima facilitates; Ana joins on a laptop, Ben on a phone (375 px
wide), Chloé in French. They answer heading 1; Fatima's live view shows the split."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.models import PracticeAnswer
from tests.helpers import load_framework
from tests.training.workshop import make_facilitator, make_workshop

pytestmark = pytest.mark.django_db(transaction=True)


def join(visitor, code: str, name: str) -> None:
    visitor.goto("/workshops/join/")
    visitor.page.locator("#id_code").fill(code.lower())
    visitor.page.locator("#id_display_name").fill(name)
    visitor.click(visitor.page.locator("main form button[type=submit]"), status=200)


def answer_first_area(visitor, level_label: str, evidence: str) -> None:
    visitor.page.locator("main .task-list a").first.click()
    visitor.page.wait_for_load_state()
    visitor.audit()
    item = visitor.page.locator("main section.card").first
    item.get_by_label(level_label, exact=True).check()
    item.locator("textarea").first.fill(evidence)
    visitor.click(visitor.page.locator("main form button[type=submit]").first, status=200)


def test_a_facilitator_and_three_participants(open_browser):
    version = load_framework()
    workshop = make_workshop(
        facilitator=make_facilitator("fatima"), version=version, part_a=False, headings=(1,)
    )

    fatima = open_browser()
    fatima.sign_in("fatima")
    fatima.goto(f"/workshops/{workshop.pk}/")
    code = fatima.page.locator("#workshop-code").inner_text().replace("-", "")
    assert code == workshop.code

    ana = open_browser()
    join(ana, code, "Ana")
    expect(ana.page.locator(".practice-banner")).to_be_visible()
    answer_first_area(ana, "0 – Not addressed", "Nothing in the case")

    ben = open_browser()
    ben.page.set_viewport_size({"width": 375, "height": 812})
    join(ben, code, "Ben")
    # On a phone the header stays small: the page title shows near the top.
    assert ben.page.locator("h1").bounding_box()["y"] < 300
    expect(ben.page.get_by_role("link", name="Regional processes")).to_be_hidden()
    ben.page.locator("summary.site-nav__toggle").click()
    expect(ben.page.get_by_role("link", name="Regional processes")).to_be_visible()
    answer_first_area(ben, "4 – Fully implemented and periodically reviewed", "A law in force")

    chloe = open_browser()
    chloe.goto("/")
    chloe.switch_language("fr")
    join(chloe, code, "Chloé")
    expect(chloe.page.locator(".practice-banner")).to_contain_text("Exercice")
    answer_first_area(
        chloe, "2 – Adopté dans la loi ou les politiques, pas encore mis en œuvre", ""
    )

    assert PracticeAnswer.objects.filter(participant__workshop=workshop).count() == 3
    fatima.goto(f"/workshops/{workshop.pk}/live/")
    first = fatima.page.locator("section.workshop-item").first
    expect(first).to_contain_text("1.1")
    expect(first.locator(".spread-figures")).to_contain_text("3")
    expect(first).to_contain_text("Anonymous participant")
    # The page reloads itself (no JavaScript needed) once Fatima asks for it.
    expect(fatima.page.locator("meta[http-equiv=refresh]")).to_have_count(0)
