"""What the busiest pages cost: their queries, and the section page's fields drawn from one
template exactly as crispy-forms draws them (so the speed costs neither layout nor
accessibility).

Alice coordinates Demoland's assessment.
"""

from __future__ import annotations

import datetime
import re
import time

import pytest
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.db import connection
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape
from django.utils.translation import override
from django_otp import DEVICE_ID_SESSION_KEY
from django_otp.plugins.otp_totp.models import TOTPDevice

from assessments.accounts.middleware import NO_DEVICE_KEY, NO_DEVICE_RECHECK
from assessments.models import Agency, Answer, Assessment, Facilitator, Section, User
from assessments.questionnaire.forms import AnswerForm
from assessments.questionnaire.selectors import PartCProgress
from assessments.templatetags.assessment_tags import status_badge
from iamm.models import FrameworkVersion, Practice, PracticeArea
from tests.helpers import make_agency, make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def alice() -> User:
    return make_user("alice", role=User.Role.COORDINATOR)


@pytest.fixture
def assessment(alice) -> Assessment:
    version = make_framework("costs-1", understandings=2, headings=2, areas=3)
    return make_assessment(framework_version=version, created_by=alice)


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def normalized(html: str) -> str:
    # Whitespace beside tags means nothing to a browser (and textarea's first newline is dropped).
    return re.sub(r"\s+<", "<", re.sub(r">\s+", ">", re.sub(r"\s+", " ", html))).strip()


BAD = {"version": "x", "level": "zz", "target": "9", "evidence": "a\x01<b>", "priority": "bad"}
GOOD = {"version": "0", "level": "na", "target": "2", "target_date": "2027-01-02"}


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("part", ["A", "B"])
@pytest.mark.parametrize("data", [None, BAD, GOOD], ids=["unbound", "errors", "valid"])
def test_the_answer_fields_are_drawn_as_crispy_forms_draws_them(assessment, language, part, data):
    answer = assessment.answers.filter(understanding__isnull=(part == "B")).first()
    agencies = [make_agency(name="Ministry of Labour"), make_agency(name="Statistics Office")]
    if data is not None:
        data = {f"a{answer.pk}-{name}": value for name, value in data.items()}
        data[f"a{answer.pk}-responsible_agency"] = str(agencies[1].pk)
    form = AnswerForm(data, answer=answer, agencies=agencies)
    if data is not None:
        form.is_valid()
    with override(language):
        crispy = Template("{% load crispy_forms_tags %}{% crispy form %}").render(
            Context({"form": form})
        )
        fast = render_to_string("assessments/_answer_fields.html", {"form": form})
    assert normalized(fast) == normalized(crispy)


def test_a_user_without_a_device_is_not_looked_up_on_every_page(alice, assessment):
    client = signed_in(alice)
    url = reverse("assessments:task_list", args=[assessment.pk])
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert any("otp_totp_totpdevice" in q["sql"] for q in first.captured_queries)
    assert not any("otp_totp_totpdevice" in q["sql"] for q in second.captured_queries)


def test_a_device_turned_on_in_another_session_is_asked_for_within_minutes(alice, assessment):
    client = signed_in(alice)
    url = reverse("assessments:task_list", args=[assessment.pk])
    assert client.get(url).status_code == 200
    TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    assert client.get(url).status_code == 200  # remembered: no device, a minute ago
    session = client.session
    session[NO_DEVICE_KEY] = [alice.pk, int(time.time()) - NO_DEVICE_RECHECK]
    session.save()
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith(reverse("two_factor_verify"))


def test_the_session_is_saved_at_most_once_a_minute(alice, assessment):
    client = signed_in(alice)
    url = reverse("assessments:task_list", args=[assessment.pk])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    assert not any(q["sql"].startswith("UPDATE") for q in queries.captured_queries)


def test_views_read_the_user_itself_not_through_lazy_wrappers(alice, assessment):
    url = reverse("assessments:task_list", args=[assessment.pk])
    response = signed_in(alice).get(url)
    assert type(response.wsgi_request.user) is User
    assert response.wsgi_request.user.pk == alice.pk
    assert response.wsgi_request.user.is_verified() is False  # django-otp's check is kept
    anonymous = Client().get(url)
    assert type(anonymous.wsgi_request.user) is AnonymousUser
    assert anonymous.status_code == 302  # to the sign-in page


