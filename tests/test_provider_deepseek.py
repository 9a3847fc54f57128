"""DeepSeek's pricing page: transposed and one-row-per-model tables, USD and CNY, off-peak and peak hours, promotions."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import deepseek, load

OFF_PEAK = "off-peak UTC 16:30-00:30"
# Beijing 9:00-12:00 and 14:00-18:00, the hours of the 2026 peak/off-peak pricing.
PEAK = "peak UTC 01:00-04:00,06:00-10:00"
OUTSIDE_PEAK = "off-peak outside peak UTC 01:00-04:00,06:00-10:00"

# The real page always has notes below its tables; a page that ends on a table row was cut short.
NOTES = "\n\nThe expense = number of tokens × price.\n"


def priced(prices: list[Price]) -> dict[tuple[str, str, str], tuple[Decimal, str]]:
    """(model, kind, time_window) -> (per_mtok, currency); fails on a key emitted twice."""
    table = {(p.model, p.kind, p.time_window): (p.per_mtok, p.currency) for p in prices}
    assert len(table) == len(prices)
    return table


def prices_of(model_prices: dict[str, tuple[str, str, str]], currency: str, window: str = ""):
    """The expected table from {model: (cache hit, cache miss, output)}."""
    return {
        (model, kind, window): (Decimal(amount), currency)
        for model, amounts in model_prices.items()
        for kind, amount in zip(("cache_hit", "input", "output"), amounts)
    }


V3_2_USD = prices_of(
    {"deepseek-chat": ("0.028", "0.28", "0.42"), "deepseek-reasoner": ("0.028", "0.28", "0.42")}, "USD"
)
V3_2_CNY = prices_of({"deepseek-chat": ("0.2", "2", "3"), "deepseek-reasoner": ("0.2", "2", "3")}, "CNY")
V4_USD = prices_of(
    {"deepseek-v4-flash": ("0.0028", "0.14", "0.28"), "deepseek-v4-pro": ("0.003625", "0.435", "0.87")}, "USD"
)
V4_CNY = prices_of({"deepseek-v4-flash": ("0.02", "1", "2"), "deepseek-v4-pro": ("0.025", "3", "6")}, "CNY")


def peak_prices_of(off_peak: dict, peak: dict, currency: str, suffix: str = "") -> dict:
    """The expected table of a peak/off-peak page: {model: (cache hit, cache miss, output)} for each."""
    return {**prices_of(off_peak, currency, OUTSIDE_PEAK + suffix), **prices_of(peak, currency, PEAK + suffix)}


V4_PEAK_USD = peak_prices_of(
    {"deepseek-v4-flash": ("0.003", "0.15", "0.6"), "deepseek-v4-pro": ("0.022", "0.66", "1.98")},
    {"deepseek-v4-flash": ("0.006", "0.3", "1.2"), "deepseek-v4-pro": ("0.044", "1.32", "3.96")},
    "USD",
)
V4_PEAK_CNY = peak_prices_of(
    {"deepseek-v4-flash": ("0.02", "1", "2"), "deepseek-v4-pro": ("0.025", "3", "6")},
    {"deepseek-v4-flash": ("0.04", "2", "4"), "deepseek-v4-pro": ("0.05", "6", "12")},
    "CNY",
)
# The footnote of deepseek-peak-en.html stating the peak hours, line break and all.
PEAK_HOURS_EN = "Peak hours: 9:00–12:00 and 14:00–18:00 (Beijing Time,\nUTC+8) daily"


def test_is_a_registered_source():
    assert load("deepseek") is deepseek
    assert deepseek.URLS == (
        "https://api-docs.deepseek.com/quick_start/pricing",
        "https://api-docs.deepseek.com/zh-cn/quick_start/pricing",
    )
    assert "DeepSeek" in (deepseek.__doc__ or "")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("pricing-en-2025-12-20.md", V3_2_USD),
        ("pricing-zh-cn-2025-12-20.md", V3_2_CNY),
        ("pricing-en-2026-08-02.md", V4_USD),
        ("pricing-zh-cn-2026-08-02.md", V4_CNY),  # holds a NUL byte
    ],
)
def test_real_pages(name: str, expected: dict):
    prices = deepseek.parse(shared_file(f"fixtures/deepseek/{name}").read_bytes())
    # Exactly these keys: the 2026 pages' note announcing peak/off-peak pricing adds no price and no window.
    assert priced(prices) == expected
    for price in prices:
        assert (price.provider, price.unit, price.service_tier, price.context_tier, price.note) == (
            "deepseek",
            MTOK,
            "standard",
            "",
            "",
        )


def test_a_price_spanning_both_model_columns_is_published_once_for_each():
    prices = deepseek.parse(shared_file("fixtures/deepseek/pricing-zh-cn-2025-12-20.md").read_bytes())
    assert {(p.model, p.published) for p in prices if p.kind == "cache_hit"} == {
        ("deepseek-chat", "0.2元"),
        ("deepseek-reasoner", "0.2元"),
    }


def test_html_rendition_of_the_transposed_table():
    prices = deepseek.parse(own_fixture("deepseek-v3.2-transposed.html").read_bytes())
    # colspan'd MODEL header and prices, rowspan'd PRICING, and no $9.99 from the page's script
    assert priced(prices) == V3_2_USD


def test_html_and_markdown_renditions_agree():
    from_html = deepseek.parse(own_fixture("deepseek-v3.2-transposed.html").read_bytes())
    from_markdown = deepseek.parse(shared_file("fixtures/deepseek/pricing-en-2025-12-20.md").read_bytes())
    assert sorted(from_html, key=repr) == sorted(from_markdown, key=repr)


def test_older_layout_one_row_per_model():
    prices = deepseek.parse(own_fixture("deepseek-v2.5-one-row-per-model.md").read_bytes())
    assert priced(prices) == prices_of({"deepseek-chat": ("0.014", "0.14", "0.28")}, "USD")
    assert {p.published for p in prices} == {"$0.014 / 1M tokens", "$0.14 / 1M tokens", "$0.28 / 1M tokens"}


def test_struck_through_list_price_records_the_discounted_one_charged():
    prices = deepseek.parse(own_fixture("deepseek-v4-promo-struck.html").read_bytes())
    assert priced(prices) == V4_USD
    notes = {(p.model, p.kind): p.note for p in prices}
    assert notes == {
        ("deepseek-v4-flash", "cache_hit"): "",
        ("deepseek-v4-flash", "input"): "",
        ("deepseek-v4-flash", "output"): "",
        ("deepseek-v4-pro", "cache_hit"): "discounted from $0.0145",
        ("deepseek-v4-pro", "input"): "discounted from $1.74",
        ("deepseek-v4-pro", "output"): "discounted from $3.48",
    }


def test_struck_through_price_in_the_older_layout_ignores_its_footnote_marker():
    prices = deepseek.parse(own_fixture("deepseek-v3-promo-one-row-per-model.html").read_bytes())
    charged = [p for p in prices if p.effective_from is None]
    assert priced(charged) == prices_of(
        {"deepseek-chat": ("0.014", "0.14", "0.28"), "deepseek-reasoner": ("0.14", "0.55", "2.19")}, "USD"
    )
    chat = {p.kind: (p.published, p.note, p.effective_to) for p in charged if p.model == "deepseek-chat"}
    assert chat == {
        "cache_hit": ("$0.014", "discounted from $0.07", "2025-02-08"),
        "input": ("$0.14", "discounted from $0.27", "2025-02-08"),
        "output": ("$0.28", "discounted from $1.10", "2025-02-08"),
    }
    # "Until 2025-02-08 16:00 UTC": then the list price is charged again
    assert priced([p for p in prices if p.effective_from == "2025-02-08"]) == prices_of(
        {"deepseek-chat": ("0.07", "0.27", "1.10")}, "USD")


def test_standard_and_off_peak_prices_are_both_recorded():
    prices = deepseek.parse(own_fixture("deepseek-offpeak-en.md").read_bytes())
    assert priced(prices) == {
        **prices_of({"deepseek-chat": ("0.07", "0.27", "1.10"), "deepseek-reasoner": ("0.14", "0.55", "2.19")}, "USD"),
        **prices_of(
            {"deepseek-chat": ("0.035", "0.135", "0.55"), "deepseek-reasoner": ("0.035", "0.135", "0.55")},
            "USD",
            OFF_PEAK,
        ),
    }
    assert {p.published for p in prices if p.model == "deepseek-reasoner" and p.kind == "output"} == {
        "$2.19",
        "$0.550（75% OFF）",
    }


def test_beijing_hours_on_the_chinese_page_become_the_same_utc_window():
    prices = deepseek.parse(own_fixture("deepseek-offpeak-zh.html").read_bytes())
    assert priced(prices) == {
        **prices_of({"deepseek-chat": ("0.5", "2", "8"), "deepseek-reasoner": ("1", "4", "16")}, "CNY"),
        **prices_of({"deepseek-chat": ("0.25", "1", "4"), "deepseek-reasoner": ("0.25", "1", "4")}, "CNY", OFF_PEAK),
    }


def test_page_without_a_table_is_an_error():
    message = "^no prices found on DeepSeek's pricing page — has its layout changed\\?$"
    with pytest.raises(PricewarError, match=message):
        deepseek.parse(own_fixture("deepseek-no-table.md").read_bytes())


def test_empty_and_dashed_cells_are_no_price_never_zero():
    page = (
        "| MODEL | MAX COT TOKENS | 1M TOKENS INPUT PRICE (CACHE HIT) | 1M TOKENS INPUT PRICE (CACHE MISS) |"
        " 1M TOKENS OUTPUT PRICE |\n|---|---|---|---|---|\n"
        "| deepseek-chat | - | $0.07 | - | $1.10 |\n| deepseek-reasoner | 32K | $0.14 | $0.55 | |\n"
    )
    assert priced(deepseek.parse((page + NOTES).encode())) == {
        ("deepseek-chat", "cache_hit", ""): (Decimal("0.07"), "USD"),
        ("deepseek-chat", "output", ""): (Decimal("1.10"), "USD"),
        ("deepseek-reasoner", "cache_hit", ""): (Decimal("0.14"), "USD"),
        ("deepseek-reasoner", "input", ""): (Decimal("0.55"), "USD"),
    }


def test_byte_order_mark_and_nul_bytes_are_tolerated():
    page = ("\ufeff| MODEL | deepseek-chat |\n|---|---|\n| 1M OUTPUT\x00 TOKENS | $0.42 |\n" + NOTES).encode()
    assert priced(deepseek.parse(page)) == {("deepseek-chat", "output", ""): (Decimal("0.42"), "USD")}


@pytest.mark.parametrize(
    ("page", "message"),
    [
        pytest.param(
            "| MODEL | deepseek-chat |\n|---|---|\n| 1M OUTPUT TOKENS | $0.42 $0.21 |\n",
            "several prices and none struck out",
            id="two prices in a cell, neither struck out",
        ),
        pytest.param(
            "| MODEL | a | b | c |\n|---|---|---|---|\n| 1M OUTPUT TOKENS | $1 | $2 | |\n",
            "has 2 prices for 3 models",
            id="a price row that does not match the model columns",
        ),
        pytest.param(
            "| MODEL | deepseek-chat |\n|---|---|\n| 1M OUTPUT TOKENS | 0.42 |\n",
            "names no currency",
            id="a price without a currency",
        ),
        pytest.param(
            "| MODEL | | deepseek-chat |\n|---|---|---|\n| DISCOUNT PRICE | 1M OUTPUT TOKENS | $0.21 |\n",
            "without their hours",
            id="discounted prices without their hours",
        ),
        pytest.param(
            "| MODEL | | deepseek-v4-flash |\n|---|---|---|\n"
            "| PEAK PRICE (UTC+8 9:00-12:00) | 1M OUTPUT TOKENS | $0.56 |\n",
            "prices peak hours under 'PEAK PRICE",
            id="peak prices in a row group of an unknown layout, which must not pass for all-day ones",
        ),
        pytest.param(
            "| MODEL | deepseek-chat |\n|---|---|\n| 1M OUTPUT TOKENS | $0.42 |\n\n"
            "| MODEL | deepseek-chat |\n|---|---|\n| 1M OUTPUT TOKENS | $1.68 |\n",
            "gives deepseek-chat two output prices",
            id="one key priced twice",
        ),
    ],
)
def test_ambiguous_pages_raise_rather_than_guess(page: str, message: str):
    with pytest.raises(PricewarError, match=message):
        deepseek.parse((page + NOTES).encode())


def test_peak_and_off_peak_prices_are_both_recorded_each_with_its_hours():
    prices = deepseek.parse(own_fixture("deepseek-peak-en.html").read_bytes())
    assert priced(prices) == V4_PEAK_USD
    assert {p.published for p in prices if p.model == "deepseek-v4-pro" and p.kind == "output"} == {"$1.98", "$3.96"}


def test_chinese_peak_page_gives_the_same_keys_in_cny():
    prices = deepseek.parse(own_fixture("deepseek-peak-zh.html").read_bytes())
    assert priced(prices) == V4_PEAK_CNY
    english = deepseek.parse(own_fixture("deepseek-peak-en.html").read_bytes())
    assert {p.key[:3] + p.key[4:] for p in prices} == {p.key[:3] + p.key[4:] for p in english}  # all but currency


def test_markdown_rendition_that_lost_the_merged_cells_agrees_with_the_html():
    # PEAK rows shifted left, with a blank label, with a repeated label; the hours stated in UTC there.
    from_markdown = deepseek.parse(own_fixture("deepseek-peak-en.md").read_bytes())
    assert priced(from_markdown) == V4_PEAK_USD
    from_html = deepseek.parse(own_fixture("deepseek-peak-en.html").read_bytes())
    assert sorted(from_markdown, key=repr) == sorted(from_html, key=repr)


def test_peak_hours_on_weekdays_only():
    prices = deepseek.parse(own_fixture("deepseek-peak-weekdays-zh.md").read_bytes())
    assert priced(prices) == peak_prices_of(
        {"deepseek-v4-flash": ("0.02", "1", "2"), "deepseek-v4-pro": ("0.025", "3", "6")},
        {"deepseek-v4-flash": ("0.04", "2", "4"), "deepseek-v4-pro": ("0.05", "6", "12")},
        "CNY",
        " weekdays",
    )


@pytest.mark.parametrize(
    ("hours", "windows"),
    [
        (PEAK_HOURS_EN, (PEAK, OUTSIDE_PEAK)),
        ("Peak hours: 9:00–12:00 and 14:00–18:00 (Beijing Time, UTC+8), Monday to Friday",
         (PEAK + " weekdays", OUTSIDE_PEAK + " weekdays")),
        (PEAK_HOURS_EN + ". Peak pricing applies on weekdays only.", (PEAK + " weekdays", OUTSIDE_PEAK + " weekdays")),
        ("Peak hours are 06:00 - 10:00 and 01:00 - 04:00 UTC", (PEAK, OUTSIDE_PEAK)),  # sorted
        ("Peak hours: 07:00-09:00 (UTC+8)", ("peak UTC 23:00-01:00", "off-peak outside peak UTC 23:00-01:00")),
        (PEAK_HOURS_EN + ". Peak hours are 01:00-04:00 and 06:00-10:00 UTC.", (PEAK, OUTSIDE_PEAK)),  # said twice
    ],
)
def test_how_the_page_states_its_peak_hours(hours: str, windows: tuple[str, str]):
    page = own_fixture("deepseek-peak-en.html").read_text().replace(PEAK_HOURS_EN, hours)
    assert {p.time_window for p in deepseek.parse(page.encode())} == set(windows)


@pytest.mark.parametrize(("off_peak", "peak"), [("低谷时段", "高峰时段"), ("闲时", "高峰"), ("优惠时段", "高峰时段价格"),
                                                ("Off-peak", "Peak"), ("OFF PEAK(4)", "PEAK HOURS")])
def test_names_of_the_off_peak_and_peak_rows(off_peak: str, peak: str):
    page = (
        f"| MODEL | | | deepseek-v4-flash |\n|---|---|---|---|\n"
        f"| 1M OUTPUT TOKENS | {off_peak} | $0.6 |\n| 1M OUTPUT TOKENS | {peak} | $1.2 |\n\n"
        "Peak hours are 01:00-04:00 and 06:00-10:00 UTC.\n"
    )
    assert priced(deepseek.parse(page.encode())) == {
        ("deepseek-v4-flash", "output", OUTSIDE_PEAK): (Decimal("0.6"), "USD"),
        ("deepseek-v4-flash", "output", PEAK): (Decimal("1.2"), "USD"),
    }


def test_peak_prices_without_the_peak_hours_are_an_error():
    page = own_fixture("deepseek-peak-en.html").read_text().replace(PEAK_HOURS_EN, "")
    message = (
        "^DeepSeek's pricing page shows peak and off-peak prices but not the peak hours — has its layout changed\\?$"
    )
    with pytest.raises(PricewarError, match=message):
        deepseek.parse(page.encode())


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(("| | PEAK | $0.3 | $1.32 |", "| | | $0.3 | $1.32 |"), "shows prices without saying which",
                     id="a PEAK row that lost both its label and its PEAK cell"),
        pytest.param(("| 1M OUTPUT TOKENS | PEAK |", "| 1M OUTPUT TOKENS |"), "'1M OUTPUT TOKENS' for the whole day",
                     id="a PEAK cell lost: its prices would pass for all-day ones"),
        pytest.param(("| PRICING(2) | 1M INPUT TOKENS (CACHE HIT) | OFF-PEAK | $0.003 | $0.022 |\n", ""),
                     "'PEAK' row does not say which price it is",
                     id="a PEAK row without a label and no OFF-PEAK row above to share it"),
        pytest.param(("| PEAK | $0.006 |", "| PEAK / OFF-PEAK | $0.006 |"), "shows prices without saying which",
                     id="a cell naming both"),
        pytest.param(("| 1M OUTPUT TOKENS | PEAK |", "| OFF-PEAK | 1M OUTPUT TOKENS | PEAK |"),
                     "'1M OUTPUT TOKENS' row is both peak and off-peak", id="a row in both"),
        pytest.param(("Peak hours are\n01:00 - 04:00 and 06:00 - 10:00 UTC.", "Peak hours are 01:00 - 04:00."),
                     "name no time zone", id="peak hours without a time zone"),
        pytest.param(("06:00 - 10:00 UTC.", "06:00 - 10:00 UTC. Peak hours: 9:00-12:00 (UTC+8)."),
                     "states different peak hours", id="two sets of peak hours"),
        pytest.param(("06:00 - 10:00 UTC.", "06:00 - 10:00 UTC (9:00-12:00 Beijing time)."),
                     "mix Beijing time and UTC", id="Beijing time and UTC in one statement"),
        pytest.param(("Peak hours are\n01:00 - 04:00 and 06:00 - 10:00 UTC.",
                      "Off-peak prices apply outside peak hours, 01:00 - 04:00 and 06:00 - 10:00 UTC."),
                     "not the peak hours", id="hours in a sentence that speaks of off-peak too"),
    ],
)
def test_peak_pages_that_are_ambiguous_raise(change: tuple[str, str], message: str):
    page = own_fixture("deepseek-peak-en.md").read_text()
    assert change[0] in page
    with pytest.raises(PricewarError, match=message):
        deepseek.parse(page.replace(*change).encode())


def test_from_all_day_prices_to_peak_and_off_peak_ones_in_the_store(tmp_path):
    from pricewar.history import collect, database

    db = database.open_db(tmp_path / "h.db")
    announced = shared_file("fixtures/deepseek/pricing-en-2026-08-02.md")
    first = collect.record_source(db, "deepseek", [(announced.name, announced.read_bytes())],
                                  observed_at="2026-08-02T12:00:00Z")
    assert (first.status, first.error, len(first.changes.new)) == ("ok", "", 6)

    peak = own_fixture("deepseek-peak-en.html")
    second = collect.record_source(db, "deepseek", [(peak.name, peak.read_bytes())], observed_at="2026-08-20T12:00:00Z")
    assert (second.status, second.error) == ("ok", "")
    # Each all-day price ends; each peak and off-peak one starts. None replaces another as "changed".
    assert {(row["model"], row["kind"], row["time_window"]) for row in second.changes.delisted} == set(V4_USD)
    assert priced(second.changes.new) == V4_PEAK_USD
    assert (second.changes.changed, second.changes.unchanged) == ([], 0)
    rows = list(db.query("select time_window, per_mtok, end_reason from prices where source = 'deepseek'"))
    assert len(rows) == 18
    assert all(Decimal(row["per_mtok"]) > 0 for row in rows)
    assert {row["end_reason"] for row in rows if row["time_window"] == ""} == {"delisted"}
    assert {row["end_reason"] for row in rows if row["time_window"] != ""} == {None}


def test_a_page_that_ends_on_a_table_row_was_cut_short():
    page = "| MODEL | deepseek-chat | deepseek-reasoner |\n|---|---|---|\n| 1M OUTPUT TOKENS | $0.42 |\n"
    with pytest.raises(PricewarError, match="ends inside its table — was the download cut short"):
        deepseek.parse(page.encode())


# Issue 12: a table announcing future prices, one row per model and period, plain-text pages.

V4_FUTURE_USD = peak_prices_of(
    {"deepseek-v4-flash": ("0.007", "0.22", "0.66"), "deepseek-v4-pro": ("0.022", "0.66", "1.98")},
    {"deepseek-v4-flash": ("0.014", "0.44", "1.32"), "deepseek-v4-pro": ("0.044", "1.32", "3.96")},
    "USD",
)
V4_FUTURE_CNY = peak_prices_of(
    {"deepseek-v4-flash": ("0.05", "1.5", "4.5"), "deepseek-v4-pro": ("0.15", "4.5", "13.5")},
    {"deepseek-v4-flash": ("0.10", "3.0", "9.0"), "deepseek-v4-pro": ("0.30", "9.0", "27.0")},
    "CNY",
)
ANNOUNCED = "2026-08-16"  # 16:00 UTC on August 16, 2026 = 北京时间 2026 年 8 月 17 日 00:00


def dated(prices: list[Price]) -> dict[tuple[str, str, str], tuple[Decimal, str, str | None, str | None]]:
    """(model, kind, time_window) -> (per_mtok, currency, effective_from, effective_to)."""
    table = {(p.model, p.kind, p.time_window): (p.per_mtok, p.currency, p.effective_from, p.effective_to)
             for p in prices}
    assert len(table) == len(prices)
    return table


def today_and_announced(today: dict, announced: dict) -> dict:
    return {**{key: (*value, None, ANNOUNCED) for key, value in today.items()},
            **{key: (*value, ANNOUNCED, None) for key, value in announced.items()}}


@pytest.mark.parametrize(
    ("name", "today", "announced"),
    [("pricing-en-2026-08-16.md", V4_USD, V4_FUTURE_USD), ("pricing-zh-cn-2026-08-16.md", V4_CNY, V4_FUTURE_CNY)],
)
def test_real_page_with_an_announced_future_table(name: str, today: dict, announced: dict):
    prices = deepseek.parse(shared_file(f"fixtures/deepseek/{name}").read_bytes())
    # Today's prices end the day the announced peak / off-peak ones start, in UTC on both pages.
    assert dated(prices) == today_and_announced(today, announced)
    assert {(p.service_tier, p.unit, p.note) for p in prices} == {("standard", MTOK, "")}


def test_english_and_chinese_announcements_give_the_same_keys_and_dates():
    english, chinese = (deepseek.parse(shared_file(f"fixtures/deepseek/pricing-{lang}-2026-08-16.md").read_bytes())
                        for lang in ("en", "zh-cn"))
    def keys(prices):
        return {(p.key[:3] + p.key[4:], p.effective_from, p.effective_to) for p in prices}
    assert keys(english) == keys(chinese)


@pytest.mark.parametrize("name", ["deepseek-future-table-en.md", "deepseek-future-table-zh.md"])
def test_announced_future_table_hand_made(name: str):
    prices = deepseek.parse(own_fixture(name).read_bytes())
    currency = "CNY" if name.endswith("zh.md") else "USD"
    today = {key: value for key, value in (V4_CNY if currency == "CNY" else V4_USD).items()
             if key[0] == "deepseek-v4-flash"}
    announced = {key: value for key, value in (V4_FUTURE_CNY if currency == "CNY" else V4_FUTURE_USD).items()
                 if key[0] == "deepseek-v4-flash"}
    assert dated(prices) == today_and_announced(today, announced)


@pytest.mark.parametrize(
    ("sentence", "start"),
    [
        ("The new prices take effect at 16:00 UTC on August 16, 2026, as follows:", "2026-08-16"),
        ("The new prices take effect at 23:59 UTC on Aug 16, 2026:", "2026-08-16"),
        ("Starting from 16:00 UTC Time on Sept 5th, 2025, we will apply the following price list:", "2025-09-05"),
        ("新价格将于北京时间 2026 年 8 月 17 日 00:00 开始生效，具体如下：", "2026-08-16"),
        ("新价格将于北京时间 2026年8月17日 08:00 开始生效：", "2026-08-17"),
        ("The new prices take effect on 2026-08-20:", "2026-08-20"),
    ],
)
def test_when_announced_prices_take_effect(sentence: str, start: str):
    page = own_fixture("deepseek-future-table-en.md").read_text().replace(
        "The new prices take effect at 16:00 UTC on August 16, 2026, as follows:", sentence)
    assert {p.effective_from for p in deepseek.parse(page.encode()) if p.time_window} == {start}
    assert {p.effective_to for p in deepseek.parse(page.encode()) if not p.time_window} == {start}


@pytest.mark.parametrize(
    ("sentence", "message"),
    [
        pytest.param("The new prices take effect at 16:00 on August 16, 2026:", "in no single time zone",
                     id="a time without its time zone"),
        pytest.param("The new prices take effect at 16:00 UTC on August 16, 2026 or 16:00 UTC on August 17, 2026:",
                     "several moments", id="two dates"),
    ],
)
def test_unclear_start_of_announced_prices_is_refused(sentence: str, message: str):
    page = own_fixture("deepseek-future-table-en.md").read_text().replace(
        "The new prices take effect at 16:00 UTC on August 16, 2026, as follows:", sentence)
    with pytest.raises(PricewarError, match=message):
        deepseek.parse(page.encode())


def test_recording_the_announcement_twice_changes_nothing(tmp_path):
    from pricewar.history import collect, database

    db = database.open_db(tmp_path / "h.db")
    page = shared_file("fixtures/deepseek/pricing-en-2026-08-16.md")
    first = collect.record_source(db, "deepseek", [(page.name, page.read_bytes())], observed_at="2026-08-13T12:00:00Z")
    assert (first.status, first.error, len(first.changes.new)) == ("ok", "", 18)
    again = collect.record_source(db, "deepseek", [(page.name, page.read_bytes())], observed_at="2026-08-13T18:00:00Z")
    later = collect.record_source(db, "deepseek", [(page.name, page.read_bytes())], observed_at="2026-08-14T12:00:00Z")
    for run in (again, later):
        assert (run.status, run.changes.new, run.changes.changed, run.changes.delisted) == ("ok", [], [], [])
        assert run.changes.unchanged == 18
    rows = {(row["model"], row["kind"], row["time_window"]): (row["effective_from"], row["effective_to"])
            for row in db.query("select * from prices where source = 'deepseek'")}
    assert rows[("deepseek-v4-flash", "input", "")] == ("2026-08-13", ANNOUNCED)
    assert rows[("deepseek-v4-flash", "input", PEAK)] == (ANNOUNCED, None)
    assert len(rows) == 18


def test_the_announced_prices_are_the_ones_in_effect_after_the_change(tmp_path, monkeypatch):
    from conftest import ok

    monkeypatch.setenv("PRICEWAR_DB", str(tmp_path / "h.db"))
    page = str(shared_file("fixtures/deepseek/pricing-en-2026-08-16.md"))
    ok("update", "deepseek", "--source", page, "--observed-at", "2026-08-10", "-q")
    before = ok("compare", "deepseek-v4-flash", "--at", "2026-08-10", "--source", "deepseek")
    after = ok("compare", "deepseek-v4-flash", "--at", "2026-09-01", "--source", "deepseek")
    assert "0.14" in before and "peak" not in before
    assert "[peak] UTC 01:00-04:00,06:00-10:00" in after and "0.44" in after and "0.14 " not in after


def test_one_row_per_model_and_period_in_chinese():
    prices = deepseek.parse(own_fixture("deepseek-peak-rows-zh.md").read_bytes())
    assert priced(prices) == V4_FUTURE_CNY
    assert {(p.effective_from, p.effective_to) for p in prices} == {(None, None)}


def test_one_row_per_model_and_period_with_the_model_cell_merged_in_html():
    page = (
        "<table><tr><th>模型</th><th></th><th>百万tokens输入（缓存未命中）</th><th>百万tokens输出</th></tr>"
        "<tr><td rowspan='2'>deepseek-v4-flash</td><td>空闲时段</td><td>1.5元</td><td>4.5元</td></tr>"
        "<tr><td>高峰时段</td><td>3.0元</td><td>9.0元</td></tr></table>"
        "<p>高峰时段为北京时间 9:00 - 12:00、14:00 - 18:00（其余为空闲时段）。</p>"
    )
    assert priced(deepseek.parse(page.encode())) == {
        ("deepseek-v4-flash", "input", OUTSIDE_PEAK): (Decimal("1.5"), "CNY"),
        ("deepseek-v4-flash", "output", OUTSIDE_PEAK): (Decimal("4.5"), "CNY"),
        ("deepseek-v4-flash", "input", PEAK): (Decimal("3.0"), "CNY"),
        ("deepseek-v4-flash", "output", PEAK): (Decimal("9.0"), "CNY"),
    }


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(("| 高峰时段 | 0.10元 | 3.0元 | 9.0元 |", "| 高峰时段 | | 0.10元 | 3.0元 | 9.0元 |"),
                     "names no model", id="a period row as wide as the header: which cell was lost?"),
        pytest.param(("| 高峰时段 | 0.10元 | 3.0元 | 9.0元 |\n| deepseek-v4-pro", ("| 空闲时段 | 0.10元 | 3.0元 | 9.0元 |\n"
                      "| deepseek-v4-pro")), "names no model", id="the same period twice"),
        pytest.param(("| deepseek-v4-pro | 空闲时段 |", "| deepseek-v4-pro | |"), "prices peak hours under '高峰时段",
                     id="a period cell lost: its prices would pass for all-day ones"),
        pytest.param(("| 高峰时段 | 0.30元 | 9.0元 | 27.0元 |", "| deepseek-v4-pro | | 0.30元 | 9.0元 | 27.0元 |"),
                     "prices deepseek-v4-flash by peak and off-peak hours but deepseek-v4-pro for the whole day",
                     id="an all-day row beside period rows"),
        pytest.param(("高峰时段为北京时间 9:00 - 12:00、14:00 - 18:00（其余为空闲时段）。", ""), "not the peak hours",
                     id="no peak hours"),
    ],
)
def test_ambiguous_rows_per_model_and_period_raise(change: tuple[str, str], message: str):
    page = own_fixture("deepseek-peak-rows-zh.md").read_text()
    assert change[0] in page
    with pytest.raises(PricewarError, match=message):
        deepseek.parse(page.replace(*change).encode())


V3_PROMO = prices_of({"deepseek-chat": ("0.014", "0.14", "0.28"), "deepseek-reasoner": ("0.14", "0.55", "2.19")}, "USD")
V3_PROMO_NOTES = {
    ("deepseek-chat", "cache_hit"): "discounted from $0.07",
    ("deepseek-chat", "input"): "discounted from $0.27",
    ("deepseek-chat", "output"): "discounted from $1.10",
    ("deepseek-reasoner", "cache_hit"): "",
    ("deepseek-reasoner", "input"): "",
    ("deepseek-reasoner", "output"): "",
}
V3_OFF_PEAK = {
    **prices_of({"deepseek-chat": ("0.07", "0.27", "1.10"), "deepseek-reasoner": ("0.14", "0.55", "2.19")}, "USD"),
    **prices_of({"deepseek-chat": ("0.035", "0.135", "0.550"), "deepseek-reasoner": ("0.035", "0.135", "0.550")},
                "USD", OFF_PEAK),
}


@pytest.mark.parametrize("path", ["real/deepseek-pricing-en-text-2025-01-23.txt", "deepseek-v3-promo-text.txt"])
def test_plain_text_page_with_the_list_price_beside_the_charged_one(path: str):
    """Footnote (5): "From now until 2025-02-08 16:00 (UTC), all users can enjoy the discounted prices"."""
    prices = deepseek.parse(own_fixture(path).read_bytes())
    charged = [p for p in prices if p.effective_from is None]
    assert priced(charged) == V3_PROMO
    assert {(p.model, p.kind): p.note for p in charged} == V3_PROMO_NOTES
    assert {(p.model, p.effective_to) for p in charged} == {("deepseek-chat", "2025-02-08"), ("deepseek-reasoner", None)}
    listed = [p for p in prices if p.effective_from is not None]
    assert priced(listed) == prices_of({"deepseek-chat": ("0.07", "0.27", "1.10")}, "USD")
    assert {(p.effective_from, p.effective_to, p.service_tier) for p in listed} == {("2025-02-08", None, "standard")}


@pytest.mark.parametrize("path", ["real/deepseek-pricing-en-text-2025-02-26.txt", "deepseek-offpeak-text.txt"])
def test_plain_text_page_with_standard_and_discount_hours(path: str):
    prices = deepseek.parse(own_fixture(path).read_bytes())
    assert priced(prices) == V3_OFF_PEAK
    assert {p.published for p in prices if p.model == "deepseek-reasoner" and p.time_window} == {
        "$0.035（75% OFF）", "$0.135（75% OFF）", "$0.550（75% OFF）"}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        pytest.param(("$1.10(5)\n$0.28\n", "$1.10(5)\n"), "original price without the discounted one",
                     id="the charged price lost after a list price"),
        pytest.param(("(5) The form shows the the original price and the discounted price.", "(5) A note."),
                     "several prices and none struck out", id="two prices and no footnote saying which is which"),
        pytest.param(("$2.19 (6)\n(1)", "$2.19 (6)\tx\n(1)"), "no prices found", id="a row wider than the others"),
    ],
)
def test_ambiguous_plain_text_pages_raise(change: tuple[str, str], message: str):
    page = own_fixture("deepseek-v3-promo-text.txt").read_text()
    assert change[0] in page
    with pytest.raises(PricewarError, match=message):
        deepseek.parse(page.replace(*change).encode())


def test_a_plain_text_page_that_ends_on_a_table_row_was_cut_short():
    page = own_fixture("deepseek-offpeak-text.txt").read_text().split("\n(6)")[0]
    with pytest.raises(PricewarError, match="ends inside its table"):
        deepseek.parse(page.encode())
