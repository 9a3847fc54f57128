"""`pricewar moves` and `pricewar index` as a user runs them, the report's two sections, and the same answers
through the Python API."""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal

import pytest

import pricewar.api
from conftest import ok, run


@pytest.fixture(scope="module")
def history(seeded):
    return seeded


@pytest.fixture(autouse=True)
def _seeded(history, monkeypatch):
    monkeypatch.setenv("PRICEWAR_DB", str(history))


def test_the_may_2024_sequence_read_back_in_order_with_its_lags():
    shown = ok("moves", "--since", "2024-05-01", "--until", "2024-05-31", "--tier", "budget", "--story")
    lines = shown.strip().splitlines()
    makers = [re.match(r"\d{4}-\d\d-\d\d  (\S+(?: AI)?)", line).group(1) for line in lines]
    assert makers == ["DeepSeek", "Zhipu AI", "ByteDance", "Alibaba", "Baidu", "iFlytek", "Tencent", "Google"]
    assert lines[0].startswith("2024-05-06  DeepSeek launched deepseek-chat and deepseek-v2 at 1 / 2 CNY")
    assert "Zhipu AI cut glm-3-turbo by 80.0% (input 5 → 1 CNY) 5 days after DeepSeek launched deepseek-chat" \
        in lines[1]
    assert "2024-05-21  Baidu made ernie-lite and ernie-speed free the same day as Alibaba cut qwen-long by 97.5%" \
        in lines[4]
    assert all(line.endswith("]") and "catalog" in line for line in lines)  # each names its source


def test_the_moves_table_fits_80_columns_and_its_data_is_json_and_csv(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")
    table = ok("moves", "--since", "2024-05-01", "--until", "2024-05-31")
    assert "2024-05-11  Zhipu AI" in table and "DeepSeek launch, 5 d" in table
    data = json.loads(ok("moves", "--since", "2024-05-01", "--until", "2024-05-31", "--json"))
    zhipu = next(m for m in data if m["provider"] == "zhipu")
    assert (zhipu["what"], zhipu["tier"], zhipu["lag_days"], zhipu["answers"]["provider"]) == \
        ("cut", "budget", 5, "deepseek")
    assert zhipu["size"]["old"] == "5" and zhipu["size"]["new"] == "1" and zhipu["sources"]
    rows = list(csv.DictReader(io.StringIO(ok("moves", "--since", "2024-05-01", "--until", "2024-05-31", "-n", "3",
                                              "--format", "csv"))))
    assert [r["provider"] for r in rows] == ["deepseek", "zhipu", "openai"] and rows[1]["lag_days"] == "5"


def test_moves_refuses_a_tier_it_does_not_know():
    result = run("moves", "--tier", "mid")
    assert result.exit_code == 2 and "--tier: 'mid' is not one of budget, flagship, all" in result.output


def test_the_index_in_yuan_by_month_with_each_makers_change():
    shown = ok("index", "--currency", "CNY", "--since", "2024-07-17", "--until", "2024-08-08", "--every", "week")
    assert "Price index, basket v1 (CNY per 1M tokens, blended 3:1); 2024-07-17 = 100" in shown
    assert re.search(r"2024-07-17\s+787\.3154\s+100\.0\s+22", shown)  # recomputed by hand in test_index.py
    assert re.search(r"2024-08-08\s+777\.1252\s+98\.7\s+22", shown)
    assert re.search(r"basket\s+2024-07-17\s+2024-08-08\s+100\.0 → 98\.7\s+-1\.3%", shown)
    assert "2024-07-18 openai budget: gpt-4o-mini replaces gpt-3.5-turbo-0125" in shown


def test_the_index_as_data_is_exact_and_says_its_basket_and_rates():
    data = json.loads(ok("index", "--currency", "CNY", "--since", "2024-07-17", "--until", "2024-08-08", "--json"))
    assert data["basket_version"] == 1 and data["blend"] == [3, 1] and data["currency"] == "CNY"
    first = data["points"][0]
    assert first["day"] == "2024-07-17" and Decimal(first["value"]) == Decimal("787.31543475")
    assert data["rates"] and data["rates"][0]["origin"] == "ECB reference rates"
    rows = list(csv.DictReader(io.StringIO(ok("index", "--currency", "USD", "--since", "2024-07-17", "--until",
                                              "2024-07-18", "--every", "day", "--format", "csv"))))
    assert [r["day"] for r in rows] == ["2024-07-17", "2024-07-18"] and "level_openai" in rows[0]


def test_index_refuses_a_step_it_does_not_have():
    result = run("index", "--every", "hour")
    assert result.exit_code == 2 and "--every: 'hour' is not one of day, week, month" in result.output


def test_the_report_tells_the_war_move_by_move_and_its_index(tmp_path):
    page_path = tmp_path / "war.html"
    ok("report", "--html", str(page_path), "--currency", "CNY", "--since", "2024-05-01")
    page = page_path.read_text(encoding="utf-8")
    assert '<section id="moves">' in page and "Zhipu AI cut glm-3-turbo by 80.0%" in page
    assert '<section id="index">' in page and "Price index (basket v1" in page


def test_the_api_gives_the_same_moves_and_index(history):
    with pricewar.api.open(history) as prices:
        found = prices.moves("2024-05-01", "2024-05-31")
        index = prices.index("2024-07-17", "2024-08-08", currency="CNY")
    assert [m.provider for m in found][:2] == ["deepseek", "zhipu"] and found[1].lag_days == 5
    assert index.point("2024-07-17").value == Decimal("787.31543475")


def test_an_index_before_the_basket_says_why_and_a_bad_currency_is_a_usage_error():
    shown = ok("index", "--since", "2023-01-01", "--until", "2023-02-01")
    assert "no basket member had a price from 2023-01-01 to 2023-02-01: the basket starts on 2024-01-25" in shown
    assert "the index, 2023-01-01 = 100" not in shown  # no line to draw
    refused = run("index", "--currency", "XYZ")
    assert refused.exit_code == 2 and "--currency: unknown currency 'XYZ'" in refused.output
    unknown = run("moves", "-p", "nosuch")
    assert unknown.exit_code == 2 and "the makers: alibaba, " in unknown.output and "01-ai" not in unknown.output
