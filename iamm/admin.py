"""Admin for the framework content and the regional processes reference data.

Translated fields show their English, French and Spanish columns side by side. Content of a
published version is read-only here: the models would refuse to save it anyway, and the admin
must say so calmly instead of failing. To revise content, clone the version into a draft.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponseRedirect
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from django_countries import countries
from django_countries.filters import CountryFilter
from modeltranslation.admin import TranslationAdmin, TranslationTabularInline
from modeltranslation.utils import get_translation_fields

from . import services
from .models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    Membership,
    Practice,
    PracticeArea,
    PracticeHeading,
    RegionalProcess,
    VersionedContent,
)

DRAFT = FrameworkVersion.Status.DRAFT

COMPACT_TEXT = {models.TextField: {"widget": forms.Textarea(attrs={"rows": 4, "cols": 32})}}


def langs(field: str) -> tuple[str, ...]:
    """The language columns of a translated field, for one row of a fieldset."""
    return tuple(get_translation_fields(field))


def is_frozen(obj: object) -> bool:
    if isinstance(obj, FrameworkVersion):
        return obj.is_published
    if isinstance(obj, VersionedContent):
        return obj.framework_version().is_published
    return False


def draft_exists() -> bool:
    return FrameworkVersion.objects.filter(status=DRAFT).exists()


class FrozenWhenPublished:
    """Objects of a published version (or inlines under one) are shown, never changed."""

    def has_change_permission(self, request: HttpRequest, obj=None) -> bool:
        return not is_frozen(obj) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request: HttpRequest, obj=None) -> bool:
        return not is_frozen(obj) and super().has_delete_permission(request, obj)


class ContentAdmin(FrozenWhenPublished, TranslationAdmin):
    """Versioned content: new rows only go into a draft version."""

    formfield_overrides = COMPACT_TEXT

    def has_add_permission(self, request: HttpRequest) -> bool:
        return super().has_add_permission(request) and draft_exists()

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        kwargs.setdefault("queryset", draft_choices(db_field.name))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ContentInline(FrozenWhenPublished, TranslationTabularInline):
    formfield_overrides = COMPACT_TEXT
    extra = 0

    def has_add_permission(self, request: HttpRequest, obj=None) -> bool:
        return not is_frozen(obj) and super().has_add_permission(request, obj)


def draft_choices(field_name: str) -> QuerySet | None:
    """Choices for a foreign key of content: only rows of draft versions can take new content."""
    if field_name == "version":
        return FrameworkVersion.objects.filter(status=DRAFT)
    if field_name == "heading":
        return PracticeHeading.objects.filter(version__status=DRAFT).select_related("version")
    if field_name == "understanding":
        return CommonUnderstanding.objects.filter(version__status=DRAFT).select_related("version")
    if field_name == "area":
        return PracticeArea.objects.filter(heading__version__status=DRAFT).select_related(
            "heading__version"
        )
    return None


def same_version_choices(field_name: str, parent_model, request: HttpRequest) -> QuerySet:
    """Choices for an inline's foreign key: rows of the version of the parent being edited."""
    queryset = draft_choices(field_name)
    match = request.resolver_match
    object_id = match.kwargs.get("object_id") if match else None
    parent = parent_model.objects.filter(pk=object_id).first() if object_id else None
    if parent is None:
        return queryset
    version_field = "heading__version" if field_name == "area" else "version"
    return queryset.filter(**{version_field: parent.framework_version().pk})


class CrosswalkLinkForm(forms.ModelForm):
    def _post_clean(self) -> None:
        # CrosswalkLink.clean() reads both ends of the link; without them there is nothing to
        # compare, and the missing field already has its own error.
        if self.has_error("heading") or self.has_error("understanding"):
            return
        super()._post_clean()


