from __future__ import annotations

from django.urls import path

from . import views

# Included under the assessments namespace: "assessments:regional_…".
urlpatterns = [
    path("", views.exercise_list, name="regional_list"),
    path("<int:exercise_id>/", views.exercise_detail, name="regional_exercise"),
    path("<int:exercise_id>/share/", views.share, name="regional_share"),
    path("<int:exercise_id>/withdraw/", views.withdraw, name="regional_withdraw"),
    path("<int:exercise_id>/release/", views.release, name="regional_release"),
    path("<int:exercise_id>/report/", views.report_page, name="regional_report"),
    path(
        "<int:exercise_id>/report.<str:report_format>",
        views.report_download,
        name="regional_report_file",
    ),
]
