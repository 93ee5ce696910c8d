"""Public reference pages on the GCM and SDG 10.7.2 lenses (no login).

Like the IAMM pages, /framework/<code>/... shows one version and the shortcuts show the newest
published one; drafts are visible to staff only.
"""

from __future__ import annotations

from django.db.models import Prefetch
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .models import HeadingDomainLink, HeadingObjectiveLink, SdgSubcategory
from .views import _get_version


def gcm_objective_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    version = _get_version(request, code)
    links = HeadingObjectiveLink.objects.select_related("heading").order_by("heading__number")
    objectives = list(
        version.gcm_objectives.order_by("number").prefetch_related(
            Prefetch("heading_links", queryset=links)
        )
    )
    for objective in objectives:
        objective.primary = [link for link in objective.heading_links.all() if link.is_primary]
        objective.secondary = [
            link for link in objective.heading_links.all() if not link.is_primary
        ]
    return render(
        request,
        "iamm/gcm_objective_list.html",
        {
            "version": version,
            "objectives": objectives,
            "not_assessed": [o for o in objectives if not o.primary],
        },
    )


def sdg_domain_list(request: HttpRequest, code: str | None = None) -> HttpResponse:
    version = _get_version(request, code)
    links = HeadingDomainLink.objects.select_related("heading").order_by("heading__number")
    domains = version.sdg_domains.order_by("number").prefetch_related(
        Prefetch("subcategories", queryset=SdgSubcategory.objects.order_by("letter")),
        Prefetch("heading_links", queryset=links),
    )
    return render(request, "iamm/sdg_domain_list.html", {"version": version, "domains": domains})
