"""Every URL in the URLconf, tried as every kind of person, with GET and POST.

The URLs are enumerated from the resolver, so a new view fails this test until its expected
answers are written into EXPECTED below: nothing is covered by accident, nothing is left out.

People: an anonymous visitor; Demoland's viewer, contributor and coordinator; the coordinator of
another country (Freedonia, here France); a staff administrator with no country; the secretariat
of a regional process Demoland belongs to (France does not).
"""

from __future__ import annotations

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver

from assessments.models import PdfRender, User
from assessments.questionnaire.part_c import part_c_include
from tests.helpers import (
    load_framework,
    make_agency,
    make_assessment,
    make_regional_process,
    make_user,
)
from tests.regional.helpers import make_exercise, make_secretariat

ROLES = ("anon", "viewer", "contributor", "coordinator", "other", "staff", "secretariat")

# Values for each URL parameter: Demoland's objects, which only Demoland's team may reach.
PARAMS = {
    "pk": lambda w: w["assessment"].pk,
    "order": lambda w: 1,
    "answer_id": lambda w: w["assessment"].answers.order_by("pk").first().pk,
    "fmt": lambda w: "csv",
    "code": lambda w: "iamm-2005",
    "number": lambda w: 1,
    "slug": lambda w: "midwa",
    "user_id": lambda w: w["viewer"].pk,
    "agency_id": lambda w: w["agency"].pk,
    "uidb64": lambda w: "MQ",
    "token": lambda w: "set-password",
    "render_id": lambda w: w["render"].pk,
    "pid": lambda w: 1,  # no participant: nobody here holds a practice assessment
    "exercise_id": lambda w: w["exercise"].pk,
    "report_format": lambda w: "json",
}


def _row(anon, viewer, contributor, coordinator, other, staff, secretariat=None):
    """A secretariat user has no country: unless said otherwise, it is answered as staff is."""
    if secretariat is None:
        secretariat = staff
    people = (anon, viewer, contributor, coordinator, other, staff, secretariat)
    return dict(zip(ROLES, people, strict=True))


def public(get=200, post=200):
    return {"GET": _row(*[get] * 6), "POST": _row(*[post] * 6)}


def signed_in(get=200, post=200):
    return {"GET": _row(302, *[get] * 5), "POST": _row(302, *[post] * 5)}


def _answers(statuses, outside):
    if statuses == NOT_ALLOWED:
        # The method is refused before anything else is looked at, whoever asks.
        return _row(*[405] * 6)
    return _row(302, *statuses, *outside)


def assessment(get, post):
    """Demoland's assessment: 404 for other countries and staff (who use the admin)."""
    return {"GET": _answers(get, (404, 404)), "POST": _answers(post, (404, 404))}


def team(get, post):
    """Coordinators manage their own country's team: viewers, contributors and staff without
    a country are refused; Demoland's users and agencies are 404 to another coordinator."""
    return {"GET": _answers(get, ()), "POST": _answers(post, ())}


def regional(members, secretariat, post):
    """A regional GET page: members are Demoland's viewer, contributor and coordinator;
    France and staff are outside the process (404)."""
    get = _row(302, *members, 404, 404, secretariat)
    return {"GET": get, "POST": _row(*[405] * 7) if post == NOT_ALLOWED else post}


def regional_post(members, secretariat):
    return {"GET": _row(*[405] * 7), "POST": _row(302, *members, 404, 404, secretariat)}


READ = (200, 200, 200)  # viewer, contributor, coordinator
NOT_ALLOWED = "405"
COORDINATOR_ONLY = (403, 403, 302)
# Team pages: viewer, contributor, coordinator, other country's coordinator, staff.
OWN_TEAM = (403, 403, 200, 200, 403)
DEMOLAND_MEMBER = (403, 403, 200, 404, 403)
DEMOLAND_ACTION = (403, 403, 302, 404, 403)
# An empty POST of a form: shown again with its errors (400).
OWN_TEAM_FORM = (403, 403, 400, 400, 403)
DEMOLAND_MEMBER_FORM = (403, 403, 400, 404, 403)

