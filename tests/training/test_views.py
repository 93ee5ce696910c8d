"""The workshop pages: who may reach what, joining, answering, the live view.

Fatima facilitates the workshop; Gus facilitates another one; Ana and Ben take part; Olga is an
official of Demoland (QZ) with the country's real assessment.
"""

from __future__ import annotations

import datetime
import re

import pytest
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from assessments.models import Participant, PracticeAnswer, User
from tests.helpers import make_assessment, make_framework, make_user

from .workshop import answer, join, make_facilitator, make_workshop, participant_client

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _clear_throttle():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def workshop():
    return make_workshop(facilitator=make_facilitator("fatima"))


def signed_in(client, user):
    client.force_login(user)
    return client


def test_a_facilitator_creates_a_workshop_with_sections_in_scope(client):
    fatima = make_facilitator("fatima")
    version = make_framework("train-2", headings=3)
    response = signed_in(client, fatima).post(
        reverse("training:workshop_create"),
        {
            "title": "Thematic workshop",
            "starts_on": "2026-12-01",
            "ends_on": "2026-12-02",
            "language": "fr",
            "framework_version": version.pk,
            "headings": ["2", "3"],
        },
    )
    workshop = fatima.workshops.get()
    assert response.status_code == 302 and response["Location"] == workshop.get_absolute_url()
    assert [s.order for s in workshop.sections.all()] == [2, 3]


def test_a_workshop_needs_a_scope_and_days_in_order(client):
    fatima = make_facilitator("fatima")
    response = signed_in(client, fatima).post(
        reverse("training:workshop_create"),
        {"title": "T", "starts_on": "2026-12-02", "ends_on": "2026-12-01", "language": "en"},
    )
    assert response.status_code == 400
    assert "The last day must be on or after the first day" in response.text
    assert not fatima.workshops.exists()


@pytest.mark.parametrize(
    ("first", "last", "message"),
    [
        ("2026-12-01", "9999-12-31", "Enter a last day between 2000 and 2100"),
        ("1999-12-31", "2026-12-01", "Enter a first day between 2000 and 2100"),
        ("0001-01-01", "0001-01-01", "Saisissez un premier jour entre 2000 et 2100"),
    ],
)
def test_a_workshop_s_days_lie_between_2000_and_2100(client, first, last, message):
    # A last day of 9999-12-31 was accepted, then its page failed counting the days of
    # retention after it.
    fatima = make_facilitator("fatima")
    version = make_framework("train-3", headings=1)
    language = "fr" if message.startswith("Saisissez") else "en"
    response = signed_in(client, fatima).post(
        reverse("training:workshop_create"),
        {
            "title": "T",
            "starts_on": first,
            "ends_on": last,
            "language": "en",
            "framework_version": version.pk,
            "part_a": "on",
        },
        headers={"accept-language": language},
    )
    assert message in response.text
    assert not fatima.workshops.exists()


def test_the_admin_keeps_a_workshop_s_days_between_2000_and_2100():
    workshop = make_workshop(facilitator=make_facilitator("fatima"))
    workshop.ends_on = datetime.date(9999, 12, 31)
    with pytest.raises(ValidationError) as refused:
        workshop.full_clean()
    assert list(refused.value.message_dict) == ["ends_on"]


def test_only_facilitators_reach_the_workshop_pages(client):
    official = make_user("olga", country="QZ", role=User.Role.COORDINATOR)
    assert signed_in(client, official).get(reverse("training:workshop_list")).status_code == 403


def test_a_facilitator_never_reaches_another_facilitators_workshop(client, workshop):
    gus = make_facilitator("gus")
    for name in ("workshop", "live", "debrief"):
        url = reverse(f"training:{name}", args=[workshop.pk])
        assert signed_in(client, gus).get(url).status_code == 404


def test_a_facilitator_never_reaches_a_countrys_official_data(client, workshop):
    assessment = make_assessment(country="QZ")
    signed_in(client, workshop.facilitator)
    assert client.get(reverse("assessments:task_list", args=[assessment.pk])).status_code == 404
    assert client.get(reverse("assessments:report", args=[assessment.pk])).status_code == 404
    export = reverse("assessments:export", args=[assessment.pk, "json"])
    assert client.get(export).status_code == 404
    assert assessment.title not in client.get(reverse("assessments:dashboard")).text


def test_joining_with_the_code_opens_the_practice_assessment(client, workshop):
    code = f"{workshop.code[:4].lower()}-{workshop.code[4:]}"
    response = client.post(
        reverse("training:join"), {"code": code, "display_name": "Ana", "show_name": "on"}
    )
    ana = Participant.objects.get()
    assert response["Location"] == reverse("training:practice", args=[ana.pk])
    assert ana.show_name
    page = client.get(response["Location"])
    assert "Practice" in page.text and "Border governance workshop" in page.text


