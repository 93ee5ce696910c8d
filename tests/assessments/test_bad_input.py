"""Hostile and broken input on every form: a clear 4xx or form error, never a 500, and nothing
already saved is altered."""

from __future__ import annotations

import re
import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from assessments.models import (
    Agency,
    Answer,
    Assessment,
    Comment,
    PdfRender,
    SecurityEvent,
    User,
)
from assessments.questionnaire import services
from assessments.reports import pdf
from tests.helpers import PASSWORD, make_agency, make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db

XSS = '<script>alert("x")</script><img src=x onerror=alert(1)>'


@pytest.fixture
def world():
    alice = make_user("alice", role=User.Role.COORDINATOR)
    assessment = make_assessment(framework_version=make_framework(), created_by=alice)
    answer = assessment.answers.get(area__code="1.1")
    services.answers_save(
        assessment=assessment,
        updates=[(answer, 0, {"level": "3", "evidence": "Saved before"})],
        user=alice,
    )
    client = Client(raise_request_exception=False)
    client.force_login(alice)
    return {"alice": alice, "assessment": assessment, "answer": answer, "client": client}


def snapshot(assessment: Assessment) -> list[tuple]:
    return list(
        Answer.objects.filter(assessment=assessment)
        .order_by("pk")
        .values_list("level", "evidence", "target", "priority", "version")
    )


def section_post(assessment: Assessment, **overrides) -> dict:
    data = {"continue": "1"}
    for answer in assessment.sections.get(order=1).answers.all():
        prefix = f"a{answer.pk}"
        data |= {
            f"{prefix}-version": str(answer.version),
            f"{prefix}-level": "2",
            f"{prefix}-target": "4",
        }
    data |= overrides
    return data


def field(world, name: str) -> str:
    return f"a{world['answer'].pk}-{name}"


CASES = [
    ("oversized text", "evidence", "x" * 200_000),
    ("NUL byte", "evidence", "abc\x00def"),
    ("control characters", "planned_action", "\x1b[31mred"),
    ("a non-character XML cannot hold", "evidence", "ok\uffff"),
    ("a C1 control character", "na_justification", "a\x85b"),
    ("invalid level", "level", "5"),
    ("level as a full-width digit", "level", "３"),
    ("invalid priority", "priority", "critical"),
    ("target not a number", "target", "four"),
    ("negative target", "target", "-1"),
    ("date garbage", "target_date", "'; DROP TABLE answers; --"),
    ("version not a number", "version", "latest"),
    ("negative version", "version", "-3"),
    ("agency id not a number", "responsible_agency", "1 OR 1=1"),
]


@pytest.mark.parametrize(("label", "name", "value"), CASES, ids=[c[0] for c in CASES])
def test_a_broken_field_gets_a_form_error_and_changes_nothing(world, label, name, value):
    assessment = world["assessment"]
    before = snapshot(assessment)
    url = reverse("assessments:section", args=[assessment.pk, 1])
    response = world["client"].post(url, section_post(assessment, **{field(world, name): value}))
    assert response.status_code == 400, label
    assert "There is a problem" in response.text
    assert snapshot(assessment) == before


def test_an_answer_of_another_section_in_the_post_is_ignored(world):
    assessment = world["assessment"]
    other = assessment.answers.get(area__code="2.1")
    before = snapshot(assessment)
    data = section_post(assessment, **{f"a{other.pk}-level": "4", f"a{other.pk}-version": "0"})
    world["client"].post(reverse("assessments:section", args=[assessment.pk, 1]), data)
    other.refresh_from_db()
    assert other.level == ""
    assert snapshot(assessment) != before  # the section's own answers were saved


@pytest.mark.parametrize(
    "url",
    [
        "/assessments/999999/",
        "/assessments/{pk}/sections/99/",
        "/assessments/{pk}/sections/99/check/",
        "/assessments/{pk}/answers/999999/",
    ],
)
def test_tampered_ids_answer_404(world, url):
    response = world["client"].get(url.format(pk=world["assessment"].pk))
    assert response.status_code == 404


def test_a_missing_csrf_token_is_refused_and_changes_nothing(world):
    assessment = world["assessment"]
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(world["alice"])
    before = snapshot(assessment)
    url = reverse("assessments:section", args=[assessment.pk, 1])
    assert strict.post(url, section_post(assessment)).status_code == 403
    assert strict.post(reverse("assessments:submit", args=[assessment.pk])).status_code == 403
    assert snapshot(assessment) == before