NO_WORKSHOP = _row(302, *[404] * 5)
EVERYONE = {status: _row(*[status] * 6) for status in (200, 400, 404, 405)}
TRAINING = {
    "training:workshop_list": {"GET": _row(302, *[403] * 5), "POST": EVERYONE[405]},
    "training:workshop_create": {"GET": _row(302, *[403] * 5), "POST": _row(302, *[403] * 5)},
    "training:workshop": {"GET": NO_WORKSHOP, "POST": EVERYONE[405]},
    "training:section_case": {"GET": NO_WORKSHOP, "POST": NO_WORKSHOP},
    "training:workshop_close": {"GET": EVERYONE[405], "POST": NO_WORKSHOP},
    "training:live": {"GET": NO_WORKSHOP, "POST": EVERYONE[405]},
    "training:debrief": {"GET": NO_WORKSHOP, "POST": EVERYONE[405]},
    "training:debrief_download": {"GET": NO_WORKSHOP, "POST": EVERYONE[405]},
    "training:join": {"GET": EVERYONE[200], "POST": EVERYONE[400]},
    "training:practice": {"GET": EVERYONE[404], "POST": EVERYONE[405]},
    "training:practice_section": {"GET": EVERYONE[404], "POST": EVERYONE[404]},
    "training:own_debrief": {"GET": EVERYONE[404], "POST": EVERYONE[405]},
    "training:own_debrief_download": {"GET": EVERYONE[404], "POST": EVERYONE[405]},
}

