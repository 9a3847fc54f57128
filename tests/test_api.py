"""The Python API: a model's price at a moment (a day, or a UTC time whose hours choose peak or off-peak), a usage
record's cost, many records at once; the same answers as `pricewar compare --at`."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest

import pricewar.api
from pricewar.answers import moments
from pricewar.price import PricewarError, UsageError

from conftest import ok


@pytest.fixture(scope="module")
def history(seeded):
    return seeded


@pytest.fixture
def prices(history, monkeypatch):
    monkeypatch.setenv("PRICEWAR_DB", str(history))
    with pricewar.api.open(history) as opened:
        yield opened


# --- the hours of a time-of-day price ----------------------------------------------------------------------


@pytest.mark.parametrize(("window", "hours", "inside"), [
    ("off-peak UTC 16:30-00:30", "16:30", True),
    ("off-peak UTC 16:30-00:30", "23:59", True),
    ("off-peak UTC 16:30-00:30", "00:29", True),
    ("off-peak UTC 16:30-00:30", "00:30", False),
    ("off-peak UTC 16:30-00:30", "16:29", False),
    ("peak UTC 01:00-04:00,06:00-10:00", "03:59", True),
    ("peak UTC 01:00-04:00,06:00-10:00", "05:00", False),
    ("peak UTC 01:00-04:00,06:00-10:00", "06:00", True),
    ("off-peak outside peak UTC 01:00-04:00,06:00-10:00", "05:00", True),
    ("off-peak outside peak UTC 01:00-04:00,06:00-10:00", "09:59", False),
    ("off-peak outside peak UTC 01:00-04:00,06:00-10:00", "10:00", True),
    ("evenings, Beijing time", "20:00", False),  # not written as hours: holds no time
])
def test_a_window_holds_its_hours_past_midnight_and_outside_another(window, hours, inside):
    assert moments.in_window(window, hours) is inside


@pytest.mark.parametrize(("at", "expected"), [
    ("2025-03-01", ("2025-03-01", None)),
    ("2025-03-01T17:05Z", ("2025-03-01", "17:05")),
    ("2025-03-02T01:05+08:00", ("2025-03-01", "17:05")),  # Beijing's 01:05 is the day before in UTC
    ("2025-03-01 17:05:59", ("2025-03-01", "17:05")),  # naive: UTC
    (dt.datetime(2025, 3, 1, 17, 5, tzinfo=dt.timezone(dt.timedelta(hours=-5))), ("2025-03-01", "22:05")),
    (dt.date(2024, 5, 6), ("2024-05-06", None)),
])
def test_a_moment_is_a_utc_day_and_time(at, expected):
    assert moments.when(at) == expected


@pytest.mark.parametrize("at", ["2025-03-01T25:00Z", "yesterday", "2025-13-01", 20250301, ""])
def test_a_moment_that_is_not_one_is_one_sentence(at):
    with pytest.raises(PricewarError, match=r"is not a date or time \(use YYYY-MM-DD"):
        moments.when(at)


# --- a price at a moment -------------------------------------------------------------------------------------


def test_deepseek_off_peak_hours_answer_at_night_and_the_all_day_price_by_day(prices):
    night = prices.price("deepseek-chat", "2025-03-01T17:05Z", currency="CNY")
    day = prices.price("deepseek-chat", "2025-03-01T12:00Z", currency="CNY")
    assert (night.input, night.output, night.cache_hit) == (Decimal(1), Decimal(4), Decimal("0.25"))
    assert night.time_window == "off-peak UTC 16:30-00:30" and night.hours == "17:05"
    assert (day.input, day.output, day.cache_hit) == (Decimal(2), Decimal(8), Decimal("0.5"))
    assert day.time_window == "" and day.effective_from == "2025-02-08"
    assert night.rate is None and night.currency == "CNY" and night.source == "catalog"


def test_peak_and_off_peak_of_2026_by_the_hour_and_a_whole_day_at_the_dearer_price(prices):
    peak = prices.price("deepseek-chat", "2026-09-01T02:00Z", currency="CNY")
    off = prices.price("deepseek-chat", "2026-09-01T05:00Z", currency="CNY")
    whole_day = prices.price("deepseek-chat", "2026-09-01", currency="CNY")
    assert (peak.input, peak.output, peak.time_window) == (Decimal(3), Decimal(9), "peak UTC 01:00-04:00,06:00-10:00")
    assert (off.input, off.output) == (Decimal("1.5"), Decimal("4.5"))
    assert off.time_window.startswith("off-peak outside peak")
    assert (whole_day.input, whole_day.hours) == (Decimal(3), None)


def test_the_promotion_ended_with_the_price_change_of_2025_09_05(prices):
    before = prices.price("deepseek-chat", "2025-09-04T17:00Z", currency="CNY")
    after = prices.price("deepseek-chat", "2025-09-05T17:00Z", currency="CNY")
    assert before.time_window.startswith("off-peak") and before.input == Decimal(1)
    assert after.time_window == "" and (after.input, after.output) == (Decimal(4), Decimal(12))


def test_a_converted_price_names_the_dated_rate(prices):
    quote = prices.price("gpt-4o", "2024-06-01", currency="CNY")
    assert quote.published_currency == "USD" and quote.currency == "CNY"
    assert quote.rate.base == "USD" and quote.rate.target == "CNY" and quote.rate.date == "2024-05-31"
    assert quote.input == Decimal(5) * quote.rate.value
    assert quote.as_dict()["rate"]["date"] == "2024-05-31" and quote.as_dict()["input"] == str(quote.input)


def test_an_alias_and_a_dated_id_answer_for_their_model(prices):
    assert prices.price("claude-3-5-haiku-20241022", "2025-01-01").model == "claude-3.5-haiku"


def test_an_unknown_model_and_a_day_before_its_prices_say_why(prices):
    with pytest.raises(UsageError, match="unknown model 'gpt4x'; did you mean"):
        prices.price("gpt4x", "2025-01-01")
    with pytest.raises(PricewarError, match="'deepseek-chat': no price in effect on 2023-01-01: the earliest"):
        prices.price("deepseek-chat", "2023-01-01")


def test_a_pattern_naming_several_models_is_asked_back(prices):
    with pytest.raises(UsageError, match=r"'deepseek-\*' names \d+ models"):
        prices.price("deepseek-*", "2025-01-01")


def test_a_day_ahead_and_a_stale_source_are_said(prices):
    ahead = prices.price("deepseek-chat", "2099-01-01")
    assert any("after today" in note for note in ahead.notes)
    assert prices.price("deepseek-chat", "2025-01-01").notes == ()


# --- costs ------------------------------------------------------------------------------------------------------


def test_a_usage_record_costs_each_part_at_its_price(prices):
    spent = prices.cost("deepseek-chat", "2025-03-01T17:05Z", input_tokens=40_000, cached_tokens=80_000,
                        output_tokens=4_000, currency="CNY")
    # off-peak: 1 yuan input, 0.25 cache hit, 4 output per 1M
    assert spent.input_cost == Decimal("0.04") and spent.cached_cost == Decimal("0.02")
    assert spent.output_cost == Decimal("0.016") and spent.total == Decimal("0.076") and spent.currency == "CNY"


def test_cached_tokens_without_a_cache_price_are_charged_as_input_and_said(prices):
    spent = prices.cost("deepseek-chat", "2024-05-10", cached_tokens=1_000_000, currency="CNY")
    assert spent.cached_cost == Decimal(1) and "no cache-hit price" in spent.notes[0]


@pytest.mark.parametrize("tokens", [-1, 1.5, "ten", True])
def test_tokens_are_whole_numbers(prices, tokens):
    with pytest.raises(UsageError, match="not a whole number of tokens"):
        prices.cost("deepseek-chat", "2025-03-01", input_tokens=tokens)


def test_many_records_at_once_and_the_ones_without_a_price(prices):
    records = [{"model": "deepseek-chat", "at": f"2025-03-0{day}T{hour:02d}:10:00Z", "input_tokens": 1_000_000}
               for day in (1, 2) for hour in (12, 17)]
    records.append({"model": "deepseek-chat", "at": "2023-06-01", "output_tokens": 10})
    costs = prices.costs(records, currency="CNY", strict=False)
    assert [c.total for c in costs[:4]] == [Decimal(2), Decimal(1), Decimal(2), Decimal(1)]
    assert costs[4].total is None and "no price in effect on 2023-06-01" in costs[4].error
    with pytest.raises(PricewarError, match="2023-06-01"):
        prices.costs(records)
    with pytest.raises(UsageError, match="record 1: give a mapping"):
        prices.costs([("deepseek-chat", "2025-03-01")])


def test_one_stretch_of_days_is_judged_once_and_each_day_converted_at_its_rate(prices):
    first = prices.price("gpt-4o", "2024-06-03", currency="CNY")
    second = prices.price("gpt-4o", "2024-06-04", currency="CNY")
    assert first.effective_from == second.effective_from and first.rate.date != second.rate.date
    assert second.input == Decimal(5) * second.rate.value
    assert len(prices._asking._judged) == 1


# --- the same answers as the CLI -----------------------------------------------------------------------------


@pytest.mark.parametrize(("model", "at", "currency"), [
    ("deepseek-chat", "2025-03-01T17:05Z", "CNY"),
    ("deepseek-chat", "2026-09-01T02:30Z", "USD"),
    ("deepseek-chat", "2026-09-01T12:30Z", "CNY"),
    ("deepseek-reasoner", "2025-06-01T18:00Z", "USD"),
    ("gpt-4o-mini", "2024-09-01", "CNY"),
    ("qwen-max", "2025-02-01T03:00Z", "CNY"),
    ("glm-4-plus", "2025-01-15", "CNY"),
])
def test_the_api_answers_as_compare_at_the_same_moment(prices, model, at, currency):
    quote = prices.price(model, at, currency=currency)
    rows = json.loads(ok("compare", model, "--at", at, "--currency", currency, "--type", "all", "--json"))
    row = next(r for r in rows if r["model"] == quote.model and r["time_window"] == quote.time_window
               and r["source"] == quote.source)
    assert [Decimal(str(row[k])) if row[k] is not None else None for k in ("input", "output", "cache_hit")] == \
        [quote.input, quote.output, quote.cache_hit]


def test_compare_at_a_time_titles_it_and_refuses_off_peak_beside_it(history, monkeypatch):
    monkeypatch.setenv("PRICEWAR_DB", str(history))
    shown = ok("compare", "deepseek-chat", "--at", "2025-03-02T01:05+08:00", "--currency", "CNY")
    assert "on 2025-03-01 17:05 UTC" in shown and "[off-peak]" in shown
    from conftest import run

    refused = run("compare", "deepseek-chat", "--at", "2025-03-01T17:05Z", "--off-peak")
    assert refused.exit_code == 2 and "names the hours; leave out --off-peak" in refused.output