def test_html_and_script_payloads_are_shown_as_text(world):
    assessment = world["assessment"]
    client = world["client"]
    url = reverse("assessments:section", args=[assessment.pk, 1])
    data = section_post(assessment, **{field(world, "evidence"): XSS})
    data[field(world, "version")] = str(world["answer"].version + 1)
    assert client.post(url, data).status_code == 302
    answer_url = reverse("assessments:answer", args=[assessment.pk, world["answer"].pk])
    client.post(answer_url, {"text": XSS})
    assert Comment.objects.get().text == XSS
    for page in (answer_url, reverse("assessments:check", args=[assessment.pk])):
        body = client.get(page).text
        assert "<script>alert" not in body
        assert "&lt;script&gt;alert" in body


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"framework_version": "abc", "cycle": "2027"}, "Select a published framework version"),
        ({"cycle": "twenty"}, "Enter the cycle year as a number"),
        ({"cycle": "1850"}, "Enter a cycle year between 2000 and 2100"),
        ({"cycle": "2027", "previous": "999999"}, "Select one of your country"),
        ({"cycle": "2027", "agencies": ["999999"]}, "Select agencies of your country"),
        ({"cycle": "2027", "copy_answers": "on"}, "Select the previous cycle to copy answers"),
    ],
)
def test_the_new_assessment_form_explains_bad_input(world, data, message):
    data.setdefault("framework_version", world["assessment"].framework_version.pk)
    response = world["client"].post(reverse("assessments:create"), data)
    assert response.status_code == 200
    assert message in response.text
    assert Assessment.objects.count() == 1


def test_another_countrys_previous_cycle_cannot_be_copied(world):
    dave = make_user("dave", country="FR", role=User.Role.COORDINATOR)
    foreign = make_assessment(
        country="FR", created_by=dave, framework_version=world["assessment"].framework_version
    )
    response = world["client"].post(
        reverse("assessments:create"),
        {
            "framework_version": world["assessment"].framework_version.pk,
            "cycle": "2030",
            "previous": foreign.pk,
            "copy_answers": "on",
        },
    )
    assert "Select one of your country" in response.text
    assert not Assessment.objects.filter(cycle=2030).exists()


def test_assigning_a_nonexistent_agency_is_a_form_error(world):
    assessment = world["assessment"]
    make_agency()
    response = world["client"].post(
        reverse("assessments:assign", args=[assessment.pk]), {"s1": "abc", "s2": "999999"}
    )
    assert response.status_code == 400
    assert set(assessment.sections.values_list("agency", flat=True)) == {None}
    assert Agency.objects.count() == 1


def test_an_oversized_comment_is_refused(world):
    url = reverse("assessments:answer", args=[world["assessment"].pk, world["answer"].pk])
    response = world["client"].post(url, {"text": "y" * 5001})
    assert response.status_code == 400
    assert "5,000 characters or fewer" in response.text
    assert not Comment.objects.exists()


def test_the_next_cycle_form_refuses_garbage(world):
    assessment = world["assessment"]
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.VALIDATED)
    response = world["client"].post(
        reverse("assessments:next_cycle", args=[assessment.pk]), {"cycle": "soon"}, follow=True
    )
    assert response.status_code == 200
    assert "Enter the cycle year as a number" in response.text
    assert Assessment.objects.count() == 1


# Text that breaks backups, reports or readers, refused by every form that takes text.
REFUSED_TEXT = ["\x01start", "end\uffff", "mid\x00dle", "tab\x0bvertical"]