EXPECTED = {
    # Public reference pages and the scoring method.
    "iamm:home": public(),
    "iamm:current_understanding_list": public(),
    "iamm:current_understanding": public(),
    "iamm:current_heading_list": public(),
    "iamm:current_heading": public(),
    "iamm:understanding_list": public(),
    "iamm:understanding": public(),
    "iamm:heading_list": public(),
    "iamm:heading": public(),
    "iamm:current_gcm_list": public(),
    "iamm:gcm_list": public(),
    "iamm:current_sdg_list": public(),
    "iamm:sdg_list": public(),
    "iamm:regional_process_list": public(),
    "iamm:regional_process": public(),
    "assessments:scoring": public(post=405),
    "assessments:blank_pdf": public(post=405),
    "assessments:blank_xlsx": public(post=405),
    # Accounts. A signed-in user asking for the login page sees it again (Django's default).
    "login": public(post=200),
    "logout": {"GET": _row(*[405] * 6), "POST": _row(*[302] * 6)},
    "password_change": signed_in(get=200, post=200),
    "password_change_done": signed_in(post=405),
    "password_reset": public(post=200),
    "password_reset_done": public(post=405),
    "password_reset_confirm": public(),
    "password_reset_complete": public(post=405),
    "two_factor_setup": signed_in(get=200, post=400),
    "two_factor_verify": {"GET": _row(302, *[302] * 5), "POST": _row(302, *[302] * 5)},
    "set_language": public(get=302, post=302),
    # The dashboard lists the user's own country's assessments (an empty list for staff).
    # The secretariat's dashboard is its process's list of exercises.
    "assessments:dashboard": {
        "GET": _row(302, 200, 200, 200, 200, 200, 302),
        "POST": _row(302, 200, 200, 200, 200, 200, 302),
    },
    "assessments:create": {
        "GET": _row(302, 403, 403, 200, 200, 403),
        "POST": _row(302, 403, 403, 200, 200, 403),
    },
    # One assessment of Demoland.
    "assessments:task_list": assessment(READ, READ),
    "assessments:check": assessment(READ, READ),
    "assessments:section": assessment((403, 200, 200), (403, 400, 400)),
    "assessments:section_check": assessment(READ, (403, 400, 400)),
    "assessments:answer": assessment(READ, (403, 400, 400)),
    # Part C (included here): the viewer is sent to the read-only page; an empty POST saves
    # nothing. The coordinator alone includes or removes it (here removed by the empty POST:
    # it has no answers, so there is nothing to confirm).
    "assessments:part_c": assessment((302, 200, 200), (403, 302, 302)),
    "assessments:part_c_check": assessment(READ, NOT_ALLOWED),
    "assessments:part_c_include": assessment(NOT_ALLOWED, COORDINATOR_ONLY),
    "assessments:part_c_remove": assessment((403, 403, 200), COORDINATOR_ONLY),
    "assessments:assign": assessment((403, 403, 200), COORDINATOR_ONLY),
    "assessments:submit": assessment(NOT_ALLOWED, COORDINATOR_ONLY),
    "assessments:send_back": assessment(NOT_ALLOWED, COORDINATOR_ONLY),
    # GET asks for confirmation (here a draft: sent back to the task list), POST validates.
    "assessments:validate": assessment(COORDINATOR_ONLY, COORDINATOR_ONLY),
    "assessments:next_cycle": assessment(NOT_ALLOWED, COORDINATOR_ONLY),
    "assessments:report": assessment(READ, NOT_ALLOWED),
    "assessments:report_pdf": assessment(READ, NOT_ALLOWED),
    "assessments:report_summary_pdf": assessment(READ, NOT_ALLOWED),
    "assessments:report_pdf_status": assessment(READ, NOT_ALLOWED),
    "assessments:report_pdf_download": assessment(READ, NOT_ALLOWED),
    # Trying a failed render again is open to whoever may download it (here it is ready: a
    # no-op that shows its state).
    "assessments:report_pdf_retry": assessment(NOT_ALLOWED, (302, 302, 302)),
    "assessments:export": assessment(READ, NOT_ALLOWED),
    # The offline workbook: for those who may answer. An empty upload is refused (400); the
    # preview of an upload that is not in the person's session is 404.
    "assessments:workbook_download": assessment((403, 200, 200), NOT_ALLOWED),
    "assessments:workbook_upload": assessment((403, 200, 200), (403, 400, 400)),
    "assessments:workbook_preview": assessment((403, 404, 404), (403, 404, 404)),
    # Team management: the coordinator of another country has a team page of their own, but
    # Demoland's users and agencies are 404 to them.
    "assessments:team": team(OWN_TEAM, OWN_TEAM),
    "assessments:user_create": team(OWN_TEAM, OWN_TEAM_FORM),
    "assessments:user_edit": team(DEMOLAND_MEMBER, DEMOLAND_MEMBER_FORM),
    "assessments:user_deactivate": team(DEMOLAND_MEMBER, DEMOLAND_ACTION),
    "assessments:user_reactivate": team(NOT_ALLOWED, DEMOLAND_ACTION),
    "assessments:user_invite": team(NOT_ALLOWED, DEMOLAND_ACTION),
    "assessments:agencies": team(OWN_TEAM, OWN_TEAM),
    "assessments:agency_create": team(OWN_TEAM, OWN_TEAM_FORM),
    "assessments:agency_edit": team(DEMOLAND_MEMBER, DEMOLAND_MEMBER_FORM),
    "assessments:agency_deactivate": team(DEMOLAND_MEMBER, DEMOLAND_ACTION),
    "assessments:agency_reactivate": team(NOT_ALLOWED, DEMOLAND_ACTION),
    # Training workshops: nobody here is a facilitator or a participant. Workshop pages answer
    # 404 to anyone who does not run the workshop; a practice assessment 404 to anyone whose
    # session does not hold its token. Joining is public.
    **TRAINING,
    # Regional exercises: Demoland is a member of the process, France is not; staff use the
    # admin. Viewers and contributors of a member State read nothing of the exercise.
    "assessments:regional_list": {
        "GET": _row(302, 200, 200, 200, 200, 200, 200),
        "POST": _row(*[405] * 7),
    },
    "assessments:regional_exercise": regional((403, 403, 403), 200, NOT_ALLOWED),
    "assessments:regional_share": {
        "GET": _row(302, 403, 403, 200, 404, 404, 403),
        "POST": _row(302, 403, 403, 400, 404, 404, 403),
    },
    # Demoland has shared nothing: there is no share to withdraw.
    "assessments:regional_withdraw": regional_post((403, 403, 404), 403),
    "assessments:regional_release": regional_post((403, 403, 403), 302),
    # The report: the secretariat, and the coordinators of States that share (none here).
    "assessments:regional_report": regional((403, 403, 403), 200, NOT_ALLOWED),
    "assessments:regional_report_file": regional((403, 403, 403), 200, NOT_ALLOWED),
}


