from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IammConfig(AppConfig):
    name = "iamm"
    verbose_name = _("IAMM framework")
