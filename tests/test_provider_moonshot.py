"""Moonshot's (Kimi's) pricing page: model tables with cache hit / miss, kimi-latest's length tiers, CNY and USD."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import load, moonshot

REAL_PAGE = "fixtures/moonshot/pricing-chat-zh-cn-2025-12-20.md"


def priced(prices: list[Price]) -> dict[tuple[str, str, str], tuple[Decimal, str]]:
    """(model, kind, context_tier) -> (per_mtok, currency); fails on a key emitted twice."""
    table = {(p.model, p.kind, p.context_tier): (p.per_mtok, p.currency) for p in prices}
    assert len(table) == len(prices)
    return table


def prices_of(model_prices: dict[str, tuple[str | None, ...]], currency: str, tier: str = ""):
    """The expected table from {model: (cache hit, input, output)}; None where the page gives no price."""
    return {
        (model, kind, tier): (Decimal(amount), currency)
        for model, amounts in model_prices.items()
        for kind, amount in zip(("cache_hit", "input", "output"), amounts)
        if amount is not None
    }


REAL_CNY = {
    **prices_of(
        {
            "kimi-k2-0905-preview": ("1", "4", "16"),
            "kimi-k2-0711-preview": ("1", "4", "16"),
            "kimi-k2-turbo-preview": ("1", "8", "58"),
            "kimi-k2-thinking": ("1", "4", "16"),
            "kimi-k2-thinking-turbo": ("1", "8", "58"),
            "moonshot-v1-8k": (None, "2", "10"),
            "moonshot-v1-32k": (None, "5", "20"),
            "moonshot-v1-128k": (None, "10", "30"),
            "moonshot-v1-8k-vision-preview": (None, "2", "10"),
            "moonshot-v1-32k-vision-preview": (None, "5", "20"),
            "moonshot-v1-128k-vision-preview": (None, "10", "30"),
        },
        "CNY",
    ),
    **prices_of({"kimi-latest": ("1", "2", "10")}, "CNY", "0-8k"),
    **prices_of({"kimi-latest": ("1", "5", "20")}, "CNY", "8k-32k"),
    **prices_of({"kimi-latest": ("1", "10", "30")}, "CNY", "32k-128k"),
}


def test_is_a_registered_source():
    assert load("moonshot") is moonshot
    assert moonshot.URLS == ("https://platform.moonshot.cn/docs/pricing/chat",)
    assert "Moonshot" in (moonshot.__doc__ or "")


def test_real_page_every_price():
    prices = moonshot.parse(shared_file(REAL_PAGE).read_bytes())
    assert priced(prices) == REAL_CNY
    assert len(prices) == 36
    assert {p.model for p in prices} == {
        "kimi-k2-0905-preview",
        "kimi-k2-0711-preview",
        "kimi-k2-turbo-preview",
        "kimi-k2-thinking",
        "kimi-k2-thinking-turbo",
        "kimi-latest",
        "moonshot-v1-8k",
        "moonshot-v1-32k",
        "moonshot-v1-128k",
        "moonshot-v1-8k-vision-preview",
        "moonshot-v1-32k-vision-preview",
        "moonshot-v1-128k-vision-preview",
    }
    for price in prices:
        assert (price.provider, price.unit, price.service_tier, price.region, price.mode, price.time_window) == (
            "moonshot",
            MTOK,
            "standard",
            "",
            "",
            "",
        )
        assert (price.note, price.effective_from) == ("", None)


def test_real_page_named_prices():
    prices = {(p.model, p.kind, p.context_tier): p for p in moonshot.parse(shared_file(REAL_PAGE).read_bytes())}
    v1_32k = prices["moonshot-v1-32k", "input", ""], prices["moonshot-v1-32k", "output", ""]
    assert [(p.per_mtok, p.currency, p.published) for p in v1_32k] == [
        (Decimal(5), "CNY", "￥5.00"),
        (Decimal(20), "CNY", "￥20.00"),
    ]
    k2 = [prices["kimi-k2-0905-preview", kind, ""] for kind in ("cache_hit", "input", "output")]
    assert [(p.per_mtok, p.published) for p in k2] == [
        (Decimal(1), "￥1.00"),
        (Decimal(4), "￥4.00"),
        (Decimal(16), "￥16.00"),
    ]
    # the "推荐" badge glued to the id is not part of it
    assert prices["kimi-k2-turbo-preview", "output", ""].display_name == "kimi-k2-turbo-preview"


def test_kimi_latest_rows_that_lost_their_spanned_model_cell_are_its_tiers():
    prices = moonshot.parse(shared_file(REAL_PAGE).read_bytes())
    tiers = sorted((p.context_tier, p.kind, p.per_mtok) for p in prices if p.model == "kimi-latest")
    assert tiers == sorted(
        (tier, kind, Decimal(amount))
        for tier, amounts in (("0-8k", ("1", "2", "10")), ("8k-32k", ("1", "5", "20")), ("32k-128k", ("1", "10", "30")))
        for kind, amount in zip(("cache_hit", "input", "output"), amounts)
    )


def test_english_html_rendition_with_rowspan_badge_struck_price_and_dash():
    prices = moonshot.parse(own_fixture("moonshot-pricing-en.html").read_bytes())
    assert priced(prices) == {
        **prices_of(
            {
                "kimi-k2-0905-preview": ("0.15", "0.60", "2.50"),
                "kimi-k2-turbo-preview": ("0.15", "1.15", "8.00"),
                "kimi-k2-thinking": (None, "0.60", "2.50"),  # "-" is no price, never zero
                "moonshot-v1-8k": (None, "0.20", "2.00"),
                "moonshot-v1-32k-vision-preview": (None, "1.00", "3.00"),
            },
            "USD",
        ),
        **prices_of({"kimi-latest": ("0.15", "0.20", "2.00")}, "USD", "0-8k"),
        **prices_of({"kimi-latest": ("0.15", "1.00", "3.00")}, "USD", "8k-32k"),
        **prices_of({"kimi-latest": ("0.15", "2.00", "5.00")}, "USD", "32k-128k"),
    }
    notes = {(p.model, p.kind): p.note for p in prices if p.note}
    assert notes == {("kimi-k2-turbo-preview", "input"): "discounted from $2.40"}


@pytest.mark.parametrize(
    ("label", "tier"),
    [
        ("≤ 8,192 tokens", "0-8k"),
        ("8,192 < 长度 ≤ 32,768 tokens", "8k-32k"),
        ("32,768 < length <= 131,072 tokens", "32k-128k"),
        ("> 131,072 tokens", ">128k"),
        ("[0, 32K]", "0-32k"),
        ("0-128000", "0-128k"),
        ("≤ 5,000 tokens", "0-5k"),
        ("≤ 12,345 tokens", "0-12345"),
        ("about eight thousand", None),
    ],
)
def test_request_length_labels_become_context_tiers(label: str, tier: str | None):
    assert moonshot._read_tier(label) == tier


HEADER = "| 模型 | 计费单位 | 输入价格（缓存命中） | 输入价格（缓存未命中） | 输出价格 |\n|---|---|---|---|---|\n"


def test_unit_from_the_cell_when_the_table_has_no_unit_column():
    page = "| Model | Input Price | Output Price |\n|---|---|---|\n| kimi-k2 | $0.60/M | $0.0025 / 1K tokens |\n"
    prices = moonshot.parse(page.encode())
    assert priced(prices) == {
        ("kimi-k2", "input", ""): (Decimal("0.60"), "USD"),
        ("kimi-k2", "output", ""): (Decimal("2.5"), "USD"),
    }
    assert {p.kind: p.unit for p in prices} == {"input": MTOK, "output": "per 1K tokens"}


@pytest.mark.parametrize(
    ("page", "message"),
    [
        pytest.param(
            HEADER + "| kimi-k2 | 1M tokens | ￥1 | ￥4 ￥2 | ￥16 |\n", "several prices", id="two prices in a cell"
        ),
        pytest.param(HEADER + "| kimi-k2 | 1M tokens | 1 | 4 | 16 |\n", "names no currency", id="no currency"),
        pytest.param(HEADER + "| kimi-k2 | per request | ￥1 | ￥4 | ￥16 |\n", "names no unit", id="no unit"),
        pytest.param(HEADER + "| Kimi K2 (new) | 1M tokens | ￥1 | ￥4 | ￥16 |\n", "no model id", id="no model id"),
        pytest.param(
            "| 模型 | 请求上下文长度范围 | 计费单位 | 输入价格 | 输出价格 |\n|---|---|---|---|---|\n"
            "| kimi-latest | 短请求 | 1M tokens | ￥2 | ￥10 |\n",
            "request length pricewar cannot read",
            id="unreadable tier",
        ),
        pytest.param(
            HEADER
            + "| kimi-k2 | 1M tokens | ￥1 | ￥4 | ￥16 |\n\n"
            + HEADER
            + "| kimi-k2 | 1M tokens | ￥1 | ￥8 | ￥16 |\n",
            "two input prices",
            id="one key priced twice",
        ),
        pytest.param(HEADER + "| kimi-k2 | 1M tokens | ￥1 | ￥4 | ￥1", "cut short", id="markdown cut mid-row"),
        pytest.param(
            "<table><tr><th>Model</th><th>Unit</th><th>Input Price</th></tr><tr><td>kimi-k2</td><td>1M tokens</td><td>$0.6",
            "cut short",
            id="html cut mid-table",
        ),
        pytest.param(
            "# 模型推理价格说明\n\n加载中…\n",
            "^no prices found on Moonshot's pricing page — has its layout changed\\?$",
            id="no table",
        ),
        pytest.param("", "no prices found", id="empty"),
    ],
)
def test_pages_it_refuses(page: str, message: str):
    with pytest.raises(PricewarError, match=message):
        moonshot.parse(page.encode())
