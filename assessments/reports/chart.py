"""Geometry of the heading chart, drawn by `templates/reports/_chart.html`."""

from __future__ import annotations

from dataclasses import dataclass

from .rows import HeadingRow


@dataclass
class ChartRow:
    row: HeadingRow
    y: float
    bar_width: float
    target_x: float | None
    label_x: float


@dataclass
class Chart:
    width: int
    height: int
    plot_x: int
    plot_width: int
    row_height: int
    rows: list[ChartRow]
    ticks: list[tuple[float, int]]
    thresholds: list[tuple[float, int]]
    axis_y: float


def score_chart(rows: list[HeadingRow], thresholds) -> Chart:
    """Geometry of the heading chart: one hatched bar per heading (its score), a diamond for its
    target, dashed lines at the band thresholds. Drawn by `reports/_chart.html`.

    The heading names are HTML beside the SVG, one per row of `row_height` pixels: WeasyPrint
    lays out SVG text letter by letter, which made long labels the slowest part of the PDF.
    """
    plot_x, plot_width, row_height, top = 0, 360, 22, 10
    scale = plot_width / 100
    chart_rows = []
    for i, row in enumerate(rows):
        bar = float(row.score or 0) * scale
        target = None if row.target is None else float(row.target) * scale
        chart_rows.append(
            ChartRow(
                row=row,
                y=top + i * row_height,
                bar_width=round(bar, 1),
                target_x=None if target is None else round(plot_x + target, 1),
                label_x=round(plot_x + max(bar, target or 0) + 8, 1),
            )
        )
    axis_y = top + len(rows) * row_height + 2
    return Chart(
        width=plot_x + plot_width + 60,
        height=axis_y + 18,
        plot_x=plot_x,
        plot_width=plot_width,
        row_height=row_height,
        rows=chart_rows,
        ticks=[(plot_x + v * scale, v) for v in range(0, 101, 20)],
        thresholds=[(plot_x + b * scale, b) for b, _key in thresholds if 0 < b < 100],
        axis_y=axis_y,
    )