def test_behind_a_proxy_guesses_count_per_client_not_for_everyone(client, workshop, settings):
    # The count went by the proxy's own address: ten wrong codes from anyone shut everyone out.
    settings.WORKSHOP_JOIN_FAILURE_LIMIT = 2
    settings.WORKSHOP_JOIN_WINDOW_SECONDS = 600
    settings.CLIENT_IP_HEADER = "HTTP_X_FORWARDED_FOR"  # as read from X-Forwarded-For

    def join_from(address: str, code: str, name: str):
        data = {"code": code, "display_name": name}
        return client.post(
            reverse("training:join"), data, REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR=address
        )

    for _ in range(2):
        join_from("198.51.100.7", "ZZZZ2222", "X")
    guesser = join_from("198.51.100.7", workshop.code, "A")
    assert guesser.status_code == 429
    assert "Wait 10 minutes." in guesser.text  # the window as set, not a fixed 15
    colleague = join_from("198.51.100.8", workshop.code, "B")
    assert colleague.status_code == 302


def test_a_wrong_or_closed_code_is_refused_and_changes_nothing(client, workshop):
    response = client.post(reverse("training:join"), {"code": "ZZZZ2222", "display_name": "Ana"})
    assert "Check the workshop code" in response.text
    workshop.close()
    response = client.post(reverse("training:join"), {"code": workshop.code, "display_name": "A"})
    assert "Check the workshop code" in response.text
    assert not Participant.objects.exists()


def test_guessing_codes_is_throttled_per_address(client, workshop, settings):
    settings.WORKSHOP_JOIN_FAILURE_LIMIT = 3
    for _ in range(3):
        client.post(reverse("training:join"), {"code": "ZZZZ2222", "display_name": "X"})
    # Even the right code is refused now, from this address only.
    response = client.post(reverse("training:join"), {"code": workshop.code, "display_name": "A"})
    assert response.status_code == 429 and not Participant.objects.exists()
    other = client.post(
        reverse("training:join"),
        {"code": workshop.code, "display_name": "B"},
        REMOTE_ADDR="10.0.0.9",
    )
    assert other.status_code == 302


def test_a_participant_answers_a_section(workshop):
    ana, token = join(workshop, "Ana")
    client = participant_client(ana, token)
    url = reverse("training:practice_section", args=[ana.pk, 1])
    page = client.get(url)
    assert page.status_code == 200 and "Practice" in page.text
    keys = [f"a{area.pk}" for area in workshop.framework_version.headings.get(number=1).areas.all()]
    response = client.post(
        url,
        {
            f"{keys[0]}-level": "3",
            f"{keys[0]}-target": "4",
            f"{keys[0]}-evidence": "The case's visa law",
            f"{keys[1]}-level": "",
            f"{keys[1]}-target": "4",
        },
    )
    assert response.status_code == 302
    saved = ana.answers.get(level="3")
    assert saved.evidence == "The case's visa law"


def test_not_applicable_needs_a_reason_and_nothing_is_saved_without_it(workshop):
    ana, token = join(workshop, "Ana")
    client = participant_client(ana, token)
    area = workshop.framework_version.headings.get(number=1).areas.first()
    url = reverse("training:practice_section", args=[ana.pk, 1])
    response = client.post(url, {f"a{area.pk}-level": "na", f"a{area.pk}-target": "4"})
    assert response.status_code == 400
    assert "Explain why Area 1.1 does not apply" in response.text
    assert response.text.count("There is a problem") == 1
    assert not PracticeAnswer.objects.exists()


def test_a_participant_never_reaches_another_participants_practice(workshop):
    ana, ana_token = join(workshop, "Ana")
    ben, _ = join(workshop, "Ben")
    answer(ben, 1, {"1.1": {"level": "1"}})
    client = participant_client(ana, ana_token)
    for url in (
        reverse("training:practice", args=[ben.pk]),
        reverse("training:practice_section", args=[ben.pk, 1]),
        reverse("training:own_debrief", args=[ben.pk]),
    ):
        assert client.get(url).status_code == 404
    area = workshop.framework_version.headings.get(number=1).areas.first()
    response = client.post(
        reverse("training:practice_section", args=[ben.pk, 1]),
        {f"a{area.pk}-level": "4", f"a{area.pk}-target": "4"},
    )
    assert response.status_code == 404
    assert ben.answers.get().level == "1"