def test_a_verified_device_stays_verified_once_the_user_is_resolved(alice, assessment):
    device = TOTPDevice.objects.create(user=alice, name="phone", confirmed=True)
    client = signed_in(alice)
    session = client.session
    session[DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
    response = client.get(reverse("assessments:task_list", args=[assessment.pk]))
    assert response.status_code == 200
    assert response.wsgi_request.user.is_verified() is True
    assert response.wsgi_request.user.otp_device == device


def test_the_task_list_and_a_section_cost_a_few_queries(alice, assessment):
    client = signed_in(alice)
    pages = {
        # The session, the user with their facilitator role (the menu's "Workshops"), the
        # assessment, its sections, and Part C's progress (one query whatever its size; this
        # assessment has no Part C, so a second asks whether its version offers it).
        reverse("assessments:task_list", args=[assessment.pk]): 6,
        # The session, the user, the assessment, the section, the agencies and the answers; the
        # framework content beside them is in the fragment cache once the page has been drawn.
        reverse("assessments:section", args=[assessment.pk, 1]): 6,
    }
    for url, most in pages.items():
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        assert len(queries) <= most, [q["sql"][:80] for q in queries.captured_queries]


def test_the_questionnaire_pages_do_not_load_the_previous_cycle(alice, assessment):
    # Only the report's pages compare with it (access.get_report_assessment).
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.VALIDATED)
    current = make_assessment(
        cycle=2027,
        framework_version=assessment.framework_version,
        created_by=alice,
        previous=assessment,
    )
    client = signed_in(alice)
    pages = {
        reverse("assessments:task_list", args=[current.pk]): 0,
        reverse("assessments:section", args=[current.pk, 1]): 0,
        reverse("assessments:report", args=[current.pk]): 1,
    }
    for url, joins in pages.items():
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        first = next(q["sql"] for q in queries if 'FROM "assessments_assessment"' in q["sql"])
        assert first.count('JOIN "assessments_assessment"') == joins, url


def test_only_those_who_may_add_part_c_are_asked_whether_the_version_offers_it(alice, assessment):
    bob = make_user("bob", role=User.Role.CONTRIBUTOR)
    url = reverse("assessments:task_list", args=[assessment.pk])
    for person, asked in ((alice, True), (bob, False)):
        client = signed_in(person)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200
        sdg_content = [q for q in queries if "iamm_sdgsubcategory" in q["sql"]]
        assert bool(sdg_content) is asked, person


def test_the_menu_shows_workshops_to_a_facilitator_without_a_query_of_its_own(alice, assessment):
    url = reverse("assessments:task_list", args=[assessment.pk])
    counts = {}
    for facilitator in (False, True):
        if facilitator:
            Facilitator.objects.create(user=alice)
        client = signed_in(alice)
        client.get(url)
        with CaptureQueriesContext(connection) as queries:
            page = client.get(url).content.decode()
        counts[facilitator] = len(queries)
        assert (reverse("training:workshop_list") in page) is facilitator
    assert counts[True] == counts[False]
    assert not any("assessments_facilitator" in q["sql"] for q in queries.captured_queries[2:])


def header(page: str) -> str:
    return page[: page.index('<main id="main"')]


def test_the_header_drawn_once_follows_the_persons_name_role_and_page(alice, assessment):
    # The header's fragments are cached per process ({% cache %}), keyed on what they show.
    client = signed_in(alice)
    task_list = reverse("assessments:task_list", args=[assessment.pk])
    workshops = reverse("training:workshop_list")
    first = header(client.get(task_list).content.decode())
    assert "Signed in as alice" in first
    assert workshops not in first
    alice.first_name, alice.last_name = "Alice", "Ngoma"
    alice.save()
    Facilitator.objects.create(user=alice)
    second = header(client.get(task_list).content.decode())
    assert "Signed in as Alice Ngoma" in second
    assert workshops in second
    assert 'aria-current="true"' not in second
    on_workshops = header(client.get(workshops).content.decode())
    assert f'active" aria-current="true" href="{workshops}"' in on_workshops
    Facilitator.objects.filter(user=alice).delete()
    assert workshops not in header(client.get(task_list).content.decode())
    french = header(client.get(task_list, headers={"accept-language": "fr"}).content.decode())
    assert "Connecté en tant que Alice Ngoma" in french
    assert '<option value="fr" lang="fr" selected>' in french


