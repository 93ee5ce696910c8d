"""Admin for staff: every country's accounts and agencies; assessments mostly read-only.

Answers are edited in the app, where every change is kept in the history and concurrent saves
are detected; the admin only shows them. A validated assessment is the official record: nothing
of it can be changed or deleted here.
"""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.contrib.auth.forms import AdminUserCreationForm, UserChangeForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from .models import (
    Agency,
    Answer,
    AnswerChange,
    Assessment,
    Comment,
    Section,
    SecurityEvent,
    User,
)


class _CountryAgencyMixin:
    """A user's agency must belong to the user's country."""

    def clean(self) -> dict[str, Any]:
        data = super().clean()
        agency, country = data.get("agency"), data.get("country")
        if agency is not None and agency.country != country:
            self.add_error("agency", _("Select an agency of the user's country"))
        return data


class UserChangeAdminForm(_CountryAgencyMixin, UserChangeForm):
    pass


class UserCreationAdminForm(_CountryAgencyMixin, AdminUserCreationForm):
    pass


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    form = UserChangeAdminForm
    add_form = UserCreationAdminForm
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        (_("Country and role"), {"fields": ("country", "agency", "role")}),
    )
    add_fieldsets = (
        *BaseUserAdmin.add_fieldsets,
        (_("Country and role"), {"fields": ("email", "country", "agency", "role")}),
    )
    list_display = (
        "username",
        "first_name",
        "last_name",
        "email",
        "country",
        "agency",
        "role",
        "is_active",
        "is_staff",
    )
    list_filter = ("role", "country", "is_active", "is_staff", "is_superuser")
    search_fields = ("username", "first_name", "last_name", "email", "agency__name")
    list_select_related = ("agency",)
    autocomplete_fields = ("agency",)


@admin.register(Agency)
class AgencyAdmin(admin.ModelAdmin):
    list_display = ("name", "short_name", "country", "is_active")
    list_filter = ("country", "is_active")
    search_fields = ("name", "short_name")


def _validated(obj: Any) -> bool:
    assessment = obj if isinstance(obj, Assessment) else getattr(obj, "assessment", None)
    return assessment is not None and assessment.is_validated


class _CreatedInTheApp(admin.ModelAdmin):
    """Rows created by the app's services, never from the admin."""

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Assessment)
class AssessmentAdmin(_CreatedInTheApp):
    list_display = ("title", "country", "cycle", "framework_version", "status", "updated_at")
    list_filter = ("status", "country", "cycle", "framework_version")
    search_fields = ("title",)
    list_select_related = ("framework_version",)
    date_hierarchy = "updated_at"
    # Status moves only through the workflow (submit, send back, validate) in the app.
    readonly_fields = (
        "country",
        "framework_version",
        "cycle",
        "status",
        "previous",
        "created_by",
        "created_at",
        "updated_at",
        "submitted_at",
        "validated_at",
        "validated_by",
        "revision",
    )
    fields = ("title", "agencies", *readonly_fields)
    filter_horizontal = ("agencies",)

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "agencies" in form.base_fields:
            form.base_fields["agencies"].queryset = Agency.objects.filter(country=obj.country)
        return form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _validated(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _validated(obj) and super().has_delete_permission(request, obj)


@admin.register(Section)
class SectionAdmin(_CreatedInTheApp):
    list_display = ("__str__", "assessment", "order", "agency", "status")
    list_filter = ("status", "assessment__country", "assessment__status")
    search_fields = ("assessment__title", "heading__title")
    list_select_related = ("assessment", "heading", "agency")
    readonly_fields = ("assessment", "heading", "order", "status")
    fields = ("assessment", "heading", "order", "agency", "status")

    def get_form(self, request: HttpRequest, obj: Any = None, change: bool = False, **kwargs: Any):
        form = super().get_form(request, obj, change, **kwargs)
        if obj is not None and "agency" in form.base_fields:
            countries = Agency.objects.filter(country=obj.assessment.country)
            form.base_fields["agency"].queryset = countries
        return form

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not _validated(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


class _ReadOnly(_CreatedInTheApp):
    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Answer)
class AnswerAdmin(_ReadOnly):
    list_display = (
        "__str__",
        "assessment",
        "level",
        "target",
        "priority",
        "responsible_agency",
        "updated_at",
        "updated_by",
    )
    list_filter = ("assessment__status", "assessment__country", "level", "priority")
    search_fields = ("assessment__title", "area__name", "evidence", "planned_action")
    list_select_related = (
        "assessment",
        "area",
        "understanding",
        "responsible_agency",
        "updated_by",
    )


@admin.register(AnswerChange)
class AnswerChangeAdmin(_ReadOnly):
    list_display = ("answer", "changed_by", "changed_at")
    list_filter = ("answer__assessment__country",)
    search_fields = ("answer__assessment__title", "changed_by__username")
    list_select_related = ("answer__area", "answer__understanding", "changed_by")
    date_hierarchy = "changed_at"


@admin.register(Comment)
class CommentAdmin(_CreatedInTheApp):
    list_display = ("__str__", "author", "answer", "created_at")
    list_filter = ("answer__assessment__country",)
    search_fields = ("text", "author__username")
    list_select_related = ("author", "answer__area", "answer__understanding")
    readonly_fields = ("answer", "author", "created_at", "text")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Nobody rewrites someone else's words; staff may only remove a comment (moderation).
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return not (obj is not None and obj.answer.assessment.is_validated) and (
            super().has_delete_permission(request, obj)
        )


@admin.register(SecurityEvent)
class SecurityEventAdmin(_ReadOnly):
    """The audit log: staff read it; nobody edits or deletes it here."""

    list_display = ("created_at", "kind", "username", "user", "ip_address", "detail")
    list_filter = ("kind",)
    search_fields = ("username", "ip_address", "detail")
    list_select_related = ("user",)
    date_hierarchy = "created_at"


# Training workshops register their own admin (facilitator role, workshops).
# Regional exercises register their own admin classes.
from .regional import admin as _regional_admin  # noqa: E402, F401
from .training import admin as training_admin  # noqa: E402, F401
