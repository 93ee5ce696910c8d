"""Exports of an assessment's answers and the offline workbook (under /assessments/)."""

from django.urls import path

from . import views, workbook_views

urlpatterns = [
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
    path("<int:pk>/workbook.xlsx", workbook_views.workbook_download, name="workbook_download"),
    path("<int:pk>/workbook/", workbook_views.workbook_upload, name="workbook_upload"),
    path(
        "<int:pk>/workbook/<str:token>/",
        workbook_views.workbook_preview,
        name="workbook_preview",
    ),
    path("blank/<slug:code>.xlsx", workbook_views.workbook_blank, name="blank_xlsx"),
]
