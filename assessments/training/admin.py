"""Staff give and take away the facilitator role here; workshops are read-only for them."""

from __future__ import annotations

from django.contrib import admin

from assessments.models import Facilitator, Workshop


@admin.register(Facilitator)
class FacilitatorAdmin(admin.ModelAdmin):
    list_display = ["user", "created_at"]
    autocomplete_fields = ["user"]
    search_fields = ["user__username", "user__email"]


@admin.register(Workshop)
class WorkshopAdmin(admin.ModelAdmin):
    list_display = ["title", "facilitator", "starts_on", "ends_on", "closed_at"]
    readonly_fields = ["code", "closed_at", "created_at"]
    list_select_related = ["facilitator"]
