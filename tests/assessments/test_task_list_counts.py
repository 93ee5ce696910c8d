"""The counts on the task list and the dashboard read correctly for one and for several, in
English, French and Spanish.

Alice coordinates an assessment of three sections: Part A, with a single Common Understanding,
and two headings of two areas each. Carol only reads it. French and Spanish users found
"Vous avez terminé 1 sections sur 21", "1 sur 1 renseignés" and "1 de 1 respondidos".
"""

from __future__ import annotations

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Answer, Assessment, Section, User
from tests.helpers import make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def assessment() -> Assessment:
    alice = make_user("alice", role=User.Role.COORDINATOR)
    version = make_framework(understandings=1, headings=2, areas=2)
    return make_assessment(framework_version=version, created_by=alice)


def page(url: str, lang: str, username: str = "alice") -> str:
    """The page's text in `lang`, its white space collapsed."""
    client = Client()
    client.force_login(User.objects.get(username=username))
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def answer(section: Section, count: int) -> None:
    """Gives the first `count` items of the section a level."""
    pks = section.answers.order_by("pk").values_list("pk", flat=True)[:count]
    Answer.objects.filter(pk__in=list(pks)).update(level="2")


def complete(assessment: Assessment, *orders: int) -> None:
    assessment.sections.filter(order__in=orders).update(status=Section.Status.COMPLETED)


@pytest.mark.parametrize(
    ("lang", "one", "several"),
    [
        ("en", "1 of 3 sections completed.", "3 of 3 sections completed."),
        ("fr", "Sections terminées : 1 sur 3.", "Sections terminées : 3 sur 3."),
        ("es", "1 de 3 secciones completadas.", "3 de 3 secciones completadas."),
    ],
)
def test_the_task_list_counts_the_completed_sections(assessment, lang, one, several):
    complete(assessment, 0)
    text = page(assessment.get_absolute_url(), lang)
    assert one in text
    assert "1 sections" not in text and "1 secciones" not in text
    complete(assessment, 0, 1, 2)
    assert several in page(assessment.get_absolute_url(), lang)


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1 of 1 section completed."),
        ("fr", "Section terminée : 1 sur 1."),
        ("es", "1 de 1 sección completada."),
    ],
)
def test_a_single_section_is_counted_in_the_singular(assessment, lang, expected):
    assessment.sections.exclude(order=0).delete()
    complete(assessment, 0)
    assert expected in page(assessment.get_absolute_url(), lang)


def test_the_count_of_completed_sections_does_not_speak_to_a_reader(assessment):
    make_user("carol", role=User.Role.VIEWER)
    complete(assessment, 0, 1, 2)
    text = page(assessment.get_absolute_url(), "en", username="carol")
    assert "3 of 3 sections completed." in text
    assert "You have completed" not in text


@pytest.mark.parametrize(
    ("lang", "one_of_one", "one_of_two", "none_of_two"),
    [
        ("en", "1 of 1 answered", "1 of 2 answered", "0 of 2 answered"),
        (
            "fr",
            "Élément renseigné : 1 sur 1",
            "Éléments renseignés : 1 sur 2",
            "Éléments renseignés : 0 sur 2",
        ),
        (
            "es",
            "1 de 1 elemento respondido",
            "1 de 2 elementos respondidos",
            "0 de 2 elementos respondidos",
        ),
    ],
)
def test_each_row_counts_its_answered_items(assessment, lang, one_of_one, one_of_two, none_of_two):
    part_a, heading_1, _heading_2 = assessment.sections.order_by("order")
    answer(part_a, 1)
    answer(heading_1, 1)
    text = page(assessment.get_absolute_url(), lang)
    assert one_of_one in text
    assert one_of_two in text
    assert none_of_two in text
    assert "1 sur 1 renseignés" not in text and "1 de 1 respondidos" not in text


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        ("en", "1 of 5 items answered"),
        ("fr", "Éléments renseignés : 1 sur 5"),
        ("es", "1 de 5 elementos respondidos"),
    ],
)
def test_the_dashboard_counts_the_answered_items(assessment, lang, expected):
    answer(assessment.sections.get(order=0), 1)
    assert expected in page(reverse("assessments:dashboard"), lang)
