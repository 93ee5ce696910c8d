"""The demo workshop: a facilitator account and a workshop on headings 5 and 6 with a case text
and twelve participants' practice answers, so the live view and the debrief have something to
show. Part of the demo generator (`assessments.demo.generator`, `seed_demo`).

Deterministic for a given `random.Random`; running it again creates nothing new.
"""

from __future__ import annotations

import datetime
import random
import secrets

from django.utils import timezone

from iamm.models import FrameworkVersion, PracticeHeading

from ..models import Facilitator, User, Workshop
from ..training import selectors, services

FACILITATOR = "facilitator"
TITLE = "Demo workshop: labour and irregular migration (Demoland case)"
HEADINGS = (5, 6)
PARTICIPANTS = [
    "Aïcha", "Bongani", "Carmen", "Dawit", "Elif", "Farid",
    "Grace", "Hiroshi", "Inés", "Jonas", "Kemi", "Luis",
]  # fmt: skip
CASES = {
    5: (
        "Ruritania, a fictional middle-income country, signed bilateral labour agreements with "
        "two neighbours in 2019. Recruitment agencies must register, but the register is not "
        "published and inspections happen only after complaints. Pre-departure orientation is "
        "offered by one NGO in the capital."
    ),
    6: (
        "Ruritania adopted an anti-trafficking law in 2015 and set up a national referral "
        "mechanism on paper. Border officials received one training in 2021. Shelters for "
        "victims are run by NGOs without public funding; statistics are not collected."
    ),
}
# Each participant's reading of the case: a level per area drawn around these, so that some
# items show agreement and others a real split for the debrief.
CENTRES = {"5.1": [2, 2, 2, 3], "6.1": [1, 2, 3, 0], "6.2": [0, 1, 1, 4]}
EVIDENCE = [
    "The bilateral agreements exist but are not implemented.",
    "The law is there; nothing shows it is applied.",
    "Only one NGO does the work; the state does not fund it.",
    "",
    "",
]


def facilitator_account() -> tuple[User, str | None]:
    """The demo facilitator, with a fresh password only when the account is created."""
    user = User.objects.filter(username=FACILITATOR).first()
    password = None
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User.objects.create_user(
            username=FACILITATOR,
            password=password,
            email="facilitator@training.example",
            first_name="Frieda",
            last_name="Moreau",
        )
    Facilitator.objects.get_or_create(user=user)
    return user, password


def seed_workshop(*, version: FrameworkVersion, facilitator: User, rng: random.Random) -> Workshop:
    existing = Workshop.objects.filter(title=TITLE, facilitator=facilitator).first()
    if existing is not None:
        return existing
    today = timezone.localdate()
    workshop = services.workshop_create(
        facilitator=facilitator,
        title=TITLE,
        starts_on=today,
        ends_on=today + datetime.timedelta(days=1),
        language="en",
        framework_version=version,
        part_a=False,
        headings=PracticeHeading.objects.filter(version=version, number__in=HEADINGS),
    )
    for section in workshop.sections.all():
        services.workshop_section_set_case(section=section, case_text=CASES[section.order])
    sections = selectors.workshop_sections(workshop=workshop)
    for index, name in enumerate(PARTICIPANTS):
        participant, _token = services.participant_join(
            workshop=workshop, display_name=name, show_name=index % 3 == 0
        )
        for entry in sections:
            answers = {}
            for item in entry.items:
                centres = CENTRES.get(item.code, [2])
                level = centres[index % len(centres)]
                level = min(4, max(0, level + rng.choice([0, 0, 0, 1, -1])))
                answers[item.key] = {
                    "level": str(level),
                    "target": rng.choice([3, 4, 4]),
                    "priority": rng.choice(["high", "medium", "low", ""]),
                    "evidence": rng.choice(EVIDENCE),
                    "justification": "",
                }
            services.practice_section_save(participant=participant, section=entry, answers=answers)
    return workshop
