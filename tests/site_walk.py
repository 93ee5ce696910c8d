"""Walk the pages a person can open, as they would: from the dashboard, following links.

Shared by the tests that must hold on *every* page rather than on the pages someone thought of:
forms that save back unchanged, comments and history within reach, numbers in attributes never
localized. Plain helpers over the test client and `tests.html_forms`, and the country team they
walk as: Alice coordinates Demoland; Bob contributes for the Ministry of the Interior, which has
heading 1; heading 2 belongs to the Ministry of Labour; Carol only reads.
"""

from __future__ import annotations

import datetime
import json
from collections import Counter
from typing import Any

from django.conf import settings
from django.test import Client
from django.urls import reverse

from assessments.models import Agency, Answer, AnswerChange, Assessment, Comment, Section, User
from tests.assessments.test_reports import answer_all
from tests.helpers import make_agency, make_assessment, make_framework, make_user
from tests.html_forms import Page, read_page

# Downloads are files, not pages; following "sign out" would end the walk.
NOT_PAGES = (".pdf", ".csv", ".xlsx", ".json")


def client_in(user: User, language: str) -> Client:
    client = Client()
    client.force_login(user)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = language
    return client


def walk(client: Client, *, start: str | None = None, limit: int = 400) -> dict[str, Page]:
    """Every page under /assessments/ reachable by links from `start` (the dashboard), by path.
    Pages that do not answer 200 with HTML are left out."""
    start = start or reverse("assessments:dashboard")
    pages: dict[str, Page] = {}
    seen: set[str] = set()
    queue = [start]
    while queue and len(seen) < limit:
        path = queue.pop(0)
        if path in seen or not path.startswith("/assessments/") or path.endswith(NOT_PAGES):
            continue
        seen.add(path)
        response = client.get(path)
        if response.status_code != 200 or "html" not in response.get("Content-Type", ""):
            continue
        page = read_page(path, response.content.decode())
        pages[path] = page
        queue.extend(link for link in page.local_links() if link not in seen)
    return pages


# The country team -------------------------------------------------------------------------------

ACTION_DATE = datetime.date(2028, 6, 30)
MULTI_LINE = "Loi n° 12/2021 « asile »\nDécret 2022-5, art. 3"

FILLED: dict[str, dict[str, Any]] = {
    "CU1": {"level": "4", "evidence": MULTI_LINE},
    "CU2": {"level": "2", "evidence": "Politique 2021"},
    "CU3": {"level": "dk"},
    "1.1": {
        "level": "1",
        "target": 3,
        "priority": "high",
        "evidence": MULTI_LINE,
        "planned_action": "Adopter le décret\nPublier la circulaire",
        "target_date": ACTION_DATE,
    },
    "1.2": {"level": "na", "na_justification": "Pas de frontière terrestre.\nAucune."},
    "2.1": {"level": "3", "target": 4, "priority": "low", "target_date": datetime.date(2027, 1, 2)},
    "2.2": {"level": "dk", "priority": "medium", "planned_action": "Trouver les chiffres"},
}


def country_team() -> dict[str, Any]:
    interior = make_agency("QZ", "Ministère de l'Intérieur")
    labour = make_agency("QZ", "Ministry of Labour")
    alice = make_user("alice", role=User.Role.COORDINATOR, first_name="Alice", last_name="Dupré")
    return {
        "alice": alice,
        "bob": make_user("bob", agency=interior, first_name="Bob", last_name="Núñez"),
        "carol": make_user("carol", role=User.Role.VIEWER),
        "interior": interior,
        "labour": labour,
    }


def filled_assessment(team: dict[str, Any], *, status: str = Assessment.Status.DRAFT) -> Assessment:
    """Every field of every item filled in, heading 1 assigned to Bob's agency, heading 2 to
    the Ministry of Labour, every section completed; then moved to `status`."""
    assessment = make_assessment(
        framework_version=make_framework("round-trip"),
        created_by=team["alice"],
        agencies=[team["interior"], team["labour"]],
    )
    values = {code: dict(fields) for code, fields in FILLED.items()}
    for code in ("1.1", "2.1"):
        values[code]["responsible_agency"] = team["interior" if code == "1.1" else "labour"]
    answer_all(assessment, team["alice"], values)
    sections = assessment.sections
    sections.filter(order=1).update(agency=team["interior"])
    sections.filter(order=2).update(agency=team["labour"])
    sections.update(status=Section.Status.COMPLETED)
    Assessment.objects.filter(pk=assessment.pk).update(status=status)
    return assessment


# What a save could change ----------------------------------------------------------------------

SNAPSHOT_MODELS = (Answer, Section, Assessment, Agency, User)
IGNORED = {User: {"last_login"}}


def snapshot() -> dict[str, Any]:
    """Every stored row that a form can change, and the size of the history."""
    state: dict[str, Any] = {}
    for model in SNAPSHOT_MODELS:
        rows = {}
        for row in model.objects.values():
            for name in IGNORED.get(model, ()):
                row.pop(name, None)
            rows[row["id"]] = row
        state[model.__name__] = rows
    state["history"] = Counter(
        (answer, json.dumps(changes, sort_keys=True))
        for answer, changes in AnswerChange.objects.values_list("answer_id", "changes")
    )
    state["comments"] = Comment.objects.count()
    return state


def changes_between(before: dict[str, Any], after: dict[str, Any]) -> list[str]:
    """What changed in the rows that existed before (new rows, such as a created assessment,
    are not changes to existing data)."""
    found = []
    for model in SNAPSHOT_MODELS:
        name = model.__name__
        for pk, row in before[name].items():
            now = after[name].get(pk)
            if now is None:
                found.append(f"{name} {pk} deleted")
                continue
            for field, value in row.items():
                if now[field] != value:
                    found.append(f"{name} {pk}: {field} {value!r} -> {now[field]!r}")
    old_answers = set(before["Answer"])
    new_history = after["history"] - before["history"]
    found += [f"history of answer {a}: {c}" for a, c in new_history if a in old_answers]
    if after["comments"] != before["comments"]:
        found.append("a comment was added")
    return found
