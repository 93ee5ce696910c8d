"""Team management for coordinators, included at /assessments/team/ (namespace "assessments")."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.team, name="team"),
    path("users/new/", views.user_create, name="user_create"),
    path("users/<int:user_id>/", views.user_edit, name="user_edit"),
    path("users/<int:user_id>/deactivate/", views.user_deactivate, name="user_deactivate"),
    path("users/<int:user_id>/reactivate/", views.user_reactivate, name="user_reactivate"),
    path("users/<int:user_id>/invite/", views.user_invite, name="user_invite"),
    path("agencies/", views.agencies, name="agencies"),
    path("agencies/new/", views.agency_create, name="agency_create"),
    path("agencies/<int:agency_id>/", views.agency_edit, name="agency_edit"),
    path("agencies/<int:agency_id>/deactivate/", views.agency_deactivate, name="agency_deactivate"),
    path("agencies/<int:agency_id>/reactivate/", views.agency_reactivate, name="agency_reactivate"),
]
