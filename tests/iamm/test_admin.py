"""The admin edits drafts, shows published content read-only, clones and publishes versions."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from iamm.models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    Membership,
    Practice,
    PracticeArea,
    PracticeHeading,
    RegionalProcess,
)
from iamm.services import framework_version_publish
from tests.helpers import fixture_files, make_draft_framework, make_regional_process
from tests.html_forms import read_page

pytestmark = pytest.mark.django_db

MODELS = [
    FrameworkVersion,
    CommonUnderstanding,
    PracticeHeading,
    PracticeArea,
    Practice,
    CrosswalkLink,
    RegionalProcess,
    Membership,
]


def admin_url(model, action: str, *args) -> str:
    return reverse(f"admin:iamm_{model._meta.model_name}_{action}", args=args)


@pytest.fixture
def published():
    return framework_version_publish(version=make_draft_framework("pub-1"))


@pytest.fixture
def draft():
    return make_draft_framework("draft-1")


@pytest.fixture
def process():
    return make_regional_process(
        "ecowas", members={"SN": "Senegal", "CS": "Serbia and Montenegro"}, region="West Africa"
    )


def first_row(model, version: FrameworkVersion):
    if model is FrameworkVersion:
        return version
    path = {
        CommonUnderstanding: "version",
        PracticeHeading: "version",
        PracticeArea: "heading__version",
        Practice: "area__heading__version",
        CrosswalkLink: "heading__version",
    }[model]
    return model.objects.filter(**{path: version}).first()


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_answers(admin_client, published, draft, process, model):
    response = admin_client.get(admin_url(model, "changelist"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_search_and_filter_answer(admin_client, published, process, model):
    response = admin_client.get(admin_url(model, "changelist"), {"q": "1"})
    assert response.status_code == 200


def test_list_filters_answer(admin_client, published, draft, process):
    checks = [
        (FrameworkVersion, {"status__exact": "draft"}),
        (CommonUnderstanding, {"version__id__exact": draft.pk}),
        (PracticeHeading, {"version__id__exact": published.pk}),
        (PracticeArea, {"group__exact": "temporary"}),
        (PracticeArea, {"heading__version__id__exact": draft.pk}),
        (Practice, {"kind__exact": "iamm"}),
        (Practice, {"area__heading__version__id__exact": draft.pk}),
        (CrosswalkLink, {"heading__version__id__exact": draft.pk}),
        (RegionalProcess, {"is_major__exact": "1"}),
        (RegionalProcess, {"region": "West Africa"}),
        (RegionalProcess, {"country": "SN"}),
        (Membership, {"country": "SN"}),
    ]
    for model, params in checks:
        response = admin_client.get(admin_url(model, "changelist"), params)
        assert response.status_code == 200, (model, params)
        assert "errornote" not in response.content.decode(), (model, params)


def test_the_member_country_filter_lists_countries_by_name(admin_client, process):
    make_regional_process("budapest", members={"FR": "France"})
    response = admin_client.get(admin_url(RegionalProcess, "changelist"), {"country": "SN"})
    assert "Senegal" in response.content.decode()
    assert [p.slug for p in response.context["cl"].result_list] == ["ecowas"]


@pytest.mark.parametrize("model", MODELS[:6], ids=lambda m: m.__name__)
def test_every_change_page_of_draft_content_answers(admin_client, draft, model):
    row = first_row(model, draft)
    response = admin_client.get(admin_url(model, "change", row.pk))
    assert response.status_code == 200
    assert response.context["has_change_permission"]


@pytest.mark.parametrize("model", MODELS[:6], ids=lambda m: m.__name__)
def test_every_change_page_of_published_content_is_read_only(admin_client, published, model):
    row = first_row(model, published)
    response = admin_client.get(admin_url(model, "change", row.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    assert not response.context["has_delete_permission"]
    assert 'name="_save"' not in response.content.decode()


@pytest.mark.parametrize("model", MODELS[6:], ids=lambda m: m.__name__)
def test_regional_process_change_pages_answer(admin_client, process, model):
    row = process if model is RegionalProcess else process.memberships.first()
    response = admin_client.get(admin_url(model, "change", row.pk))
    assert response.status_code == 200


def test_the_text_is_edited_in_three_languages_side_by_side(admin_client, draft):
    understanding = draft.understandings.get(number=1)
    response = admin_client.get(admin_url(CommonUnderstanding, "change", understanding.pk))
    form = response.context["adminform"].form
    assert {"text_en", "text_fr", "text_es"} <= set(form.fields)
    assert "text" not in form.fields


def test_the_heading_page_edits_its_areas_and_crosswalk_links_inline(admin_client, draft):
    heading = draft.headings.get(number=1)
    response = admin_client.get(admin_url(PracticeHeading, "change", heading.pk))
    inline_models = {formset.formset.model for formset in response.context["inline_admin_formsets"]}
    assert inline_models == {PracticeArea, CrosswalkLink}
    assert "Area 1.1" in response.content.decode()


def test_the_area_page_edits_its_practices_inline(admin_client, draft):
    area = PracticeArea.objects.get(heading__version=draft, code="1.1")
    response = admin_client.get(admin_url(PracticeArea, "change", area.pk))
    inline_models = {formset.formset.model for formset in response.context["inline_admin_formsets"]}
    assert inline_models == {Practice}
    assert "Quoted practice 1.1" in response.content.decode()


def test_the_regional_process_page_edits_its_memberships_inline(admin_client, process):
    response = admin_client.get(admin_url(RegionalProcess, "change", process.pk))
    inline_models = {formset.formset.model for formset in response.context["inline_admin_formsets"]}
    assert inline_models == {Membership}


def test_a_membership_note_is_edited_in_three_languages(admin_client, process):
    membership = process.memberships.get(country="CS")
    response = admin_client.get(admin_url(Membership, "change", membership.pk))
    form = response.context["adminform"].form
    assert {"note_en", "note_fr", "note_es"} <= set(form.fields)
    assert "note" not in form.fields
    response = admin_client.get(admin_url(RegionalProcess, "change", process.pk))
    inline_form = response.context["inline_admin_formsets"][0].formset.forms[0]
    assert {"note_en", "note_fr", "note_es"} <= set(inline_form.fields)
    assert "note" not in inline_form.fields


def test_a_post_to_a_published_understanding_does_not_change_it(admin_client, published):
    understanding = published.understandings.get(number=1)
    response = admin_client.post(
        admin_url(CommonUnderstanding, "change", understanding.pk),
        {
            "version": published.pk,
            "number": 1,
            "text_en": "Rewritten through the admin",
            "crosswalk_links-TOTAL_FORMS": "0",
            "crosswalk_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 403
    understanding.refresh_from_db()
    assert understanding.text_en == "Understanding 1"


def test_a_published_heading_cannot_be_deleted_through_the_admin(admin_client, published):
    heading = published.headings.get(number=1)
    response = admin_client.post(admin_url(PracticeHeading, "delete", heading.pk), {"post": "yes"})
    assert response.status_code == 403
    assert PracticeHeading.objects.filter(pk=heading.pk).exists()


def test_deleting_published_rows_in_bulk_is_refused(admin_client, published):
    ids = list(published.understandings.values_list("pk", flat=True))
    url = admin_url(CommonUnderstanding, "changelist")
    data = {"action": "delete_selected", "_selected_action": ids}
    response = admin_client.post(url, data)
    assert "Cannot delete" in response.content.decode()
    response = admin_client.post(url, {**data, "post": "yes"})
    assert response.status_code == 403
    assert published.understandings.count() == len(ids)


def test_a_published_version_page_is_read_only(admin_client, published):
    response = admin_client.get(admin_url(FrameworkVersion, "change", published.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]
    response = admin_client.post(
        admin_url(FrameworkVersion, "change", published.pk), {"code": "renamed", "title_en": "X"}
    )
    assert response.status_code == 403
    published.refresh_from_db()
    assert published.code == "pub-1"


def test_editing_a_draft_understanding_saves_every_language(admin_client, draft):
    understanding = draft.understandings.get(number=1)
    response = admin_client.post(
        admin_url(CommonUnderstanding, "change", understanding.pk),
        {
            "version": draft.pk,
            "number": 1,
            "text_en": "New English",
            "text_fr": "Nouveau français",
            "text_es": "Nuevo español",
            "crosswalk_links-TOTAL_FORMS": "0",
            "crosswalk_links-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 302
    understanding.refresh_from_db()
    assert (understanding.text_en, understanding.text_fr, understanding.text_es) == (
        "New English",
        "Nouveau français",
        "Nuevo español",
    )


def test_new_content_can_only_go_into_a_draft(admin_client, published, draft):
    response = admin_client.get(admin_url(PracticeHeading, "add"))
    choices = list(response.context["adminform"].form.fields["version"].queryset)
    assert choices == [draft]


def test_content_cannot_be_added_when_every_version_is_published(admin_client, published):
    response = admin_client.get(admin_url(PracticeHeading, "add"))
    assert response.status_code == 403


def test_an_empty_crosswalk_link_form_shows_errors_instead_of_failing(admin_client, draft):
    response = admin_client.post(admin_url(CrosswalkLink, "add"), {})
    assert response.status_code == 200
    assert response.context["adminform"].form.errors


def test_a_crosswalk_link_across_versions_is_refused(admin_client, draft):
    other = make_draft_framework("draft-2")
    heading = draft.headings.get(number=1)
    response = admin_client.post(
        admin_url(CrosswalkLink, "add"),
        {"heading": heading.pk, "understanding": other.understandings.get(number=3).pk},
    )
    assert response.status_code == 200
    assert response.context["adminform"].form.errors
    assert not heading.crosswalk_links.filter(understanding__version=other).exists()


def test_the_heading_inline_offers_understandings_of_its_own_version(admin_client, draft):
    make_draft_framework("draft-2")
    heading = draft.headings.get(number=1)
    response = admin_client.get(admin_url(PracticeHeading, "change", heading.pk))
    formset = next(
        f.formset
        for f in response.context["inline_admin_formsets"]
        if f.formset.model is CrosswalkLink
    )
    versions = {cu.version_id for cu in formset.form.base_fields["understanding"].queryset}
    assert versions == {draft.pk}


def clone_url(version: FrameworkVersion) -> str:
    return admin_url(FrameworkVersion, "clone", version.pk)


def test_the_clone_action_asks_for_a_code_and_titles(admin_client, published):
    response = admin_client.post(
        admin_url(FrameworkVersion, "changelist"),
        {"action": "clone_into_draft", "_selected_action": [published.pk]},
    )
    assert response.status_code == 302
    assert response.url == clone_url(published)
    form = admin_client.get(response.url).context["form"]
    assert form.initial["code"] == "pub-1-draft-1"
    assert form.fields["title_fr"].initial == published.title_fr
    assert FrameworkVersion.objects.count() == 1  # nothing is created before the editor confirms


def test_the_clone_page_creates_a_named_draft_with_the_same_counts(admin_client, published):
    response = admin_client.post(
        clone_url(published),
        {"code": "iamm-2026", "title_en": "IAMM 2026", "title_fr": "AIGM 2026", "title_es": ""},
    )
    clone = FrameworkVersion.objects.get(code="iamm-2026")
    assert response.status_code == 302
    assert response.url == admin_url(FrameworkVersion, "change", clone.pk)
    assert (clone.title_en, clone.title_fr, clone.title_es) == (
        "IAMM 2026",
        "AIGM 2026",
        published.title_es,
    )
    assert clone.status == FrameworkVersion.Status.DRAFT
    assert clone.based_on == published
    assert clone.understandings.count() == published.understandings.count()
    assert clone.headings.count() == published.headings.count()
    assert (
        PracticeArea.objects.filter(heading__version=clone).count()
        == PracticeArea.objects.filter(heading__version=published).count()
    )
    assert (
        Practice.objects.filter(area__heading__version=clone).count()
        == Practice.objects.filter(area__heading__version=published).count()
    )
    assert (
        CrosswalkLink.objects.filter(heading__version=clone).count()
        == CrosswalkLink.objects.filter(heading__version=published).count()
    )


def test_the_clone_page_refuses_a_code_in_use(admin_client, published):
    response = admin_client.post(clone_url(published), {"code": "pub-1", "title_en": "Again"})
    assert response.status_code == 200
    assert "A version with this code already exists" in response.content.decode()
    assert FrameworkVersion.objects.count() == 1


def test_the_publish_page_summarises_and_asks_for_confirmation(admin_client, draft):
    url = admin_url(FrameworkVersion, "publish", draft.pk)
    page = admin_client.get(url).content.decode()
    assert (
        "Publishing draft-1 freezes 3 Common Understandings and 2 practice headings with 4 areas"
        in " ".join(page.split())
    )
    assert "Yes, publish draft-1" in page
    draft.refresh_from_db()
    assert not draft.is_published  # looking is not publishing
    response = admin_client.post(url, {"make_current": "1"}, follow=True)
    draft.refresh_from_db()
    assert draft.is_published and draft.is_current
    assert "Published draft-1" in response.content.decode()


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "Publishing one freezes 1 Common Understanding and 1 practice heading with 1 area"),
        ("fr", "Publier one fige 1 principe commun et 1 rubrique de pratiques avec 1 domaine,"),
        ("es", "Publicar one fija 1 entendimiento común y 1 epígrafe de prácticas con 1 ámbito,"),
    ],
)
def test_the_publish_page_counts_a_single_item_in_the_singular(
    admin_client, settings, lang, expected
):
    single = make_draft_framework("one", understandings=1, headings=1, areas=1)
    admin_client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    page = admin_client.get(admin_url(FrameworkVersion, "publish", single.pk)).content.decode()
    assert expected in " ".join(page.split())


def test_the_publish_page_explains_why_a_version_cannot_be_published(admin_client):
    empty = FrameworkVersion.objects.create(code="empty", title="Empty")
    response = admin_client.post(admin_url(FrameworkVersion, "publish", empty.pk))
    assert response.status_code == 200
    assert "A version needs Common Understandings" in response.content.decode()
    empty.refresh_from_db()
    assert not empty.is_published


def test_a_new_version_is_created_as_a_draft(admin_client):
    response = admin_client.post(
        admin_url(FrameworkVersion, "add"),
        {"code": "iamm-2026", "title_en": "IAMM 2026", "source": ""},
    )
    assert response.status_code == 302
    assert FrameworkVersion.objects.get(code="iamm-2026").status == FrameworkVersion.Status.DRAFT


def test_the_real_fixtures_show_in_the_admin(admin_client):
    call_command("loaddata", *fixture_files("iamm", "regional_processes"), verbosity=0)
    version = FrameworkVersion.objects.get(code="iamm-2005")
    heading = version.headings.get(number=1)
    for model in MODELS:
        assert admin_client.get(admin_url(model, "changelist")).status_code == 200
    response = admin_client.get(admin_url(PracticeHeading, "change", heading.pk))
    assert response.status_code == 200
    assert not response.context["has_change_permission"]


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("get", "abc/diff/"),
        ("get", "abc/clone/"),
        ("get", "abc/publish/"),
        ("get", "1.5/diff/"),
        ("get", "1/2/diff/"),
        ("post", "abc/make-current/"),
        ("post", "abc/retire/"),
    ],
)
def test_a_version_s_own_pages_with_a_wrong_id_find_nothing(admin_client, method, path):
    # A version id that is not a number failed with a server error (int("abc")).
    response = getattr(admin_client, method)(f"/admin/iamm/frameworkversion/{path}")
    assert response.status_code in (302, 404)


def test_a_number_already_used_in_the_version_is_refused_beside_the_field(admin_client, draft):
    # The version is read only on an existing row, which took it out of the uniqueness check:
    # the database's own constraint refused the save with a server error.
    first, second = draft.understandings.order_by("number")[:2]
    path = reverse("admin:iamm_commonunderstanding_change", args=[second.pk])
    forms = read_page(path, admin_client.get(path).text).post_forms()
    form = next(f for f in forms if any(b.name == "_save" for b in f.buttons))
    data = form.submission(next(b for b in form.buttons if b.name == "_save"))
    data["number"] = [str(first.number)]
    response = admin_client.post(path, data)
    assert response.status_code == 200
    assert "This version already has a Common Understanding with this number." in response.text
    second.refresh_from_db()
    assert second.number != first.number


def test_control_characters_are_refused_in_framework_content(admin_client, draft):
    # Plain text fields let them through, and publishing froze them into the public pages.
    understanding = draft.understandings.order_by("number").first()
    path = reverse("admin:iamm_commonunderstanding_change", args=[understanding.pk])
    forms = read_page(path, admin_client.get(path).text).post_forms()
    form = next(f for f in forms if any(b.name == "_save" for b in f.buttons))
    data = form.submission(next(b for b in form.buttons if b.name == "_save"))
    data["text_en"] = ["A bell\x07 and an escape\x1b"]
    response = admin_client.post(path, data)
    assert "Remove the control characters from this text." in response.text
    understanding.refresh_from_db()
    assert "\x07" not in understanding.text_en
