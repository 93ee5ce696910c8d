from django.contrib import admin
from django.urls import include, path

urlpatterns = [
    path("", include("iamm.reference_urls")),
    path("accounts/", include("django.contrib.auth.urls")),
    path("assessments/", include("assessments.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
