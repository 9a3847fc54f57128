"""Step charts of prices over time: as text for a terminal, and as inline SVG for the HTML report."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from html import escape

MARKERS = "●■▲◆✚✖○□△◇★☆♦♣♠♥"
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")


@dataclass
class Series:
    """A step function: each point holds its value until the next point; None where there is no price."""

    label: str
    points: list[tuple[str, Decimal | None]]

    def at(self, day: str) -> Decimal | None:
        value = None
        for start, amount in self.points:
            if start > day:
                break
            value = amount
        return value


def _days(start: str, end: str, count: int) -> list[str]:
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    span = max((last - first).days, 1)
    return [(first + dt.timedelta(days=round(span * i / max(count - 1, 1)))).isoformat() for i in range(count)]


def _range(series: list[Series], days: list[str]) -> tuple[Decimal, Decimal]:
    values = [v for s in series for v in (s.at(d) for d in days) if v is not None]
    if not values:
        return Decimal(0), Decimal(1)
    low, high = min(min(values), Decimal(0)), max(max(values), Decimal(0))
    return (low, high) if high > low else (low, low + 1)


def terminal(series: list[Series], start: str, end: str, *, width: int = 64, height: int = 12,
             unit: str = "") -> list[str]:
    """The chart as lines of text, a marker per series, with its y range, dates and a legend."""
    days = _days(start, end, width)
    low, high = _range(series, days)
    grid = [[" "] * width for _ in range(height)]
    for index, s in enumerate(series):
        marker = MARKERS[index % len(MARKERS)]
        for column, day in enumerate(days):
            value = s.at(day)
            if value is not None:
                row = round((high - value) / (high - low) * (height - 1))
                grid[row][column] = marker
    labels = [_label(high, unit), _label((high + low) / 2, unit), _label(low, unit)]
    pad = max(len(label) for label in labels)
    lines = []
    for number, row in enumerate(grid):
        label = labels[0] if number == 0 else labels[2] if number == height - 1 else (
            labels[1] if number == (height - 1) // 2 else "")
        lines.append(f"{label:>{pad}} ┤{''.join(row)}")
    lines.append(" " * pad + " └" + "─" * width)
    lines.append(" " * (pad + 2) + start + end.rjust(width - len(start)))
    lines += [f"  {MARKERS[i % len(MARKERS)]} {s.label}" for i, s in enumerate(series)]
    return lines


def _label(value: Decimal, unit: str) -> str:
    if value == 0:
        return f"0{unit}"
    text = f"{value:.0f}" if abs(value) >= 10 else f"{value:.2f}" if abs(value) >= 0.1 else f"{value:.4f}"
    return f"{text}{unit}"


def svg(series: list[Series], start: str, end: str, *, title: str, unit: str = "", width: int = 760,
        height: int = 320) -> str:
    """The chart as a self-contained <svg> element; every label is escaped."""
    left, right, top, bottom = 70, 20, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    days = _days(start, end, plot_w // 2)
    low, high = _range(series, days)

    def x(day: str) -> float:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        span = max((last - first).days, 1)
        return left + plot_w * (dt.date.fromisoformat(day) - first).days / span

    def y(value: Decimal) -> float:
        return top + plot_h * float((high - value) / (high - low))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 20 * len(series)}" '
             f'role="img" aria-label="{escape(title)}">',
             f'<text x="{left}" y="18" font-size="14" font-weight="bold">{escape(title)}</text>',
             f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#444"/>',
             f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#444"/>']
    for value in (high, (high + low) / 2, low):
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end">'
                     f'{escape(_label(value, unit))}</text>')
    if low < 0 < high:
        parts.append(f'<line x1="{left}" y1="{y(Decimal(0)):.1f}" x2="{left + plot_w}" y2="{y(Decimal(0)):.1f}" '
                     'stroke="#bbb" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{left}" y="{top + plot_h + 16}" font-size="11">{escape(start)}</text>')
    parts.append(f'<text x="{left + plot_w}" y="{top + plot_h + 16}" font-size="11" text-anchor="end">'
                 f'{escape(end)}</text>')
    for index, s in enumerate(series):
        colour = COLOURS[index % len(COLOURS)]
        path, previous = [], None
        for day in days + [end]:
            value = s.at(day)
            if value is None:
                previous = None
                continue
            px, py = x(day), y(value)
            path.append(f"{'L' if previous is not None else 'M'}{px:.1f},{(previous if previous is not None else py):.1f}")
            path.append(f"L{px:.1f},{py:.1f}")
            previous = py
        if path:
            parts.append(f'<path d="{" ".join(path)}" fill="none" stroke="{colour}" stroke-width="2"/>')
        legend_y = height + 20 * index
        parts.append(f'<rect x="{left}" y="{legend_y - 9}" width="12" height="4" fill="{colour}"/>'
                     f'<text x="{left + 18}" y="{legend_y}" font-size="12">{escape(s.label)}</text>')
    parts.append("</svg>")
    return "\n".join(parts)
