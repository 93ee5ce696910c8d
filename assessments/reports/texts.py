"""How much of the team's own words a report prints.

However long the answers and however many the comments, the report (on screen and in the
PDF) prints a bounded amount of them, so that rendering time has a bound whatever the forms
accepted: of each item, the latest COMMENTS_SHOWN comments, with the number of earlier ones;
of all texts together about TEXT_BUDGET characters, by cutting the longest texts first to a
common length (`text_limit`). Short texts, like the demo's, are never cut. Every word stays in
the app and in the exports.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from ..models import Answer, Comment

COMMENTS_SHOWN = 3
# About 10 pages of text; WeasyPrint lays out roughly 10,000 characters a second.
TEXT_BUDGET = 20_000
MIN_SHOWN = 80  # each text keeps at least this much, however many there are
TEXT_FIELDS = ("na_justification", "evidence", "planned_action")


@dataclass(frozen=True)
class ShownText:
    text: str
    left_out: int = 0  # characters not printed


def text_limit(lengths: Iterable[int], budget: int = TEXT_BUDGET) -> int | None:
    """The longest length L such that all texts cut to L fit in `budget` characters, or None
    when they fit uncut."""
    ordered = sorted(lengths)
    remaining = budget
    for index, length in enumerate(ordered):
        others = len(ordered) - index  # this text and the longer ones
        if length * others > remaining:
            return max(remaining // others, MIN_SHOWN)
        remaining -= length
    return None


def shorten(text: str, limit: int | None) -> ShownText:
    if limit is None or len(text) <= limit:
        return ShownText(text)
    return ShownText(text[:limit], len(text) - limit)


@dataclass(frozen=True)
class PrintedTexts:
    """What a report prints of one item's words: its texts (by field name), its latest
    comments with their printed text, and how many earlier comments are left in the app."""

    fields: dict[str, ShownText]
    comments: list[tuple[Comment, ShownText]]
    earlier_comments: int


def bound_texts(answers: list[Answer]) -> dict[int, PrintedTexts]:
    """What the report prints of each answer (by answer id), within TEXT_BUDGET in all."""
    latest = {a.pk: list(a.comments.all())[-COMMENTS_SHOWN:] for a in answers}
    # The planned action is printed twice: in the action plan and in the annex.
    lengths = [
        len(answer.na_justification) if answer.level == Answer.Level.NOT_APPLICABLE else 0
        for answer in answers
    ]
    lengths += [len(a.evidence) for a in answers] + [len(a.planned_action) for a in answers] * 2
    lengths += [len(c.text) for comments in latest.values() for c in comments]
    limit = text_limit(length for length in lengths if length)
    return {
        answer.pk: PrintedTexts(
            fields={name: shorten(getattr(answer, name), limit) for name in TEXT_FIELDS},
            comments=[(c, shorten(c.text, limit)) for c in latest[answer.pk]],
            earlier_comments=max(len(answer.comments.all()) - COMMENTS_SHOWN, 0),
        )
        for answer in answers
    }
