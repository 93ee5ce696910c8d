"""Filters for the report templates (HTML and PDF)."""

from __future__ import annotations

import re
import unicodedata

from django import template
from django.utils.html import format_html
from django.utils.translation import ngettext

from ..reports import narrative
from ..reports.data import Report
from ..reports.texts import ShownText

register = template.Library()

# A line-break opportunity after every BREAK_EVERY characters of a run without one. WeasyPrint
# finds where to break a word too long for its line (overflow-wrap: anywhere or break-word) in
# time that grows with the square of the word's length: 10,000 characters without a space took
# 9 s to lay out, 20,000 took 29 s. With a zero-width space every 24 characters no word is ever
# too long, and layout time grows in step with the text (1 s, 2 s; tests/bench.py).
BREAK_EVERY = 24
ZERO_WIDTH_SPACE = "\u200b"
LONG_RUN = re.compile(rf"\S{{{BREAK_EVERY + 1},}}")
JOINERS = {"\u200d", "\u2060"}  # a break beside these would split an emoji or a word


def _breakable_run(match: re.Match) -> str:
    out: list[str] = []
    since_break = 0
    previous = ""
    for char in match.group():
        inside_cluster = unicodedata.category(char).startswith("M") or char in JOINERS
        inside_cluster = inside_cluster or previous in JOINERS or "\ufe00" <= char <= "\ufe0f"
        # Never between a letter and its accents, unless a "letter" carries hundreds of them.
        if since_break >= BREAK_EVERY and (not inside_cluster or since_break >= 4 * BREAK_EVERY):
            out.append(ZERO_WIDTH_SPACE)
            since_break = 0
        out.append(char)
        since_break += 1
        previous = char
    return "".join(out)


@register.filter
def breakable(value: object) -> str:
    """The text with an invisible line-break opportunity in every long run without a space,
    so that the PDF wraps it in linear time (BREAK_EVERY). The result is escaped as usual."""
    return LONG_RUN.sub(_breakable_run, str(value)) if value else ""


@register.filter
def shown(value: ShownText) -> str:
    """A text as the report prints it (report_texts): breakable, and if it was shortened,
    how much was left out."""
    text = breakable(value.text)
    if not value.left_out:
        return text
    note = ngettext(
        "%(count)s more character in the app and the exports",
        "%(count)s more characters in the app and the exports",
        value.left_out,
    ) % {"count": value.left_out}
    return format_html('{}… <span class="muted">[{}]</span>', text, note)


@register.simple_tag
def summary_paragraphs(report: Report) -> list[narrative.Paragraph]:
    """The executive summary's sentences (`narrative.summary_paragraphs`), in the language the
    template is rendered in."""
    return narrative.summary_paragraphs(report)
