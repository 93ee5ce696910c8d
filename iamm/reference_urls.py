"""Public reference pages on the IAMM (no login)."""

from django.urls import path

from . import lens_views, views

app_name = "iamm"

urlpatterns = [
    path("", views.home, name="home"),
    # The newest published version, for links that must not go stale.
    path("understandings/", views.understanding_list, name="current_understanding_list"),
    path("understandings/<int:number>/", views.understanding_detail, name="current_understanding"),
    path("headings/", views.heading_list, name="current_heading_list"),
    path("headings/<int:number>/", views.heading_detail, name="current_heading"),
    path("gcm/", lens_views.gcm_objective_list, name="current_gcm_list"),
    path("sdg-10-7-2/", lens_views.sdg_domain_list, name="current_sdg_list"),
    # One named version.
    path(
        "framework/<slug:code>/understandings/",
        views.understanding_list,
        name="understanding_list",
    ),
    path(
        "framework/<slug:code>/understandings/<int:number>/",
        views.understanding_detail,
        name="understanding",
    ),
    path("framework/<slug:code>/headings/", views.heading_list, name="heading_list"),
    path("framework/<slug:code>/headings/<int:number>/", views.heading_detail, name="heading"),
    path("framework/<slug:code>/gcm/", lens_views.gcm_objective_list, name="gcm_list"),
    path("framework/<slug:code>/sdg-10-7-2/", lens_views.sdg_domain_list, name="sdg_list"),
    # Reference data.
    path("regional-processes/", views.regional_process_list, name="regional_process_list"),
    path(
        "regional-processes/<slug:slug>/",
        views.regional_process_detail,
        name="regional_process",
    ),
]
