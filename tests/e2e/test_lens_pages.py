"""The GCM and SDG 10.7.2 reference pages in a real browser: reached from the home page and a
heading page, checked by axe-core, in English and in French."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from playwright.sync_api import expect

from tests.helpers import fixture_files

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def lenses() -> None:
    call_command("loaddata", *fixture_files("iamm", "lenses"), verbosity=0)


def test_a_visitor_reads_the_iamm_through_the_gcm_and_sdg_10_7_2(open_browser, lenses):
    visitor = open_browser()
    visitor.goto("/")
    visitor.link("The IAMM and the 23 GCM objectives")
    detention = visitor.page.locator("#gcm-13")
    expect(detention).to_contain_text("Not assessed by the IAMM")
    expect(detention).to_contain_text("Return")
    visitor.goto("/headings/15/")
    visitor.link("Domain 1. Migrant rights")
    expect(visitor.page.locator("#domain-1")).to_contain_text("Access to justice")

    visitor.switch_language("fr")
    visitor.goto("/gcm/")
    expect(visitor.page.locator("#gcm-1")).to_contain_text("Titre officiel")
    expect(visitor.page.locator("#gcm-22")).to_contain_text("Traduction du projet")
    visitor.goto("/sdg-10-7-2/")
    expect(visitor.page.locator("h1")).to_have_text("L'IAMM et l'indicateur 10.7.2 des ODD")
