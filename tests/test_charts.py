"""The war's charts: round ticks with 0 among them, calendar ticks on the time axis, a distinct marker or colour
per series, each label once and at its line's end, at most a few lines that stay apart, the width of the
terminal, and every model asked for either drawn, named along the line it runs on, or named as not drawn."""

from __future__ import annotations

import json
import re
import unicodedata
import xml.etree.ElementTree as ET
from decimal import Decimal
from itertools import pairwise

import pytest
from conftest import ok

from pricewar.answers.timeline import Series
from pricewar.output import charts

START, END = "2025-01-01", "2025-12-31"


def flat(label: str, value: str | None) -> Series:
    return Series(label, [(START, None if value is None else Decimal(value))])


def plot_rows(lines: list[str]) -> list[str]:
    """The terminal chart's rows: a tick (┤) or the bare axis (│) after the y-axis labels."""
    return [line for line in lines if re.match(r"^ *\S* [┤│]", line)]


def axis_labels(lines: list[str]) -> dict[int, str]:
    """Row number → the y-axis label of the terminal chart's rows that have one."""
    rows = [re.split(" [┤│]", line)[0].strip() for line in plot_rows(lines)]
    return {number: label for number, label in enumerate(rows) if label}


def legend(lines: list[str]) -> list[tuple[str, str]]:
    """(marker, label) of each legend line of a terminal chart (without the series that run along it)."""
    return [(line[2], line[4:].split(" (also ")[0]) for line in lines
            if re.match(r"^  \S ", line) and line not in plot_rows(lines)]


def along(lines: list[str]) -> dict[str, list[str]]:
    """Label → the series named on its legend line as running along its line."""
    text = "\n".join(lines)
    return {label: re.sub(r"\s+", " ", names).split(", ")
            for label, names in re.findall(r"^  \S (.+?) \(also ([^)]*)\)", text, re.M)}


def not_drawn(lines: list[str]) -> list[str]:
    """The series the line under a terminal chart names as not drawn."""
    text = "\n".join(lines)
    found = re.search(r"^not drawn \(in the table above\): (.*)", text, re.M | re.S)
    return re.sub(r"\s+", " ", found.group(1)).split(", ") if found else []


