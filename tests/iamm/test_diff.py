"""One diff serves the draft's admin page and `manage.py diff_versions`."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from iamm.diff import questionnaire_changes, version_diff
from iamm.models import CommonUnderstanding, CrosswalkLink, Practice, PracticeArea
from iamm.services import framework_version_clone, framework_version_publish
from tests.helpers import make_draft_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def versions():
    """v1 published; v2 its clone with one change of each kind: an understanding's French
    text changed, an area added, a practice removed, a crosswalk link added."""
    v1 = framework_version_publish(version=make_draft_framework("v1"))
    v2 = framework_version_clone(source=v1, code="v2")
    understanding = v2.understandings.get(number=2)
    understanding.text_fr = "Texte révisé"
    understanding.save()
    heading = v2.headings.get(number=2)
    PracticeArea.objects.create(heading=heading, code="2.3", order=3, name_en="New area")
    Practice.objects.filter(area__heading__version=v2, area__code="1.1", order=2).delete()
    CrosswalkLink.objects.create(heading=heading, understanding=v2.understandings.get(number=3))
    return v1, v2


def test_the_diff_of_a_clone_is_empty():
    v1 = framework_version_publish(version=make_draft_framework("v1"))
    assert version_diff(old=v1, new=framework_version_clone(source=v1, code="v2")).is_empty


def test_the_diff_lists_one_change_of_each_kind(versions):
    v1, v2 = versions
    diff = version_diff(old=v1, new=v2)
    assert [(i.kind.name, i.key) for i in diff.added] == [
        ("area", ("2.3",)),
        ("link", (2, 3)),
    ]
    assert [(i.kind.name, i.key) for i in diff.removed] == [("practice", ("1.1", 2))]
    [changed] = diff.changed
    assert (changed.item.kind.name, changed.item.key) == ("understanding", (2,))
    [change] = changed.changes
    original = CommonUnderstanding.objects.get(version=v1, number=2).text_fr
    assert (change.column, change.language, change.old, change.new) == (
        "text_fr",
        "fr",
        original,
        "Texte révisé",
    )
    assert diff.keys("area", "added") == {("2.3",)}


def test_diff_versions_prints_the_same_diff(versions):
    out = StringIO()
    call_command("diff_versions", "v1", "v2", stdout=out, no_color=True)
    text = out.getvalue()
    assert "+ Practice area 2.3: New area" in text
    assert "+ Crosswalk link H2 ↔ CU3" in text
    assert "- Practice 1.1 #2" in text
    assert "~ Common Understanding 2" in text
    assert "      + Texte révisé" in text
    assert text.rstrip().endswith("2 added, 1 removed, 1 changed.")


def test_diff_versions_names_an_unknown_version(versions):
    with pytest.raises(CommandError, match="v9"):
        call_command("diff_versions", "v1", "v9")


def test_the_admin_diff_page_shows_old_and_new_side_by_side(admin_client, versions):
    v1, v2 = versions
    response = admin_client.get(reverse("admin:iamm_frameworkversion_diff", args=[v2.pk]))
    page = response.content.decode()
    assert response.context["diff"].old == v1
    assert "2 items added" in page
    assert "Texte révisé" in page
    assert '<td class="iamm-removed" lang="fr">' in page


def test_the_draft_page_lists_its_content_and_links_to_diff_preview_and_publish(
    admin_client, versions
):
    _v1, v2 = versions
    response = admin_client.get(reverse("admin:iamm_frameworkversion_change", args=[v2.pk]))
    page = response.content.decode()
    area = PracticeArea.objects.get(heading__version=v2, code="2.3")
    assert reverse("admin:iamm_practicearea_change", args=[area.pk]) in page
    assert "Compared with v1: 2 items added, 1 item removed, 1 item changed." in page
    assert reverse("iamm:heading_list", args=["v2"]) in page
    assert reverse("admin:iamm_frameworkversion_publish", args=[v2.pk]) in page


def test_the_questionnaire_changes_name_items_as_answers_are_matched(versions):
    v1, v2 = versions
    area = PracticeArea.objects.get(heading__version=v2, code="2.1")
    area.order = 5  # a new place is no change of text
    area.save()
    changes = questionnaire_changes(old=v1, new=v2)
    assert changes.new == [("area", "2.3")]
    assert changes.removed == []
    # CU 2's French text changed; area 1.1 lost a statement.
    assert changes.changed == [("cu", "2"), ("area", "1.1")]
