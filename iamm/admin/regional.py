"""Admin pages for the reference data: regional consultative processes and their members."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline

from ..models import Membership, RegionalProcess
from .base import TEXT_WIDGETS, CleanText, ContentMedia, LabelledInlineFormSet, langs

# Regional consultative processes --------------------------------------------------------------


class MemberCountryFilter(admin.SimpleListFilter):
    title = _("member country")
    parameter_name = "country"

    def lookups(self, request, model_admin) -> list[tuple[str, str]]:
        codes = Membership.objects.values_list("country", flat=True).distinct()
        return sorted(((code, countries.name(code)) for code in codes), key=lambda c: c[1])

    def queryset(self, request, queryset: QuerySet) -> QuerySet:
        if self.value():
            return queryset.filter(memberships__country=self.value()).distinct()
        return queryset


class MembershipInline(CleanText, TranslationTabularInline):
    model = Membership
    formset = LabelledInlineFormSet
    fields = ["country", "name_in_source", *langs("note")]
    extra = 0


@admin.register(RegionalProcess)
class RegionalProcessAdmin(CleanText, TranslationAdmin):
    formfield_overrides = TEXT_WIDGETS
    Media = ContentMedia
    list_display = ["short_name", "name", "number", "year", "region", "is_major", "member_count"]
    list_display_links = ["short_name", "name"]
    list_filter = ["is_major", "region", MemberCountryFilter]
    search_fields = ["slug", "short_name", *langs("name"), *langs("region")]
    ordering = ["-is_major", "number", "short_name"]
    prepopulated_fields = {"slug": ["short_name"]}
    fieldsets = [
        (None, {"fields": ["slug", "short_name", langs("name"), "number", "is_major", "year"]}),
        (_("Region"), {"fields": [langs("region")]}),
        (_("Main areas of discussion"), {"fields": [langs("main_areas")]}),
        (_("Description"), {"fields": [langs("description")]}),
        (None, {"fields": ["secretariat", "observers", "source_note"]}),
    ]
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).annotate(n_members=Count("memberships"))

    @admin.display(description=_("members"), ordering="n_members")
    def member_count(self, obj: RegionalProcess) -> int:
        return obj.n_members


@admin.register(Membership)
class MembershipAdmin(CleanText, TranslationAdmin):
    list_display = ["process", "country", "name_in_source", "note"]
    list_filter = ["process", ("country", CountryFilter)]
    search_fields = ["name_in_source", *langs("note"), "process__short_name"]
    ordering = ["process__number", "country"]
    fieldsets = [(None, {"fields": ["process", "country", "name_in_source", langs("note")]})]
    list_select_related = ["process"]
