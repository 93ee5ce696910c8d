"""An editor's admin: the version in view, why a page is read-only, help, readable crosswalk rows
and a sidebar grouped by task."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.urls import reverse

from iamm.admin_site import group_app_list
from iamm.models import CrosswalkLink, PracticeArea
from iamm.services import framework_version_publish
from tests.helpers import make_draft_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_draft_framework("draft-1")


def change_url(obj) -> str:
    return reverse(f"admin:iamm_{obj._meta.model_name}_change", args=[obj.pk])


def test_every_content_field_has_help_text():
    missing = [
        f"{model.__name__}.{field.name}"
        for model in apps.get_app_config("iamm").get_models()
        for field in model._meta.get_fields()
        if field.concrete
        and not field.auto_created
        and field.editable
        and field.name[-3:] not in ("_en", "_fr", "_es")
        and not str(field.help_text)
    ]
    assert missing == []


def test_a_content_page_names_its_version_and_keeps_its_parent(admin_client, draft):
    area = PracticeArea.objects.get(heading__version=draft, code="1.1")
    response = admin_client.get(change_url(area))
    page = response.content.decode()
    assert "Framework version:" in page and "(draft-1)" in page
    assert "heading" not in response.context["adminform"].form.fields  # shown, not editable
    assert "heading" in response.context["adminform"].readonly_fields


def test_a_published_page_says_why_it_cannot_be_edited(admin_client, draft):
    framework_version_publish(version=draft)
    understanding = draft.understandings.get(number=1)
    page = admin_client.get(change_url(understanding)).content.decode()
    assert "this version is published. Assessments answer its texts" in page


def test_crosswalk_rows_show_the_understandings_text(admin_client, draft):
    heading = draft.headings.get(number=1)
    link = CrosswalkLink.objects.filter(heading=heading).order_by("understanding__number").first()
    page = admin_client.get(change_url(heading)).content.decode()
    assert link.understanding.text_en in page
    changelist = admin_client.get(reverse("admin:iamm_crosswalklink_changelist"))
    assert (
        f"{link.understanding.number}. {link.understanding.text_en}" in changelist.content.decode()
    )


def test_text_boxes_grow_with_their_text(admin_client, draft):
    understanding = draft.understandings.get(number=1)
    understanding.text_fr = "Un texte assez long. " * 40
    understanding.save()
    form = admin_client.get(change_url(understanding)).context["adminform"].form
    rendered = str(form["text_fr"])
    assert 'class="iamm-autosize' in rendered or "iamm-autosize" in rendered
    rows = int(rendered.split('rows="')[1].split('"')[0])
    assert rows > 4


def test_the_sidebar_puts_content_first_and_security_records_apart(admin_client):
    response = admin_client.get(reverse("admin:index"))
    names = [str(app["name"]) for app in response.context["app_list"]]
    assert names[:3] == ["Framework content", "Countries and regional processes", "Accounts"]
    assert names[-1] == "Security records"
    security = [m["object_name"] for m in response.context["app_list"][-1]["models"]]
    assert {"SecurityEvent", "AnswerChange", "AccessAttempt"} <= set(security)
    content = [m["object_name"] for m in response.context["app_list"][0]["models"]]
    assert content[0] == "FrameworkVersion"


def test_an_app_not_named_keeps_its_own_group():
    app = {"app_label": "other", "name": "Other", "models": [{"object_name": "Thing"}]}
    assert [g["name"] for g in group_app_list([app])] == ["Other"]