# Framework versions ---------------------------------------------------------------------------


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(FrozenWhenPublished, TranslationAdmin):
    list_display = [
        "code",
        "title",
        "status",
        "published_at",
        "based_on",
        "understanding_count",
        "heading_count",
    ]
    list_filter = ["status"]
    search_fields = ["code", *langs("title")]
    ordering = ["code"]
    readonly_fields = ["status", "published_at", "based_on"]
    fieldsets = [
        (None, {"fields": ["code", langs("title"), "source"]}),
        (_("Status"), {"fields": ["status", "published_at", "based_on"]}),
    ]
    actions = ["clone_into_draft", "publish"]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return (
            super()
            .get_queryset(request)
            .select_related("based_on")
            .annotate(
                understanding_count=Count("understandings", distinct=True),
                heading_count=Count("headings", distinct=True),
            )
        )

    @admin.display(description=_("Common Understandings"), ordering="understanding_count")
    def understanding_count(self, obj: FrameworkVersion) -> int:
        return obj.understanding_count

    @admin.display(description=_("headings"), ordering="heading_count")
    def heading_count(self, obj: FrameworkVersion) -> int:
        return obj.heading_count

    @admin.action(description=_("Clone into a new draft"), permissions=["add"])
    def clone_into_draft(self, request: HttpRequest, queryset: QuerySet):
        clones = []
        for source in queryset:
            code = services.framework_version_next_draft_code(source=source)
            clones.append(services.framework_version_clone(source=source, code=code))
        for clone in clones:
            url = reverse("admin:iamm_frameworkversion_change", args=[clone.pk])
            self.message_user(
                request,
                format_html(
                    gettext(
                        'Created the draft version <a href="{}">{}</a>. Edit it, then publish it.'
                    ),
                    url,
                    clone.code,
                ),
                messages.SUCCESS,
            )
        if len(clones) == 1:
            return HttpResponseRedirect(
                reverse("admin:iamm_frameworkversion_change", args=[clones[0].pk])
            )
        return None

    @admin.action(description=_("Publish"), permissions=["change"])
    def publish(self, request: HttpRequest, queryset: QuerySet) -> None:
        published = 0
        for version in queryset:
            if version.is_published:
                self.message_user(
                    request,
                    gettext("The version %(code)s is already published.") % {"code": version.code},
                    messages.WARNING,
                )
                continue
            try:
                services.framework_version_publish(version=version)
            except ValidationError as error:
                self.message_user(
                    request,
                    gettext("The version %(code)s was not published: %(reason)s")
                    % {"code": version.code, "reason": " ".join(error.messages)},
                    messages.ERROR,
                )
                continue
            published += 1
        if published:
            self.message_user(
                request,
                ngettext(
                    "Published %(count)d version. Its content can no longer change.",
                    "Published %(count)d versions. Their content can no longer change.",
                    published,
                )
                % {"count": published},
                messages.SUCCESS,
            )


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
    fields = ["understanding", *langs("note")]
    verbose_name = _("linked Common Understanding")
    verbose_name_plural = _("linked Common Understandings")

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name == "understanding":
            kwargs["queryset"] = same_version_choices("understanding", PracticeHeading, request)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


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
    list_display = ["__str__", "heading", "understanding", "note"]
    list_filter = [("heading__version", admin.RelatedOnlyFieldListFilter)]
    search_fields = [*langs("heading__title"), *langs("understanding__text"), *langs("note")]
    ordering = ["heading__version__code", "heading__number", "understanding__number"]
    fieldsets = [(None, {"fields": ["heading", "understanding", langs("note")]})]

    def get_queryset(self, request: HttpRequest) -> QuerySet:
        return super().get_queryset(request).select_related("heading__version", "understanding")


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


class MembershipInline(admin.TabularInline):
    model = Membership
    fields = ["country", "name_in_source", "note"]
    extra = 0


@admin.register(RegionalProcess)
class RegionalProcessAdmin(TranslationAdmin):
    formfield_overrides = COMPACT_TEXT
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
class MembershipAdmin(admin.ModelAdmin):
    list_display = ["process", "country", "name_in_source", "note"]
    list_filter = ["process", ("country", CountryFilter)]
    search_fields = ["name_in_source", "note", "process__short_name"]
    ordering = ["process__number", "country"]
    list_select_related = ["process"]
