"""Everything under /assessments/, in the "assessments" namespace, one URL module per package."""

from django.urls import include, path

app_name = "assessments"

urlpatterns = [
    path("", include("assessments.questionnaire.urls")),
    # Team management (users and agencies of the coordinator's country).
    path("team/", include("assessments.accounts.urls")),
    # Reports, the blank questionnaire and the scoring method.
    path("", include("assessments.reports.urls")),
    # CSV, XLSX and JSON exports; the offline workbook.
    path("", include("assessments.exchange.urls")),
    # Regional exercises: sharing, the secretariat's view, the regional report.
    path("regional/", include("assessments.regional.urls")),
]
