"""Admin for the GCM and SDG 10.7.2 lenses.

The heading links are edited where a reviewer thinks about them: on the objective or domain page,
one row per linked heading, with its strength and reason. Like all framework content, rows of a
published version are read-only; new rows only go into a draft version.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, Q, QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from ..models import (
    FrameworkVersion,
    GcmObjective,
    HeadingDomainLink,
    HeadingObjectiveLink,
    SdgDomain,
    SdgSubcategory,
)
from ..models.lenses import LinkStrength
from .base import ContentAdmin, ContentInline, langs, same_version_choices

DRAFT = FrameworkVersion.Status.DRAFT


def lens_draft_choices(field_name: str) -> QuerySet | None:
    """Draft-only choices for the foreign keys `iamm.admin.draft_choices` does not know."""
    if field_name == "objective":
        return GcmObjective.objects.filter(version__status=DRAFT).select_related("version")
    if field_name == "domain":
        return SdgDomain.objects.filter(version__status=DRAFT).select_related("version")
    return None


class LensContentAdmin(ContentAdmin):
    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        queryset = lens_draft_choices(db_field.name)
        if queryset is not None:
            kwargs["queryset"] = queryset
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class HeadingChoiceInline(ContentInline):
    """An inline whose heading choices are the headings of the parent's own version."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "heading":
            kwargs["queryset"] = same_version_choices("heading", self.parent_model, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


# GCM ------------------------------------------------------------------------------------------


class ObjectiveHeadingInline(HeadingChoiceInline):
    model = HeadingObjectiveLink
    fk_name = "objective"
    fields = ["heading", "strength", *langs("reason")]
    verbose_name = _("linked practice heading")
    verbose_name_plural = _("linked practice headings (the project's mapping)")


@admin.register(GcmObjective)
class GcmObjectiveAdmin(LensContentAdmin):
    list_display = ["number", "title", "short_label", "primary_links", "version"]
    list_display_links = ["number", "title"]
    list_filter = ["version"]
    search_fields = [*langs("title"), *langs("short_label")]
    ordering = ["version__code", "number"]
    fieldsets = [
        (None, {"fields": ["version", "number", langs("title"), langs("short_label")]}),
        (_("Translation"), {"fields": [langs("translation_note")]}),
    ]
    inlines = [ObjectiveHeadingInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        primary = Q(heading_links__strength=LinkStrength.PRIMARY)
        return (
            super()
            .get_queryset(request)
            .select_related("version")
            .annotate(n_primary=Count("heading_links", filter=primary))
        )

    @admin.display(description=_("primary links"), ordering="n_primary")
    def primary_links(self, obj: GcmObjective) -> int:
        return obj.n_primary


@admin.register(HeadingObjectiveLink)
class HeadingObjectiveLinkAdmin(LensContentAdmin):
    parent_field = "heading"
    list_display = ["__str__", "heading", "objective", "strength", "reason"]
    list_filter = [("heading__version", admin.RelatedOnlyFieldListFilter), "strength"]
    search_fields = [*langs("heading__title"), *langs("objective__title"), *langs("reason")]
    ordering = ["heading__version__code", "heading__number", "objective__number"]
    fieldsets = [(None, {"fields": ["heading", "objective", "strength", langs("reason")]})]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("heading__version", "objective")


# SDG indicator 10.7.2 -------------------------------------------------------------------------


class SubcategoryInline(ContentInline):
    model = SdgSubcategory
    fields = ["letter", *langs("text")]


class DomainHeadingInline(HeadingChoiceInline):
    model = HeadingDomainLink
    fk_name = "domain"
    fields = ["heading", *langs("reason")]
    verbose_name = _("linked practice heading")
    verbose_name_plural = _("linked practice headings (the project's mapping)")


@admin.register(SdgDomain)
class SdgDomainAdmin(LensContentAdmin):
    list_display = ["number", "name", "version"]
    list_display_links = ["number", "name"]
    list_filter = ["version"]
    search_fields = [*langs("name")]
    ordering = ["version__code", "number"]
    fieldsets = [
        (None, {"fields": ["version", "number", langs("name")]}),
        (
            _("Question"),
            {"fields": [langs("proxy_measure"), langs("question"), langs("middle_option")]},
        ),
        (_("Notes"), {"fields": [langs("mapping_note"), langs("translation_note")]}),
    ]
    inlines = [SubcategoryInline, DomainHeadingInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("version")


@admin.register(HeadingDomainLink)
class HeadingDomainLinkAdmin(LensContentAdmin):
    parent_field = "heading"
    list_display = ["__str__", "heading", "domain", "reason"]
    list_filter = [("heading__version", admin.RelatedOnlyFieldListFilter)]
    search_fields = [*langs("heading__title"), *langs("domain__name"), *langs("reason")]
    ordering = ["heading__version__code", "heading__number", "domain__number"]
    fieldsets = [(None, {"fields": ["heading", "domain", langs("reason")]})]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("heading__version", "domain")