def url_patterns(resolver=None, prefix="", namespace=""):
    """(name, route) for every named URL outside the admin, from the live URLconf."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        if isinstance(entry, URLResolver):
            if entry.app_name == "admin":
                continue
            ns = entry.namespace or namespace
            yield from url_patterns(entry, prefix + str(entry.pattern), ns)
        elif isinstance(entry, URLPattern) and entry.name:
            name = f"{namespace}:{entry.name}" if namespace else entry.name
            yield name, prefix + str(entry.pattern)


def concrete(route: str, world: dict) -> str:
    import re

    def fill(match: re.Match) -> str:
        return str(PARAMS[match.group(2)](world))

    path = re.sub(r"<(?:(\w+):)?(\w+)>", lambda m: fill(m), route)
    return "/" + path


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    load_framework()
    from django.core.management import call_command

    call_command("loaddata", "regional_processes", "lenses", verbosity=0)
    agency = make_agency()
    people = {
        "viewer": make_user("viewer", role=User.Role.VIEWER),
        "contributor": make_user("contributor", role=User.Role.CONTRIBUTOR, agency=agency),
        "coordinator": make_user("coordinator", role=User.Role.COORDINATOR),
        "other": make_user("other", country="FR", role=User.Role.COORDINATOR),
        "staff": make_user("staff", country="", role=User.Role.VIEWER, is_staff=True),
    }
    make_user("second-coordinator", role=User.Role.COORDINATOR)
    assessment = make_assessment(created_by=people["coordinator"])
    part_c_include(assessment=assessment)
    render = PdfRender.objects.create(
        key="authorization-matrix",
        kind=PdfRender.Kind.REPORT,
        assessment=assessment,
        framework_version=assessment.framework_version,
        language="es",  # not replaced by the English PDF that report_pdf renders here
        state=PdfRender.State.READY,
        file=default_storage.save("reports/matrix.pdf", ContentFile(b"%PDF-1.4 matrix")),
    )
    process = make_regional_process("test-rcp", members={"QZ": "Demoland", "DE": "Germany"})
    people["secretariat"] = make_secretariat(process)
    return {
        **people,
        "agency": agency,
        "assessment": assessment,
        "render": render,
        "exercise": make_exercise(process, load_framework()),
    }


def client_for(world: dict, role: str) -> Client:
    client = Client(raise_request_exception=False)
    if role != "anon":
        client.force_login(world[role])
    return client


def test_every_url_has_an_expected_answer():
    names = {name for name, _route in url_patterns()}
    assert names - EXPECTED.keys() == set(), "new URLs: write their expected answers"
    assert EXPECTED.keys() - names == set(), "expected answers for URLs that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_each_url_answers_each_person_as_expected(world, role):
    mismatches = []
    for name, route in sorted(url_patterns()):
        url = concrete(route, world)
        for method in ("GET", "POST"):
            # A fresh session each time: some answers (sign-out) change the session.
            client = client_for(world, role)
            response = client.get(url) if method == "GET" else client.post(url, {})
            expected = EXPECTED[name][method][role]
            if response.status_code != expected:
                mismatches.append(
                    f"{method} {url} ({name}): {response.status_code}, expected {expected}"
                )
            elif role == "anon" and expected == 302 and name.startswith("assessments:"):
                assert response.url.startswith("/accounts/login/"), url
    assert not mismatches, "\n".join(mismatches)


def test_the_admin_is_for_staff_only(world):
    for role in ("viewer", "contributor", "coordinator", "other"):
        response = client_for(world, role).get("/admin/")
        assert response.status_code == 302
        assert response.url.startswith("/admin/login/")
    admin = world["staff"]
    admin.is_superuser = True
    admin.save()
    assert client_for(world, "staff").get("/admin/").status_code == 200


def test_no_url_answers_a_method_the_site_does_not_use(world):
    # PUT, PATCH and DELETE got the page as a GET from the views that read GET and POST.
    answered = []
    for name, route in sorted(url_patterns()):
        url = concrete(route, world)
        for method in ("put", "patch", "delete"):
            response = getattr(client_for(world, "coordinator"), method)(url)
            if response.status_code not in (405, 404):
                answered.append(f"{method.upper()} {url} ({name}): {response.status_code}")
    assert not answered, "\n".join(answered)
