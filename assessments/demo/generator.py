"""Demoland, a fictional country, with its team and two assessment cycles (`seed_demo`).

Trainers need a realistic assessment to show in workshops, and developers one to click through:
a validated 2024 cycle, fully answered, and a 2026 draft that started as its copy and is being
worked on (some headings completed, some in progress, some not started). Everything goes
through the same services as the app, so the history, statuses and workflow are real.

The content is generated from `random.Random(2026)`, so a fresh demo always gives the same
reports. Running it again creates only what is missing: nothing is duplicated, no password is
reset. The command refuses to run unless settings.DEMO_MODE is on (never in production).
"""

from __future__ import annotations

import random
import secrets
from datetime import date
from typing import Any

from django.db import transaction

from iamm.models import FrameworkVersion, SdgSubcategory

from ..models import Agency, Answer, Assessment, Section, User
from ..models.sdg import sdg_value_choices
from ..questionnaire import services
from ..questionnaire.part_c import part_c_answers_save, part_c_include
from . import workshop
from .content import (
    ACTIONS,
    ADMIN,
    AGENCIES,
    ASSIGNED,
    COMPLETED_2026,
    COUNTRY,
    DONT_KNOW_EVIDENCE,
    EVIDENCE,
    FRAMEWORK,
    INTERIOR,
    LABOUR,
    NOT_APPLICABLE,
    NOT_APPLICABLE_OTHER,
    NOT_STARTED_2026,
    PEOPLE,
    QUARTER_ENDS,
    RESPONSIBLE,
    WORKED_ON_2026,
)
from .regional import seed_regional


class MissingFramework(Exception):
    pass