NO_FRAGMENT_CACHE = {
    **settings.CACHES,
    "template_fragments": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
    "answer_fields": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"},
}


def drawn(client: Client, url: str, **headers) -> str:
    # Each response masks the CSRF token afresh; the rest of the page must match byte for byte.
    page = client.get(url, headers=headers).content.decode()
    return re.sub(r'name="csrfmiddlewaretoken" value="[^"]+"', "", page)


def test_the_cached_task_list_is_the_task_list_drawn_afresh_as_the_assessment_changes(
    alice, assessment
):
    labour = make_agency(name="Ministry of Labour")
    bob = make_user("bob", role=User.Role.CONTRIBUTOR, agency=labour)
    url = reverse("assessments:task_list", args=[assessment.pk])
    clients = {"alice": signed_in(alice), "bob": signed_in(bob)}
    first = assessment.sections.get(order=1)
    changes = {
        "as created": lambda: None,
        "an answer saved": lambda: Answer.objects.filter(pk=first.answers.values("pk")[:1]).update(
            level="3"
        ),
        "in progress": lambda: Section.objects.filter(pk=first.pk).update(
            status=Section.Status.IN_PROGRESS
        ),
        "completed": lambda: Section.objects.filter(pk=first.pk).update(
            status=Section.Status.COMPLETED
        ),
        "assigned to an agency": lambda: Section.objects.filter(pk=first.pk).update(agency=labour),
        "the agency renamed": lambda: Agency.objects.filter(pk=labour.pk).update(short_name="MoL"),
        "Alice renamed": lambda: User.objects.filter(pk=alice.pk).update(first_name="Alicia"),
    }
    for change, make in changes.items():
        make()
        for name, client in clients.items():
            for language in ("en", "fr", "es"):
                cached = drawn(client, url, accept_language=language)
                with override_settings(CACHES=NO_FRAGMENT_CACHE):
                    afresh = drawn(client, url, accept_language=language)
                assert cached == afresh, (change, name, language)


def test_the_section_page_with_its_content_cached_is_the_page_drawn_afresh(alice, assessment):
    # Each item's framework content is cached per process and language, and its fields per
    # value they show; the comment counts and the links beside them are drawn for each request.
    client = signed_in(alice)
    answer = assessment.answers.filter(section__order=2).first()
    labour = make_agency(name="Ministry of Labour")
    answers = Answer.objects.filter(pk=answer.pk)
    changes = {
        "as created": lambda: None,
        "answered": lambda: answers.update(
            level="2", evidence="Labour Migration Act, 2021", version=1
        ),
        # A value changed without a new version (as only a bug or a raw update would) is still
        # shown as it is stored: the cache is keyed on the values themselves.
        "changed in place": lambda: answers.update(
            target=3,
            priority="high",
            target_date=datetime.date(2028, 6, 30),
            responsible_agency=labour,
        ),
        "the agency renamed": lambda: Agency.objects.filter(pk=labour.pk).update(
            name="Ministry of Labour and Employment"
        ),
        "commented": lambda: answer.comments.create(author=alice, text="Check the date."),
    }
    for change, make in changes.items():
        make()
        for order in (0, 2):  # Part A's understandings, then a heading's practice areas
            url = reverse("assessments:section", args=[assessment.pk, order])
            for language in ("en", "fr", "es"):
                cached = drawn(client, url, accept_language=language)
                with override_settings(CACHES=NO_FRAGMENT_CACHE):
                    afresh = drawn(client, url, accept_language=language)
                assert cached == afresh, (change, order, language)
    page = drawn(client, reverse("assessments:section", args=[assessment.pk, 2]))
    assert "Labour Migration Act, 2021" in page and "1 comment and the history" in page
    assert "Ministry of Labour and Employment</option>" in page and 'value="2028-06-30"' in page


def test_a_section_page_shown_again_with_errors_draws_the_posted_values_and_errors(
    alice, assessment
):
    # The same values posted twice get different errors ("Save and continue" asks for every
    # level): fields that are posted are drawn afresh, never from the cache.
    client = signed_in(alice)
    url = reverse("assessments:section", args=[assessment.pk, 2])
    page = client.get(url).content.decode()  # the fields' markup, unbound, is now cached
    answers = re.findall(r'name="a(\d+)-version" value="(\d+)"', page)
    data = {}
    for answer, version in answers:
        data |= {f"a{answer}-version": version, f"a{answer}-target": "4"}
        data |= {f"a{answer}-evidence": "Decree 12/2026"}
    data[f"a{answers[0][0]}-target_date"] = "someday"
    on_continue = client.post(url, data | {"continue": "1"})
    assert on_continue.status_code == 400
    assert "Select the current level" in on_continue.content.decode()
    later = client.post(url, data | {"later": "1"})
    assert later.status_code == 400
    shown = later.content.decode()
    assert shown.count("Decree 12/2026") == len(answers)
    assert "Enter a real target date" in shown and "Select the current level" not in shown
    assert "Decree 12/2026" not in client.get(url).content.decode()  # nothing was saved


