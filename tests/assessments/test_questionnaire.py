"""The questionnaire as a country team uses it.

Alice coordinates Demoland's assessment; Bob contributes for the Ministry of Labour; Carol only
reads; Dave coordinates another country and must not even learn that Demoland's assessment exists.
"""

from __future__ import annotations

import re

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Agency, Answer, AnswerChange, Assessment, Comment, Section, User
from assessments.questionnaire import services
from tests.helpers import make_agency, make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def team():
    labour = make_agency("QZ", "Ministry of Labour")
    interior = make_agency("QZ", "Ministry of the Interior")
    people = {
        "alice": make_user("alice", role=User.Role.COORDINATOR),
        "bob": make_user("bob", role=User.Role.CONTRIBUTOR, agency=labour),
        "erin": make_user("erin", role=User.Role.CONTRIBUTOR, agency=interior),
        "carol": make_user("carol", role=User.Role.VIEWER),
        "dave": make_user("dave", country="FR", role=User.Role.COORDINATOR),
    }
    version = make_framework()
    assessment = make_assessment(framework_version=version, created_by=people["alice"])
    return {**people, "labour": labour, "interior": interior, "assessment": assessment}


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def section_url(assessment: Assessment, order: int) -> str:
    return reverse("assessments:section", args=[assessment.pk, order])


def heading_post(section: Section, *, action: str = "continue", **values) -> dict:
    """A POST of a heading page: every area answered with `values` (level 2 by default)."""
    data = {action: "1"}
    for answer in section.answers.all():
        prefix = f"a{answer.pk}"
        data[f"{prefix}-version"] = answer.version
        data[f"{prefix}-level"] = values.get("level", "2")
        data[f"{prefix}-target"] = values.get("target", "4")
        for field in ("evidence", "na_justification", "priority", "planned_action", "target_date"):
            data[f"{prefix}-{field}"] = values.get(field, "")
        data[f"{prefix}-responsible_agency"] = values.get("responsible_agency", "")
    return data


def test_a_coordinator_creates_an_assessment_with_every_item(team):
    response = client_for(team["alice"]).post(
        reverse("assessments:create"),
        {
            "framework_version": team["assessment"].framework_version.pk,
            "cycle": 2027,
            "agencies": [team["labour"].pk],
        },
    )
    created = Assessment.objects.get(cycle=2027)
    assert response.status_code == 302
    assert response.url == created.get_absolute_url()
    assert created.country == "QZ"
    assert created.sections.count() == 3  # Part A + 2 headings
    assert created.answers.count() == 3 + 4
    assert list(created.agencies.all()) == [team["labour"]]


def test_creating_a_second_assessment_for_the_same_cycle_says_what_is_wrong(team):
    response = client_for(team["alice"]).post(
        reverse("assessments:create"),
        {"framework_version": team["assessment"].framework_version.pk, "cycle": 2026},
    )
    assert response.status_code == 200
    assert "already has an assessment for this cycle" in response.text
    assert Assessment.objects.count() == 1


def test_contributors_cannot_create_assessments(team):
    response = client_for(team["bob"]).post(reverse("assessments:create"), {"cycle": 2027})
    assert response.status_code == 403


def test_the_task_list_shows_every_section_with_its_status(team):
    assessment = team["assessment"]
    response = client_for(team["bob"]).get(assessment.get_absolute_url())
    assert response.status_code == 200
    assert "Part A – Common Understandings" in response.text
    assert "1. Heading 1" in response.text
    assert response.text.count("Not yet started") == 3


def test_the_dashboard_lists_only_the_users_country(team):
    make_assessment(
        country="FR",
        created_by=team["dave"],
        framework_version=team["assessment"].framework_version,
    )
    response = client_for(team["carol"]).get(reverse("assessments:dashboard"))
    assert team["assessment"].title in response.text
    assert response.text.count("/assessments/") >= 1
    assert len(response.context["assessments"]) == 1


def test_save_and_continue_saves_every_area_and_records_the_history(team):
    assessment = team["assessment"]
    section = assessment.sections.get(order=1)
    data = heading_post(section, level="3", evidence="Demoland Act 2019", priority="high")
    response = client_for(team["bob"]).post(section_url(assessment, 1), data)
    assert response.status_code == 302
    assert response.url == reverse("assessments:section_check", args=[assessment.pk, 1])
    answers = section.answers.all()
    assert {a.level for a in answers} == {"3"}
    assert {a.evidence for a in answers} == {"Demoland Act 2019"}
    assert {a.updated_by for a in answers} == {team["bob"]}
    change = AnswerChange.objects.filter(answer=answers[0]).get()
    assert change.changes["level"] == ["", "3"]
    section.refresh_from_db()
    assert section.status == Section.Status.IN_PROGRESS
    assessment.refresh_from_db()
    assert assessment.revision == 1