class Demo:
    """Creates what is missing of the demo and tells what it did, as (style, text) lines."""

    def __init__(self) -> None:
        self.lines: list[tuple[str, str]] = []  # written by the caller once all is saved

    def seed(self) -> list[tuple[str, str]]:
        version = FrameworkVersion.objects.published().filter(code=FRAMEWORK).first()
        if version is None:
            raise MissingFramework(
                f"The published IAMM framework version {FRAMEWORK} is missing. "
                "Load it first: python manage.py loaddata iamm"
            )
        # (username, password, what) of the accounts created, and the names of those kept.
        self.passwords: list[tuple[str, str, str]] = []
        self.existing: list[str] = []
        with transaction.atomic():
            agencies = self._agencies()
            people = self._people(agencies)
            previous = self._cycle_2024(version, agencies, people)
            self._cycle_2026(version, previous, agencies, people)
            workshop.seed_workshop(
                version=version,
                facilitator=people[workshop.FACILITATOR],
                rng=random.Random(2026),
            )
            seed_regional(
                version=version, say=self._say, passwords=self.passwords, existing=self.existing
            )
        self._accounts()
        return self.lines

    def _say(self, text: str, style: str = "") -> None:
        self.lines.append((style, text))

    # Team ------------------------------------------------------------------------------------

    def _agencies(self) -> dict[str, Agency]:
        agencies = {}
        for name, short_name in AGENCIES.items():
            agencies[name] = Agency.objects.get_or_create(
                country=COUNTRY, name=name, defaults={"short_name": short_name}
            )[0]
        return agencies

    def _people(self, agencies: dict[str, Agency]) -> dict[str, User]:
        people, passwords = {}, self.passwords
        for username, first, last, role, agency in PEOPLE:
            user = User.objects.filter(username=username).first()
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(
                    username=username,
                    password=password,
                    email=f"{username}@demoland.example",
                    first_name=first,
                    last_name=last,
                    country=COUNTRY,
                    role=role,
                    agency=agencies[agency],
                )
                passwords.append((username, password, f"{user.get_role_display()}, {agency}"))
            people[username] = user
        if not User.objects.filter(username=ADMIN).exists():
            password = secrets.token_urlsafe(12)
            User.objects.create_superuser(
                username=ADMIN, password=password, email="admin@demoland.example"
            )
            passwords.append((ADMIN, password, "staff administrator, /admin/"))
        # The training facilitator has no country: they run the demo workshop, /workshops/.
        people[workshop.FACILITATOR], password = workshop.facilitator_account()
        if password:
            passwords.append((workshop.FACILITATOR, password, "facilitator, /workshops/"))

        self.existing += [u for u in [*people, ADMIN] if u not in {p[0] for p in passwords}]
        return people

    def _accounts(self) -> None:
        if self.passwords:
            self._say("Demo accounts created. The passwords are shown only this once:", "SUCCESS")
            for username, password, what in self.passwords:
                self._say(f"  {username:<16} {password}   ({what})")
        if self.existing:
            self._say(
                f"Demo accounts already there, passwords unchanged: {', '.join(self.existing)}. "
                "To set a new password: python manage.py changepassword <username>"
            )

    # Cycles ----------------------------------------------------------------------------------

    def _existing(self, version: FrameworkVersion, cycle: int) -> Assessment | None:
        existing = Assessment.objects.filter(
            country=COUNTRY, framework_version=version, cycle=cycle
        ).first()
        if existing is not None:
            self._say(f"Assessment {existing} already there: left as it is.")
        return existing

    def _new_cycle(
        self, version: FrameworkVersion, cycle: int, coordinator: User, **options: Any
    ) -> Assessment:
        return services.assessment_create(
            country=COUNTRY,
            framework_version=version,
            cycle=cycle,
            created_by=coordinator,
            title=f"Demoland – IAMM self-assessment {cycle}",
            **options,
        )

    def _cycle_2024(
        self, version: FrameworkVersion, agencies: dict[str, Agency], people: dict[str, User]
    ) -> Assessment:
        if existing := self._existing(version, 2024):
            return existing
        coordinator = people["coordinator"]
        assessment = self._new_cycle(version, 2024, coordinator, agencies=list(agencies.values()))
        rng = random.Random(2026)
        sections = list(assessment.sections.select_related("heading"))
        for section in sections:
            if section.heading and section.heading.number in ASSIGNED:
                agency = agencies[ASSIGNED[section.heading.number]]
                services.section_assign(section=section, agency=agency)
        answers = _answers(assessment)
        not_applicable = _pick_not_applicable(answers, rng)
        dont_know = _pick_dont_know(answers, not_applicable, rng)
        for section in sections:
            updates = [
                (a, a.version, _first_answer(a, rng, agencies, not_applicable, dont_know))
                for a in answers
                if a.section_id == section.pk
            ]
            services.answers_save(
                assessment=assessment, updates=updates, user=_author(section, people)
            )
            services.section_mark(section=section, completed=True)
        by_heading = _by_heading(answers)
        services.comment_add(
            answer=by_heading[5][0],
            author=people["contributor"],
            text="The 2023 labour force survey confirms this level; figures are in annex 3.",
        )
        services.comment_add(
            answer=by_heading[0][0],
            author=coordinator,
            text="Agreed at the inter-ministerial meeting of 12 March 2024.",
        )
        services.assessment_submit(assessment=assessment)
        services.assessment_validate(assessment=assessment, user=coordinator)
        self._say(f"Created {assessment.title} (validated, every item answered).", "SUCCESS")
        return Assessment.objects.get(pk=assessment.pk)

    def _cycle_2026(
        self,
        version: FrameworkVersion,
        previous: Assessment,
        agencies: dict[str, Agency],
        people: dict[str, User],
    ) -> Assessment:
        if existing := self._existing(version, 2026):
            return existing
        coordinator = people["coordinator"]
        assessment = self._new_cycle(
            version, 2026, coordinator, previous=previous, copy_answers=True
        )
        rng = random.Random(2026)
        sections = {s.order: s for s in assessment.sections.select_related("heading")}
        answers = _answers(assessment)
        by_heading = _by_heading(answers)
        for order in (*COMPLETED_2026, *WORKED_ON_2026):
            if order not in sections:
                continue
            items = [a for a in by_heading[order] if a.level != Answer.Level.NOT_APPLICABLE]
            changed = rng.sample(items, k=min(len(items), 1 if order else 3))
            updates = [(a, a.version, _revision(a, rng, agencies)) for a in changed]
            services.answers_save(
                assessment=assessment, updates=updates, user=_author(sections[order], people)
            )
            if order in COMPLETED_2026:
                services.section_mark(section=sections[order], completed=True)
        # Copied answers mark every heading "in progress"; the headings nobody has reviewed
        # yet this cycle are shown as not started, as a team would see them early in a cycle.
        Section.objects.filter(assessment=assessment, order__in=NOT_STARTED_2026).update(
            status=Section.Status.NOT_STARTED
        )
        for order, author, text in [
            (3, "coordinator", "Please add the 2025 amendment to the Immigration Act as evidence."),
            (3, "contributor", "Added: see s. 12 as amended in 2025."),
            (5, "contributor", "The bilateral agreement with Westland is being renegotiated."),
            (0, "coordinator", "Check the Part A levels against the 2025 policy review."),
        ]:
            if by_heading.get(order):
                services.comment_add(answer=by_heading[order][0], author=people[author], text=text)
        _part_c(assessment, rng, people["coordinator"])
        self._say(f"Created {assessment.title} (draft, partly done).", "SUCCESS")
        return assessment


