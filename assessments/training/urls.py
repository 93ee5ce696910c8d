"""Training workshops (under /workshops/): the facilitator's pages and the participants'."""

from django.urls import path

from . import views

app_name = "training"

urlpatterns = [
    path("", views.workshop_list, name="workshop_list"),
    path("new/", views.workshop_create, name="workshop_create"),
    path("<int:pk>/", views.workshop_detail, name="workshop"),
    path("<int:pk>/sections/<int:order>/case/", views.section_case, name="section_case"),
    path("<int:pk>/close/", views.workshop_close, name="workshop_close"),
    path("<int:pk>/live/", views.live, name="live"),
    path("<int:pk>/debrief/", views.debrief, name="debrief"),
    path("<int:pk>/debrief.<str:fmt>", views.debrief, name="debrief_download"),
    path("join/", views.join, name="join"),
    path("practice/<int:pid>/", views.practice, name="practice"),
    path(
        "practice/<int:pid>/sections/<int:order>/", views.practice_section, name="practice_section"
    ),
    path("practice/<int:pid>/debrief/", views.own_debrief, name="own_debrief"),
    path("practice/<int:pid>/debrief.<str:fmt>", views.own_debrief, name="own_debrief_download"),
]