def test_a_participant_reaches_no_official_page_nor_the_facilitators(workshop):
    assessment = make_assessment(country="QZ")
    ana, token = join(workshop, "Ana")
    client = participant_client(ana, token)
    for url in (
        reverse("assessments:dashboard"),
        reverse("assessments:task_list", args=[assessment.pk]),
        reverse("assessments:export", args=[assessment.pk, "json"]),
        reverse("training:live", args=[workshop.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/accounts/login")


def test_a_section_outside_the_scope_is_not_found(workshop):
    ana, token = join(workshop, "Ana")
    url = reverse("training:practice_section", args=[ana.pk, 7])
    assert participant_client(ana, token).get(url).status_code == 404


def test_the_live_view_puts_the_most_disagreement_first_and_refreshes_when_asked(client, workshop):
    for name, (a, b) in {"Ana": ("2", "0"), "Ben": ("2", "4"), "Cy": ("2", "0")}.items():
        answer(join(workshop, name)[0], 1, {"1.1": {"level": a}, "1.2": {"level": b}})
    url = reverse("training:live", args=[workshop.pk])
    response = signed_in(client, workshop.facilitator).get(url)
    assert 'http-equiv="refresh"' not in response.text  # never unasked (WCAG 2.2.1)
    assert f'href="{url}?refresh=on"' in response.text
    refreshing = client.get(url, {"refresh": "on"})
    assert '<meta http-equiv="refresh" content="30">' in refreshing.text
    assert f'href="{url}"' in refreshing.text  # and the way to stop it
    assert response.text.index("Area 1.2") < response.text.index("Area 1.1")
    assert 'cx="' in response.text and "Practice" in response.text


def test_the_live_view_plots_with_unlocalized_numbers_in_french(client, workshop, settings):
    for name, level in {"Ana": "1", "Ben": "2"}.items():
        answer(join(workshop, name)[0], 1, {"1.1": {"level": level}})
    signed_in(client, workshop.facilitator)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "fr"
    response = client.get(reverse("training:live", args=[workshop.pk]))
    assert '<html lang="fr">' in response.text
    svgs = re.findall(r"<svg.*?</svg>", response.text, flags=re.S)
    assert svgs
    numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|width|height)="([^"]*)"', "".join(svgs))
    assert numbers and all(re.fullmatch(r"\d+", n) for n in numbers)
    assert "1,5" in response.text  # the median, read by people, in French


def test_closing_the_workshop_stops_the_code_and_the_answers(client, workshop):
    ana, token = join(workshop, "Ana")
    signed_in(client, workshop.facilitator).post(
        reverse("training:workshop_close", args=[workshop.pk])
    )
    workshop.refresh_from_db()
    assert not workshop.is_open
    area = workshop.framework_version.headings.get(number=1).areas.first()
    participant_client(ana, token).post(
        reverse("training:practice_section", args=[ana.pk, 1]),
        {f"a{area.pk}-level": "4", f"a{area.pk}-target": "4"},
    )
    assert not PracticeAnswer.objects.exists()


def test_the_live_view_takes_the_same_queries_whatever_the_number_of_participants(
    client, workshop, django_assert_max_num_queries
):
    signed_in(client, workshop.facilitator)
    url = reverse("training:live", args=[workshop.pk])
    answer(join(workshop, "Ana")[0], 1, {"1.1": {"level": "1", "evidence": "x"}})
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    for n in range(10):
        person, _ = join(workshop, f"P{n}", show_name=n % 2 == 0)
        answer(person, 1, {"1.1": {"level": str(n % 5), "evidence": "y"}, "1.2": {"level": "2"}})
        answer(person, 0, {"CU1": {"level": "3"}})
    with django_assert_max_num_queries(len(few)):
        response = client.get(url)
    assert response.status_code == 200


def test_the_workshop_page_shows_the_code_and_a_qr_code_of_the_join_page(client, workshop):
    response = signed_in(client, workshop.facilitator).get(workshop.get_absolute_url())
    assert workshop.code_for_display in response.text
    assert "<svg" in response.text and "QR code of the join page" in response.text
    page = client.get(reverse("training:join"), {"code": workshop.code})
    assert f'value="{workshop.code}"' in page.text


def test_facilitators_find_their_workshops_in_the_navigation(client, workshop):
    official = make_user("olga", country="QZ", role=User.Role.COORDINATOR)
    link = f'href="{reverse("training:workshop_list")}"'
    assert link in signed_in(client, workshop.facilitator).get(reverse("iamm:home")).text
    assert link not in signed_in(client, official).get(reverse("iamm:home")).text


def test_the_count_of_wrong_codes_is_shared_by_every_server_process(client, workshop, settings):
    """gunicorn runs several processes: the counter is in the database cache, not in one
    process's memory, so a guesser gets the same few tries whichever worker answers."""
    settings.WORKSHOP_JOIN_FAILURE_LIMIT = 2
    for _ in range(2):
        client.post(reverse("training:join"), {"code": "ZZZZ2222", "display_name": "X"})
    with connection.cursor() as cursor:
        cursor.execute("SELECT cache_key FROM iamm_cache")
        keys = [row[0] for row in cursor.fetchall()]
    assert any(key.endswith("training:join-failures:127.0.0.1") for key in keys)