# Answers -------------------------------------------------------------------------------------


def _part_c(assessment: Assessment, rng: random.Random, coordinator: User) -> None:
    """The draft includes Part C (SDG 10.7.2), answered but for two sub-categories of the last
    domain, so the report shows the UN-method result beside the IAMM indication, and a domain
    left incomplete. Skipped when the lens content is not loaded."""
    subcategories = SdgSubcategory.objects.filter(domain__version=assessment.framework_version_id)
    if not subcategories.exists():
        return
    part_c_include(assessment=assessment)
    values = {}
    for sub in subcategories.select_related("domain").order_by("domain__number", "letter"):
        if sub.domain.number == 6 and sub.letter >= "d":
            continue
        codes = [value for value, _label in sdg_value_choices(sub.domain)]
        # Mostly "Yes", as for a State with a developed policy framework.
        values[sub.code] = rng.choices(codes, weights=[3] + [1] * (len(codes) - 1))[0]
    part_c_answers_save(assessment=assessment, values=values, user=coordinator)


def _answers(assessment: Assessment) -> list[Answer]:
    return list(
        assessment.answers.select_related("area__heading", "understanding", "section").order_by(
            "section__order", "area__order", "understanding__number"
        )
    )


def _by_heading(answers: list[Answer]) -> dict[int, list[Answer]]:
    grouped: dict[int, list[Answer]] = {}
    for answer in answers:
        grouped.setdefault(answer.section.order, []).append(answer)
    return grouped


def _author(section: Section, people: dict[str, User]) -> User:
    """The contributor answers the Ministry of Labour's heading; the coordinator the rest."""
    if section.heading_id and ASSIGNED.get(section.heading.number) == LABOUR:
        return people["contributor"]
    return people["coordinator"]


def _pick_not_applicable(answers: list[Answer], rng: random.Random) -> dict[int, str]:
    """Two practice areas that do not apply, with why (answer pk → justification)."""
    areas = [a for a in answers if a.area_id]
    chosen = {}
    for keyword, why in NOT_APPLICABLE.items():
        match = next((a for a in areas if keyword in a.area.name.lower()), None)
        if match is not None:
            chosen[match.pk] = why
    others = [a for a in areas if a.pk not in chosen]
    for answer in rng.sample(others, k=max(0, min(2 - len(chosen), len(others)))):
        chosen[answer.pk] = NOT_APPLICABLE_OTHER
    return chosen