def test_a_missing_level_names_the_area_and_keeps_what_was_typed(team):
    assessment = team["assessment"]
    section = assessment.sections.get(order=1)
    data = heading_post(section, evidence="Typed with care")
    first = section.answers.first()
    data[f"a{first.pk}-level"] = ""
    response = client_for(team["bob"]).post(section_url(assessment, 1), data)
    assert response.status_code == 400
    assert "There is a problem" in response.text
    assert f"Select the current level for {first.area.name}" in response.text
    assert response.text.count("Typed with care") == 2  # both areas keep their evidence
    assert "<title>Error:" in response.text
    assert not Answer.objects.exclude(level="").exists()  # nothing half-saved


def test_save_and_come_back_later_keeps_a_partial_answer(team):
    assessment = team["assessment"]
    section = assessment.sections.get(order=1)
    data = heading_post(section, action="later", level="", evidence="Draft note")
    response = client_for(team["bob"]).post(section_url(assessment, 1), data)
    assert response.status_code == 302
    assert response.url == assessment.get_absolute_url()
    assert set(section.answers.values_list("evidence", flat=True)) == {"Draft note"}


def test_not_applicable_requires_a_justification(team):
    assessment = team["assessment"]
    section = assessment.sections.get(order=1)
    response = client_for(team["bob"]).post(
        section_url(assessment, 1), heading_post(section, level="na")
    )
    assert response.status_code == 400
    assert "Explain why Area 1.1 does not apply" in response.text
    ok = heading_post(section, level="na", na_justification="No land border")
    assert client_for(team["bob"]).post(section_url(assessment, 1), ok).status_code == 302


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("level", "9", "Select the current level for Area 1.1"),
        ("target", "7", "Select a target level from 0 to 4 for Area 1.1"),
        ("priority", "urgent", "Select a priority for Area 1.1"),
        ("target_date", "2027-02-30", "Enter a real target date for Area 1.1"),
        ("target_date", "1890-01-01", "Enter a target date between 2000 and 2100"),
        ("evidence", "x" * 10_001, "Shorten the evidence for Area 1.1 to 10,000 characters or"),
        ("planned_action", "x" * 10_001, "Shorten the planned action for Area 1.1 to 10,000"),
        ("evidence", "bad\x00byte", "Null characters are not allowed"),
        ("evidence", "bell\x07", "Remove the control characters"),
    ],
)
def test_bad_input_gets_a_clear_message_and_changes_nothing(team, field, value, message):
    assessment = team["assessment"]
    section = assessment.sections.get(order=1)
    client = client_for(team["bob"])
    client.post(section_url(assessment, 1), heading_post(section, level="1", evidence="kept"))
    data = heading_post(section, level="2")
    first = section.answers.get(area__order=1)
    data[f"a{first.pk}-{field}"] = value
    response = client.post(section_url(assessment, 1), data)
    assert response.status_code == 400
    assert message in response.text
    assert set(section.answers.values_list("level", "evidence")) == {("1", "kept")}


def test_an_agency_of_another_country_cannot_be_made_responsible(team):
    assessment = team["assessment"]
    section = assessment.sections.get(order=1)
    foreign = make_agency("FR", "Ministère de l'Intérieur")
    data = heading_post(section, responsible_agency=str(foreign.pk))
    response = client_for(team["bob"]).post(section_url(assessment, 1), data)
    assert response.status_code == 400
    assert "Select an agency of your country" in response.text


def test_marking_a_section_completed(team):
    assessment = team["assessment"]
    url = reverse("assessments:section_check", args=[assessment.pk, 1])
    client = client_for(team["bob"])
    missing = client.post(url, {})
    assert missing.status_code == 400
    assert "Select whether you have completed this section" in missing.text
    assert client.post(url, {"completed": "yes"}).status_code == 302
    assert assessment.sections.get(order=1).status == Section.Status.COMPLETED
    client.post(url, {"completed": "no"})
    assert assessment.sections.get(order=1).status == Section.Status.IN_PROGRESS


