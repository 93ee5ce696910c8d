"""The executive summary in sentences, worded from templates rather than written by a machine.

A reader with one page wants the findings told, not tabled: where the country stands, its
well-developed areas and those with potential for further development (the wording IOM's
Migration Governance Indicators profiles use, which governments already know), the most urgent
gaps and who holds them, the change since the previous cycle, the flags, the missing data, and
what the document is and is not. Every sentence is a whole translatable template with named
placeholders, so that translators can reorder it; counts go through ngettext, and a zero gets a
sentence of its own rather than "0 items". Figures are the report's own rounded ones, formatted
like the tables' `floatformat:1`, so that a score reads here exactly as it does there.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.utils import formats, timezone
from django.utils.text import get_text_list
from django.utils.translation import gettext, ngettext, pgettext

from ..scoring import rules
from .data import Report
from .rows import HeadingRow, PlanItem

# Headings and gaps named in the summary; the tables after it list them all. Five of each keep
# the summary on one page.
MOST = 5


@dataclass(frozen=True)
class Paragraph:
    """A group of sentences under a short lead-in; `items` are printed as a list below."""

    key: str  # stable, for the template's classes and for tests: "standing", "gaps", …
    title: str
    sentences: list[str]
    items: list[str] = field(default_factory=list)

    @property
    def text(self) -> str:
        return " ".join([*self.sentences, *self.items])


def summary_paragraphs(report: Report) -> list[Paragraph]:
    """The summary of a report, in the active language (call it inside the report's
    `translation.override`, as the templates are rendered)."""
    paragraphs = [
        _standing(report),
        _strengths(report),
        _further_development(report),
        _gaps(report),
        _change(report),
        _coherence(report),
        _data_gaps(report),
        _scope(report),
    ]
    return [paragraph for paragraph in paragraphs if paragraph is not None]


# Formatting ------------------------------------------------------------------------------------


def score(value: rules.Shown) -> str:
    """A rounded score as the report's tables print it: one decimal, the language's separator."""
    return formats.number_format(Decimal(value), decimal_pos=1)


def long_date(value: date | datetime) -> str:
    """A date in running text, as the cover and tables write it: 1 December 2026, 1 décembre
    2026, 1 de diciembre de 2026 (DATE_FORMAT; English's is set in iamm/formats)."""
    if isinstance(value, datetime):
        value = timezone.template_localtime(value)  # as the template's date filter does
    return formats.date_format(value, "DATE_FORMAT")


def heading_phrase(row: HeadingRow) -> str:
    return pgettext(
        "a heading named in the executive summary", "%(number)s. %(title)s (%(score)s)"
    ) % {
        "number": row.number,
        "title": row.heading.title,
        "score": score(row.score),
    }


def joined(phrases: Iterable[str]) -> str:
    """Phrases that may hold commas themselves (heading titles), one after the other."""
    # Translators: French puts a space before the semicolon (" ; ").
    return pgettext("between the items of a list", "; ").join(phrases)


def strength_floor(thresholds: rules.Thresholds) -> int:
    """The lower bound of the second band from the top (80, "Meets"): a heading there or above
    is a well-developed area. The top band alone (100) would leave most countries none to name."""
    bounds = sorted({bound for bound, _key in thresholds}, reverse=True)
    return bounds[1] if len(bounds) > 1 else bounds[0]


# The paragraphs --------------------------------------------------------------------------------


def _standing(report: Report) -> Paragraph:
    sentences = []
    if report.practice_index is None:
        sentences.append(
            gettext("No practice heading has a score yet, so there is no practice index.")
        )
    else:
        sentences.append(
            gettext("The practice index is %(index)s out of 100, in the band “%(band)s”.")
            % {"index": score(report.practice_index), "band": report.practice_band_label}
        )
        sentences += _index_basis(report)
    if report.understanding_index is None:
        sentences.append(
            gettext("No Common Understanding has a score yet, so there is no understanding index.")
        )
    else:
        sentences.append(
            gettext(
                "The understanding index, how far law, policy and practice reflect the Common "
                "Understandings, is %(index)s out of 100, in the band “%(band)s”."
            )
            % {"index": score(report.understanding_index), "band": report.understanding_band_label}
        )
    sentences.append(_coverage(report.coverage))
    return Paragraph("standing", gettext("Where the country stands."), sentences)


def _index_basis(report: Report) -> list[str]:
    """What the practice index is the mean of: each heading weighs the same."""
    scored, total = len(report.scored_headings), len(report.headings)
    if scored == total:
        return [
            ngettext(
                "It is the mean of the %(count)s heading score.",
                "It is the mean of the %(count)s heading scores, each heading weighing the same.",
                total,
            )
            % {"count": total}
        ]
    missing = total - scored
    return [
        ngettext(
            "It is the mean of the %(count)s scored heading score.",
            "It is the mean of the %(count)s scored heading scores.",
            scored,
        )
        % {"count": scored},
        ngettext(
            "%(count)s heading with nothing scored is left out.",
            "%(count)s headings with nothing scored are left out.",
            missing,
        )
        % {"count": missing},
    ]


def _coverage(coverage: rules.Coverage) -> str:
    scored, applicable = coverage.scored, coverage.applicable
    if not applicable:
        return gettext("No item applies: every item is answered “Not applicable”.")
    values = {"scored": scored, "count": applicable}
    if not scored:
        return (
            ngettext(
                "The %(count)s applicable item has no score yet.",
                "None of the %(count)s applicable items has a score yet.",
                applicable,
            )
            % values
        )
    if scored == applicable:
        return (
            ngettext(
                "The %(count)s applicable item is scored.",
                "All %(count)s applicable items are scored.",
                applicable,
            )
            % values
        )
    return (
        ngettext(
            "The scores rest on %(scored)s of the %(count)s applicable item; the others are "
            "answered “Don't know” or not answered yet.",
            "The scores rest on %(scored)s of the %(count)s applicable items; the others are "
            "answered “Don't know” or not answered yet.",
            applicable,
        )
        % values
    )


def _strengths(report: Report) -> Paragraph:
    title = gettext("Well-developed areas.")
    if not report.scored_headings:
        return Paragraph("strengths", title, [gettext("No heading has a score yet.")])
    floor = strength_floor(report.thresholds)
    values = {"floor": floor, "band": rules.band_label(rules.band(floor, report.thresholds))}
    strong = [row for row in report.scored_headings if row.score >= floor]
    if not strong:
        sentence = gettext("No heading scores %(floor)s or more (“%(band)s” or above) yet.")
        return Paragraph("strengths", title, [sentence % values])
    sentence = _named_headings(
        strong,
        values,
        few=lambda n: ngettext(
            "%(count)s heading scores %(floor)s or more (“%(band)s” or above): %(headings)s.",
            "%(count)s headings score %(floor)s or more (“%(band)s” or above): %(headings)s.",
            n,
        ),
        many=lambda n: ngettext(
            "%(count)s heading scores %(floor)s or more (“%(band)s” or above); the highest "
            "%(shown)s: %(headings)s.",
            "%(count)s headings score %(floor)s or more (“%(band)s” or above); the highest "
            "%(shown)s: %(headings)s.",
            n,
        ),
    )
    return Paragraph("strengths", title, [sentence])


def _further_development(report: Report) -> Paragraph | None:
    if not report.scored_headings:
        return None  # the strengths paragraph has said there is nothing scored
    floor = strength_floor(report.thresholds)
    weak = sorted(
        (row for row in report.scored_headings if row.score < floor),
        key=lambda row: (row.score, row.number),
    )
    title = gettext("Areas with potential for further development.")
    values = {"floor": floor}
    if not weak:
        return Paragraph(
            "further", title, [gettext("Every scored heading scores %(floor)s or more.") % values]
        )
    sentence = _named_headings(
        weak,
        values,
        few=lambda n: ngettext(
            "%(count)s heading scores below %(floor)s: %(headings)s.",
            "%(count)s headings score below %(floor)s, lowest first: %(headings)s.",
            n,
        ),
        many=lambda n: ngettext(
            "%(count)s heading scores below %(floor)s; the lowest %(shown)s: %(headings)s.",
            "%(count)s headings score below %(floor)s; the lowest %(shown)s: %(headings)s.",
            n,
        ),
    )
    return Paragraph("further", title, [sentence])


def _named_headings(
    rows: Sequence[HeadingRow],
    values: dict[str, object],
    *,
    few: Callable[[int], str],
    many: Callable[[int], str],
) -> str:
    """One sentence naming the first MOST rows, worded `few` if that is all of them."""
    shown = rows[:MOST]
    template = few if len(rows) <= MOST else many
    return template(len(rows)) % {
        **values,
        "count": len(rows),
        "shown": len(shown),
        "headings": joined(heading_phrase(row) for row in shown),
    }


def _gaps(report: Report) -> Paragraph:
    title = gettext("The most urgent gaps.")
    gaps = report.gaps
    if not gaps:
        return Paragraph("gaps", title, [gettext("No scored practice area is below its target.")])
    sentences = [
        ngettext(
            "%(counter)s practice area is below its target.",
            "%(counter)s practice areas are below their target.",
            len(gaps),
        )
        % {"counter": len(gaps)},
        gettext("By priority: %(counts)s.") % {"counts": _priority_counts(report.gap_counts)},
    ]
    if report.overdue_count:
        sentences.append(
            ngettext(
                "%(count)s action of the action plan is past its target date.",
                "%(count)s actions of the action plan are past their target date.",
                report.overdue_count,
            )
            % {"count": report.overdue_count}
        )
    if len(gaps) > 1:
        sentences.append(
            ngettext(
                "The %(count)s most urgent, by priority and then by size:",
                "The %(count)s most urgent, by priority and then by size:",
                min(len(gaps), MOST),
            )
            % {"count": min(len(gaps), MOST)}
        )
    entries = {entry.item.code: entry for plan in report.action_plan for entry in plan.items}
    items = [_gap_sentence(gap, entries.get(gap.item.code)) for gap in gaps[:MOST]]
    return Paragraph("gaps", title, sentences, items)


def _priority_counts(counts: dict[str, int]) -> str:
    """ "2 high, 1 with no priority set": only the priorities that have gaps."""
    words = {
        "high": pgettext("gaps of this priority", "%(count)s high"),
        "medium": pgettext("gaps of this priority", "%(count)s medium"),
        "low": pgettext("gaps of this priority", "%(count)s low"),
        "none": pgettext("gaps of this priority", "%(count)s with no priority set"),
    }
    return ", ".join(words[key] % {"count": counts[key]} for key in words if counts.get(key))


def _gap_sentence(gap: rules.Gap, entry: PlanItem | None) -> str:
    answer = gap.item.answer
    priorities = {
        "high": pgettext("a gap's priority", "high priority"),
        "medium": pgettext("a gap's priority", "medium priority"),
        "low": pgettext("a gap's priority", "low priority"),
        "": pgettext("a gap's priority", "no priority set"),
    }
    agency = answer.responsible_agency
    values = {
        "area": f"{gap.item.code} {gap.item.name}",
        "gap": ngettext("%(count)s level below target", "%(count)s levels below target", gap.levels)
        % {"count": gap.levels},
        "priority": priorities.get(gap.priority, priorities[""]),
        "agency": (
            gettext("responsible agency: %(name)s") % {"name": agency.name}
            if agency
            else gettext("no agency named yet")
        ),
    }
    if entry is not None and entry.overdue:
        values["date"] = long_date(answer.target_date)
        return (
            gettext(
                "%(area)s: %(gap)s, %(priority)s; %(agency)s; its target date, %(date)s, "
                "has passed."
            )
            % values
        )
    return gettext("%(area)s: %(gap)s, %(priority)s; %(agency)s.") % values


def _change(report: Report) -> Paragraph:
    title = gettext("Change since the previous cycle.")
    if report.previous is None:
        sentence = gettext(
            "This assessment is not linked to a previous cycle, so there is nothing to "
            "compare with."
        )
        return Paragraph("change", title, [sentence])
    cycle = report.previous.cycle
    sentences = [
        _index_change(
            pgettext("subject of a sentence", "The practice index"),
            report.previous_practice_index,
            report.practice_index,
            cycle,
        ),
        _index_change(
            pgettext("subject of a sentence", "The understanding index"),
            report.previous_understanding_index,
            report.understanding_index,
            cycle,
        ),
        *_heading_moves(report.headings, cycle),
    ]
    return Paragraph("change", title, sentences)


def _index_change(
    name: str, before: rules.Shown | None, after: rules.Shown | None, cycle: int
) -> str:
    values = {"index": name, "cycle": cycle}
    if before is None or after is None:
        return (
            gettext("%(index)s cannot be compared with %(cycle)s: one of the two has no score.")
            % values
        )
    values |= {"before": score(before), "after": score(after)}
    if after > before:
        return gettext("%(index)s has risen from %(before)s in %(cycle)s to %(after)s.") % values
    if after < before:
        return gettext("%(index)s has fallen from %(before)s in %(cycle)s to %(after)s.") % values
    return gettext("%(index)s is unchanged since %(cycle)s, at %(after)s.") % values


def _heading_moves(headings: Sequence[HeadingRow], cycle: int) -> list[str]:
    up = sum(1 for row in headings if row.change is not None and row.change > 0)
    down = sum(1 for row in headings if row.change is not None and row.change < 0)
    # Scored in one cycle only: nothing scored before, or nothing scored now.
    one_sided = sum(1 for row in headings if (row.score is None) != (row.previous is None))
    if not (up or down or one_sided):
        return [gettext("No heading score has changed since %(cycle)s.") % {"cycle": cycle}]
    sentences = []
    if up:
        sentences.append(
            ngettext(
                "%(count)s heading scores higher than in %(cycle)s.",
                "%(count)s headings score higher than in %(cycle)s.",
                up,
            )
            % {"count": up, "cycle": cycle}
        )
    if down:
        sentences.append(
            ngettext(
                "%(count)s heading scores lower than in %(cycle)s.",
                "%(count)s headings score lower than in %(cycle)s.",
                down,
            )
            % {"count": down, "cycle": cycle}
        )
    if one_sided:
        sentences.append(
            ngettext(
                "%(count)s heading has a score in only one of the two cycles.",
                "%(count)s headings have a score in only one of the two cycles.",
                one_sided,
            )
            % {"count": one_sided}
        )
    return sentences


def _coherence(report: Report) -> Paragraph:
    title = gettext("Commitment and practice.")
    flags = report.coherence
    if not flags:
        sentence = gettext("No Common Understanding is flagged as a commitment–practice gap.")
        return Paragraph("coherence", title, [sentence])
    named = joined(
        ngettext(
            "%(code)s (heading %(headings)s)", "%(code)s (headings %(headings)s)", len(row.weak)
        )
        % {
            "code": row.item.code,
            "headings": get_text_list(
                [str(h.number) for h in row.weak], pgettext("the last two of a list", "and")
            ),
        }
        for row in flags
    )
    sentence = ngettext(
        "%(count)s Common Understanding is reported as largely or fully reflected while a "
        "heading that puts it into practice scores below %(floor)s, a commitment–practice gap: "
        "%(flags)s.",
        "%(count)s Common Understandings are reported as largely or fully reflected while a "
        "heading that puts them into practice scores below %(floor)s, commitment–practice gaps: "
        "%(flags)s.",
        len(flags),
    ) % {"count": len(flags), "floor": report.coherence_floor, "flags": named}
    return Paragraph("coherence", title, [sentence])


def _data_gaps(report: Report) -> Paragraph:
    dont_know, unanswered = len(report.data_gaps), len(report.unanswered)
    if dont_know:
        first = ngettext(
            "%(count)s item is answered “Don't know”: that information is still to be found.",
            "%(count)s items are answered “Don't know”: that information is still to be found.",
            dont_know,
        ) % {"count": dont_know}
    else:
        first = gettext("No item is answered “Don't know”.")
    if unanswered:
        second = ngettext(
            "%(counter)s item is not answered yet.",
            "%(counter)s items are not answered yet.",
            unanswered,
        ) % {"counter": unanswered}
    else:
        second = gettext("Every item has an answer.")
    return Paragraph("data", gettext("Data gaps."), [first, second])


def _scope(report: Report) -> Paragraph:
    assessment = report.assessment
    if assessment.is_validated:
        values = {"date": long_date(report.as_of)}
        if assessment.validated_by_id:
            values["name"] = assessment.validated_by.display_name
            status = gettext("Validated by %(name)s on %(date)s.") % values
        else:
            status = gettext("Validated on %(date)s.") % values
    elif assessment.is_in_review:
        status = gettext(
            "Submitted for review on %(date)s and not yet validated: the figures may still change."
        ) % {"date": long_date(assessment.submitted_at or report.as_of)}
    else:
        status = gettext(
            "This is a draft, not yet validated: the answers are still being filled in and the "
            "figures will change (answers as of %(date)s)."
        ) % {"date": long_date(report.as_of)}
    scope = gettext(
        "It is a self-assessment by the country's own national team against the International "
        "Agenda for Migration Management, not a ranking of countries or an external evaluation: "
        "the scores describe the answers given."
    )
    return Paragraph("scope", gettext("Scope and limits."), [status, scope])
