"""Practice data never enters a country's official views, scores or exports.

Demoland (QZ) has its real assessment; a workshop on the same framework version collects
practice answers full of a marker. Official pages, scores, reports and exports must be the
same with and without the workshop, and must never show the marker.
"""

from __future__ import annotations

import datetime

import pytest
from django.urls import reverse

from assessments.models import Answer, Assessment, User
from assessments.reports.data import build_report
from assessments.training import services
from tests.helpers import make_assessment, make_framework, make_user

from .workshop import answer, join, make_workshop

pytestmark = pytest.mark.django_db

MARKER = "PRACTICE-ONLY-EVIDENCE"


def official_views(client, assessment: Assessment) -> dict[str, bytes]:
    urls = [
        reverse("assessments:dashboard"),
        reverse("assessments:task_list", args=[assessment.pk]),
        reverse("assessments:section", args=[assessment.pk, 1]),
        reverse("assessments:report", args=[assessment.pk]),
        *(reverse("assessments:export", args=[assessment.pk, fmt]) for fmt in ("csv", "json")),
    ]
    return {url: client.get(url).content for url in urls}


def test_practice_answers_change_no_official_page_score_or_export(client):
    version = make_framework("train-iso", understandings=3, headings=2, areas=2)
    olga = make_user("olga", country="QZ", role=User.Role.COORDINATOR)
    assessment = make_assessment(country="QZ", framework_version=version, created_by=olga)
    Answer.objects.filter(assessment=assessment, area__code="1.1").update(level="1")
    client.force_login(olga)
    before = official_views(client, assessment)
    scores_before = build_report(assessment).practice_index

    workshop = make_workshop(version=version)
    # Names no random token can contain by chance (a CSRF token or CSP nonce once held "Ana").
    for name in ("Anaïs Quillfeather", "Ben Marlowe", "Cy Ostrander"):
        person, _ = join(workshop, name, show_name=True)
        answer(person, 1, {"1.1": {"level": "4", "evidence": MARKER}, "1.2": {"level": "4"}})
        answer(person, 0, {"CU1": {"level": "4", "evidence": MARKER}})

    after = official_views(client, assessment)
    for url, content in after.items():
        assert MARKER.encode() not in content, url
        assert b"Quillfeather" not in content, url
    assert build_report(assessment).practice_index == scores_before
    for fmt in ("csv", "json"):
        url = reverse("assessments:export", args=[assessment.pk, fmt])
        assert after[url] == before[url]
    # A practice assessment is never one of the country's assessments.
    assert Assessment.objects.count() == 1
    assert Answer.objects.filter(evidence=MARKER).count() == 0


def test_purging_a_workshop_leaves_official_answers_alone():
    version = make_framework("train-iso2")
    assessment = make_assessment(country="QZ", framework_version=version)
    answers = Answer.objects.filter(assessment=assessment).count()
    workshop = make_workshop(version=version)
    answer(join(workshop, "Ana")[0], 1, {"1.1": {"level": "2"}})
    services.workshops_purge_expired(today=workshop.ends_on + datetime.timedelta(days=400))
    assert Answer.objects.filter(assessment=assessment).count() == answers
    assert Assessment.objects.filter(pk=assessment.pk).exists()
