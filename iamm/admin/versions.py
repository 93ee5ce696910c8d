"""Admin pages for framework versions: the draft at a glance, clone, diff, publish, lifecycle.

A draft's page lists its content with links, links to the diff against the version it came from
and to a preview of the reference pages, and leads to a Publish page that summarises what will
be frozen and asks for confirmation. A published version's page says why it is read-only and
offers to clone it, to make it current, or to retire it.
"""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, Prefetch, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from modeltranslation.admin import TranslationAdmin

from .. import services
from ..diff import version_diff
from ..models import FrameworkVersion, PracticeArea
from .base import TEXT_WIDGETS, CleanText, ContentMedia, FrozenWhenPublished, langs


class CloneForm(forms.Form):
    code = forms.SlugField(
        label=_("code of the new draft"),
        max_length=40,
        help_text=_("Choose a lasting name, for example iamm-2026; it appears in addresses."),
    )

    def __init__(self, *args, source: FrameworkVersion, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        for column in langs("title"):
            self.fields[column] = forms.CharField(
                label=_("title (%(language)s)") % {"language": column[-2:]},
                max_length=200,
                initial=getattr(source, column),
                required=column.endswith("_en"),
            )

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        if FrameworkVersion.objects.filter(code=code).exists():
            raise ValidationError(_("A version with this code already exists. Choose another."))
        return code


@admin.register(FrameworkVersion)
class FrameworkVersionAdmin(CleanText, FrozenWhenPublished, TranslationAdmin):
    formfield_overrides = TEXT_WIDGETS
    Media = ContentMedia
    change_form_template = "admin/iamm/frameworkversion/change_form.html"
    list_display = [
        "code",
        "title",
        "status",
        "is_current",
        "is_retired",
        "published_at",
        "based_on",
        "understanding_count",
        "heading_count",
    ]
    list_filter = ["status", "is_current", "is_retired"]
    search_fields = ["code", *langs("title")]
    ordering = ["code"]
    readonly_fields = ["status", "published_at", "based_on", "is_current", "is_retired"]
    fieldsets = [
        (None, {"fields": ["code", langs("title"), "source"]}),
        (
            _("Status"),
            {"fields": ["status", "published_at", "based_on", "is_current", "is_retired"]},
        ),
    ]
    actions = ["clone_into_draft"]

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
        if queryset.count() != 1:
            self.message_user(request, gettext("Select one version to clone."), messages.WARNING)
            return None
        return HttpResponseRedirect(self._url("clone", queryset.get()))

    # Pages of one version -------------------------------------------------------------------

    def get_urls(self):
        own = [
            ("clone", self.clone_view),
            ("diff", self.diff_view),
            ("publish", self.publish_view),
            ("make-current", self.make_current_view),
            ("retire", self.retire_view),
        ]
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                f"<int:object_id>/{name}/",
                self.admin_site.admin_view(view),
                name=f"{info[0]}_{info[1]}_{name.replace('-', '_')}",
            )
            for name, view in own
        ] + super().get_urls()

    def _url(self, name: str, version: FrameworkVersion) -> str:
        info = self.opts.app_label, self.opts.model_name
        return reverse(f"admin:{info[0]}_{info[1]}_{name.replace('-', '_')}", args=[version.pk])

    def _page(self, request: HttpRequest, template: str, version, title: str, **context):
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": version,
            "title": title,
            "change_url": self._url("change", version),
            **context,
        }
        return TemplateResponse(request, f"admin/iamm/frameworkversion/{template}", context)

    def _version(self, request: HttpRequest, object_id: str, permission: str):
        version = get_object_or_404(FrameworkVersion, pk=object_id)
        allowed = getattr(self, f"has_{permission}_permission")
        if not (allowed(request) if permission == "add" else allowed(request, None)):
            raise PermissionDenied
        return version

    def change_view(self, request, object_id, form_url="", extra_context=None):
        version = self.get_object(request, object_id)
        if version is not None:
            extra_context = {**(extra_context or {}), **self._glance(version)}
        return super().change_view(request, object_id, form_url, extra_context)

    def _glance(self, version: FrameworkVersion) -> dict:
        areas = PracticeArea.objects.order_by("order")
        return {
            "understandings": version.understandings.order_by("number"),
            "headings": version.headings.order_by("number").prefetch_related(
                Prefetch("areas", queryset=areas.annotate(n_practices=Count("practices")))
            ),
            "diff": version_diff(old=version.based_on, new=version) if version.based_on else None,
            "clone_url": self._url("clone", version),
            "diff_url": self._url("diff", version),
            "publish_url": self._url("publish", version),
            "make_current_url": self._url("make-current", version),
            "retire_url": self._url("retire", version),
            "preview_urls": [
                (
                    _("Common Understandings"),
                    reverse("iamm:understanding_list", args=[version.code]),
                ),
                (_("Effective practices"), reverse("iamm:heading_list", args=[version.code])),
            ],
        }

    def clone_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        source = self._version(request, object_id, "add")
        initial = {"code": services.framework_version_next_draft_code(source=source)}
        form = CloneForm(request.POST or None, source=source, initial=initial)
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            clone = services.framework_version_clone(
                source=source,
                code=data["code"],
                titles={column: data[column] for column in langs("title")},
            )
            self.message_user(
                request,
                gettext("Created the draft version %(code)s. Edit it, then publish it.")
                % {"code": clone.code},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._url("change", clone))
        title = gettext("Clone %(code)s into a new draft") % {"code": source.code}
        return self._page(request, "clone.html", source, title, form=form)

    def diff_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        version = self._version(request, object_id, "view")
        others = FrameworkVersion.objects.exclude(pk=version.pk).order_by("code")
        old = others.filter(code=request.GET.get("against", "")).first() or version.based_on
        if old is None:
            old = others.first()
        diff = version_diff(old=old, new=version) if old else None
        title = gettext("Changes in %(code)s") % {"code": version.code}
        return self._page(request, "diff.html", version, title, diff=diff, others=others)

    def publish_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        version = self._version(request, object_id, "change")
        problems = services.framework_version_publish_problems(version=version)
        if request.method == "POST" and not problems:
            services.framework_version_publish(
                version=version, make_current=bool(request.POST.get("make_current"))
            )
            self.message_user(
                request,
                gettext("Published %(code)s. Its content can no longer change.")
                % {"code": version.code},
                messages.SUCCESS,
            )
            return HttpResponseRedirect(self._url("change", version))
        title = gettext("Publish %(code)s") % {"code": version.code}
        context = {"problems": problems, **self._glance(version), **_counts(version)}
        return self._page(request, "publish.html", version, title, **context)

    def make_current_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._lifecycle(request, object_id, services.framework_version_make_current)

    def retire_view(self, request: HttpRequest, object_id: str) -> HttpResponse:
        return self._lifecycle(request, object_id, services.framework_version_retire)

    @staticmethod
    def _lifecycle_message(version: FrameworkVersion) -> str:
        if version.is_current:
            return gettext("The version %(code)s is now current.") % {"code": version.code}
        return gettext("The version %(code)s is retired: no new assessment can use it.") % {
            "code": version.code
        }

    def _lifecycle(self, request: HttpRequest, object_id: str, service) -> HttpResponse:
        version = get_object_or_404(FrameworkVersion, pk=object_id)
        # Being current or retired is not content, so a published version may change it.
        if request.method != "POST" or not self.has_change_permission(request):
            raise PermissionDenied
        try:
            service(version=version)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
        else:
            self.message_user(request, self._lifecycle_message(version), messages.SUCCESS)
        return HttpResponseRedirect(self._url("change", version))


def _counts(version: FrameworkVersion) -> dict[str, int]:
    return {
        "n_understandings": version.understandings.count(),
        "n_headings": version.headings.count(),
        "n_areas": PracticeArea.objects.filter(heading__version=version).count(),
    }
