"""A version may be current (new assessments default to it) or retired (no new ones)."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from iamm.models import FrameworkVersion
from iamm.services import (
    framework_version_clone,
    framework_version_make_current,
    framework_version_publish,
    framework_version_retire,
)
from tests.helpers import make_draft_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def v1():
    return framework_version_publish(version=make_draft_framework("v1"))


@pytest.fixture
def v2(v1):
    return framework_version_publish(version=framework_version_clone(source=v1, code="v2"))


def test_without_a_current_mark_the_newest_published_version_is_current(v1, v2):
    make_draft_framework("draft-9")
    assert FrameworkVersion.objects.current() == v2


def test_the_marked_version_is_current_and_selectable_first(v1, v2):
    framework_version_make_current(version=v1)
    assert FrameworkVersion.objects.current() == v1
    assert list(FrameworkVersion.objects.selectable()) == [v1, v2]
    framework_version_make_current(version=v2)
    v1.refresh_from_db()
    assert not v1.is_current
    assert FrameworkVersion.objects.current() == v2


def test_only_one_version_can_be_current_in_the_database(v1, v2):
    FrameworkVersion.objects.filter(pk=v1.pk).update(is_current=True)
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkVersion.objects.filter(pk=v2.pk).update(is_current=True)


def test_a_draft_cannot_be_current():
    draft = make_draft_framework("draft-1")
    with pytest.raises(ValidationError):
        framework_version_make_current(version=draft)
    with pytest.raises(IntegrityError), transaction.atomic():
        FrameworkVersion.objects.filter(pk=draft.pk).update(is_current=True)


def test_a_retired_version_is_not_selectable_and_the_current_one_cannot_retire(v1, v2):
    framework_version_make_current(version=v2)
    framework_version_retire(version=v1)
    assert list(FrameworkVersion.objects.selectable()) == [v2]
    with pytest.raises(ValidationError):
        framework_version_retire(version=v2)
    with pytest.raises(ValidationError):
        framework_version_make_current(version=v1)


def test_marking_a_published_version_current_does_not_unfreeze_its_content(v1):
    framework_version_make_current(version=v1)
    v1.title_en = "Changed"
    with pytest.raises(ValidationError):
        v1.save()


def test_the_admin_makes_a_version_current_and_retires_another(admin_client, v1, v2):
    admin_client.post(reverse("admin:iamm_frameworkversion_make_current", args=[v2.pk]))
    response = admin_client.post(
        reverse("admin:iamm_frameworkversion_retire", args=[v1.pk]), follow=True
    )
    v1.refresh_from_db()
    v2.refresh_from_db()
    assert v2.is_current and v1.is_retired
    assert "The version v1 is retired" in response.content.decode()


def test_the_lifecycle_pages_refuse_a_get(admin_client, v1):
    response = admin_client.get(reverse("admin:iamm_frameworkversion_make_current", args=[v1.pk]))
    assert response.status_code == 403
    v1.refresh_from_db()
    assert not v1.is_current


def test_the_public_shortcuts_follow_the_current_version(client, v1, v2):
    framework_version_make_current(version=v1)
    response = client.get(reverse("iamm:current_understanding_list"))
    assert response.context["version"] == v1
