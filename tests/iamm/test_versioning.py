"""A published framework version is frozen; revisions go through a cloned draft."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db.models import Count

from iamm.models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    FrozenVersionError,
    Practice,
    PracticeArea,
    PracticeHeading,
)
from iamm.services import (
    framework_version_clone,
    framework_version_next_draft_code,
    framework_version_publish,
)
from tests.helpers import fixture_files, make_draft_framework

pytestmark = pytest.mark.django_db


def published_framework(code: str = "v1") -> FrameworkVersion:
    return framework_version_publish(version=make_draft_framework(code))


def content_of(version: FrameworkVersion) -> dict[str, list]:
    """Everything a clone must reproduce, keyed by natural keys so ids do not matter."""
    return {
        "understandings": list(
            CommonUnderstanding.objects.filter(version=version)
            .order_by("number")
            .values_list("number", "text_en", "text_fr", "text_es", "source_note_en")
        ),
        "headings": list(
            PracticeHeading.objects.filter(version=version)
            .order_by("number")
            .values_list("number", "title_en", "title_fr", "title_es")
        ),
        "links": list(
            CrosswalkLink.objects.filter(heading__version=version)
            .order_by("heading__number", "understanding__number")
            .values_list("heading__number", "understanding__number", "note_en", "note_fr")
        ),
        "areas": list(
            PracticeArea.objects.filter(heading__version=version)
            .order_by("code")
            .values_list("heading__number", "code", "order", "group", "name_en", "name_fr")
        ),
        "practices": list(
            Practice.objects.filter(area__heading__version=version)
            .order_by("area__code", "order")
            .values_list("area__code", "order", "kind", "text_en", "text_fr", "source_note")
        ),
    }


def test_editing_a_draft_works():
    version = make_draft_framework()
    understanding = version.understandings.get(number=1)
    understanding.text_en = "Revised text"
    understanding.save()
    understanding.refresh_from_db()
    assert understanding.text_en == "Revised text"
    version.headings.get(number=2).delete()
    assert version.headings.count() == 1


def test_publishing_freezes_the_version():
    version = published_framework()
    version.refresh_from_db()
    assert version.is_published
    assert version.published_at is not None
    with pytest.raises(FrozenVersionError):
        version.title_en = "Another title"
        version.save()


def test_changing_a_published_understandings_text_raises():
    understanding = published_framework().understandings.get(number=1)
    understanding.text_en = "Rewritten after publication"
    with pytest.raises(FrozenVersionError):
        understanding.save()
    understanding.refresh_from_db()
    assert understanding.text_en == "Understanding 1"


def test_deleting_a_published_heading_raises():
    version = published_framework()
    with pytest.raises(FrozenVersionError):
        version.headings.get(number=1).delete()
    assert version.headings.count() == 2


def test_areas_practices_and_links_of_a_published_version_are_frozen_too():
    version = published_framework()
    area = PracticeArea.objects.get(heading__version=version, code="1.1")
    with pytest.raises(FrozenVersionError):
        area.save()
    with pytest.raises(FrozenVersionError):
        area.practices.first().delete()
    with pytest.raises(FrozenVersionError):
        CrosswalkLink.objects.filter(heading__version=version).first().delete()
    with pytest.raises(FrozenVersionError):
        PracticeArea.objects.create(heading=area.heading, code="1.9", order=9, name="New")


def test_a_published_version_cannot_be_published_again():
    version = published_framework()
    with pytest.raises(ValidationError):
        framework_version_publish(version=version)


def test_a_version_with_an_empty_heading_is_not_published():
    version = make_draft_framework()
    PracticeHeading.objects.create(version=version, number=3, title="Empty")
    with pytest.raises(ValidationError, match="3"):
        framework_version_publish(version=version)
    version.refresh_from_db()
    assert not version.is_published


def test_a_version_without_content_is_not_published():
    version = FrameworkVersion.objects.create(code="empty", title="Empty")
    with pytest.raises(ValidationError):
        framework_version_publish(version=version)


def test_cloning_copies_every_item_in_every_language():
    source = published_framework()
    clone = framework_version_clone(source=source, code="v2")
    assert content_of(clone) == content_of(source)
    assert len(content_of(clone)["practices"]) == 8
    assert clone.title_fr == source.title_fr


def test_the_clone_is_a_draft_based_on_its_source():
    source = published_framework()
    clone = framework_version_clone(source=source, code="v2", title="Second edition")
    clone.refresh_from_db()
    assert clone.status == FrameworkVersion.Status.DRAFT
    assert clone.published_at is None
    assert clone.based_on == source
    assert clone.title == "Second edition"
    assert clone.code == "v2"


def test_the_clone_links_only_its_own_rows():
    source = published_framework()
    clone = framework_version_clone(source=source, code="v2")
    links = CrosswalkLink.objects.filter(heading__version=clone)
    assert not links.exclude(understanding__version=clone).exists()
    assert links.count() == 4
    assert PracticeArea.objects.filter(heading__version=clone).count() == 4
    assert Practice.objects.filter(area__heading__version=source).count() == 8
    assert Practice.objects.filter(area__heading__version=clone).count() == 8


def test_the_clone_is_editable_and_leaves_the_source_alone():
    source = published_framework()
    clone = framework_version_clone(source=source, code="v2")
    understanding = clone.understandings.get(number=1)
    understanding.text_en = "Revised"
    understanding.save()
    clone.headings.get(number=2).delete()
    assert source.understandings.get(number=1).text_en == "Understanding 1"
    assert source.headings.count() == 2
    framework_version_publish(version=clone)
    clone.refresh_from_db()
    assert clone.is_published


def test_cloning_a_draft_works_too():
    source = make_draft_framework()
    clone = framework_version_clone(source=source, code="draft-2")
    assert content_of(clone) == content_of(source)


def test_a_clone_code_already_taken_is_refused():
    source = published_framework()
    with pytest.raises(ValidationError):
        framework_version_clone(source=source, code="v1")
    assert FrameworkVersion.objects.count() == 1


def test_the_next_draft_code_skips_codes_in_use():
    source = published_framework("iamm-2005")
    assert framework_version_next_draft_code(source=source) == "iamm-2005-draft-1"
    framework_version_clone(source=source, code="iamm-2005-draft-1")
    assert framework_version_next_draft_code(source=source) == "iamm-2005-draft-2"


def test_the_next_draft_code_fits_the_code_column():
    source = published_framework("x" * 40)
    code = framework_version_next_draft_code(source=source)
    assert len(code) == 40
    assert code.endswith("-draft-1")


def test_the_real_iamm_content_clones_completely():
    call_command("loaddata", *fixture_files("iamm"), verbosity=0)
    source = FrameworkVersion.objects.get(code="iamm-2005")
    clone = framework_version_clone(source=source, code="iamm-2005-draft-1")
    assert content_of(clone) == content_of(source)
    counts = (
        FrameworkVersion.objects.filter(pk=clone.pk)
        .annotate(
            cus=Count("understandings", distinct=True),
            headings_n=Count("headings", distinct=True),
            areas=Count("headings__areas", distinct=True),
        )
        .values("cus", "headings_n", "areas")
        .get()
    )
    assert counts == {"cus": 20, "headings_n": 20, "areas": 43}
