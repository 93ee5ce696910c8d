"""Geometry of the heading chart, drawn by `templates/reports/_chart.html`."""

from __future__ import annotations

import textwrap
from dataclasses import dataclass

from .rows import HeadingRow

# Heading names are wrapped, never cut: about this many characters fit on a line of the label
# column (230 px of 11 px Noto Sans); a row grows by LINE_HEIGHT for each extra line.
LABEL_CHARS = 36
MAX_LINES = 3
ROW_HEIGHT = 22
LINE_HEIGHT = 14
BAR_HEIGHT = 15
# Room for a score label: "100.0" is 28 px wide in 11 px Noto Sans. The label has a white
# backing this wide, so a dashed threshold line never runs through the number.
LABEL_WIDTH = 30
# The target's diamond, as the template draws it: this far either side of the target.
DIAMOND_HALF_WIDTH = 5
# Between a label and the bar's end or the diamond before it: at 80 dpi, 3 px read as touching.
LABEL_GAP = 5


@dataclass
class ChartRow:
    row: HeadingRow
    lines: list[str]  # the heading's number and name, wrapped
    y: int  # top of the row
    height: int
    bar_width: float
    target_x: float | None
    label_x: float

    @property
    def bar_y(self) -> float:
        return self.y + (self.height - BAR_HEIGHT) / 2

    @property
    def diamond_y(self) -> float:
        return self.bar_y - 1

    @property
    def text_y(self) -> float:
        return self.bar_y + 12

    @property
    def backing_x(self) -> float:
        """The label's white backing starts a pixel early: a line there would touch the digit."""
        return round(self.label_x - 1, 1)


@dataclass
class Chart:
    width: int
    height: int
    plot_x: int
    plot_width: int
    rows: list[ChartRow]
    ticks: list[tuple[float, int]]
    thresholds: list[tuple[float, int]]
    axis_y: float
    backing_width: int = LABEL_WIDTH + 1


def heading_lines(row: HeadingRow) -> list[str]:
    name = f"{row.heading.number}. {row.heading.title}"
    return textwrap.wrap(name, LABEL_CHARS, max_lines=MAX_LINES, placeholder=" …") or [name]


def label_x(bar_end: float, target_x: float | None) -> float:
    """Where a score label goes: just after the end of its bar, unless the target's diamond
    would come within LABEL_GAP of the label's room, in which case just after the diamond."""
    x = bar_end + LABEL_GAP
    if target_x is not None:
        left, right = target_x - DIAMOND_HALF_WIDTH, target_x + DIAMOND_HALF_WIDTH
        if left < x + LABEL_WIDTH + LABEL_GAP and right > x - LABEL_GAP:
            x = right + LABEL_GAP
    return round(x, 1)


def score_chart(rows: list[HeadingRow], thresholds) -> Chart:
    """Geometry of the heading chart: one hatched bar per heading (its score, the number at the
    bar's end), a diamond for its target, dashed lines at the band thresholds.

    The heading names are HTML beside the SVG, one row each, as tall as its wrapped lines:
    WeasyPrint lays out SVG text letter by letter, which made long labels the slowest part of
    the PDF.
    """
    plot_x, plot_width, top = 0, 360, 10
    scale = plot_width / 100
    chart_rows, y = [], top
    for row in rows:
        lines = heading_lines(row)
        height = ROW_HEIGHT + LINE_HEIGHT * (len(lines) - 1)
        bar = float(row.score or 0) * scale
        target = None if row.target is None else round(plot_x + float(row.target) * scale, 1)
        chart_rows.append(
            ChartRow(
                row=row,
                lines=lines,
                y=y,
                height=height,
                bar_width=round(bar, 1),
                target_x=target,
                label_x=label_x(plot_x + bar, target),
            )
        )
        y += height
    axis_y = y + 2
    return Chart(
        width=plot_x + plot_width + 50,
        height=axis_y + 18,
        plot_x=plot_x,
        plot_width=plot_width,
        rows=chart_rows,
        ticks=[(plot_x + v * scale, v) for v in range(0, 101, 20)],
        thresholds=[(plot_x + b * scale, b) for b, _key in thresholds if 0 < b < 100],
        axis_y=axis_y,
    )
