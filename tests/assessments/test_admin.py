"""The admin: staff manage every country's accounts and agencies; assessments are read there,
and a validated assessment cannot be changed or deleted at all."""

from __future__ import annotations

import pytest
from django.urls import reverse

from assessments.models import Agency, Answer, AnswerChange, Assessment, Comment, Section, User
from assessments.questionnaire import services
from tests.helpers import make_agency, make_assessment, make_framework, make_user

pytestmark = pytest.mark.django_db

MODELS = [User, Agency, Assessment, Section, Answer, AnswerChange, Comment]


def validate(assessment: Assessment, coordinator: User) -> Assessment:
    for section in assessment.sections.all():
        services.section_mark(section=section, completed=True)
    services.assessment_submit(assessment=assessment)
    services.assessment_validate(assessment=assessment, user=coordinator)
    return Assessment.objects.get(pk=assessment.pk)


@pytest.fixture
def data():
    coordinator = make_user("alice", role=User.Role.COORDINATOR)
    version = make_framework()
    draft = make_assessment(framework_version=version, cycle=2026, created_by=coordinator)
    validated = make_assessment(framework_version=version, cycle=2024, created_by=coordinator)
    answer = validated.answers.first()
    services.answers_save(
        assessment=validated, updates=[(answer, 0, {"level": "3"})], user=coordinator
    )
    services.comment_add(answer=answer, author=coordinator, text="Checked against the act.")
    validated = validate(validated, coordinator)
    return {"draft": draft, "validated": validated, "coordinator": coordinator}


def admin_url(model, view: str, *args) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_answers_200(admin_client, data, model):
    assert admin_client.get(admin_url(model, "changelist")).status_code == 200


@pytest.mark.parametrize("model", MODELS, ids=lambda m: m.__name__)
def test_every_changelist_searches_without_error(admin_client, data, model):
    assert admin_client.get(admin_url(model, "changelist"), {"q": "2024"}).status_code == 200


def test_a_validated_assessment_is_read_only(admin_client, data):
    validated = data["validated"]
    url = admin_url(Assessment, "change", validated.pk)
    page = admin_client.get(url)
    assert page.status_code == 200
    assert 'name="_save"' not in page.text

    assert admin_client.post(url, {"title": "Rewritten"}).status_code == 403
    assert admin_client.post(admin_url(Assessment, "delete", validated.pk)).status_code == 403
    validated.refresh_from_db()
    assert validated.title != "Rewritten"


def test_the_sections_and_answers_of_a_validated_assessment_are_read_only(admin_client, data):
    validated = data["validated"]
    section = validated.sections.first()
    answer = validated.answers.first()
    for model, obj in [(Section, section), (Answer, answer)]:
        page = admin_client.get(admin_url(model, "change", obj.pk))
        assert page.status_code == 200
        assert 'name="_save"' not in page.text
        assert admin_client.post(admin_url(model, "change", obj.pk), {}).status_code == 403
        assert admin_client.post(admin_url(model, "delete", obj.pk)).status_code == 403


def test_answers_history_and_comments_are_never_edited_in_the_admin(admin_client, data):
    draft = data["draft"]
    answer = draft.answers.first()
    assert 'name="_save"' not in admin_client.get(admin_url(Answer, "change", answer.pk)).text
    change = AnswerChange.objects.first()
    assert admin_client.post(admin_url(AnswerChange, "delete", change.pk)).status_code == 403
    comment = Comment.objects.first()
    assert 'name="_save"' not in admin_client.get(admin_url(Comment, "change", comment.pk)).text
    for model in (Assessment, Section, Answer, AnswerChange, Comment):
        assert admin_client.get(admin_url(model, "add")).status_code == 403


def test_a_draft_assessments_title_can_be_corrected_but_not_its_status(admin_client, data):
    draft = data["draft"]
    url = admin_url(Assessment, "change", draft.pk)
    assert 'name="_save"' in admin_client.get(url).text
    response = admin_client.post(url, {"title": "Corrected title", "status": "validated"})
    assert response.status_code == 302
    draft.refresh_from_db()
    assert (draft.title, draft.status) == ("Corrected title", Assessment.Status.DRAFT)


def test_staff_see_users_of_every_country(admin_client, data):
    make_user("dave", country="FR", role=User.Role.COORDINATOR)
    page = admin_client.get(admin_url(User, "changelist"))
    assert "alice" in page.text and "dave" in page.text


def test_the_admin_refuses_an_agency_of_another_country(admin_client, data):
    alice = data["coordinator"]
    french = make_agency("FR", "Ministère du Travail")
    page = admin_client.get(admin_url(User, "change", alice.pk))
    assert page.status_code == 200
    form = page.context["adminform"].form
    post = {
        name: value
        for name, value in form.initial.items()
        if name not in ("password", "groups", "user_permissions", "last_login", "date_joined")
        and value is not None
    }
    post.update(
        {
            "country": "QZ",
            "agency": french.pk,
            "date_joined_0": "2026-01-01",
            "date_joined_1": "00:00:00",
        }
    )
    response = admin_client.post(admin_url(User, "change", alice.pk), post)
    assert response.status_code == 200
    assert "Select an agency of the user" in response.text
    alice.refresh_from_db()
    assert alice.agency is None


def test_the_add_user_page_answers(admin_client):
    assert admin_client.get(admin_url(User, "add")).status_code == 200
