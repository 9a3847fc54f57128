"""Step charts of prices over time: as text for a terminal, and as inline SVG for the HTML report."""

from __future__ import annotations

import colorsys
import datetime as dt
import string
import unicodedata
from collections import Counter
from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape

from pricewar.answers.timeline import Series

MARKERS = "●■▲◆✚✖○□△◇★☆♦♣♠♥"
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))


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


def ticks(low: Decimal, high: Decimal) -> list[Decimal]:
    """Round values for an axis from `low` to `high`, widened to whole steps: a step of 1, 2, 2.5 or 5 × 10^k,
    four to seven ticks, the least range wasted. 0 is a tick whenever the range reaches it."""
    if high <= low:
        high = low + 1
    magnitude = (high - low).adjusted()
    options = []
    for exponent in range(magnitude - 2, magnitude + 2):
        for mantissa in NICE_STEPS:
            step = mantissa.scaleb(exponent)
            first = (low / step).to_integral_value(ROUND_FLOOR)
            last = (high / step).to_integral_value(ROUND_CEILING)
            count = int(last - first) + 1
            options.append((not 4 <= count <= 7, (last - first) * step, _decimals(step), count, step, first))
    *_, count, step, first = min(options)
    return [(first + i) * step for i in range(count)]


def _decimals(step: Decimal) -> int:
    return max(0, -step.normalize().as_tuple().exponent)


def tick_labels(values: list[Decimal], unit: str = "") -> list[str]:
    """Ticks as text with the fewest decimals each: "-50%", "0%", "0.25%", "0.5%"."""
    step = values[1] - values[0] if len(values) > 1 else Decimal(1)
    texts = [f"{value:.{_decimals(step)}f}" for value in values]
    return [(text.rstrip("0").rstrip(".") if "." in text else text) + unit if value else f"0{unit}"
            for text, value in zip(texts, values)]


def markers(count: int) -> list[str]:
    """`count` distinct one-column characters: the shapes, then A–Z and a–z, then further letters."""
    chosen = list(MARKERS + string.ascii_uppercase + string.ascii_lowercase)
    code = 0x100
    while len(chosen) < count:
        letter = chr(code)
        if unicodedata.category(letter) in ("Lu", "Ll") and unicodedata.east_asian_width(letter) in ("N", "Na", "A"):
            chosen.append(letter)
        code += 1
    return chosen[:count]


def colours(count: int) -> list[str]:
    """`count` distinct colours: the palette, then hues spread by the golden ratio at three lightnesses."""
    chosen = list(COLOURS)
    index = 0
    while len(chosen) < count:
        red, green, blue = colorsys.hls_to_rgb(index * 0.618033988749895 % 1, (0.35, 0.5, 0.65)[index % 3], 0.7)
        colour = f"#{round(red * 255):02x}{round(green * 255):02x}{round(blue * 255):02x}"
        if colour not in chosen:
            chosen.append(colour)
        index += 1
    return chosen[:count]


def unique_labels(series: list[Series], owners: list[str]) -> list[Series]:
    """The series, each label once in a legend: a label several share is prefixed by each one's owner
    ("DeepSeek deepseek-chat"), and numbered where even that repeats."""
    shared = Counter(s.label for s in series)
    named = [replace(s, label=f"{owner} {s.label}") if shared[s.label] > 1 else s for s, owner in zip(series, owners)]
    seen: Counter[str] = Counter()
    result = []
    for s in named:
        seen[s.label] += 1
        result.append(replace(s, label=f"{s.label} ({seen[s.label]})") if seen[s.label] > 1 else s)
    return result


def terminal(series: list[Series], start: str, end: str, *, width: int = 64, height: int = 12,
             unit: str = "") -> list[str]:
    """The chart as lines of text: a distinct marker per series, round values on the y axis (0 among them
    when the range reaches it), the dates and a legend. About `height` rows: as many as put every tick
    the same number of rows apart."""
    days = _days(start, end, width)
    values = ticks(*_range(series, days))
    low, high = values[0], values[-1]
    steps = len(values) - 1
    height = max(1, round((height - 1) / steps)) * steps + 1

    def row(value: Decimal) -> int:
        return round((high - value) / (high - low) * (height - 1))

    grid = [[" "] * width for _ in range(height)]
    symbols = markers(len(series))
    for marker, s in zip(symbols, series):
        for column, day in enumerate(days):
            value = s.at(day)
            if value is not None:
                grid[row(value)][column] = marker
    labels = {row(value): label for value, label in zip(values, tick_labels(values, unit))}
    pad = max(len(label) for label in labels.values())
    lines = [f"{labels.get(number, ''):>{pad}} ┤{''.join(cells)}" for number, cells in enumerate(grid)]
    lines.append(" " * pad + " └" + "─" * width)
    lines.append(" " * (pad + 2) + start + end.rjust(width - len(start)))
    lines += [f"  {marker} {s.label}" for marker, s in zip(symbols, series)]
    return lines


def svg(series: list[Series], start: str, end: str, *, title: str, unit: str = "", width: int = 760,
        height: int = 320) -> str:
    """The chart as a self-contained <svg> element: a distinct colour per series, a label and a light grid line
    at each round value (0 among them when the range reaches it); every label is escaped."""
    left, right, top, bottom = 70, 20, 30, 40
    plot_w, plot_h = width - left - right, height - top - bottom
    days = _days(start, end, plot_w // 2)
    values = ticks(*_range(series, days))
    low, high = values[0], values[-1]

    def x(day: str) -> float:
        first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
        span = max((last - first).days, 1)
        return left + plot_w * (dt.date.fromisoformat(day) - first).days / span

    def y(value: Decimal) -> float:
        return top + plot_h * float((high - value) / (high - low))

    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 20 * len(series)}" '
             f'role="img" aria-label="{escape(title)}">',
             f'<text x="{left}" y="18" font-size="14" font-weight="bold">{escape(title)}</text>']
    for value, label in zip(values, tick_labels(values, unit)):
        parts.append(f'<line x1="{left}" y1="{y(value):.1f}" x2="{left + plot_w}" y2="{y(value):.1f}" '
                     'stroke="#e6e6e6"/>')
        parts.append(f'<text x="{left - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end">'
                     f'{escape(label)}</text>')
    parts += [f'<line x1="{left}" y1="{top + plot_h}" x2="{left + plot_w}" y2="{top + plot_h}" stroke="#444"/>',
              f'<line x1="{left}" y1="{top}" x2="{left}" y2="{top + plot_h}" stroke="#444"/>']
    if low < 0 < high:
        parts.append(f'<line x1="{left}" y1="{y(Decimal(0)):.1f}" x2="{left + plot_w}" y2="{y(Decimal(0)):.1f}" '
                     'stroke="#bbb" stroke-dasharray="4 3"/>')
    parts.append(f'<text x="{left}" y="{top + plot_h + 16}" font-size="11">{escape(start)}</text>')
    parts.append(f'<text x="{left + plot_w}" y="{top + plot_h + 16}" font-size="11" text-anchor="end">'
                 f'{escape(end)}</text>')
    for index, (colour, s) in enumerate(zip(colours(len(series)), series)):
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
