"""The regional pages: who reaches what, sharing and withdrawing through the browser's
requests, the secretariat's view, forged requests refused with nothing changed."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from assessments.models import RegionalShare, SecurityEvent, User
from assessments.regional import services
from tests.helpers import make_assessment, make_framework, make_user

from .helpers import (
    coordinator_of,
    make_exercise,
    make_process,
    make_secretariat,
    share,
    validated_assessment,
)

pytestmark = pytest.mark.django_db

MEMBERS = ["FR", "DE", "IT", "ES"]


@pytest.fixture
def version():
    return make_framework("test-1")


@pytest.fixture
def exercise(version):
    return make_exercise(make_process([*MEMBERS, "PT"]), version)


@pytest.fixture
def secretariat(exercise):
    return make_secretariat(exercise.process)


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def url(exercise, name: str = "") -> str:
    return f"/assessments/regional/{exercise.pk}/{name}"


def test_a_coordinator_shares_anonymously_then_withdraws(exercise, version):
    assessment = validated_assessment("FR", version=version)
    client = client_for(coordinator_of("FR"))
    page = client.get(url(exercise, "share/"))
    assert page.status_code == 200 and assessment.title in page.text
    response = client.post(
        url(exercise, "share/"), {"assessment": assessment.pk, "visibility": "anonymous"}
    )
    assert response.status_code == 302
    shared = RegionalShare.objects.get()
    assert shared.is_anonymous and shared.assessment == assessment
    page = client.get(url(exercise, "share/"))
    assert "anonymously" in page.text and "Withdraw" in page.text
    assert client.post(url(exercise, "withdraw/")).status_code == 302
    assert not RegionalShare.objects.active().exists()
    # Withdrawing again: there is no active share left to withdraw.
    assert client.post(url(exercise, "withdraw/")).status_code == 404
    assert SecurityEvent.objects.filter(kind=services.WITHDRAWN).count() == 1


def test_a_missing_choice_says_what_to_do(exercise, version):
    validated_assessment("FR", version=version)
    response = client_for(coordinator_of("FR")).post(url(exercise, "share/"), {})
    assert response.status_code == 400
    assert "Select the assessment to share" in response.text
    assert "Select how your country should appear" in response.text


@pytest.mark.parametrize(
    "case, status",
    [("other_country", 404), ("draft", 403), ("other_version", 403), ("garbage", 400)],
)
def test_forged_shares_are_refused_and_change_nothing(exercise, version, case, status):
    pk = {
        "other_country": lambda: validated_assessment("DE", version=version).pk,
        "draft": lambda: make_assessment(country="FR", framework_version=version).pk,
        "other_version": lambda: validated_assessment("FR", version=make_framework("test-2")).pk,
        "garbage": lambda: "1 OR 1=1",
    }[case]()
    response = client_for(coordinator_of("FR")).post(
        url(exercise, "share/"), {"assessment": pk, "visibility": "named"}
    )
    assert response.status_code == status
    assert not RegionalShare.objects.exists()


def test_a_non_member_country_gets_404(exercise, version):
    validated_assessment("BE", version=version)
    client = client_for(coordinator_of("BE"))
    for name in ("share/", "report/", ""):
        assert client.get(url(exercise, name)).status_code == 404
    assert client.post(url(exercise, "withdraw/")).status_code == 404


def test_members_other_than_the_coordinator_may_not_share(exercise, version):
    viewer = make_user("fr-viewer", country="FR", role=User.Role.VIEWER)
    assert client_for(viewer).get(url(exercise, "share/")).status_code == 403


def test_the_secretariat_sees_figures_but_never_an_anonymous_state_or_a_countrys_pages(
    exercise, version, secretariat
):
    assessments = {}
    for country, level in zip(MEMBERS, "0124", strict=True):
        assessments[country] = validated_assessment(country, version=version, default=level)
        share(exercise, assessments[country], anonymous=country == "ES")
    client = client_for(secretariat)
    pages = [
        client.get(url(exercise)),
        client.get(url(exercise, "report/")),
        client.get(url(exercise, "report/") + "?lang=fr"),
        client.get(url(exercise, "report/") + "?lang=es"),
        client.get("/assessments/regional/"),
        client.get(url(exercise, "report.json")),
    ]
    assert all(page.status_code == 200 for page in pages)
    assert "Lower quartile" in pages[0].text and "<circle" in pages[0].text
    text = "".join(page.content.decode() for page in pages)
    for name in ("Spain", "Espagne", "España"):
        assert name not in text
    assert "France" in text
    assert json.loads(pages[-1].content)["participants_count"] == 4
    for assessment in assessments.values():
        for path in ("", "check/", "report/", "export/json/", "sections/1/"):
            response = client.get(f"/assessments/{assessment.pk}/{path}")
            assert response.status_code == 404, path
    assert client.get(url(exercise, "share/")).status_code == 403


def test_another_processs_secretariat_gets_404(exercise):
    other = make_secretariat(make_process(["PT"], slug="other-rcp"), username="other-sec")
    client = client_for(other)
    for name in ("", "report/", "report.json"):
        assert client.get(url(exercise, name)).status_code == 404
    assert client.post(url(exercise, "release/")).status_code == 404


def test_participating_coordinators_read_the_draft_others_do_not(exercise, version):
    share(exercise, validated_assessment("FR", version=version))
    validated_assessment("DE", version=version)
    assert client_for(coordinator_of("FR")).get(url(exercise, "report/")).status_code == 200
    assert client_for(coordinator_of("DE")).get(url(exercise, "report/")).status_code == 403
    response = client_for(coordinator_of("FR")).get(url(exercise, "report/"))
    assert "DRAFT" in response.text


def test_the_secretariat_releases_and_shares_freeze(exercise, version, secretariat):
    share(exercise, validated_assessment("FR", version=version))
    assert client_for(coordinator_of("FR")).post(url(exercise, "release/")).status_code == 403
    assert client_for(secretariat).post(url(exercise, "release/")).status_code == 302
    exercise.refresh_from_db()
    assert exercise.is_released
    # Refused with their reason, not a page about roles (a second click, a stale page).
    withdrawn = client_for(coordinator_of("FR")).post(url(exercise, "withdraw/"), follow=True)
    assert "The report has been released: shares can no longer change." in withdrawn.text
    assert RegionalShare.objects.active().count() == 1
    again = client_for(secretariat).post(url(exercise, "release/"), follow=True)
    assert "The report has already been released." in again.text


def test_the_pdf_downloads_for_the_secretariat(exercise, version, secretariat):
    for country in MEMBERS[:3]:
        share(exercise, validated_assessment(country, version=version))
    response = client_for(secretariat).get(url(exercise, "report.pdf") + "?lang=es")
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    assert "attachment" in response["Content-Disposition"]
    assert client_for(secretariat).get(url(exercise, "report.xml")).status_code == 404


def test_a_sharing_state_sees_its_regional_context(exercise, version):
    for country, level in zip(MEMBERS, "0124", strict=True):
        share(exercise, validated_assessment(country, version=version, default=level))
    page = client_for(coordinator_of("IT")).get(url(exercise, "share/"))
    assert "Regional context" in page.text and "Your place" in page.text
    assert "Between the median and the upper quartile" in page.text


def test_the_dashboard_and_report_page_show_a_sharing_states_place(exercise, version):
    assessments = {}
    for country, level in zip(MEMBERS, "0124", strict=True):
        assessments[country] = validated_assessment(country, version=version, default=level)
        share(exercise, assessments[country])
    client = client_for(coordinator_of("FR"))
    dashboard = client.get("/assessments/")
    assert "Regional context" in dashboard.text
    assert "Headings in the region's lowest quarter: 1, 2." in dashboard.text
    report = client.get(f"/assessments/{assessments['FR'].pk}/report/")
    assert (
        "Regional context" in report.text and "In the lowest quarter of the region" in report.text
    )


def test_a_state_that_does_not_share_sees_no_regional_context(exercise, version):
    assessment = validated_assessment("FR", version=version)
    client = client_for(coordinator_of("FR"))
    assert "Regional context" not in client.get("/assessments/").text
    assert "Regional exercises" in client.get("/assessments/").text
    assert "Regional context" not in client.get(f"/assessments/{assessment.pk}/report/").text


def test_the_secretariats_dashboard_is_its_list_of_exercises(exercise, secretariat):
    response = client_for(secretariat).get("/assessments/")
    assert response.status_code == 302 and response.url == "/assessments/regional/"
