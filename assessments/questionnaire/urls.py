from django.urls import path

from . import part_c_views, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("new/", views.assessment_create, name="create"),
    path("<int:pk>/", views.task_list, name="task_list"),
    path("<int:pk>/sections/<int:order>/", views.section_edit, name="section"),
    path("<int:pk>/sections/<int:order>/check/", views.section_check, name="section_check"),
    path("<int:pk>/check/", views.assessment_check, name="check"),
    path("<int:pk>/assign/", views.assign, name="assign"),
    path("<int:pk>/submit/", views.assessment_submit, name="submit"),
    path("<int:pk>/send-back/", views.assessment_send_back, name="send_back"),
    path("<int:pk>/validate/", views.assessment_validate, name="validate"),
    path("<int:pk>/next-cycle/", views.next_cycle, name="next_cycle"),
    path("<int:pk>/answers/<int:answer_id>/", views.answer_detail, name="answer"),
    # Part C, SDG indicator 10.7.2 (optional).
    path("<int:pk>/part-c/", part_c_views.part_c_edit, name="part_c"),
    path("<int:pk>/part-c/check/", part_c_views.part_c_check, name="part_c_check"),
    path("<int:pk>/part-c/include/", part_c_views.part_c_include, name="part_c_include"),
    path("<int:pk>/part-c/remove/", part_c_views.part_c_remove, name="part_c_remove"),
]
