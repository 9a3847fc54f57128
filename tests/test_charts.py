"""The war's charts: round ticks with 0 among them, a distinct marker or colour per series, each label once,
and every model asked for either drawn or named with the reason it is not."""

from __future__ import annotations

import json
import re
import unicodedata
from decimal import Decimal
from itertools import pairwise

import pytest
from conftest import ok

from pricewar.answers.timeline import Series
from pricewar.output import charts

START, END = "2025-01-01", "2025-12-31"


def flat(label: str, value: str | None) -> Series:
    return Series(label, [(START, None if value is None else Decimal(value))])


def axis_labels(lines: list[str]) -> dict[int, str]:
    """Row number → the y-axis label of the terminal chart's rows that have one."""
    rows = [line.split(" ┤")[0].strip() for line in lines if " ┤" in line]
    return {number: label for number, label in enumerate(rows) if label}


def legend(lines: list[str]) -> list[tuple[str, str]]:
    """(marker, label) of each legend line of a terminal chart."""
    return [(line[2], line[4:]) for line in lines if re.match(r"^  \S ", line) and "┤" not in line]


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
    rows = [line for line in lines if " ┤" in line]
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


def test_more_series_than_markers_each_get_their_own():
    series = [flat(f"model-{i}", str(i)) for i in range(90)]
    marks = [symbol for symbol, _ in legend(charts.terminal(series, START, END))]
    assert len(marks) == 90 and len(set(marks)) == 90
    assert marks[16:18] == ["A", "B"]


def test_markers_are_one_column_characters():
    marks = charts.markers(400)
    assert len(set(marks)) == 400
    assert all(m.isprintable() and unicodedata.east_asian_width(m) not in ("W", "F") for m in marks)


def test_more_series_than_colours_each_get_their_own():
    picture = charts.svg([flat(f"model-{i}", str(i)) for i in range(60)], START, END, title="t")
    lines = re.findall(r'<path d="[^"]*" fill="none" stroke="(#[0-9a-f]{6})"', picture)
    keys = re.findall(r'<rect [^>]*fill="(#[0-9a-f]{6})"', picture)
    assert len(lines) == 60 and len(set(lines)) == 60 and keys == lines
    assert len(set(charts.colours(1000))) == 1000


def test_a_label_two_series_share_is_told_apart_by_its_owner():
    series = charts.unique_labels([flat("deepseek-chat", "1"), flat("deepseek-chat", "2"), flat("o3", "3")],
                                  ["DeepSeek", "OpenRouter", "OpenAI"])
    assert [s.label for s in series] == ["DeepSeek deepseek-chat", "OpenRouter deepseek-chat", "o3"]
    assert [s.points for s in series] == [[(START, Decimal(v))] for v in ("1", "2", "3")]
    again = charts.unique_labels([flat("x", "1"), flat("x", "2")], ["Same", "Same"])
    assert [s.label for s in again] == ["Same x", "Same x (2)"]


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
    chart = [line for line in lines if "┤" in line or "└" in line]
    assert "0%" in axis_labels(lines).values() and all(len(line) <= 80 for line in chart)
    labels = [label for _, label in legend(lines)]
    marks = [symbol for symbol, _ in legend(lines)]
    assert len(labels) == len(set(labels)) > 5 and len(marks) == len(set(marks))
    assert "ernie-speed" in labels  # its price before it was made free is known (one-hub), so its cut is drawn


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
