"""Reports, the blank questionnaire and the scoring method (under /assessments/)."""

from django.urls import path

from ..models import PdfRender
from . import views

urlpatterns = [
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path(
        "<int:pk>/report-summary.pdf",
        views.report_pdf,
        {"kind": PdfRender.Kind.SUMMARY},
        name="report_summary_pdf",
    ),
    path("<int:pk>/report/pdf/<int:render_id>/", views.report_pdf_status, name="report_pdf_status"),
    path(
        "<int:pk>/report/pdf/<int:render_id>/download",
        views.report_pdf_download,
        name="report_pdf_download",
    ),
    path(
        "<int:pk>/report/pdf/<int:render_id>/retry",
        views.report_pdf_retry,
        name="report_pdf_retry",
    ),
    path("blank/<slug:code>.pdf", views.blank_pdf, name="blank_pdf"),
    path("scoring/", views.scoring_method, name="scoring"),
]
