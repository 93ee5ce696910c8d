"""Public reference pages on the IAMM (no login)."""

from django.urls import path

from . import views

app_name = "iamm"

urlpatterns = [
    path("", views.home, name="home"),
]
