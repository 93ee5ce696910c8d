"""Sharing, withdrawal and release: each State's decision, audited, forged ones refused."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone

from assessments.models import Assessment, RegionalShare, SecurityEvent, User
from assessments.regional import services
from assessments.regional.services import ShareRefused
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


@pytest.fixture
def version():
    return make_framework("test-1")


@pytest.fixture
def exercise(version):
    return make_exercise(make_process(["FR", "DE", "IT", "ES"]), version)


def test_a_coordinator_shares_a_validated_assessment_and_it_is_audited(exercise, version):
    assessment = validated_assessment("FR", version=version)
    result = share(exercise, assessment, anonymous=True)
    assert result.is_active and result.is_anonymous and result.country == "FR"
    event = SecurityEvent.objects.get(kind=services.SHARED)
    assert event.user == coordinator_of("FR")
    assert f"assessment {assessment.pk}" in event.detail and "anonymous" in event.detail


@pytest.mark.parametrize("case", ["draft", "other_version", "not_member", "not_coordinator"])
def test_forged_shares_are_refused_and_change_nothing(exercise, version, case):
    user = None
    if case == "draft":
        assessment = make_assessment(country="FR", framework_version=version)
    elif case == "other_version":
        assessment = validated_assessment("FR", version=make_framework("test-2"))
    elif case == "not_member":
        assessment = validated_assessment("PT", version=version)
    else:
        assessment = validated_assessment("FR", version=version)
        user = make_user("fr-viewer", country="FR", role=User.Role.VIEWER)
    with pytest.raises(ShareRefused):
        services.share_create(
            exercise=exercise,
            assessment=assessment,
            user=user or coordinator_of(assessment.country.code),
            anonymous=False,
        )
    assert not RegionalShare.objects.exists()
    assert not SecurityEvent.objects.filter(kind=services.SHARED).exists()


def test_another_countrys_coordinator_cannot_share_its_assessment(exercise, version):
    assessment = validated_assessment("FR", version=version)
    with pytest.raises(ShareRefused):
        services.share_create(
            exercise=exercise, assessment=assessment, user=coordinator_of("DE"), anonymous=False
        )
    assert not RegionalShare.objects.exists()


def test_one_share_per_state_and_exercise(exercise, version):
    share(exercise, validated_assessment("FR", version=version))
    second = validated_assessment("FR", version=version, cycle=2026)
    with pytest.raises(ShareRefused):
        share(exercise, second)
    assert RegionalShare.objects.count() == 1


def test_a_closed_window_refuses_shares(version):
    today = timezone.localdate()
    exercise = make_exercise(
        make_process(["FR"]),
        version,
        opens_on=today - datetime.timedelta(days=30),
        closes_on=today - datetime.timedelta(days=1),
    )
    with pytest.raises(ShareRefused):
        share(exercise, validated_assessment("FR", version=version))


def test_withdrawal_keeps_the_row_and_allows_sharing_again(exercise, version):
    assessment = validated_assessment("FR", version=version)
    first = share(exercise, assessment)
    services.share_withdraw(share=first, user=coordinator_of("FR"))
    first.refresh_from_db()
    assert not first.is_active and first.withdrawn_by == coordinator_of("FR")
    assert SecurityEvent.objects.filter(kind=services.WITHDRAWN).count() == 1
    with pytest.raises(ShareRefused):
        services.share_withdraw(share=first, user=coordinator_of("FR"))
    again = share(exercise, assessment, anonymous=True)
    assert again.pk != first.pk
    assert list(exercise.shares.active()) == [again]


def test_after_release_nothing_can_be_withdrawn(exercise, version):
    shared = share(exercise, validated_assessment("FR", version=version))
    secretariat = make_secretariat(exercise.process)
    services.report_release(exercise=exercise, user=secretariat)
    assert SecurityEvent.objects.filter(kind=services.RELEASED, user=secretariat).exists()
    with pytest.raises(ShareRefused):
        services.share_withdraw(share=shared, user=coordinator_of("FR"))
    shared.refresh_from_db()
    assert shared.is_active
    with pytest.raises(ShareRefused):
        share(exercise, validated_assessment("DE", version=version))


def test_only_the_processs_secretariat_releases(exercise, version):
    other = make_secretariat(make_process(["PT"], slug="other-rcp"), username="other-secretariat")
    with pytest.raises(ShareRefused):
        services.report_release(exercise=exercise, user=other)
    with pytest.raises(ShareRefused):
        services.report_release(exercise=exercise, user=coordinator_of("FR"))
    exercise.refresh_from_db()
    assert not exercise.is_released


def test_a_secretariat_has_no_country_and_no_assessment(exercise):
    user = make_user("sec", country="FR", role=User.Role.COORDINATOR)
    services.secretariat_appoint(user=user, process=exercise.process)
    user.refresh_from_db()
    assert user.role == "secretariat" and not user.country
    assert not Assessment.objects.for_user(user).exists()