@pytest.mark.parametrize("value", REFUSED_TEXT)
def test_people_agencies_titles_and_comments_refuse_control_characters(world, value):
    client, assessment = world["client"], world["assessment"]
    pages = [
        (reverse("assessments:agency_create"), {"name": value}),
        (reverse("assessments:agency_create"), {"name": "Ministry", "short_name": value}),
        (
            reverse("assessments:user_create"),
            {"username": "erin", "first_name": value, "email": "e@example.org", "role": "viewer"},
        ),
        (
            reverse("assessments:user_create"),
            {
                "username": "erin",
                "first_name": "Erin",
                "last_name": value,
                "email": "e@example.org",
                "role": "viewer",
            },
        ),
        (
            reverse("assessments:create"),
            {"framework_version": assessment.framework_version_id, "cycle": 2031, "title": value},
        ),
        (reverse("assessments:answer", args=[assessment.pk, world["answer"].pk]), {"text": value}),
    ]
    for url, data in pages:
        response = client.post(url, data)
        assert response.status_code in (200, 400), url
        assert "Remove the control characters from this text." in response.text, url
    assert Agency.objects.count() == 0
    assert User.objects.count() == 1
    assert Assessment.objects.count() == 1
    assert not Comment.objects.exists()


def test_text_is_stored_in_normal_form_c_with_its_line_ends(world):
    client, assessment = world["client"], world["assessment"]
    decomposed = "Ministe\u0300re de l'Inte\u0301rieur"  # è and é as letter + accent
    client.post(reverse("assessments:agency_create"), {"name": decomposed})
    assert Agency.objects.get().name == "Ministère de l'Intérieur"
    url = reverse("assessments:answer", args=[assessment.pk, world["answer"].pk])
    client.post(url, {"text": "Cafe\u0301\r\nsecond line \u202bעברית\u202c 😀"})
    assert Comment.objects.get().text == "Café\r\nsecond line \u202bעברית\u202c 😀"


@pytest.mark.parametrize("look_alike", ["ＣＯＯＲＤＩＮＡＴＯＲ", "Coordinator", "ＡＬＩＣＥ"])
def test_a_look_alike_user_name_is_the_same_account(world, look_alike):
    make_user("coordinator", role=User.Role.VIEWER)
    response = world["client"].post(
        reverse("assessments:user_create"),
        {"username": look_alike, "first_name": "M", "email": "m@example.org", "role": "viewer"},
    )
    assert "is already taken" in response.text
    assert User.objects.count() == 2


def test_user_names_are_stored_folded_and_sign_in_folds_them(world):
    world["client"].post(
        reverse("assessments:user_create"),
        {"username": "Ｅｒｉｎ", "first_name": "Erin", "email": "e@example.org", "role": "viewer"},
    )
    erin = User.objects.get(email="e@example.org")
    assert erin.username == "erin"
    erin.set_password(PASSWORD)
    erin.save()
    client = Client()
    response = client.post("/accounts/login/", {"username": "ＥＲＩＮ", "password": PASSWORD})
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(erin.pk)


def test_the_admin_refuses_control_characters_and_look_alikes(admin_client):
    make_user("admin2")
    response = admin_client.post(
        "/admin/assessments/agency/add/", {"country": "QZ", "name": "Bad\x01name"}
    )
    assert "Remove the control characters from this text." in response.text
    response = admin_client.post(
        "/admin/assessments/user/add/",
        {
            "username": "ＡＤＭＩＮ２",
            "password1": "a-long-enough-password-9",
            "password2": "a-long-enough-password-9",
            "usable_password": "true",
        },
    )
    assert response.status_code == 200
    assert User.objects.filter(username__iexact="admin2").count() == 1
    assert not Agency.objects.exists()


def test_the_audit_log_keeps_a_hostile_user_name_escaped():
    Client().post("/accounts/login/", {"username": "x\uffff\x01y", "password": "nope"})
    event = SecurityEvent.objects.get(kind=SecurityEvent.Kind.LOGIN_FAILED)
    assert event.username == "x\\uffff\\x01y"


def test_long_runs_without_a_space_get_invisible_break_opportunities():
    from assessments.templatetags.report_tags import BREAK_EVERY, breakable

    text = breakable("short words stay " + "x" * 10_000)
    assert text.startswith("short words stay x")
    assert text.replace("\u200b", "") == "short words stay " + "x" * 10_000
    assert max(len(run) for run in re.split(r"[\s\u200b]", text)) == BREAK_EVERY
    # Never between a letter and its accent, nor inside an emoji sequence.
    accented = breakable("e\u0301" * 40)
    assert "\u200b\u0301" not in accented
    family = "👩\u200d👩\u200d👧" * 10
    assert "\u200d\u200b" not in breakable(family) and "\u200b\u200d" not in breakable(family)
    # A "letter" carrying thousands of accents is still broken somewhere.
    assert "\u200b" in breakable("x" + "\u0301" * 1000)


