"""Workshop views: the facilitator's (signed in, their own workshops only) and the
participants' (no account: a secret token in their session names their practice assessment).

Each view opens with one fetch that applies the access rule (`access.get_workshop`,
`_participant`), then does one thing.
"""

from __future__ import annotations

import math

import segno
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from assessments import access
from assessments.accounts import audit
from assessments.models import Participant, Workshop
from assessments.reports.html import report_language
from assessments.web import attachment, pdf_attachment, posted

from . import report, selectors, services
from .forms import CaseTextForm, JoinForm, WorkshopForm, item_forms

SESSION_KEY = "training_participants"  # {participant id: token}
LIVE_REFRESH_SECONDS = 30


def _facilitator(request: HttpRequest) -> None:
    if not access.is_facilitator(request.user):
        raise PermissionDenied


def _participant(request: HttpRequest, pk: int) -> Participant:
    tokens = request.session.get(SESSION_KEY, {})
    return access.get_participant(tokens.get(str(pk)), pk)


# Facilitator -----------------------------------------------------------------------------------


@require_GET
@login_required
def workshop_list(request: HttpRequest) -> HttpResponse:
    _facilitator(request)
    workshops = Workshop.objects.run_by(request.user).prefetch_related("participants")
    return render(request, "training/workshop_list.html", {"workshops": workshops})


@require_http_methods(["GET", "POST"])
@login_required
def workshop_create(request: HttpRequest) -> HttpResponse:
    _facilitator(request)
    form = WorkshopForm(posted(request), initial={"language": report_language(None)})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        workshop = services.workshop_create(
            facilitator=request.user,
            title=data["title"],
            starts_on=data["starts_on"],
            ends_on=data["ends_on"],
            language=data["language"],
            framework_version=data["framework_version"],
            regional_process=data["regional_process"],
            part_a=data["part_a"],
            headings=data["heading_objects"],
        )
        messages.success(request, _("Workshop created. Add a case text to each section."))
        return redirect(workshop)
    status = 400 if form.errors else 200
    return render(request, "training/workshop_form.html", {"form": form}, status=status)


