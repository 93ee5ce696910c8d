"""PDFs off the request path: a request names the PDF it wants by its key
(assessments.reports.storage), finds or creates its render record, and a task worker (Django's
tasks framework: the database queue, or Redis in production) renders and stores it. The
record's unique key makes the render happen once however many people ask at the same moment;
its state and progress are what the status pages show.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.tasks import task
from django.utils import timezone
from django.utils.translation import override

from iamm.models import FrameworkVersion

from ..models import Assessment, PdfRender
from . import pdf, storage
from .blank import build_blank, render_blank_document
from .data import build_report
from .html import render_report_document
from .limits import RenderTimeout, bytes_before, render_deadline

logger = logging.getLogger(__name__)


# Asking for a PDF ------------------------------------------------------------------------------


def report_render_request(
    *, assessment: Assessment, language: str, kind: str = PdfRender.Kind.REPORT
) -> PdfRender:
    """The render of the assessment's report (full or summary) as it is now, queued if nobody
    asked before."""
    return _request(
        key=storage.report_key(assessment, language, kind=kind),
        kind=kind,
        assessment=assessment,
        framework_version=assessment.framework_version,
        revision=assessment.revision,
        language=language,
    )


def blank_render_request(*, version: FrameworkVersion, language: str) -> PdfRender:
    return _request(
        key=storage.blank_key(version, language),
        kind=PdfRender.Kind.BLANK,
        framework_version=version,
        language=language,
    )


def blank_questionnaires_request(*, version: FrameworkVersion) -> list[PdfRender]:
    """Queue the version's blank questionnaire in every language (on publication)."""
    return [
        blank_render_request(version=version, language=code) for code, _name in settings.LANGUAGES
    ]


def report_renders_find(*, assessment: Assessment, language: str) -> list[PdfRender]:
    """The renders of the report's editions as it is now that anyone has asked for; queues
    nothing."""
    keys = [storage.report_key(assessment, language, kind=k) for k in PdfRender.REPORT_KINDS]
    return list(PdfRender.objects.filter(key__in=keys).order_by("kind"))


class RenderFailed(Exception):
    pass


def report_file(*, assessment: Assessment, language: str, kind: str = PdfRender.Kind.REPORT) -> str:
    """The stored report PDF's name, rendered in this process if no worker has yet (commands,
    `make bench`)."""
    return _rendered_now(report_render_request(assessment=assessment, language=language, kind=kind))


def blank_file(*, version: FrameworkVersion, language: str) -> str:
    return _rendered_now(blank_render_request(version=version, language=language))


def _rendered_now(render: PdfRender) -> str:
    if render.is_failed:
        render_retry(render=render)
    if render.state == PdfRender.State.QUEUED:
        render_pdf.call(render.pk)  # the worker that gets its task finds it done
        render.refresh_from_db()
    if not render.is_ready:
        raise RenderFailed(render.error or render.get_state_display())
    return render.file


def _request(*, key: str, **fields) -> PdfRender:
    render = PdfRender.objects.filter(key=key).first()
    if render is None and fields.get("assessment") is not None:
        render = _waiting_render_moved_on(key=key, **fields)
    if render is None:
        try:
            with transaction.atomic():
                render = PdfRender.objects.create(key=key, **fields)
        except IntegrityError:
            # Someone asked for the same PDF in the same instant: theirs is queued.
            return PdfRender.objects.get(key=key)
        _enqueue(render)
        render.refresh_from_db()  # an immediate backend has rendered it already
    elif render.is_stale():
        render_retry(render=render)
    return render


def _waiting_render_moved_on(*, key: str, **fields) -> PdfRender | None:
    """The render of an earlier revision of the same report that no worker has started yet,
    made the render of this one; None if there is none.

    A worker renders the assessment as it is when it starts, so that render would show the
    newer answers anyway; the people waiting for it keep their place and get a PDF that holds
    everything they saw. The queue so holds one waiting render per report however fast a team
    saves, instead of one per save, which a workshop's saves would pile up faster than
    workers render.
    """
    waiting = (
        PdfRender.objects.filter(
            state=PdfRender.State.QUEUED,
            kind=fields["kind"],
            assessment=fields["assessment"],
            language=fields["language"],
        )
        .order_by("-created_at")
        .first()
    )
    if waiting is None:
        return None
    try:
        with transaction.atomic():
            moved = PdfRender.objects.filter(pk=waiting.pk, state=PdfRender.State.QUEUED).update(
                key=key, revision=fields["revision"], framework_version=fields["framework_version"]
            )
    except IntegrityError:
        return None  # someone asked for this revision in the same instant: theirs is queued
    if not moved:
        return None  # a worker started it meanwhile: this revision needs a render of its own
    waiting.refresh_from_db()
    return waiting