def columns(text: str) -> int:
    """A terminal's columns for `text`: two for a wide (CJK) character."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def level(label: str, value: str, start: str = START) -> Series:
    return Series(label, [(start, Decimal(0)), ("2024-06-01", Decimal(value))])


@pytest.mark.parametrize("low, high, expected", [
    ("-80", "500", ["-100", "0", "100", "200", "300", "400", "500"]),
    ("-98", "300", ["-100", "0", "100", "200", "300"]),
    ("0", "1.25", ["0", "0.25", "0.5", "0.75", "1", "1.25"]),
    ("-97.5", "0", ["-100", "-75", "-50", "-25", "0"]),
    ("0", "1", ["0", "0.2", "0.4", "0.6", "0.8", "1"]),
    ("-1", "0.5", ["-1", "-0.5", "0", "0.5"]),
    ("0", "0.0003", ["0", "0.0001", "0.0002", "0.0003"]),
])
def test_ticks_are_round_and_include_0(low, high, expected):
    assert charts.ticks(Decimal(low), Decimal(high)) == [Decimal(e) for e in expected]


@pytest.mark.parametrize("low, high", [
    ("-80", "500"), ("-98", "300"), ("-97.5", "0"), ("0", "1.25"), ("-79.2", "83.9"), ("-5", "12345"),
    ("-0.37", "0.001"), ("0", "7"), ("-33.3333333", "866.6666667"),
])
def test_ticks_cover_the_range_in_nice_equal_steps(low, high):
    values = charts.ticks(Decimal(low), Decimal(high))
    step = values[1] - values[0]
    assert values[0] <= Decimal(low) and values[-1] >= Decimal(high) and Decimal(0) in values
    assert 4 <= len(values) <= 7
    assert all(b - a == step for a, b in pairwise(values))
    mantissa = step.scaleb(-step.adjusted()).normalize()
    assert mantissa in (1, 2, Decimal("2.5"), 5)
    assert all((value / step) == (value / step).to_integral_value() for value in values)


@pytest.mark.parametrize("low, high, expected", [
    ("-80", "500", ["-100%", "0%", "100%", "200%", "300%", "400%", "500%"]),
    ("-97.5", "0", ["-100%", "-75%", "-50%", "-25%", "0%"]),
    ("0", "1.25", ["0%", "0.25%", "0.5%", "0.75%", "1%", "1.25%"]),
])
def test_tick_labels_use_the_fewest_decimals(low, high, expected):
    assert charts.tick_labels(charts.ticks(Decimal(low), Decimal(high)), "%") == expected


def test_terminal_chart_labels_round_values_and_plots_on_their_scale():
    lines = charts.terminal([flat("up", "500"), flat("same", "0"), flat("down", "-50")], START, END, unit="%")
    labels = axis_labels(lines)
    assert set(labels.values()) == {"-100%", "0%", "100%", "200%", "300%", "400%", "500%"}
    rows = plot_rows(lines)
    marker = {label: symbol for symbol, label in legend(lines)}
    zero_row = next(n for n, label in labels.items() if label == "0%")
    assert marker["same"] in rows[zero_row] and marker["up"] in rows[0]
    bottom = next(n for n, label in labels.items() if label == "-100%")
    assert [n for n, row in enumerate(rows) if marker["down"] in row] == [(zero_row + bottom) // 2]
    gaps = {b - a for a, b in pairwise(sorted(labels))}
    assert len(gaps) == 1  # every tick the same number of rows apart
    assert all(len(line) <= 80 for line in lines)


def test_terminal_chart_for_cuts_only_has_0_at_the_top():
    lines = charts.terminal([flat("a", "-97.5"), flat("b", "-20")], START, END, unit="%")
    labels = axis_labels(lines)
    assert labels[0] == "0%" and list(labels.values()) == ["0%", "-25%", "-50%", "-75%", "-100%"]


def test_svg_labels_round_values_with_a_grid_line_each():
    picture = charts.svg([flat("up", "300"), flat("down", "-98")], START, END, title="t", unit="%")
    labels = re.findall(r'text-anchor="end">([^<]*%)</text>', picture)
    assert labels == ["-100%", "0%", "100%", "200%", "300%"]
    assert picture.count('stroke="#e6e6e6"') == 5 and 'stroke-dasharray="4 3"' in picture


def test_many_series_draw_the_first_few_and_name_the_rest():
    series = [flat(f"model-{i}", str(-20 * i if i < 6 else 50 * (i % 2 + 1))) for i in range(90)]
    lines = charts.terminal(series, START, END)
    marks = [symbol for symbol, _ in legend(lines)]
    assert [label for _, label in legend(lines)] == [f"model-{i}" for i in range(6)]
    assert len(set(marks)) == 6
    assert not_drawn(lines) == [f"model-{i}" for i in range(6, 90)]


def test_markers_are_one_column_characters():
    marks = charts.markers(400)
    assert len(set(marks)) == 400
    assert all(m.isprintable() and unicodedata.east_asian_width(m) not in ("W", "F") for m in marks)


def test_more_series_than_colours_each_get_their_own():
    picture = charts.svg([flat(f"model-{i}", str(i * 10)) for i in range(60)], START, END, title="t")
    lines = re.findall(r'<path d="[^"]*" fill="none" stroke="(#[0-9a-f]{6})"', picture)
    ends = re.findall(r'fill="(#[0-9a-f]{6})" class="end">', picture)
    assert len(lines) == 8 and len(set(lines)) == 8 and ends == lines[::-1]  # the first drawn on top
    assert len(set(charts.colours(1000))) == 1000


def test_a_label_two_series_share_is_told_apart_by_its_owner():
    series = charts.unique_labels([flat("deepseek-chat", "1"), flat("deepseek-chat", "2"), flat("o3", "3")],
                                  ["DeepSeek", "OpenRouter", "OpenAI"])
    assert [s.label for s in series] == ["DeepSeek deepseek-chat", "OpenRouter deepseek-chat", "o3"]
    assert [s.points for s in series] == [[(START, Decimal(v))] for v in ("1", "2", "3")]
    again = charts.unique_labels([flat("x", "1"), flat("x", "2")], ["Same", "Same"])
    assert [s.label for s in again] == ["Same x", "Same x (2)"]


QUARTERS = [f"{y}-Q{q}" for y in (2024, 2025, 2026) for q in (1, 2, 3, 4)][2:]


@pytest.mark.parametrize("start, end, room, expected", [
    ("2025-01-01", "2025-04-01", 56, ["2025-01", "2025-02", "2025-03", "2025-04"]),  # 3 months: months
    ("2025-01-01", "2025-12-31", 56, ["2025-Q1", "2025-Q2", "2025-Q3", "2025-Q4"]),  # a year: quarters...
    ("2025-01-01", "2025-12-31", 300, [f"2025-{m:02}" for m in range(1, 13)]),  # ...or months, given the room
    ("2024-05-01", "2026-12-01", 56, ["2024-07", "2025-01", "2025-07", "2026-01", "2026-07"]),  # 2.5 years
    ("2024-05-01", "2026-12-01", 300, QUARTERS),
    ("2024-05-01", "2026-12-01", 20, ["2025", "2026"]),
    ("2015-01-01", "2025-01-01", 56, ["2016", "2018", "2020", "2022", "2024"]),
    ("2000-01-01", "2025-12-01", 56, ["2000", "2005", "2010", "2015", "2020", "2025"]),
    ("2025-03-03", "2025-03-20", 56, ["2025-03-03", "2025-03-20"]),  # no two calendar ticks: the end dates
])
def test_time_ticks_are_the_finest_calendar_steps_whose_labels_fit(start, end, room, expected):
    marks = charts.time_ticks(start, end, room)
    assert [label for _, label in marks] == expected
    assert all(start <= day <= end for day, _ in marks)
    assert marks[0][0] == {"2025-01": "2025-01-01", "2025-Q1": "2025-01-01", "2024-07": "2024-07-01",
                           "2024-Q3": "2024-07-01", "2016": "2016-01-01"}.get(expected[0], marks[0][0])


def test_terminal_time_axis_has_a_tick_under_each_label_and_labels_apart():
    for width, start, end in [(80, "2024-05-01", "2026-12-01"), (120, "2024-05-01", "2026-12-01"),
                              (80, "2025-01-01", "2025-04-01"), (80, START, END), (120, START, END),
                              (36, "2024-01-01", "2024-10-01"), (50, "2024-01-15", "2024-03-20")]:
        lines = charts.terminal([level("a", "-50", start)], start, end, width=width, unit="%")
        rule = next(line for line in lines if "└" in line)
        dates = lines[lines.index(rule) + 1]
        found = [(m.start(), m.end()) for m in re.finditer(r"\S+", dates)]
        assert len(found) >= 2 and max(map(len, lines)) <= width
        tick_columns = [n for n, c in enumerate(rule) if c == "┬"]
        assert len(tick_columns) == len(found)
        assert all(a <= column < b for column, (a, b) in zip(tick_columns, found))
        assert all(b < a for (_, b), (a, _) in pairwise(found))  # a space at least between two labels


def eleven(labels: list[str] | None = None) -> list[Series]:
    """Eleven series, each on its own level, the first the biggest cut."""
    names = labels or [f"model-{i}" for i in range(11)]
    return [level(name, str(-100 + 10 * i)) for i, name in enumerate(names)]


def test_eleven_series_draw_the_first_six_and_name_the_other_five():
    lines = charts.terminal(eleven(), START, END, unit="%")
    assert [label for _, label in legend(lines)] == [f"model-{i}" for i in range(6)]
    assert not_drawn(lines) == [f"model-{i}" for i in range(6, 11)]
    assert along(lines) == {}


def test_a_series_on_the_same_line_as_one_drawn_is_named_on_its_legend_line():
    base = level("a", "-50")
    series = [base, Series("twin", base.points), level("near", "-50.5"), level("c", "-90"),
              Series("diverges", [*base.points, ("2025-12-20", Decimal(-90))]), flat("none", None)]
    lines = charts.terminal(series, START, END, unit="%")
    assert [label for _, label in legend(lines)] == ["a", "c", "diverges"]  # its end is its own
    assert along(lines) == {"a": ["twin", "near"]}
    assert not_drawn(lines) == ["none (no value in these dates)"]
    picture = charts.svg(series, START, END, title="t", unit="%")
    assert picture.count("<path ") == 3
    assert re.findall(r'class="end">([^<]*)</text>', picture) == ["a", "c", "diverges"]
    assert "on the line of a: twin, near" in picture and "not drawn (in the table): none" in picture


@pytest.mark.parametrize("width", [80, 120])
def test_terminal_chart_is_never_wider_than_the_terminal(width):
    labels = ["通义千问-max-2025-01-25", "文心一言 ERNIE-4.0-8K", "DeepSeek deepseek-reasoner", "月之暗面 kimi-k2",
              *(f"hunyuan-standard-256k-{i}" for i in range(7))]
    lines = charts.terminal(eleven(labels), "2024-05-01", "2026-12-01", width=width, unit="%")
    assert max(map(columns, lines)) <= width
    assert columns(next(line for line in lines if "└" in line)) >= width - 30  # the plot takes the room
    assert any("通义千问" in line for line in plot_rows(lines))  # labelled at its end, clipped to fit
    rule = next(n for n, line in enumerate(lines) if "└" in line)
    assert lines[rule + 1].split() == ["2024-07", "2025-01", "2025-07", "2026-01", "2026-07"]
    assert not_drawn(lines) == labels[6:]


def test_terminal_labels_each_line_at_its_right_end():
    lines = charts.terminal(eleven()[:4], START, END, unit="%")
    marker = dict((label, symbol) for symbol, label in legend(lines))
    for label, symbol in marker.items():
        row = next(line for line in plot_rows(lines) if line.endswith(f"{symbol} {label}"))
        assert row.removesuffix(f" {symbol} {label}").endswith(symbol)  # beside the end of its own line


def test_svg_draws_eight_of_eleven_labelled_at_their_ends_with_dated_ticks():
    picture = charts.svg(eleven(), "2024-05-01", "2026-12-01", title="t", unit="%")
    assert picture.count("<path ") == 8
    ends = re.findall(r'<text x="[\d.]+" y="([\d.]+)"[^>]*class="end">([^<]*)</text>', picture)
    assert [label for _, label in ends] == [f"model-{i}" for i in range(8)]
    heights = sorted(float(y) for y, _ in ends)
    assert all(b - a >= 12.9 for a, b in pairwise(heights))  # nudged apart
    dates = re.findall(r'text-anchor="middle">([^<]*)</text>', picture)
    assert dates == QUARTERS  # short labels leave the room for quarters
    assert picture.count('stroke="#f0f0f0"') == len(dates)  # a light grid line at each
    assert "not drawn (in the table): model-8, model-9, model-10" in picture


def test_svg_escapes_every_text():
    series = [level('<b>&"x"', "-50"), level("a&b", "-10"), Series("<i>", level('<b>&"x"', "-50").points)]
    picture = charts.svg(series, START, END, title='<script>"t"&', unit="<%>")
    root = ET.fromstring(picture)  # well-formed
    texts = ["".join(node.itertext()) for node in root.iter("{http://www.w3.org/2000/svg}text")]
    assert '<script>"t"&' in texts and '<b>&"x"' in texts and "on the line of <b>&\"x\": <i>" in texts
    assert "<b>" not in picture and "<script>" not in picture and "<i>" not in picture
    assert root.get("aria-label") == '<script>"t"&'


def test_war_names_a_model_with_no_such_price_in_the_window():
    text = ok("war", "qwen-long", "o3", "--kind", "cache_hit", "--until", "2026-01-01")
    assert "qwen-long: no cache hit price between 2024-05-01 and 2026-01-01" in text
    assert [label for _, label in legend(text.splitlines())] == ["o3"]
    rows = json.loads(ok("war", "qwen-long", "o3", "--kind", "cache_hit", "-f", "json"))
    assert [r["model"] for r in rows] == ["o3"]
    early = ok("war", "qwen-long", "--since", "2024-01-01", "--until", "2024-03-01")
    assert "qwen-long: no input price between 2024-01-01 and 2024-03-01" in early and "┤" not in early


def test_war_names_a_model_free_at_the_start_and_leaves_it_out_of_the_chart():
    text = ok("war", "ernie-speed", "qwen-long", "--kind", "output", "--since", "2025-01-01")
    assert "ernie-speed: free at the start (0 CNY), so a change in % cannot be drawn" in text
    assert re.search(r"Baidu\s+ernie-speed\s+0 CNY", text)  # still in the table
    assert [label for _, label in legend(text.splitlines())] == ["qwen-long"]


def test_war_names_a_model_not_sold_by_the_seller_asked_for():
    assert "ernie-speed: not sold via openrouter" in ok("war", "ernie-speed", "--via", "openrouter")


def test_default_war_chart_has_0_each_model_once_and_fits_80_columns():
    text = ok("war")
    lines = text.splitlines()
    chart = lines[next(n for n, line in enumerate(lines) if line.startswith("cumulative change")) + 1:]
    assert "0%" in axis_labels(lines).values() and all(columns(line) <= 80 for line in chart)
    labels = [label for _, label in legend(lines)]
    marks = [symbol for symbol, _ in legend(lines)]
    assert len(labels) == len(set(labels)) == 6 and len(marks) == len(set(marks))
    assert "ernie-speed" in labels  # its price before it was made free is known (one-hub), so its cut is drawn
    assert "2025-01" in "\n".join(chart) and "┬" in "\n".join(chart)  # dated ticks
    # every cut is drawn, named as running along a drawn line, or named under the chart, in the table's order
    cuts = [r["model"] for r in json.loads(ok("war", "-f", "json")) if r["change_pct"] is not None]
    named = labels + [name for names in along(chart).values() for name in names] + not_drawn(chart)
    assert sorted(named) == sorted(cuts) and not_drawn(chart) == [m for m in cuts if m in not_drawn(chart)]


def test_war_legend_tells_the_same_model_id_from_two_providers_apart():
    ok("record", "moonshot", "deepseek-chat", "--new-model", "--input", "1", "--effective", "2025-01-01",
       "--source", "https://x.test/1")
    ok("record", "moonshot", "deepseek-chat", "--input", "0.5", "--effective", "2025-06-01",
       "--source", "https://x.test/2")
    labels = [label for _, label in legend(ok("war", "deepseek-chat", "--since", "2025-01-01").splitlines())]
    assert sorted(labels) == ["DeepSeek deepseek-chat", "Moonshot AI deepseek-chat"]


def test_html_report_chart_has_round_ticks_and_names_what_it_leaves_out(tmp_path):
    page = tmp_path / "report.html"
    ok("report", "--html", str(page))
    html = page.read_text()
    chart = html[html.index("<svg"):html.index("</svg>")]
    assert ">0%</text>" in chart and ">-100%</text>" in chart and "hunyuan-lite" not in chart
    assert "Not in the chart" in html and "hunyuan-lite: free at the start (0 CNY)" in html


def test_a_line_is_named_along_another_only_if_it_is_on_the_chart_as_drawn():
    # at the scale of all three (-100% to +250%) the -87.5% line runs along the -100% one; the +214% one is not
    # drawn (one line at most), the chart is drawn from -100% to 0, and there the two lines are rows apart
    series = [flat("ernie-speed", "-100"), flat("hunyuan-standard-256k", "-87.5"), flat("deepseek-chat", "214")]
    lines = charts.terminal(series, START, END, width=80, most=1)
    assert legend(lines) == [("●", "ernie-speed")] and along(lines) == {}
    assert not_drawn(lines) == ["hunyuan-standard-256k", "deepseek-chat"]
    assert axis_labels(lines)[0] == "0"
    page = charts.svg(series, START, END, title="t", most=1)
    assert "on the line of" not in page and "hunyuan-standard-256k" in page
