"""`{% heading_lenses heading %}`: a heading's GCM objectives and SDG 10.7.2 domains, for the
heading page (kept out of the heading view so the lens content stays in its own files)."""

from __future__ import annotations

from django import template

from iamm.models import HeadingDomainLink, HeadingObjectiveLink, PracticeHeading

register = template.Library()


@register.inclusion_tag("iamm/_heading_lenses.html")
def heading_lenses(heading: PracticeHeading) -> dict:
    # Primary links first, each group in objective order.
    objective_links = sorted(
        HeadingObjectiveLink.objects.filter(heading=heading).select_related("objective"),
        key=lambda link: (not link.is_primary, link.objective.number),
    )
    domain_links = (
        HeadingDomainLink.objects.filter(heading=heading)
        .select_related("domain")
        .order_by("domain__number")
    )
    return {
        "version": heading.version,
        "objective_links": objective_links,
        "domain_links": list(domain_links),
    }
