"""Exports of an assessment's answers (under /assessments/)."""

from django.urls import path

from . import views

urlpatterns = [
    path("<int:pk>/export.<str:fmt>", views.export, name="export"),
]
