"""A regional exercise in a real browser: Demoland's coordinator shares, sees what will be
visible and withdraws; the secretariat reads the figures, never an anonymous State's name
nor a country's assessment, and releases the report.

Demoland (Amina) belongs to a test process with France, Germany and Italy; France and
Germany share under their name, Italy anonymously.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from assessments.models import RegionalShare, SecurityEvent
from tests.helpers import load_framework
from tests.regional.helpers import (
    make_exercise,
    make_process,
    make_secretariat,
    share,
    validated_assessment,
)

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def exercise(team):
    version = load_framework()
    exercise = make_exercise(make_process(["QZ", "FR", "DE", "IT"]), version)
    exercise.title = "Test RCP – regional exercise"
    exercise.save()
    return exercise


def share_neighbours(exercise):
    version = exercise.framework_version
    for country, level in (("FR", "1"), ("DE", "3"), ("IT", "4")):
        assessment = validated_assessment(country, version=version, default=level)
        share(exercise, assessment, anonymous=country == "IT")


def test_a_coordinator_shares_anonymously_then_withdraws(open_browser, team, exercise):
    amina = open_browser()
    amina.sign_in("amina")
    amina.goto("/assessments/regional/")
    amina.link(exercise.title)
    expect(amina.page.get_by_text("What the secretariat and the report will show")).to_be_visible()
    amina.page.get_by_label(f"{team.previous.title} (2024)").check()
    amina.page.get_by_label("Anonymously, as “a member State”").check()
    amina.button("Share this assessment")
    expect(
        amina.page.get_by_text("shares “Demoland – IAMM self-assessment 2024” anonymously")
    ).to_be_visible()
    shared = RegionalShare.objects.get()
    assert shared.is_anonymous and shared.assessment == team.previous
    amina.button("Withdraw your country's share")
    expect(amina.page.get_by_text("Your country's share has been withdrawn.")).to_be_visible()
    assert not RegionalShare.objects.active().exists()
    kinds = set(SecurityEvent.objects.values_list("kind", flat=True))
    assert {"regional_share", "regional_withdrawal"} <= kinds
    amina.sign_out()


def test_the_secretariat_reads_the_figures_and_releases_the_report(open_browser, team, exercise):
    share_neighbours(exercise)
    secretariat = make_secretariat(exercise.process)
    visitor = open_browser()
    visitor.sign_in(secretariat.username)
    visitor.goto("/assessments/regional/")
    visitor.link(exercise.title)
    expect(
        visitor.page.get_by_role("heading", name="How the region's scores are distributed")
    ).to_be_visible()
    expect(visitor.page.locator("svg circle")).to_have_count(3 * 20)
    text = visitor.page.locator("main").inner_text()
    assert "France" in text and "Germany" in text
    assert "Italy" not in text and "1 member State shared anonymously." in text
    # A country's assessment is not the secretariat's to see.
    visitor.goto(f"/assessments/{team.previous.pk}/", status=404)
    visitor.goto(f"/assessments/regional/{exercise.pk}/")
    visitor.button("Release the regional report")
    expect(visitor.page.get_by_text("The regional report has been released.")).to_be_visible()
    exercise.refresh_from_db()
    assert exercise.is_released
    visitor.sign_out()
