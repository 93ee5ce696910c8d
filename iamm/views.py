"""Public reference pages on the IAMM and the regional consultative processes (no login).

Pages under /framework/<code>/ show one version; the shortcuts without a code show the current
version (`FrameworkVersion.objects.current()`), so links in the navigation never go stale.
Draft versions are visible to staff only, as a preview before publishing.
"""

from __future__ import annotations

import unicodedata

from django.db.models import Prefetch, QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django_countries import countries

from .models import (
    CommonUnderstanding,
    CrosswalkLink,
    FrameworkVersion,
    Membership,
    PracticeArea,
    PracticeHeading,
    RegionalProcess,
)


def _sort_key(name: str) -> str:
    """Sort names as a reader expects in every language: "Égypte" beside "Estonie"."""
    decomposed = unicodedata.normalize("NFKD", str(name))
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _visible_versions(request: HttpRequest) -> QuerySet[FrameworkVersion]:
    if request.user.is_staff:
        return FrameworkVersion.objects.all()
    return FrameworkVersion.objects.published()


def _get_version(request: HttpRequest, code: str | None) -> FrameworkVersion:
    """The version named by `code`, or the current one."""
    if code is not None:
        return get_object_or_404(_visible_versions(request), code=code)
    version = FrameworkVersion.objects.current()
    if version is None:
        raise Http404(_("No version of the IAMM has been published yet."))
    return version


def _neighbours(queryset: QuerySet, number: int) -> tuple[int | None, int | None]:
    """The numbers before and after `number`, for previous/next links."""
    numbers = list(queryset.values_list("number", flat=True))
    index = numbers.index(number)
    previous = numbers[index - 1] if index > 0 else None
    following = numbers[index + 1] if index + 1 < len(numbers) else None
    return previous, following


def home(request: HttpRequest) -> HttpResponse:
    return render(request, "iamm/home.html", {"version": FrameworkVersion.objects.current()})


# Common Understandings ------------------------------------------------------------------------


def understanding_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    version = _get_version(request, code)
    links = CrosswalkLink.objects.select_related("heading").order_by("heading__number")
    understandings = version.understandings.order_by("number").prefetch_related(
        Prefetch("crosswalk_links", queryset=links)
    )
    return render(
        request,
        "iamm/understanding_list.html",
        {"version": version, "understandings": understandings},
    )


def understanding_detail(
    request: HttpRequest, number: int, code: str | None = None
) -> HttpResponse:
    links = CrosswalkLink.objects.select_related("heading").order_by("heading__number")
    understandings = CommonUnderstanding.objects.prefetch_related(
        Prefetch("crosswalk_links", queryset=links)
    )
    return _detail(request, code, number, understandings, "understanding")


# Effective practices --------------------------------------------------------------------------


def heading_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    version = _get_version(request, code)
    links = CrosswalkLink.objects.select_related("understanding").order_by("understanding__number")
    headings = version.headings.order_by("number").prefetch_related(
        Prefetch("areas", queryset=PracticeArea.objects.order_by("order")),
        Prefetch("crosswalk_links", queryset=links),
    )
    return render(request, "iamm/heading_list.html", {"version": version, "headings": headings})


def heading_detail(request: HttpRequest, number: int, code: str | None = None) -> HttpResponse:
    links = CrosswalkLink.objects.select_related("understanding").order_by("understanding__number")
    areas = PracticeArea.objects.order_by("order").prefetch_related("practices")
    headings = PracticeHeading.objects.prefetch_related(
        Prefetch("areas", queryset=areas), Prefetch("crosswalk_links", queryset=links)
    )
    return _detail(request, code, number, headings, "heading")


def _detail(
    request: HttpRequest, code: str | None, number: int, queryset: QuerySet, name: str
) -> HttpResponse:
    """One numbered item of a version (`name` is "understanding" or "heading"), with the
    numbers of its neighbours for the previous/next links."""
    version = _get_version(request, code)
    item = get_object_or_404(queryset.select_related("version"), version=version, number=number)
    previous, following = _neighbours(
        queryset.model.objects.filter(version=version).order_by("number"), number
    )
    context = {"version": version, name: item, "previous": previous, "following": following}
    return render(request, f"iamm/{name}_detail.html", context)


# Regional consultative processes --------------------------------------------------------------


def _with_members(processes: QuerySet[RegionalProcess]) -> list[RegionalProcess]:
    """Processes with `members` sorted by country name in the current language."""
    processes = list(processes.prefetch_related("memberships"))
    for process in processes:
        process.members = sorted(process.memberships.all(), key=lambda m: _sort_key(m.country.name))
        process.mapped_members = [m for m in process.members if m.note]
    return processes


def regional_process_list(request: HttpRequest) -> HttpResponse:
    codes = Membership.objects.order_by().values_list("country", flat=True).distinct()
    country_choices = sorted(
        ((code, countries.name(code) or code) for code in codes),
        key=lambda choice: _sort_key(choice[1]),
    )
    member_codes = {code for code, _name in country_choices}
    processes = RegionalProcess.objects.all()
    code = request.GET.get("country", "").strip().upper()
    country_name = countries.name(code) if code else ""
    problem = ""
    if code and code in member_codes:
        processes = processes.filter(memberships__country=code)
    elif code and country_name:
        problem = _(
            "No regional consultative process in this directory lists %(country)s as a member. "
            "All processes are shown below."
        ) % {"country": country_name}
    elif code:
        problem = _(
            "There is no country with the code “%(code)s”. Choose a country from the list. "
            "All processes are shown below."
        ) % {"code": code[:10]}
    selected = code if code in member_codes else ""
    return render(
        request,
        "iamm/regional_process_list.html",
        {
            "processes": _with_members(processes),
            "country_choices": country_choices,
            "selected": selected,
            "selected_name": country_name if selected else "",
            "problem": problem,
        },
    )


def regional_process_detail(request: HttpRequest, slug: str) -> HttpResponse:
    queryset = RegionalProcess.objects.filter(slug=slug)
    processes = _with_members(queryset)
    if not processes:
        raise Http404(_("There is no regional consultative process with this address."))
    return render(request, "iamm/regional_process_detail.html", {"process": processes[0]})