@require_GET
@login_required
def workshop_detail(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = access.get_workshop(request.user, pk)
    # Phones in the room scan the code on the projector: the join page with the code filled in.
    join_url = request.build_absolute_uri(f"{reverse('training:join')}?code={workshop.code}")
    qr = segno.make(join_url, error="m")
    ctx = {
        "workshop": workshop,
        "sections": workshop.sections.select_related("heading"),
        "participants": selectors.participants(workshop=workshop),
        "join_url": join_url,
        "qr_svg": qr.svg_inline(scale=4, dark="#0b0c0c", light="#ffffff"),
    }
    return render(request, "training/workshop_detail.html", ctx)


@require_http_methods(["GET", "POST"])
@login_required
def section_case(request: HttpRequest, pk: int, order: int) -> HttpResponse:
    workshop = access.get_workshop(request.user, pk)
    section = get_object_or_404(workshop.sections.select_related("heading"), order=order)
    form = CaseTextForm(posted(request), instance=section)
    if request.method == "POST" and form.is_valid():
        services.workshop_section_set_case(
            section=section, case_text=form.cleaned_data["case_text"]
        )
        messages.success(request, _("Case text saved."))
        return redirect(workshop)
    ctx = {"workshop": workshop, "section": section, "form": form}
    return render(request, "training/section_case.html", ctx)


@require_POST
@login_required
def workshop_close(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = access.get_workshop(request.user, pk)
    services.workshop_close(workshop=workshop)
    messages.success(request, _("The workshop is closed: its code no longer works."))
    return redirect(workshop)


@require_GET
@login_required
def live(request: HttpRequest, pk: int) -> HttpResponse:
    workshop = access.get_workshop(request.user, pk)
    data = report.build_debrief(workshop, language=request.LANGUAGE_CODE)
    rows = [
        (row, report.dot_plot(row.distribution)) for row in selectors.by_disagreement(data.rows)
    ]
    # The page refreshes itself without JavaScript (a meta refresh), but only once the
    # facilitator asks for it: a page that reloads on its own unasked fails WCAG 2.2.1.
    refresh = LIVE_REFRESH_SECONDS if request.GET.get("refresh") == "on" else None
    ctx = {"workshop": workshop, "debrief": data, "rows": rows, "refresh": refresh}
    response = render(request, "training/live.html", ctx)
    response["Cache-Control"] = "private, no-cache"
    return response


@require_GET
@login_required
def debrief(request: HttpRequest, pk: int, fmt: str = "html") -> HttpResponse:
    workshop = access.get_workshop(request.user, pk)
    data = report.build_debrief(workshop, language=request.GET.get("lang"))
    if fmt == "pdf":
        filename = report.debrief_filename(data, "pdf")
        return pdf_attachment(request, lambda: report.debrief_pdf(data), filename)
    if fmt == "json":
        content = report.debrief_json(data)
        return attachment(content, "application/json", report.debrief_filename(data, "json"))
    if fmt != "html":
        raise Http404
    ctx = {"debrief": data, "languages": settings.LANGUAGES}
    return render(request, "training/debrief_page.html", ctx)


# Participants ----------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def join(request: HttpRequest) -> HttpResponse:
    form = JoinForm(posted(request), initial={"code": request.GET.get("code", "")})
    # Behind a proxy, every participant shares the proxy's address (CLIENT_IP_HEADER).
    address = audit.client_ip(request) or ""
    if request.method == "POST" and form.is_valid():
        if not services.join_allowed(address=address):
            minutes = math.ceil(settings.WORKSHOP_JOIN_WINDOW_SECONDS / 60)
            wait = ngettext(
                "Too many wrong codes from this network. Wait %(minutes)s minute.",
                "Too many wrong codes from this network. Wait %(minutes)s minutes.",
                minutes,
            )
            form.add_error("code", wait % {"minutes": minutes})
            return render(request, "training/join.html", {"form": form}, status=429)
        workshop = Workshop.objects.filter(code=form.cleaned_data["code"]).first()
        if workshop is None or not workshop.is_open:
            services.join_failure_record(address=address)
            form.add_error("code", _("Check the workshop code: it is wrong or the workshop ended"))
        else:
            participant, token = services.participant_join(
                workshop=workshop,
                display_name=form.cleaned_data["display_name"],
                show_name=form.cleaned_data["show_name"],
            )
            tokens = request.session.get(SESSION_KEY, {})
            request.session[SESSION_KEY] = {**tokens, str(participant.pk): token}
            return redirect("training:practice", participant.pk)
    return render(request, "training/join.html", {"form": form}, status=400 if form.errors else 200)


@require_GET
def practice(request: HttpRequest, pid: int) -> HttpResponse:
    participant = _participant(request, pid)
    sections = selectors.answered_per_section(participant=participant)
    ctx = {"participant": participant, "workshop": participant.workshop, "sections": sections}
    return render(request, "training/practice.html", ctx)


@require_http_methods(["GET", "POST"])
def practice_section(request: HttpRequest, pid: int, order: int) -> HttpResponse:
    participant = _participant(request, pid)
    entry = selectors.section_in_scope(workshop=participant.workshop, order=order)
    if entry is None:
        raise Http404
    answers = selectors.participant_answers(participant=participant)
    forms = item_forms(entry.items, answers, posted(request))
    if request.method == "POST" and all(f.is_valid() for f in forms):
        try:
            services.practice_section_save(
                participant=participant,
                section=entry,
                answers={f.item.key: f.cleaned_data for f in forms},
            )
        except services.WorkshopClosed:
            messages.error(request, _("The workshop is closed: answers can no longer change."))
        else:
            messages.success(request, _("Your answers are saved."))
        return redirect("training:practice", participant.pk)
    errors = [
        (f, name, error) for f in forms for name, errors in f.errors.items() for error in errors
    ]
    ctx = {
        "participant": participant,
        "workshop": participant.workshop,
        "entry": entry,
        "forms": forms,
        "errors": errors,
    }
    return render(request, "training/practice_section.html", ctx, status=400 if errors else 200)


@require_GET
def own_debrief(request: HttpRequest, pid: int, fmt: str = "html") -> HttpResponse:
    participant = _participant(request, pid)
    data = report.build_own_debrief(participant, language=request.LANGUAGE_CODE)
    if fmt == "pdf":
        day = participant.workshop.starts_on.isoformat()
        filename = f"iamm-practice-my-debrief-{day}-{request.LANGUAGE_CODE}.pdf"
        return pdf_attachment(request, lambda: report.own_debrief_pdf(data), filename)
    if fmt != "html":
        raise Http404
    return render(
        request, "training/own_debrief_page.html", {"debrief": data, "participant": participant}
    )
