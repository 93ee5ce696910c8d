"""The database refuses duplicate natural keys, and the admin shows why beside the field."""

from __future__ import annotations

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from iamm.models import CrosswalkLink, Practice, PracticeArea, PracticeHeading
from tests.helpers import make_draft_framework

pytestmark = pytest.mark.django_db


@pytest.fixture
def draft():
    return make_draft_framework("draft-1")


def heading(draft, number: int = 1) -> PracticeHeading:
    return draft.headings.get(number=number)


def test_a_duplicate_area_code_is_refused_by_the_database(draft):
    with pytest.raises(IntegrityError), transaction.atomic():
        PracticeArea.objects.create(heading=heading(draft), code="1.2", order=9, name="Twin")
    assert PracticeArea.objects.filter(heading__version=draft, code="1.2").count() == 1


def test_a_duplicate_practice_order_and_crosswalk_pair_are_refused(draft):
    area = PracticeArea.objects.get(heading__version=draft, code="1.1")
    with pytest.raises(IntegrityError), transaction.atomic():
        Practice.objects.create(area=area, order=1, kind=Practice.Kind.GUIDANCE, text="Twin")
    link = CrosswalkLink.objects.filter(heading__version=draft).first()
    with pytest.raises(IntegrityError), transaction.atomic():
        CrosswalkLink.objects.create(heading=link.heading, understanding=link.understanding)


def test_validation_names_the_code_field(draft):
    area = PracticeArea(heading=heading(draft), code="1.2", order=9, name="Twin")
    with pytest.raises(ValidationError) as error:
        area.full_clean()
    assert list(error.value.error_dict) == ["code"]
    assert "already has an area with this code" in str(error.value)


def test_an_area_code_must_start_with_its_headings_number(draft):
    # Otherwise heading 2 could take the code 1.1 and the version would have two areas 1.1.
    area = PracticeArea(heading=heading(draft, 2), code="1.1", order=9, name="Elsewhere")
    with pytest.raises(ValidationError) as error:
        area.full_clean()
    assert "Start the code with the heading's number" in str(error.value.error_dict["code"])


def test_the_admin_refuses_a_duplicate_area_code_beside_the_field(admin_client, draft):
    response = admin_client.post(
        reverse("admin:iamm_practicearea_add"),
        {
            "heading": heading(draft).pk,
            "code": "1.2",
            "order": 9,
            "group": "",
            "name_en": "Border Control",
            "name_fr": "Contrôle aux frontières",
            "name_es": "Control fronterizo",
            "practices-TOTAL_FORMS": 0,
            "practices-INITIAL_FORMS": 0,
        },
    )
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert form.errors["code"] == ["This heading already has an area with this code."]
    assert PracticeArea.objects.filter(heading__version=draft, code="1.2").count() == 1


def test_the_heading_page_refuses_two_areas_with_one_code(admin_client, draft):
    h = heading(draft)
    areas = list(h.areas.order_by("order"))
    links = list(h.crosswalk_links.all())
    data = {
        "version": draft.pk,
        "number": 1,
        "title_en": h.title_en,
        "title_fr": h.title_fr or "",
        "title_es": h.title_es or "",
        "areas-TOTAL_FORMS": 3,
        "areas-INITIAL_FORMS": 2,
        "crosswalk_links-TOTAL_FORMS": len(links),
        "crosswalk_links-INITIAL_FORMS": len(links),
    }
    for i, area in enumerate([*areas, None]):
        values = {
            "id": area.pk if area else "",
            "heading": h.pk,
            "code": area.code if area else "1.2",
            "order": area.order if area else 3,
            "group": "",
            "name_en": area.name_en if area else "Twin",
            "name_fr": (area.name_fr or "") if area else "Jumeau",
            "name_es": (area.name_es or "") if area else "Gemelo",
        }
        data.update({f"areas-{i}-{key}": value for key, value in values.items()})
    for i, link in enumerate(links):
        data.update(
            {
                f"crosswalk_links-{i}-id": link.pk,
                f"crosswalk_links-{i}-heading": h.pk,
                f"crosswalk_links-{i}-understanding": link.understanding_id,
            }
        )
    response = admin_client.post(reverse("admin:iamm_practiceheading_change", args=[h.pk]), data)
    assert response.status_code == 200
    assert "already" in response.content.decode()
    assert h.areas.count() == 2
