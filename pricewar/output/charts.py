"""Step charts of prices over time: as text for a terminal, and as inline SVG for the HTML report.

Both draw at most a few series, in the order given (callers rank them), each apart from those drawn before it at
the chart's resolution; the rest are named under the chart, so none is lost unsaid. A line is labelled at its end
and the time axis has calendar ticks (months, quarters, half years or years, as the span and the room allow).
"""

from __future__ import annotations

import colorsys
import datetime as dt
import math
import string
import unicodedata
from collections import Counter
from dataclasses import replace
from decimal import ROUND_CEILING, ROUND_FLOOR, Decimal
from html import escape
from itertools import pairwise

from pricewar.answers.timeline import Series

MARKERS = "●■▲◆✚✖○□△◇★☆♦♣♠♥"
COLOURS = ("#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b", "#e377c2", "#17becf",
           "#7f7f7f", "#bcbd22", "#393b79", "#637939", "#8c6d31", "#843c39", "#7b4173", "#3182bd")
NICE_STEPS = (Decimal(1), Decimal(2), Decimal("2.5"), Decimal(5))
# calendar ticks, finest first: every so many months, aligned to years (a 2-year tick falls on even years)
CALENDAR = ((1, "{y}-{m:02}"), (3, "{y}-Q{q}"), (6, "{y}-{m:02}"), (12, "{y}"), (24, "{y}"), (60, "{y}"),
            (120, "{y}"), (240, "{y}"))
SAME_SHARE = 0.9  # a series this close to a drawn one on this share of its days, and at its end, runs along it
LETTER_PX = 6.5  # the width of a character of 11px text in the SVG, roughly (a wide CJK one counts twice)
LEFT_OUT = "not drawn (in the table{where}):"


def _range(series: list[Series], start: str, end: str) -> tuple[Decimal, Decimal]:
    values = [v for s in series for v in [s.at(start), *(v for d, v in s.points if start < d <= end)]
              if v is not None]
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


