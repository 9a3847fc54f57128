"""MiniMax's pay-as-you-go page: the Text table's input, output, cache read and cache write; no speech or video."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import load, minimax

REAL_PAGE = "fixtures/minimax/pricing-paygo-en-2025-12-20.md"
KINDS = ("input", "output", "cache_hit", "cache_write")


def priced(prices: list[Price]) -> dict[tuple[str, str], tuple[Decimal, str]]:
    """(model, kind) -> (per_mtok, currency); fails on a key emitted twice."""
    table = {(p.model, p.kind): (p.per_mtok, p.currency) for p in prices}
    assert len(table) == len(prices)
    return table


def prices_of(model_prices: dict[str, tuple[str | None, ...]], currency: str):
    """The expected table from {model: (input, output, cache read, cache write)}; None where there is none."""
    return {
        (model, kind): (Decimal(amount), currency)
        for model, amounts in model_prices.items()
        for kind, amount in zip(KINDS, amounts)
        if amount is not None
    }


def test_is_a_registered_source():
    assert load("minimax") is minimax
    assert minimax.URLS == ("https://platform.minimax.io/docs/guides/pricing-paygo",)
    assert "MiniMax" in (minimax.__doc__ or "")


def test_real_page_text_prices_and_nothing_else():
    prices = minimax.parse(shared_file(REAL_PAGE).read_bytes())
    # Exactly these: the speech ($60/M characters), voice, video, music and image prices are not per token.
    assert priced(prices) == prices_of(
        {"minimax-m2": ("0.3", "1.2", "0.03", "0.375"), "minimax-m2-stable": ("0.3", "1.2", "0.03", "0.375")},
        "USD",
    )
    for price in prices:
        assert (price.provider, price.unit, price.service_tier, price.context_tier, price.note) == (
            "minimax",
            MTOK,
            "standard",
            "",
            "",
        )


def test_real_page_keeps_what_it_published_and_minimax_casing_for_display():
    prices = {(p.model, p.kind): p for p in minimax.parse(shared_file(REAL_PAGE).read_bytes())}
    m2 = [prices["minimax-m2", kind] for kind in KINDS]
    assert [(p.published, p.display_name) for p in m2] == [
        ("$0.3 / M tokens", "MiniMax-M2"),
        ("$1.2 / M tokens", "MiniMax-M2"),
        ("$0.03 / M tokens", "MiniMax-M2"),
        ("$0.375 / M tokens", "MiniMax-M2"),
    ]
    # The description under the name ("High Concurrency, Commercial Use") is not part of it.
    assert prices["minimax-m2-stable", "input"].display_name == "MiniMax-M2-Stable"


def test_chinese_layout_in_cny_with_a_cell_naming_two_models():
    prices = minimax.parse(own_fixture("minimax-pricing-zh.md").read_bytes())
    assert priced(prices) == prices_of(
        {
            "minimax-m2": ("2.1", "8.4", "0.21", "2.625"),
            "minimax-text-01": ("1", "8", None, None),  # "-" and an empty cell are no price, never zero
            "minimax-vl-01": ("1", "8", None, None),
        },
        "CNY",
    )
    assert {p.published for p in prices if p.model == "minimax-vl-01"} == {"1元 / 百万tokens", "8元 / 百万tokens"}


TEXT_HEADER = "| Model | Input | Output | Prompt caching Read | Prompt caching Write |\n|---|---|---|---|---|\n"


def test_a_struck_list_price_records_the_one_charged():
    page = TEXT_HEADER + "| MiniMax-M2 | ~~$0.6 / M tokens~~ $0.3 / M tokens | $1.2 / M tokens | | |\n"
    prices = minimax.parse(page.encode())
    assert [(p.kind, p.per_mtok, p.note) for p in prices] == [
        ("input", Decimal("0.3"), "discounted from $0.6 / M tokens"),
        ("output", Decimal("1.2"), ""),
    ]


@pytest.mark.parametrize(
    ("page", "message"),
    [
        pytest.param(
            TEXT_HEADER + "| MiniMax-M2 | $0.3 / M tokens $0.2 / M tokens | | | |\n",
            "several prices",
            id="two prices in a cell",
        ),
        pytest.param(TEXT_HEADER + "| MiniMax-M2 | 0.3 / M tokens | | | |\n", "names no currency", id="no currency"),
        pytest.param(TEXT_HEADER + "| MiniMax-M2 | $0.3 | | | |\n", "names no unit", id="no unit"),
        pytest.param(TEXT_HEADER + "| MiniMax-M2 | $60/M characters | | | |\n", "not per token", id="per character"),
        pytest.param(TEXT_HEADER + "| High Concurrency | $0.3 / M tokens | | | |\n", "names no model", id="no model"),
        pytest.param(
            TEXT_HEADER
            + "| MiniMax-M2 | $0.3 / M tokens | | | |\n\n"
            + TEXT_HEADER
            + "| MiniMax-M2 | $0.4 / M tokens | | | |\n",
            "two input prices",
            id="one key priced twice",
        ),
        pytest.param(TEXT_HEADER + "| MiniMax-M2 | $0.3 / M tokens | $1", "cut short", id="cut mid-row"),
        pytest.param(
            "## Video\n\n| Model | Price |\n|---|---|\n| MiniMax-Hailuo-02 | $0.10 per 512P, 6s video |\n",
            "^no prices found on MiniMax's pricing page — has its layout changed\\?$",
            id="only non-token prices",
        ),
        pytest.param("", "no prices found", id="empty"),
    ],
)
def test_pages_it_refuses(page: str, message: str):
    with pytest.raises(PricewarError, match=message):
        minimax.parse(page.encode())
