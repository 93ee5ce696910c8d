"""The admin site with its sidebar grouped by what editors do, not by Python package.

Django's admin lists apps alphabetically and has no setting for their order (checked for 6.1),
so the site regroups them: framework content first, then countries and regional processes, then
accounts and assessments; the technical records (login attempts, two-factor devices, security
events, the answer history) sit apart at the end. A model not named here keeps its app's group.
"""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

# (group label, [(app label, model name), ...]) in sidebar order.
GROUPS = [
    (
        _("Framework content"),
        [
            ("iamm", "frameworkversion"),
            ("iamm", "commonunderstanding"),
            ("iamm", "practiceheading"),
            ("iamm", "practicearea"),
            ("iamm", "practice"),
            ("iamm", "crosswalklink"),
        ],
    ),
    (
        _("Countries and regional processes"),
        [("iamm", "regionalprocess"), ("iamm", "membership"), ("assessments", "agency")],
    ),
    (_("Accounts"), [("assessments", "user"), ("auth", "group")]),
    (
        _("Assessments"),
        [("assessments", "assessment"), ("assessments", "section"), ("assessments", "answer")],
    ),
]
# Apps and models listed after every other group, under "Security records".
SECURITY_APPS = {"axes", "otp_totp", "otp_static", "otp_email", "django_otp"}
SECURITY_MODELS = {("assessments", "securityevent"), ("assessments", "answerchange")}


class IammAdminSite(admin.AdminSite):
    def get_app_list(self, request: HttpRequest, app_label: str | None = None) -> list[dict]:
        app_list = super().get_app_list(request, app_label)
        if app_label:
            return app_list  # one app's own page keeps Django's list
        return group_app_list(app_list)


def group_app_list(app_list: list[dict]) -> list[dict]:
    entries = {
        (app["app_label"], model["object_name"].lower()): (app, model)
        for app in app_list
        for model in app["models"]
    }
    grouped = []
    for label, keys in GROUPS:
        found = [entries.pop(key) for key in keys if key in entries]
        if found:
            grouped.append(_group(label, found))
    security = [
        entries.pop(key)
        for key in list(entries)
        if key[0] in SECURITY_APPS or key in SECURITY_MODELS
    ]
    by_app: dict[str, list] = {}
    for app, model in entries.values():  # anything else keeps its own app's group
        by_app.setdefault(app["app_label"], []).append((app, model))
    grouped += [_group(found[0][0]["name"], found) for found in by_app.values()]
    if security:
        grouped.append(_group(_("Security records"), security))
    return grouped


def _group(label, found: list[tuple[dict, dict]]) -> dict:
    first_app = found[0][0]
    return {
        **first_app,
        "name": label,
        # The sidebar marks the group of the page being viewed by this label.
        "app_label": first_app["app_label"],
        "models": [model for _app, model in found],
    }