def test_a_warm_section_page_loads_no_framework_content_but_a_drafts_is_drawn_afresh(
    alice, assessment
):
    client = signed_in(alice)
    url = reverse("assessments:section", args=[assessment.pk, 2])
    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    for content in ("iamm_practice", "iamm_crosswalklink", "iamm_commonunderstanding"):
        assert f'FROM "{content}"' not in tables, content
    # A draft's content can still change: it is never served from the cache. (The update
    # goes around the freeze of published versions, as only a test may.)
    version = assessment.framework_version
    FrameworkVersion.objects.filter(pk=version.pk).update(status="draft", published_at=None)
    area = assessment.sections.get(order=2).heading.areas.first()
    for name in ("Returns in dignity", "Readmission agreements"):
        PracticeArea.objects.filter(pk=area.pk).update(name=name)
        Practice.objects.filter(area=area).update(text=f"Guidance on {name}")
        page = client.get(url).content.decode()
        assert f"{area.code} {name}" in page and f"Guidance on {name}" in page


def test_each_page_carries_its_own_csrf_token_beside_the_cached_header(alice, assessment):
    url = reverse("assessments:task_list", args=[assessment.pk])
    tokens = []
    for _ in range(2):
        client = Client(enforce_csrf_checks=True)
        client.force_login(alice)
        page = client.get(url).content.decode()
        token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', header(page))[1]
        tokens.append(token)
        data = {"language": "es", "csrfmiddlewaretoken": token}
        response = client.post(reverse("set_language"), data)
        assert response.status_code == 302  # 403 if the token were another session's
    assert tokens[0] != tokens[1]


def test_a_save_that_succeeds_loads_no_guidance(alice, assessment):
    client = signed_in(alice)
    url = reverse("assessments:section", args=[assessment.pk, 2])  # a heading's practice areas
    page = client.get(url).content.decode()
    assert "Guidance" in page
    data = {"later": "1"}
    for answer, version in re.findall(r'name="a(\d+)-version" value="(\d+)"', page):
        data |= {f"a{answer}-version": version, f"a{answer}-level": "2", f"a{answer}-target": "4"}
    with CaptureQueriesContext(connection) as queries:
        assert client.post(url, data).status_code == 302
    tables = " ".join(q["sql"] for q in queries.captured_queries)
    assert "assessments_answer" in tables
    assert '"iamm_practice"' not in tables and '"iamm_crosswalklink"' not in tables
    assert assessment.answers.filter(level="2").count() == len(re.findall("-version", str(data)))


@pytest.mark.parametrize("language", ["en", "fr", "es"])
@pytest.mark.parametrize("model", [Assessment, Section])
def test_status_labels_are_the_choices_labels(model, language):
    with override(language):
        for value, label in model.Status.choices:
            assert model(status=value).get_status_display() == str(label)
        assert model(status="unknown").get_status_display() == "unknown"


@pytest.mark.parametrize(
    ("item", "css"),
    [
        (Assessment(status=Assessment.Status.VALIDATED), "text-bg-success"),
        (Assessment(status=Assessment.Status.IN_REVIEW), "text-bg-primary"),
        (Section(status=Section.Status.COMPLETED), "text-bg-success"),
        (Section(status=Section.Status.IN_PROGRESS), "text-bg-primary"),
        (Section(status=Section.Status.NOT_STARTED), "text-bg-light border text-dark"),
        (PartCProgress(answered=3, total=30), "text-bg-primary"),
        (PartCProgress(answered=30, total=30), "text-bg-success"),
    ],
)
def test_a_status_badge_is_coloured_by_its_status(item, css):
    with override("fr"):
        badge, label = status_badge(item), escape(str(item.get_status_display()))
    assert badge == f'<span class="badge {css}">{label}</span>'
