from django.contrib import admin
from django.urls import include, path

from assessments.accounts import twofactor

urlpatterns = [
    path("", include("iamm.reference_urls")),
    path("accounts/two-factor/", twofactor.setup, name="two_factor_setup"),
    path("accounts/two-factor/verify/", twofactor.verify, name="two_factor_verify"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("assessments/", include("assessments.urls")),
    path("workshops/", include("assessments.training.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
]