def render_retry(*, render: PdfRender) -> None:
    """Queue a failed (or lost) render again."""
    updated = PdfRender.objects.filter(pk=render.pk, state=render.state).update(
        state=PdfRender.State.QUEUED,
        progress=0,
        error="",
        created_at=timezone.now(),
        started_at=None,
        finished_at=None,
    )
    if updated:
        _enqueue(render)
    render.refresh_from_db()


def _enqueue(render: PdfRender) -> None:
    try:
        result = render_pdf.enqueue(render.pk)
    except Exception as error:
        # The queue itself is down (e.g. Redis unreachable): say so instead of waiting forever.
        logger.exception("Could not queue PDF render %s", render.key)
        _fail(render, f"queue unavailable: {error}")
        return
    PdfRender.objects.filter(pk=render.pk, task_id="").update(task_id=str(result.id)[:64])


def _fail(render: PdfRender, error: str) -> None:
    PdfRender.objects.filter(pk=render.pk).update(
        state=PdfRender.State.FAILED, error=error[:2000], finished_at=timezone.now()
    )
    render.refresh_from_db()


# Rendering, in a worker ------------------------------------------------------------------------


@task()
def render_pdf(render_id: int) -> None:
    """Render one PDF record's file. Runs in a task worker; a second worker given the same
    record (a retried delivery) finds it claimed and does nothing."""
    claimed = PdfRender.objects.filter(pk=render_id, state=PdfRender.State.QUEUED).update(
        state=PdfRender.State.RENDERING, started_at=timezone.now(), progress=5
    )
    if not claimed:
        return
    render = PdfRender.objects.select_related(
        "assessment__framework_version", "framework_version"
    ).get(pk=render_id)
    try:
        name = default_storage.save(storage.file_name(render), ContentFile(_pdf_bytes(render)))
    except RenderTimeout:
        # A time bomb (issue 13): stopped, so that the PDFs queued behind it are not held up.
        logger.warning("PDF render %s stopped after %ss", render.key, settings.PDF_RENDER_SECONDS)
        _fail(render, f"{PdfRender.TIMED_OUT} after {settings.PDF_RENDER_SECONDS} s")
        return
    except Exception as error:
        logger.exception("PDF render %s failed", render.key)
        _fail(render, f"{type(error).__name__}: {error}")
        return
    PdfRender.objects.filter(pk=render.pk).update(
        state=PdfRender.State.READY, file=name, progress=100, finished_at=timezone.now()
    )
    _remove_older(render)


def _progress(render: PdfRender, percent: int) -> None:
    PdfRender.objects.filter(pk=render.pk).update(progress=percent)


def _pdf_bytes(render: PdfRender) -> bytes:
    with override(render.language):
        if render.is_report:
            summary = render.kind == PdfRender.Kind.SUMMARY
            html = render_report_document(build_report(render.assessment), summary=summary)
        else:
            html = render_blank_document(build_blank(render.framework_version))
    _progress(render, 25)
    # Laid out in a child process killed after PDF_RENDER_SECONDS (assessments.reports.limits);
    # the child cannot report its own progress, as it must not touch the database connection.
    return bytes_before(lambda: pdf.html_to_pdf(html), deadline=render_deadline())


def _remove_older(render: PdfRender) -> None:
    """Older finished renders of the same PDF (earlier revisions, layouts, translations) and
    their files: nobody is sent to them any more."""
    older = PdfRender.objects.filter(
        kind=render.kind,
        assessment=render.assessment_id,
        framework_version=render.framework_version_id,
        language=render.language,
        format=render.format,
        state__in=[PdfRender.State.READY, PdfRender.State.FAILED],
        created_at__lt=render.created_at,
    )
    for name in older.exclude(file="").values_list("file", flat=True):
        default_storage.delete(name)
    older.delete()