def test_contributors_edit_only_their_agencys_sections_once_assigned(team):
    assessment = team["assessment"]
    coordinator = client_for(team["alice"])
    response = coordinator.post(
        reverse("assessments:assign", args=[assessment.pk]), {"s1": team["labour"].pk}
    )
    assert response.status_code == 302
    assert assessment.sections.get(order=1).agency == team["labour"]
    section = assessment.sections.get(order=1)
    assert client_for(team["bob"]).get(section_url(assessment, 1)).status_code == 200
    assert client_for(team["erin"]).get(section_url(assessment, 1)).status_code == 403
    assert client_for(team["erin"]).get(section_url(assessment, 2)).status_code == 403
    blocked = client_for(team["erin"]).post(section_url(assessment, 1), heading_post(section))
    assert blocked.status_code == 403
    assert not Answer.objects.exclude(level="").exists()
    assert client_for(team["alice"]).get(section_url(assessment, 2)).status_code == 200


def test_before_any_assignment_every_contributor_edits_every_section(team):
    assessment = team["assessment"]
    for order in (0, 1, 2):
        assert client_for(team["erin"]).get(section_url(assessment, order)).status_code == 200


@pytest.mark.parametrize("assigned", [False, True], ids=["unassigned", "section 1 to labour"])
@pytest.mark.parametrize("person", ["alice", "bob", "erin", "carol"])
def test_the_task_list_links_to_the_section_pages_its_reader_may_edit(team, person, assigned):
    assessment = team["assessment"]
    if assigned:
        assessment.sections.filter(order=1).update(agency=team["labour"])
    client = client_for(team[person])
    page = client.get(reverse("assessments:task_list", args=[assessment.pk])).content.decode()
    for order in assessment.sections.values_list("order", flat=True):
        editable = client.get(section_url(assessment, order)).status_code == 200
        assert (f'href="{section_url(assessment, order)}"' in page) is editable
        check = reverse("assessments:section_check", args=[assessment.pk, order])
        assert (f'href="{check}"' in page) is not editable


def test_assigning_an_agency_of_another_country_is_refused(team):
    assessment = team["assessment"]
    foreign = make_agency("FR", "Ministère du Travail")
    response = client_for(team["alice"]).post(
        reverse("assessments:assign", args=[assessment.pk]), {"s1": foreign.pk}
    )
    assert response.status_code == 400
    assert assessment.sections.get(order=1).agency is None


def all_urls(assessment: Assessment) -> list[tuple[str, str]]:
    answer = assessment.answers.first()
    pk = assessment.pk
    return [
        ("get", reverse("assessments:task_list", args=[pk])),
        ("get", reverse("assessments:section", args=[pk, 1])),
        ("post", reverse("assessments:section", args=[pk, 1])),
        ("get", reverse("assessments:section_check", args=[pk, 1])),
        ("post", reverse("assessments:section_check", args=[pk, 1])),
        ("get", reverse("assessments:check", args=[pk])),
        ("get", reverse("assessments:assign", args=[pk])),
        ("post", reverse("assessments:assign", args=[pk])),
        ("post", reverse("assessments:submit", args=[pk])),
        ("post", reverse("assessments:send_back", args=[pk])),
        ("post", reverse("assessments:validate", args=[pk])),
        ("post", reverse("assessments:next_cycle", args=[pk])),
        ("get", reverse("assessments:answer", args=[pk, answer.pk])),
        ("post", reverse("assessments:answer", args=[pk, answer.pk])),
    ]


def test_another_countrys_assessment_answers_404_everywhere(team):
    client = client_for(team["dave"])
    for method, url in all_urls(team["assessment"]):
        assert getattr(client, method)(url).status_code == 404, (method, url)


def test_anonymous_users_are_sent_to_login(team):
    client = Client()
    for method, url in all_urls(team["assessment"]):
        response = getattr(client, method)(url)
        assert response.status_code == 302, (method, url)
        assert response.url.startswith(reverse("login")), (method, url)


def test_a_viewer_reads_but_cannot_write(team):
    assessment = team["assessment"]
    client = client_for(team["carol"])
    assert client.get(assessment.get_absolute_url()).status_code == 200
    assert client.get(reverse("assessments:check", args=[assessment.pk])).status_code == 200
    for method, url in all_urls(assessment):
        if method == "post":
            assert client.post(url, {"completed": "yes", "text": "hi"}).status_code == 403, url
    assert client.get(section_url(assessment, 1)).status_code == 403
    assert not Comment.objects.exists()
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT


