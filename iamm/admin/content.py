"""Admin pages for a version's content: understandings, headings, areas, practices, crosswalk."""

from __future__ import annotations

from django.contrib import admin
from django.db.models import Count, QuerySet
from django.http import HttpRequest
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from ..models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    Practice,
    PracticeArea,
    PracticeHeading,
)
from .base import ContentAdmin, ContentInline, CrosswalkLinkForm, langs, same_version_choices

# Common Understandings ------------------------------------------------------------------------


class UnderstandingLinkInline(ContentInline):
    """On an understanding: the headings that put it into practice."""

    model = CrosswalkLink
    form = CrosswalkLinkForm
    fk_name = "understanding"
    fields = ["heading", *langs("note")]
    verbose_name = _("linked practice heading")
    verbose_name_plural = _("linked practice headings")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "heading":
            kwargs["queryset"] = same_version_choices("heading", CommonUnderstanding, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


@admin.register(CommonUnderstanding)
class CommonUnderstandingAdmin(ContentAdmin):
    list_display = ["number", "short_text", "version"]
    list_display_links = ["number", "short_text"]
    list_filter = ["version"]
    search_fields = [*langs("text")]
    ordering = ["version__code", "number"]
    fieldsets = [
        (None, {"fields": ["version", "number"]}),
        (_("Text"), {"fields": [langs("text"), langs("source_note")]}),
    ]
    inlines = [UnderstandingLinkInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("version")

    @admin.display(description=_("text"))
    def short_text(self, obj: CommonUnderstanding) -> str:
        return obj.text[:120]


# Practice headings, areas, practices ----------------------------------------------------------


class HeadingLinkInline(ContentInline):
    """On a heading: the Common Understandings it puts into practice."""

    model = CrosswalkLink
    form = CrosswalkLinkForm
    fk_name = "heading"
    fields = ["understanding", "understanding_text", *langs("note")]
    readonly_fields = ["understanding_text"]
    verbose_name = _("linked Common Understanding")
    verbose_name_plural = _("linked Common Understandings")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "understanding":
            kwargs["queryset"] = same_version_choices("understanding", PracticeHeading, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    @admin.display(description=_("text of the understanding"))
    def understanding_text(self, obj: CrosswalkLink) -> str:
        return Truncator(obj.understanding.text).chars(160) if obj.understanding_id else ""


class AreaInline(ContentInline):
    model = PracticeArea
    fields = ["code", "order", "group", *langs("name")]
    show_change_link = True


@admin.register(PracticeHeading)
class PracticeHeadingAdmin(ContentAdmin):
    list_display = ["number", "title", "version", "area_count"]
    list_display_links = ["number", "title"]
    list_filter = ["version"]
    search_fields = [*langs("title")]
    ordering = ["version__code", "number"]
    fieldsets = [(None, {"fields": ["version", "number", langs("title")]})]
    inlines = [AreaInline, HeadingLinkInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super().get_queryset(request).select_related("version").annotate(n_areas=Count("areas"))
        )

    @admin.display(description=_("areas"), ordering="n_areas")
    def area_count(self, obj: PracticeHeading) -> int:
        return obj.n_areas


class PracticeInline(ContentInline):
    model = Practice
    fields = ["order", "kind", *langs("text"), *langs("source_note")]


@admin.register(PracticeArea)
class PracticeAreaAdmin(ContentAdmin):
    parent_field = "heading"
    list_display = ["code", "name", "group", "heading", "version"]
    list_display_links = ["code", "name"]
    list_filter = [("heading__version", admin.RelatedOnlyFieldListFilter), "group"]
    search_fields = ["code", *langs("name")]
    ordering = ["heading__version__code", "heading__number", "order"]
    fieldsets = [(None, {"fields": ["heading", "code", "order", "group", langs("name")]})]
    inlines = [PracticeInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("heading__version")

    @admin.display(description=_("framework version"), ordering="heading__version__code")
    def version(self, obj: PracticeArea) -> FrameworkVersion:
        return obj.heading.version


@admin.register(Practice)
class PracticeAdmin(ContentAdmin):
    parent_field = "area"
    list_display = ["short_text", "kind", "area", "version"]
    list_filter = [("area__heading__version", admin.RelatedOnlyFieldListFilter), "kind"]
    search_fields = [*langs("text"), "area__code"]
    ordering = ["area__heading__version__code", "area__heading__number", "area__order", "order"]
    fieldsets = [
        (None, {"fields": ["area", "order", "kind"]}),
        (_("Text"), {"fields": [langs("text"), langs("source_note")]}),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("area__heading__version")

    @admin.display(description=_("text"))
    def short_text(self, obj: Practice) -> str:
        return obj.text[:100]

    @admin.display(description=_("framework version"), ordering="area__heading__version__code")
    def version(self, obj: Practice) -> FrameworkVersion:
        return obj.area.heading.version


@admin.register(CrosswalkLink)
class CrosswalkLinkAdmin(ContentAdmin):
    form = CrosswalkLinkForm
    parent_field = "heading"
    list_display = ["__str__", "heading", "understanding_text", "note"]
    list_filter = [("heading__version", admin.RelatedOnlyFieldListFilter)]
    search_fields = [*langs("heading__title"), *langs("understanding__text"), *langs("note")]
    ordering = ["heading__version__code", "heading__number", "understanding__number"]
    fieldsets = [(None, {"fields": ["heading", "understanding", langs("note")]})]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("heading__version", "understanding")

    @admin.display(description=_("common understanding"), ordering="understanding__number")
    def understanding_text(self, obj: CrosswalkLink) -> str:
        return f"{obj.understanding.number}. {Truncator(obj.understanding.text).chars(100)}"
