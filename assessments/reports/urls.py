"""Reports, the blank questionnaire and the scoring method (under /assessments/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/report/", views.report, name="report"),
    path("<int:pk>/report.pdf", views.report_pdf, name="report_pdf"),
    path("blank/<slug:code>.pdf", views.blank_pdf, name="blank_pdf"),
    path("scoring/", views.scoring_method, name="scoring"),
]