def test_the_report_breaks_an_unbroken_answer_into_short_runs(world):
    from assessments.reports import data, html

    answer = world["answer"]
    Answer.objects.filter(pk=answer.pk).update(evidence="x" * 10_000)
    document = html.render_report_document(data.build_report(world["assessment"]))
    assert "x" * 25 not in document
    assert document.count("\u200b") >= 10_000 // 24


def test_a_comment_sent_twice_is_stored_once(world):
    url = reverse("assessments:answer", args=[world["assessment"].pk, world["answer"].pk])
    for _attempt in range(2):
        response = world["client"].post(url, {"text": "Check the 2019 decree.\r\nPage 4."})
        assert response.status_code == 302
    assert Comment.objects.count() == 1
    # The same words later, or different words, are new comments.
    Comment.objects.update(created_at=timezone.now() - services.REPEAT_WINDOW)
    world["client"].post(url, {"text": "Check the 2019 decree.\r\nPage 4."})
    world["client"].post(url, {"text": "And the 2021 one."})
    assert Comment.objects.count() == 3


def test_the_same_comment_by_two_people_is_two_comments(world):
    bob = make_user("bob", role=User.Role.CONTRIBUTOR)
    for author in (world["alice"], bob):
        services.comment_add(answer=world["answer"], author=author, text="Agreed.")
    assert Comment.objects.count() == 2


def slow_pdf(html: str, **kwargs) -> bytes:
    time.sleep(30)
    return b"%PDF-never"


def test_a_render_over_its_time_is_stopped_with_a_message(world, settings, tmp_path, monkeypatch):
    # The render runs in the task worker (here the immediate backend, inside the request): a
    # time bomb is ended there too, and the person is told on the PDF's status page.
    settings.MEDIA_ROOT = tmp_path
    settings.PDF_RENDER_SECONDS = 1
    monkeypatch.setattr(pdf, "html_to_pdf", slow_pdf)
    url = reverse("assessments:report_pdf", args=[world["assessment"].pk])
    started = time.monotonic()
    response = world["client"].get(url, follow=True)
    assert time.monotonic() - started < 10
    render = PdfRender.objects.get()
    assert render.state == PdfRender.State.FAILED and render.timed_out
    assert response.status_code == 200
    assert 'data-pdf-state="failed"' in response.text
    assert "The PDF is taking too long to prepare" in response.text
    assert "RenderTimeout" not in response.text  # the details are for the logs
    assert not list(tmp_path.rglob("*.pdf"))
    # The worker is fine afterwards: tried again within its time, the PDF is served.
    monkeypatch.undo()
    settings.PDF_RENDER_SECONDS = 60
    retry = reverse("assessments:report_pdf_retry", args=[world["assessment"].pk, render.pk])
    world["client"].post(retry)
    render.refresh_from_db()
    assert render.state == PdfRender.State.READY
    assert world["client"].get(url).status_code == 200


def test_the_longest_texts_are_cut_first_to_fit_the_report():
    from assessments.reports.texts import text_limit

    assert text_limit([10, 10, 300], budget=1000) is None
    assert text_limit([10, 10, 10_000, 10_000], budget=1000) == 490
    assert text_limit([10_000] * 1000, budget=1000) == 80  # never less than a line


def test_a_report_prints_a_bounded_amount_of_text_and_the_latest_comments(world):
    from assessments.reports.texts import COMMENTS_SHOWN, TEXT_BUDGET

    assessment, alice = world["assessment"], world["alice"]
    Answer.objects.filter(assessment=assessment).update(
        evidence="Ж" * 10_000, planned_action="Ф" * 10_000
    )
    for n in range(8):
        Comment.objects.create(
            answer=world["answer"], author=alice, text=f"comment {n} " + "Щ" * 9_000
        )
    from assessments.reports import data, html

    document = html.render_report_document(data.build_report(assessment)).replace("\u200b", "")
    printed = sum(document.count(letter) for letter in "ЖФЩ")
    assert printed < 1.2 * TEXT_BUDGET
    assert "comment 7" in document and f"comment {7 - COMMENTS_SHOWN}" not in document
    assert f"{8 - COMMENTS_SHOWN} earlier comments, in the app." in document
    assert "more characters in the app and the exports" in document
