"""Reports, exports, the blank questionnaire and the scoring method (under /assessments/)."""

from django.urls import path

from . import report_views

urlpatterns = [
    path("<int:pk>/report/", report_views.report, name="report"),
    path("<int:pk>/report.pdf", report_views.report_pdf, name="report_pdf"),
    path("<int:pk>/export.<str:fmt>", report_views.export, name="export"),
    path("blank/<slug:code>.pdf", report_views.workbook_pdf, name="workbook"),
    path("scoring/", report_views.scoring_method, name="scoring"),
]
