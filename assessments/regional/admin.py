"""Admin for regional exercises: staff create exercises and appoint secretariat users; shares
are each State's decision, so the admin only shows them."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from assessments.models import RegionalExercise, RegionalShare, SecretariatAppointment

from . import services


class ShareInline(admin.TabularInline):
    model = RegionalShare
    fields = ("country", "assessment", "is_anonymous", "shared_at", "withdrawn_at")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return False


@admin.register(RegionalExercise)
class RegionalExerciseAdmin(admin.ModelAdmin):
    list_display = ("title", "process", "framework_version", "opens_on", "closes_on", "released_at")
    list_filter = ("process",)
    readonly_fields = ("released_at", "released_by", "created_at")
    inlines = [ShareInline]


@admin.register(SecretariatAppointment)
class SecretariatAppointmentAdmin(admin.ModelAdmin):
    list_display = ("user", "process", "appointed_at")
    list_select_related = ("user", "process")
    autocomplete_fields = ("user",)

    def save_model(self, request, obj, form, change) -> None:
        # Appointing also makes the account a secretariat account with no country.
        services.secretariat_appoint(user=obj.user, process=obj.process)
