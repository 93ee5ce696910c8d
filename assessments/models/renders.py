"""PDF renders: one row per PDF someone asked for, keyed by everything the file depends on."""

from __future__ import annotations

from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from iamm.models import FrameworkVersion

from .assessment import Assessment

# A render that has not finished after this long was lost with its worker (killed, out of
# memory, machine restarted): the next request queues it again.
STALE_AFTER = timedelta(minutes=10)


class PdfRender(models.Model):
    """One PDF someone asked for (a report at one revision, or a blank questionnaire) and how
    far its render has got. Rendered by a task worker, stored in the default storage."""

    class Kind(models.TextChoices):
        REPORT = "report", _("Full report")
        SUMMARY = "summary", _("Summary report")
        BLANK = "blank", _("Blank questionnaire")

    # The two editions of a report: a few pages for a minister, and everything for the team.
    REPORT_KINDS = (Kind.SUMMARY, Kind.REPORT)

    class State(models.TextChoices):
        QUEUED = "queued", _("Waiting for its turn")
        RENDERING = "rendering", _("Being prepared")
        READY = "ready", _("Ready")
        FAILED = "failed", _("Could not be prepared")

    # How `error` begins when the render was stopped at PDF_RENDER_SECONDS (reports.queue).
    TIMED_OUT = "RenderTimeout"

    # Everything the file depends on (assessments.reports.storage.report_key, blank_key): the same
    # key is the same PDF, rendered once however many ask.
    key = models.CharField(_("key"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices)
    assessment = models.ForeignKey(
        Assessment,
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="pdf_renders",
        verbose_name=_("assessment"),
    )
    framework_version = models.ForeignKey(
        FrameworkVersion,
        on_delete=models.CASCADE,
        related_name="+",
        verbose_name=_("framework version"),
    )
    revision = models.PositiveIntegerField(_("revision"), default=0)
    language = models.CharField(_("language"), max_length=8)
    format = models.CharField(_("format"), max_length=10, default="pdf")
    state = models.CharField(_("state"), max_length=10, choices=State.choices, default=State.QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    file = models.CharField(_("stored file"), max_length=255, blank=True)
    task_id = models.CharField(_("task"), max_length=64, blank=True)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("asked for at"), default=timezone.now)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["state", "created_at"])]
        verbose_name = _("PDF render")
        verbose_name_plural = _("PDF renders")

    def __str__(self) -> str:
        return self.key

    @property
    def is_report(self) -> bool:
        return self.kind in self.REPORT_KINDS

    @property
    def is_ready(self) -> bool:
        return self.state == self.State.READY

    @property
    def is_failed(self) -> bool:
        return self.state == self.State.FAILED

    @property
    def timed_out(self) -> bool:
        """Stopped at its time limit: the answers' text is too much for a PDF, not a fault."""
        return self.is_failed and self.error.startswith(self.TIMED_OUT)

    @property
    def in_progress(self) -> bool:
        return self.state in (self.State.QUEUED, self.State.RENDERING)

    def is_stale(self, now=None) -> bool:
        """Queued or rendering for so long that its worker must be gone."""
        since = self.started_at or self.created_at
        return self.in_progress and (now or timezone.now()) - since > STALE_AFTER

    def queued_ahead(self) -> int:
        """How many queued renders were asked for before this one."""
        if self.state != self.State.QUEUED:
            return 0
        return PdfRender.objects.filter(
            state=self.State.QUEUED, created_at__lt=self.created_at
        ).count()
