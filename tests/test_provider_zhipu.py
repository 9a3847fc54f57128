"""Zhipu's GLM model pages: one 价格 card per model tab, one rate for input and output, "/" as free; the JS shell."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import load, zhipu

GLM_4_PAGE = "fixtures/zhipu/docs-glm-4-zh-2025-12-20.md"
JS_SHELL = "fixtures/zhipu/product-billing-2025-12-20-js-shell.md"
NO_PRICES = "^no prices found on Zhipu's pricing page — has its layout changed\\?$"
ONE_RATE = "one rate for input and output tokens"


def priced(prices: list[Price]) -> dict[tuple[str, str], tuple[Decimal, str, str]]:
    """(model, kind) -> (per_mtok, currency, note); fails on a key emitted twice."""
    table = {(p.model, p.kind): (p.per_mtok, p.currency, p.note) for p in prices}
    assert len(table) == len(prices)
    return table


def both(amount: str, note: str = ONE_RATE) -> tuple[tuple[Decimal, str, str], tuple[Decimal, str, str]]:
    return (Decimal(amount), "CNY", note), (Decimal(amount), "CNY", note)


def expected(model_prices: dict[str, tuple]) -> dict:
    return {
        (model, kind): price for model, pair in model_prices.items() for kind, price in zip(("input", "output"), pair)
    }


def test_is_a_registered_source():
    assert load("zhipu") is zhipu
    assert zhipu.URLS == ("https://docs.bigmodel.cn/cn/guide/models/text/glm-4.md",)
    assert "Zhipu" in (zhipu.__doc__ or "")


def test_glm_4_page_every_price():
    prices = zhipu.parse(shared_file(GLM_4_PAGE).read_bytes())
    assert priced(prices) == expected(
        {
            "glm-4-plus": both("5"),
            "glm-4-air-250414": both("0.5"),
            "glm-4-airx": both("10"),
            "glm-4-flashx-250414": both("0.1"),
            "glm-4-flash-250414": both("0", "free"),  # the card's "/" where the tab says 免费版
        }
    )
    for price in prices:
        assert (price.provider, price.unit, price.service_tier, price.context_tier, price.region, price.mode) == (
            "zhipu",
            MTOK,
            "standard",
            "",
            "",
            "",
        )


def test_glm_4_page_keeps_what_it_published():
    prices = {(p.model, p.kind): p for p in zhipu.parse(shared_file(GLM_4_PAGE).read_bytes())}
    assert [(p.published, p.display_name) for p in (prices["glm-4-plus", "input"], prices["glm-4-plus", "output"])] == [
        ("5 元 / 百万 Tokens", "GLM-4-Plus"),
        ("5 元 / 百万 Tokens", "GLM-4-Plus"),
    ]
    assert (prices["glm-4-flash-250414", "input"].published, prices["glm-4-flash-250414", "input"].display_name) == (
        "/",
        "GLM-4-Flash-250414",
    )


def test_the_javascript_shell_of_the_pricing_page_records_nothing():
    with pytest.raises(PricewarError, match=NO_PRICES):
        zhipu.parse(shared_file(JS_SHELL).read_bytes())


def test_a_single_model_page_prices_the_model_its_title_names():
    # ... and the card inside the code example is no price.
    prices = zhipu.parse(own_fixture("zhipu-single-model-card.md").read_bytes())
    assert priced(prices) == expected({"charglm-4": both("1")})


def test_labelled_input_and_output_a_slash_nothing_calls_free_and_a_per_call_price():
    prices = zhipu.parse(own_fixture("zhipu-tabs-input-output.md").read_bytes())
    # GLM-X-Preview's "/" is no price (its tab never says free); CogView-X's "0.06 元 / 次" is per call.
    assert priced(prices) == expected(
        {"glm-x-pro": ((Decimal(2), "CNY", ""), (Decimal(8), "CNY", ""))},
    )
    assert {p.kind: p.published for p in prices} == {"input": "2 元 / 百万 Tokens", "output": "8 元 / 百万 Tokens"}


def card_page(price: str, tab: str = "GLM-X") -> bytes:
    return (
        f'# GLM-X\n\n<Tabs>\n  <Tab title="{tab}">\n    <CardGroup cols={{3}}>\n'
        f'      <Card title="价格" icon={{<svg style={{{{maskImage: "url(/coins.svg)",}}}} />}}>\n'
        f"        {price}\n      </Card>\n    </CardGroup>\n  </Tab>\n</Tabs>\n"
    ).encode()


@pytest.mark.parametrize(
    ("card", "prices"),
    [
        ("0.5 元 / 百万 Tokens", {("glm-x", "input"): Decimal("0.5"), ("glm-x", "output"): Decimal("0.5")}),
        ("0.0005 元 / 千 Tokens", {("glm-x", "input"): Decimal("0.5"), ("glm-x", "output"): Decimal("0.5")}),
        ("输入 2 元 / 百万 Tokens；输出 8 元 / 百万 Tokens", {("glm-x", "input"): 2, ("glm-x", "output"): 8}),
        ("免费", {("glm-x", "input"): 0, ("glm-x", "output"): 0}),
    ],
)
def test_card_wordings_it_reads(card: str, prices: dict):
    assert {(p.model, p.kind): p.per_mtok for p in zhipu.parse(card_page(card))} == prices


@pytest.mark.parametrize(
    ("page", "message"),
    [
        pytest.param(card_page("0.8-2 元 / 百万 Tokens"), "several amounts", id="a range"),
        pytest.param(card_page("[0, 32K] 2 元 / 百万 Tokens"), "several amounts", id="a tier"),
        pytest.param(card_page("5 元 / 百万 Tokens（输出 10 元 / 百万 Tokens）"), "unlabelled amount", id="unlabelled"),
        pytest.param(card_page("输入 2 元 / 百万 Tokens 缓存 0.5 元 / 百万 Tokens"), "cache price", id="cache price"),
        pytest.param(card_page("5 / 百万 Tokens"), "names no currency", id="no currency"),
        pytest.param(card_page("5 元"), "names no unit", id="no unit"),
        pytest.param(card_page("5 元 / 百万 Tokens", tab="GLM-X 思考模式"), "no model id", id="tab is no model id"),
        pytest.param(card_page("/"), NO_PRICES, id="a slash nothing calls free"),
        pytest.param(card_page("0.5 元 / 次"), NO_PRICES, id="per call"),
        pytest.param(card_page("5 元 / 百万 Tokens")[:-40], NO_PRICES, id="card cut short"),
        pytest.param(
            card_page("5 元 / 百万 Tokens") + card_page("6 元 / 百万 Tokens"), "two input prices", id="priced twice"
        ),
        pytest.param(b"", NO_PRICES, id="empty"),
    ],
)
def test_pages_it_refuses(page: bytes, message: str):
    with pytest.raises(PricewarError, match=message):
        zhipu.parse(page)