def _pick_dont_know(answers: list[Answer], excluded: dict[int, str], rng: random.Random) -> set:
    """Three practice areas and one understanding the team could not answer: data gaps."""
    areas = [a for a in answers if a.area_id and a.pk not in excluded]
    understandings = [a for a in answers if a.understanding_id]
    picked = rng.sample(areas, k=min(3, len(areas)))
    picked += rng.sample(understandings, k=min(1, len(understandings)))
    return {a.pk for a in picked}


def _first_answer(
    answer: Answer,
    rng: random.Random,
    agencies: dict[str, Agency],
    not_applicable: dict[int, str],
    dont_know: set,
) -> dict[str, Any]:
    order = answer.section.order
    if answer.understanding_id:
        if answer.pk in dont_know:
            return {"level": Answer.Level.DONT_KNOW, "evidence": DONT_KNOW_EVIDENCE}
        level = rng.choices("01234", weights=[1, 2, 3, 3, 2])[0]
        return {"level": level, "evidence": rng.choice(EVIDENCE[0]) if level != "0" else ""}
    agency = agencies[RESPONSIBLE.get(order, INTERIOR)]
    if answer.pk in not_applicable:
        return {"level": Answer.Level.NOT_APPLICABLE, "na_justification": not_applicable[answer.pk]}
    if answer.pk in dont_know:
        return {
            "level": Answer.Level.DONT_KNOW,
            "evidence": DONT_KNOW_EVIDENCE,
            "priority": Answer.Priority.MEDIUM,
            "responsible_agency": agency,
        }
    level = int(rng.choices("01234", weights=[1, 2, 3, 3, 2])[0])
    target = max(level, 3 if rng.random() < 0.25 else 4)
    values: dict[str, Any] = {
        "level": str(level),
        "target": target,
        "priority": _priority(target - level, rng),
        "responsible_agency": agency,
        "evidence": rng.choice(EVIDENCE.get(order, EVIDENCE[2])) if level else "",
    }
    if target > level and rng.random() < 0.7:
        values["planned_action"] = rng.choice(ACTIONS).format(item=answer.area.name.lower())
        values["target_date"] = _quarter_end(rng, 2025, 2026)
    return values


def _revision(answer: Answer, rng: random.Random, agencies: dict[str, Agency]) -> dict[str, Any]:
    """What a team changes in the new cycle: a step of progress, or a new look at the data."""
    if not answer.level.isdigit():  # a data gap of the last cycle, now filled
        return {"level": "1", "evidence": "Survey results received from the statistics office."}
    level = min(int(answer.level) + 1, 4)
    if answer.understanding_id:
        return {"level": str(level), "evidence": "National Migration Policy review 2025"}
    order = answer.section.order
    values: dict[str, Any] = {
        "level": str(level),
        "priority": _priority(answer.target - level, rng),
        "evidence": f"{rng.choice(EVIDENCE.get(order, EVIDENCE[2]))}; amended 2025",
    }
    if answer.target > level:
        values["planned_action"] = rng.choice(ACTIONS).format(item=answer.area.name.lower())
        values["target_date"] = _quarter_end(rng, 2027, 2028)
        values["responsible_agency"] = agencies[RESPONSIBLE.get(order, INTERIOR)]
    else:
        values["planned_action"] = ""
        values["target_date"] = None
    return values


def _priority(gap: int, rng: random.Random) -> str:
    if gap >= 2:
        return rng.choice([Answer.Priority.HIGH, Answer.Priority.HIGH, Answer.Priority.MEDIUM])
    if gap == 1:
        return rng.choice([Answer.Priority.MEDIUM, Answer.Priority.LOW])
    return rng.choice(["", Answer.Priority.LOW])


def _quarter_end(rng: random.Random, first_year: int, last_year: int) -> date:
    month, day = rng.choice(QUARTER_ENDS)
    return date(rng.randint(first_year, last_year), month, day)
