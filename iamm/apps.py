from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.db.models.signals import pre_save
from django.utils.translation import gettext_lazy as _


class IammConfig(AppConfig):
    name = "iamm"
    verbose_name = _("IAMM framework")
    default = True

    def ready(self) -> None:
        from .freeze import check_raw_save

        # One receiver for every model: it ignores all but raw saves of framework content.
        pre_save.connect(check_raw_save, dispatch_uid="iamm.freeze.check_raw_save")


class IammAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the sidebar grouped for editors (see iamm/admin_site.py)."""

    default = False
    default_site = "iamm.admin_site.IammAdminSite"
