"""Plain helpers for the workshop tests: Fatima facilitates; participants join with her code."""

from __future__ import annotations

import datetime

from django.test import Client

from assessments.models import Facilitator, Participant, User, Workshop
from assessments.training import selectors, services
from iamm.models import FrameworkVersion, PracticeHeading
from tests.helpers import make_framework, make_user


def make_facilitator(username: str = "fatima", *, country: str = "") -> User:
    user = make_user(username, country=country, role=User.Role.VIEWER)
    Facilitator.objects.create(user=user)
    return user


def make_workshop(
    *,
    facilitator: User | None = None,
    version: FrameworkVersion | None = None,
    part_a: bool = True,
    headings: tuple[int, ...] = (1, 2),
    ends_on: datetime.date = datetime.date(2026, 12, 2),
) -> Workshop:
    version = version or make_framework("train-1", understandings=3, headings=2, areas=2)
    return services.workshop_create(
        facilitator=facilitator or make_facilitator(),
        title="Border governance workshop",
        starts_on=ends_on - datetime.timedelta(days=1),
        ends_on=ends_on,
        language="en",
        framework_version=version,
        part_a=part_a,
        headings=PracticeHeading.objects.filter(version=version, number__in=headings),
    )


def join(workshop: Workshop, name: str, *, show_name: bool = False) -> tuple[Participant, str]:
    return services.participant_join(workshop=workshop, display_name=name, show_name=show_name)


def answer(participant: Participant, order: int, levels: dict[str, dict]) -> None:
    """Saves answers by item code: {"1.1": {"level": "2", "evidence": "…"}}."""
    entry = selectors.section_in_scope(workshop=participant.workshop, order=order)
    by_code = {item.code: item.key for item in entry.items}
    data = {by_code[code]: {"target": 4, **values} for code, values in levels.items()}
    services.practice_section_save(participant=participant, section=entry, answers=data)


def participant_client(participant: Participant, token: str) -> Client:
    client = Client()
    session = client.session
    session["training_participants"] = {str(participant.pk): token}
    session.save()
    return client