def test_only_the_coordinator_moves_the_workflow(team):
    assessment = team["assessment"]
    for name in ("submit", "send_back", "validate", "next_cycle"):
        url = reverse(f"assessments:{name}", args=[assessment.pk])
        assert client_for(team["bob"]).post(url).status_code == 403


def complete_everything(assessment: Assessment, user: User) -> None:
    updates = [(a, a.version, {"level": "2"}) for a in assessment.answers.all()]
    services.answers_save(assessment=assessment, updates=updates, user=user)
    assessment.sections.update(status=Section.Status.COMPLETED)


def test_the_workflow_from_draft_to_validated(team):
    assessment = team["assessment"]
    alice = client_for(team["alice"])
    submit = reverse("assessments:submit", args=[assessment.pk])
    alice.post(submit)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT  # sections not completed yet

    complete_everything(assessment, team["alice"])
    alice.post(submit)
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.IN_REVIEW
    section = assessment.sections.get(order=1)
    blocked = client_for(team["bob"]).post(section_url(assessment, 1), heading_post(section))
    assert blocked.status_code == 409
    assert "Your changes have not been saved" in blocked.text

    alice.post(reverse("assessments:send_back", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.DRAFT
    alice.post(submit)
    alice.post(reverse("assessments:validate", args=[assessment.pk]))
    assessment.refresh_from_db()
    assert assessment.status == Assessment.Status.VALIDATED
    assert assessment.validated_by == team["alice"]


def test_text_typed_while_the_assessment_was_submitted_is_given_back(team):
    # Bob typed while Alice submitted: a page about his role's rights, and his text gone.
    assessment = team["assessment"]
    complete_everything(assessment, team["alice"])
    section = assessment.sections.get(order=1)
    bob = client_for(team["bob"])
    bob.cookies[settings.LANGUAGE_COOKIE_NAME] = "es"
    page = bob.get(section_url(assessment, 1))
    assert page.status_code == 200
    services.assessment_submit(assessment=assessment)
    typed = heading_post(
        section, action="later", level="3", planned_action="Revisar la ley <b>ñ</b>\r\nen 2027"
    )
    before = list(section.answers.values_list("version", "planned_action"))

    response = bob.post(section_url(assessment, 1), typed)
    assert response.status_code == 409
    assert "Sus cambios no se han guardado" in response.text
    assert "Revisar la ley &lt;b&gt;ñ&lt;/b&gt;<br>en 2027" in response.text
    assert "3 – Aplicado parcialmente" in response.text  # what was chosen, in words
    assert "Su función no lo permite" not in response.text
    assert list(section.answers.values_list("version", "planned_action")) == before

    again = bob.get(section_url(assessment, 1))
    assert again.status_code == 302
    assert again["Location"] == reverse("assessments:section_check", args=[assessment.pk, 1])
    # Marking the section on its check page: the reason is the stage, not Bob's role.
    check = bob.post(again["Location"], {"completed": "no"})
    assert check.status_code == 403
    assert "Esta evaluación ya no se puede modificar." in check.text
    assert "Su función no lo permite" not in check.text


def test_a_validated_assessment_is_read_only_for_everyone(team):
    assessment = team["assessment"]
    complete_everything(assessment, team["alice"])
    services.assessment_submit(assessment=assessment)
    services.assessment_validate(assessment=assessment, user=team["alice"])
    section = assessment.sections.get(order=1)
    for person in ("alice", "bob"):
        client = client_for(team[person])
        saved = client.post(section_url(assessment, 1), heading_post(section))
        assert saved.status_code == 409  # nothing saved, said so
        url = reverse("assessments:section_check", args=[assessment.pk, 1])
        assert client.post(url, {"completed": "no"}).status_code == 403
    assign = reverse("assessments:assign", args=[assessment.pk])
    assert client_for(team["alice"]).post(assign, {"s1": team["labour"].pk}).status_code == 403
    with pytest.raises(services.WorkflowError):
        services.answers_save(
            assessment=assessment,
            updates=[(section.answers.first(), 1, {"level": "4"})],
            user=team["alice"],
        )
    assert set(assessment.answers.values_list("level", flat=True)) == {"2"}


def test_the_next_cycle_starts_as_a_copy_of_the_validated_one(team):
    assessment = team["assessment"]
    complete_everything(assessment, team["alice"])
    services.section_assign(section=assessment.sections.get(order=2), agency=team["labour"])
    services.section_assign(section=assessment.sections.get(order=0), agency=team["labour"])
    services.assessment_submit(assessment=assessment)
    services.assessment_validate(assessment=assessment, user=team["alice"])
    response = client_for(team["alice"]).post(
        reverse("assessments:next_cycle", args=[assessment.pk]), {"cycle": 2028}
    )
    following = Assessment.objects.get(cycle=2028)
    assert response.url == following.get_absolute_url()
    assert following.previous == assessment
    assert following.status == Assessment.Status.DRAFT
    assert set(following.answers.values_list("level", flat=True)) == {"2"}
    assert following.sections.get(order=2).agency == team["labour"]
    assert following.sections.get(order=0).agency == team["labour"]  # Part A's too
    assert set(assessment.answers.values_list("level", flat=True)) == {"2"}


def test_comments_and_history_are_visible_to_the_team(team):
    assessment = team["assessment"]
    section = assessment.sections.get(order=1)
    client_for(team["bob"]).post(section_url(assessment, 1), heading_post(section, level="1"))
    answer = section.answers.get(area__order=1)
    url = reverse("assessments:answer", args=[assessment.pk, answer.pk])
    response = client_for(team["alice"]).post(url, {"text": "Check the 2023 decree too."})
    assert response.status_code == 302
    page = client_for(team["carol"]).get(url)
    assert "Check the 2023 decree too." in page.text
    assert "bob" in page.text  # who changed it
    empty = client_for(team["alice"]).post(url, {"text": "   "})
    assert empty.status_code == 400
    assert "Enter a comment" in empty.text


def test_an_answer_of_another_assessment_answers_404(team):
    other = make_assessment(
        country="FR",
        created_by=team["dave"],
        framework_version=team["assessment"].framework_version,
    )
    foreign_answer = other.answers.first()
    url = reverse("assessments:answer", args=[team["assessment"].pk, foreign_answer.pk])
    assert client_for(team["alice"]).get(url).status_code == 404


class TestQueryCounts:
    """Pages that list many items use a constant number of queries."""

    def count(self, django_assert_max_num_queries, url, user, expected):
        client = client_for(user)
        client.get(url)  # warm the session and caches
        with django_assert_max_num_queries(expected) as ctx:
            assert client.get(url).status_code == 200
        return len(ctx.captured_queries)

    @pytest.mark.parametrize("name", ["task_list", "check", "section"])
    def test_pages_do_not_grow_with_the_number_of_items(self, name, django_assert_max_num_queries):
        alice = make_user("alice", role=User.Role.COORDINATOR)
        counts = []
        for size, code in ((1, "small"), (6, "large")):
            version = make_framework(code, understandings=size, headings=2, areas=size)
            assessment = make_assessment(
                framework_version=version, created_by=alice, cycle=2020 + size
            )
            complete_everything(assessment, alice)
            args = [assessment.pk, 1] if name == "section" else [assessment.pk]
            url = reverse(f"assessments:{name}", args=args)
            counts.append(self.count(django_assert_max_num_queries, url, alice, 20))
        assert counts[0] == counts[1]


def test_agencies_are_offered_by_their_full_name_with_the_short_one(team):
    # Offered by short name alone ("MoL"), a coordinator had to guess which ministry it was.
    Agency.objects.filter(pk=team["labour"].pk).update(short_name="MoL")
    assessment, alice = team["assessment"], client_for(team["alice"])
    assessment.agencies.add(team["labour"])
    for url in (
        section_url(assessment, 1),
        reverse("assessments:assign", args=[assessment.pk]),
        reverse("assessments:create"),
    ):
        page = alice.get(url).text
        assert re.search(r">\s*Ministry of Labour \(MoL\)\s*<", page), url


def test_only_the_coordinator_is_told_they_can_submit(team):
    # A viewer read "You can submit the assessment once every section is completed."
    assessment = team["assessment"]
    for person, told in (("alice", "You can"), ("carol", "Your national coordinator can")):
        page = client_for(team[person]).get(reverse("assessments:task_list", args=[assessment.pk]))
        assert f"{told} submit the assessment once every section is completed." in page.text
