"""Geometry for the dashboard's server-rendered SVG charts (``_stats.html`` draws them).

No JavaScript and nothing from a CDN: a chart is an inline ``<svg>`` with a viewBox about as
wide as a phone (so its text stays legible at 375 px) that CSS scales to the column. These
functions only place things; the numbers themselves come from the same report tables that
are printed next to each chart.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

WIDTH = 400
LABEL_CHARS = 16


def _short(text: str, limit: int = LABEL_CHARS) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _nice_max(value: float) -> int:
    """A round upper bound for an axis (1, 2, 5 × 10ⁿ), never below 1."""
    if value <= 1:
        return 1
    step = 1
    while True:
        for factor in (1, 2, 5):
            if step * factor >= value:
                return step * factor
        step *= 10


@dataclass(frozen=True)
class Bar:
    label: str
    value_text: str
    y: float
    width: float


@dataclass(frozen=True)
class Bars:
    bars: list[Bar]
    height: float
    track: float = WIDTH


def bars(items: list[tuple[str, float | None, str]]) -> Bars:
    """Horizontal bars of a percentage: (label, percent or None, value as printed)."""
    row = 46
    placed = [Bar(_short(label), text, index * row, WIDTH * (percent or 0) / 100)
              for index, (label, percent, text) in enumerate(items)]
    return Bars(placed, max(len(placed) * row, row))


@dataclass(frozen=True)
class Point:
    x: float
    y: float
    value: int


@dataclass(frozen=True)
class LineChart:
    points: list[Point]
    polyline: str
    ticks: list[tuple[float, int]]     # (y, value) of the horizontal grid lines
    labels: list[tuple[float, str, str]]  # (x, "MM-DD", text-anchor) under the axis
    left: float
    right: float
    top: float
    bottom: float
    height: float


def line(weeks: list[tuple[date, int]]) -> LineChart:
    """Weekly counts as a line over a grid of three round values."""
    left, right, top, bottom, height = 40.0, WIDTH - 12.0, 12.0, 190.0, 226.0
    peak = _nice_max(max((count for _, count in weeks), default=0))
    count = max(len(weeks) - 1, 1)
    points = [Point(left + (right - left) * index / count,
                    bottom - (bottom - top) * value / peak, value)
              for index, (_, value) in enumerate(weeks)]
    ticks = [(bottom - (bottom - top) * value / peak, value)
             for value in sorted({0, peak // 2 if peak > 1 else 0, peak})]
    shown = sorted({0, len(weeks) // 2, len(weeks) - 1}) if weeks else []
    anchors = {0: "start", len(weeks) - 1: "end"} if len(weeks) > 1 else {}
    labels = [(points[index].x, weeks[index][0].strftime("%m-%d"), anchors.get(index, "middle"))
              for index in shown]
    return LineChart(points, " ".join(f"{p.x:.1f},{p.y:.1f}" for p in points), ticks, labels,
                     left, right, top, bottom, height)


@dataclass(frozen=True)
class Column:
    label: str
    value: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class Columns:
    columns: list[Column]
    bottom: float
    height: float


def columns(items: list[tuple[str, int]]) -> Columns:
    """Vertical columns of counts with their labels underneath (the score distribution)."""
    top, bottom, height = 24.0, 190.0, 226.0
    peak = max((value for _, value in items), default=0) or 1
    slot = WIDTH / max(len(items), 1)
    placed = [Column(label, value, index * slot + slot * 0.12,
                     bottom - (bottom - top) * value / peak, slot * 0.76,
                     (bottom - top) * value / peak)
              for index, (label, value) in enumerate(items)]
    return Columns(placed, bottom, height)