def time_ticks(start: str, end: str, room: float, *, char: float = 1, gap: float = 2, before: float = math.inf,
               after: float = math.inf) -> list[tuple[str, str]]:
    """(day, label) of the finest calendar ticks from `start` to `end` whose labels, `char` wide a character,
    centred on their day along `room` (or moved in to stay within `before` ahead of it and `after` beyond it),
    stay `gap` apart: months "2024-07", quarters "2025-Q1", half years "2025-07", years "2025" (every 2, 5, 10 or
    20 years). The two end dates when no level gives two ticks."""
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    span = max((last - first).days, 1)

    def fits(marks: list[tuple[dt.date, str]]) -> bool:
        spans = []
        for day, text in marks:
            wide = len(text) * char
            left = min(max(room * (day - first).days / span - wide / 2, -before), room + after - wide)
            spans.append((left, left + wide))
        return all(b >= a + gap for (_, a), (b, _) in pairwise(spans)) and (not spans or spans[0][0] >= -before)

    levels = [[(day, text.format(y=day.year, m=day.month, q=(day.month + 2) // 3))
               for day in _month_starts(first, last, months)] for months, text in CALENDAR]
    fitting = [marks for marks in levels if fits(marks)]
    ends = [(first, start), (last, end)] if last > first else [(first, start)]
    marks = next((m for m in fitting if len(m) >= 2), None) or (ends if fits(ends) else None) or \
        next((m for m in fitting if m), [])
    return [(day.isoformat(), text) for day, text in marks]


def _month_starts(first: dt.date, last: dt.date, months: int) -> list[dt.date]:
    index = first.year * 12 + first.month - 1 + (first.day > 1)
    index = -(-index // months) * months
    days = []
    while (day := dt.date(index // 12, index % 12 + 1, 1)) <= last:
        days.append(day)
        index += months
    return days


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


def cells(text: str) -> int:
    """How many terminal columns `text` takes: two for a wide (CJK) character, none for a combining one."""
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _clip(text: str, room: int) -> str:
    if cells(text) <= room:
        return text
    while text and cells(text) > room - 1:
        text = text[:-1]
    return text + "…" if room > 0 else ""


def _wrap(head: str, items: list[str], room: int, tail: str = "", indent: str = "  ") -> list[str]:
    """`head`, the items comma-separated and `tail`, in lines of at most `room` columns (the later ones indented)."""
    lines, line = [], head
    for number, item in enumerate(items):
        piece = item + ("," if number < len(items) - 1 else tail)
        if line not in (head, indent) and cells(line) + 1 + cells(piece) > room:
            lines.append(line)
            line = indent
        line += ("" if line == indent else " ") + piece
    return [_clip(text, room) for text in [*lines, line]]


def _choose(paths: list[list], most: int, tolerance: float) -> tuple[list[int], dict[int, int | None]]:
    """The indexes of the paths drawn, in order: at most `most`, none running along one drawn before it; and for
    each left out, the index of the drawn one it runs along (None: beyond `most`, or nothing to draw)."""
    drawn: list[int] = []
    left: dict[int, int | None] = {}
    for index, path in enumerate(paths):
        present = [i for i, v in enumerate(path) if v is not None]
        twin = next((d for d in drawn if present and _along(path, paths[d], present, tolerance)), None)
        if not present or twin is not None or len(drawn) >= most:
            left[index] = twin
        else:
            drawn.append(index)
    return drawn, left


def _settled(paths: list[list], left: dict[int, int | None], tolerance: float) -> dict[int, int | None]:
    """`left` with each twin checked again on the chart as drawn (`paths`, at its final scale): a line that ran
    along another only at the coarser scale of every series is named as not drawn, never as the other's."""
    def still(index: int, twin: int | None) -> int | None:
        present = [i for i, v in enumerate(paths[index]) if v is not None]
        return twin if twin is not None and present and _along(paths[index], paths[twin], present, tolerance) else None
    return {index: still(index, twin) for index, twin in left.items()}


def _along(path: list, other: list, present: list[int], tolerance: float) -> bool:
    def close(i: int) -> bool:
        return other[i] is not None and abs(path[i] - other[i]) <= tolerance
    return close(present[-1]) and sum(map(close, present)) >= SAME_SHARE * len(present)


def _left_out(series: list[Series], left: dict[int, int | None], start: str, end: str) -> list[str]:
    """The series drawn by no line of their own, and not running along a drawn one."""
    return [series[i].label + ("" if _has_value(series[i], start, end) else " (no value in these dates)")
            for i, twin in sorted(left.items()) if twin is None]


def _along_drawn(series: list[Series], left: dict[int, int | None], index: int) -> list[str]:
    return [series[i].label for i, twin in sorted(left.items()) if twin == index]


def _has_value(s: Series, start: str, end: str) -> bool:
    return s.at(start) is not None or any(v is not None for d, v in s.points if start < d <= end)


def _spread(wanted: list[float], gap: float, low: float, high: float) -> list[float]:
    """Places near `wanted` (in any order), `gap` apart, within low..high as room allows: labels that would
    overlap form a group centred where they want to be, as little moved as they can be. Of two that want the same
    place the first (drawn on top, so the one seen there) comes last, nearer the bottom edge a chart clamps to."""
    order = sorted(range(len(wanted)), key=lambda i: (wanted[i], -i))
    groups: list[tuple[float, list[int]]] = []  # (first place, members in order)
    for i in order:
        first, members = wanted[i], [i]
        while groups and groups[-1][0] + len(groups[-1][1]) * gap > first:
            members = groups.pop()[1] + members
            first = sum(wanted[m] for m in members) / len(members) - (len(members) - 1) * gap / 2
            first = max(low, min(first, high - (len(members) - 1) * gap))
        groups.append((first, members))
    placed = list(wanted)
    for first, members in groups:
        for number, member in enumerate(members):
            placed[member] = first + number * gap
    return placed


def _days(start: str, end: str, count: int) -> list[str]:
    first, last = dt.date.fromisoformat(start), dt.date.fromisoformat(end)
    span = max((last - first).days, 1)
    return [(first + dt.timedelta(days=round(span * i / max(count - 1, 1)))).isoformat() for i in range(count)]


def _fraction(day: str, start: str, end: str) -> float:
    first = dt.date.fromisoformat(start)
    return (dt.date.fromisoformat(day) - first).days / max((dt.date.fromisoformat(end) - first).days, 1)


def _text_frame(series: list[Series], start: str, end: str, width: int, height: int, unit: str):
    """(y ticks, their labels, the gutter's label width, the end labels' margin, plot columns, plot rows)."""
    values = ticks(*_range(series, start, end))
    labels = tick_labels(values, unit)
    pad = max(map(cells, labels))
    margin = min(max((cells(s.label) for s in series), default=0) + 3, width // 5)
    if width - pad - 2 - margin < 40:  # a narrow terminal keeps its columns for the lines; the legend names them
        margin = 0
    steps = len(values) - 1
    rows = max(1, round((height - 1) / steps)) * steps + 1
    return values, labels, pad, margin, max(width - pad - 2 - margin, 2), rows


def _text_rows(s: Series, days: list[str], low: Decimal, high: Decimal, rows: int) -> list[int | None]:
    return [None if (v := s.at(day)) is None else round((high - v) / (high - low) * (rows - 1)) for day in days]


def terminal(series: list[Series], start: str, end: str, *, width: int = 80, height: int = 14,
             unit: str = "", most: int = 6) -> list[str]:
    """The chart as lines of text, none wider than `width` columns: at most `most` series that stay apart, each
    with its own marker, in a legend and at its line's right end; round values on the y axis (0 among them when
    the range reaches it), calendar ticks on the time axis, and a line naming the series not drawn. About
    `height` rows: as many as put every tick the same number of rows apart."""
    values, _, _, _, cols, rows = _text_frame(series, start, end, width, height, unit)
    days = _days(start, end, cols)
    chosen, left = _choose([_text_rows(s, days, values[0], values[-1], rows) for s in series], most, 0)
    drawn = [series[i] for i in chosen]
    values, labels, pad, margin, cols, rows = _text_frame(drawn or series, start, end, width, height, unit)
    days = _days(start, end, cols)
    low, high = values[0], values[-1]
    left = _settled([_text_rows(s, days, low, high, rows) for s in series], left, 0)
    paths = [_text_rows(s, days, low, high, rows) for s in drawn]
    symbols = markers(len(drawn))
    grid = [[" "] * cols for _ in range(rows)]
    for marker, path in reversed(list(zip(symbols, paths))):  # the first drawn on top
        for column, row in enumerate(path):
            if row is not None:
                grid[row][column] = marker
    side = [""] * rows
    # a line hidden at its end under one drawn before it is labelled in the legend only
    ends = [(i, p[-1]) for i, p in enumerate(paths) if margin and p[-1] is not None and grid[p[-1]][-1] == symbols[i]]
    for (i, _), row in zip(ends, _spread([r for _, r in ends], 1, 0, rows - 1)):
        if 0 <= round(row) < rows:
            side[round(row)] = " " + _clip(f"{symbols[i]} {drawn[i].label}", margin - 1)
    axis = {round((high - v) / (high - low) * (rows - 1)): text for v, text in zip(values, labels)}
    lines = [" " * (pad - cells(axis.get(n, ""))) + axis.get(n, "") + (" ┤" if n in axis else " │") + "".join(row)
             + side[n] for n, row in enumerate(grid)]
    marks = time_ticks(start, end, cols - 1, before=pad + 2, after=width - pad - 2 - cols)
    at = [pad + 2 + round(_fraction(day, start, end) * (cols - 1)) for day, _ in marks]
    rule = list(" " * pad + " └" + "─" * cols)
    dates = [" "] * width
    free = 0
    for column, (_, text) in zip(at, marks):
        rule[column] = "┬"
        place = min(max(column - len(text) // 2, 0), width - len(text))
        if place >= free:
            dates[place:place + len(text)] = text
            free = place + len(text) + 1
    lines += ["".join(rule), "".join(dates)]
    for marker, s, index in zip(symbols, drawn, chosen):
        also = _along_drawn(series, left, index)
        lines += _wrap(f"  {marker} {s.label} (also", also, width, ")", "    ") if also else \
            [_clip(f"  {marker} {s.label}", width)]
    if names := _left_out(series, left, start, end):
        lines += _wrap(LEFT_OUT.format(where=" above"), names, width)
    return [_clip(line.rstrip(), width) for line in lines]  # only a terminal narrower than the gutter clips


def _svg_path(s: Series, start: str, end: str, x, y) -> tuple[str, tuple[float, float] | None]:
    """The step line's path data, and its last point."""
    parts, level, last = [], None, None
    for day, value in [(start, s.at(start)), *((d, v) for d, v in s.points if start < d <= end)]:
        if level is not None:
            parts.append(f"L{x(day):.1f},{level:.1f}")
            last = (x(day), level)
        if value is None:
            level = None
            continue
        parts.append(f"{'L' if level is not None else 'M'}{x(day):.1f},{y(value):.1f}")
        level = y(value)
    if level is not None:
        parts.append(f"L{x(end):.1f},{level:.1f}")
        last = (x(end), level)
    return " ".join(parts), last


def svg(series: list[Series], start: str, end: str, *, title: str, unit: str = "", width: int = 760,
        height: int = 320, most: int = 8) -> str:
    """The chart as a self-contained <svg> element: at most `most` series that stay apart, each in its own colour
    and labelled at its last point; a label and a light grid line at each round value (0 among them when the
    range reaches it) and at each calendar tick; a line naming the series not drawn. Every text is escaped."""
    left_px, top, bottom = 70, 30, 40
    plot_h = height - top - bottom
    sample = _days(start, end, 240)

    def scale(chosen: list[Series]):
        values = ticks(*_range(chosen, start, end))
        return values, lambda v: top + plot_h * float((values[-1] - v) / (values[-1] - values[0]))

    values, y = scale(series)
    chosen, left = _choose([[None if v is None else y(v) for v in map(s.at, sample)] for s in series], most, 4)
    drawn = [series[i] for i in chosen]
    values, y = scale(drawn or series)
    left = _settled([[None if v is None else y(v) for v in map(s.at, sample)] for s in series], left, 4)
    names = [_clip(s.label, 28) for s in drawn]
    right = min(18 + LETTER_PX * max(map(cells, names), default=0), width // 4)
    plot_w = width - left_px - right

    def x(day: str) -> float:
        return left_px + plot_w * _fraction(day, start, end)

    bottom_y = top + plot_h
    room = int((width - left_px) / LETTER_PX)
    note = [line for s, index in zip(drawn, chosen) if (also := _along_drawn(series, left, index))
            for line in _wrap(f"on the line of {s.label}:", also, room)]
    if others := _left_out(series, left, start, end):
        note += _wrap(LEFT_OUT.format(where=""), others, room)
    parts = [f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height + 16 * len(note)}" '
             f'role="img" font-family="system-ui, sans-serif" aria-label="{escape(title)}">',
             f'<text x="{left_px}" y="18" font-size="14" font-weight="bold">{escape(title)}</text>']
    for day, label in time_ticks(start, end, plot_w, char=LETTER_PX, gap=10, before=left_px, after=right):
        parts.append(f'<line x1="{x(day):.1f}" y1="{top}" x2="{x(day):.1f}" y2="{bottom_y}" stroke="#f0f0f0"/>'
                     f'<line x1="{x(day):.1f}" y1="{bottom_y}" x2="{x(day):.1f}" y2="{bottom_y + 4}" stroke="#444"/>'
                     f'<text x="{x(day):.1f}" y="{bottom_y + 16}" font-size="11" text-anchor="middle">'
                     f'{escape(label)}</text>')
    for value, label in zip(values, tick_labels(values, unit)):
        parts.append(f'<line x1="{left_px}" y1="{y(value):.1f}" x2="{left_px + plot_w}" y2="{y(value):.1f}" '
                     'stroke="#e6e6e6"/>')
        parts.append(f'<text x="{left_px - 6}" y="{y(value) + 4:.1f}" font-size="11" text-anchor="end">'
                     f'{escape(label)}</text>')
    parts += [f'<line x1="{left_px}" y1="{bottom_y}" x2="{left_px + plot_w}" y2="{bottom_y}" stroke="#444"/>',
              f'<line x1="{left_px}" y1="{top}" x2="{left_px}" y2="{bottom_y}" stroke="#444"/>']
    if values[0] < 0 < values[-1]:
        parts.append(f'<line x1="{left_px}" y1="{y(Decimal(0)):.1f}" x2="{left_px + plot_w}" '
                     f'y2="{y(Decimal(0)):.1f}" stroke="#bbb" stroke-dasharray="4 3"/>')
    palette = colours(len(drawn))
    lines = [_svg_path(s, start, end, x, y) for s in drawn]
    for colour, (path, _) in reversed(list(zip(palette, lines))):  # the first drawn on top
        if path:
            parts.append(f'<path d="{path}" fill="none" stroke="{colour}" stroke-width="2"/>')
    ends = [(i, last) for i, (_, last) in enumerate(lines) if last is not None]
    for (i, (lx, ly)), label_y in zip(ends, _spread([ly for _, (_, ly) in ends], 13, top, bottom_y)):
        parts.append(f'<circle cx="{lx:.1f}" cy="{ly:.1f}" r="2.5" fill="{palette[i]}"/>'
                     f'<line x1="{lx + 2:.1f}" y1="{ly:.1f}" x2="{lx + 7:.1f}" y2="{label_y:.1f}" '
                     f'stroke="{palette[i]}"/>'
                     f'<text x="{lx + 9:.1f}" y="{label_y + 4:.1f}" font-size="11" fill="{palette[i]}" '
                     f'class="end">{escape(names[i])}</text>')
    parts += [f'<text x="{left_px}" y="{height + 16 * number - 4}" font-size="12" fill="#555">{escape(text)}</text>'
              for number, text in enumerate(note)]
    parts.append("</svg>")
    return "\n".join(parts)
