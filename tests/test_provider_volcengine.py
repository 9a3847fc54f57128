"""Volcano Engine Ark's pricing page: its rich-text payload (tables as zones), HTML/Markdown, tiers, batch."""

from __future__ import annotations

import contextlib
import random
import time
from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import load, volcengine

REAL = "fixtures/volcengine/model-service-pricing-payload-2025-12-13.md"
NO_PRICES = "^no prices found on Volcano Engine's pricing page — has its layout changed\\?$"

REAL_MODELS = {
    # 深度思考模型
    "deepseek-v3.2",
    "doubao-seed-code",
    "doubao-seed-1.6",
    "doubao-seed-1.6-lite",
    "doubao-seed-1.6-flash",
    "doubao-seed-1.6-vision",
    "doubao-seed-1.6-thinking",
    "doubao-1.5-thinking-pro",
    "doubao-1.5-thinking-vision-pro",
    "deepseek-v3.1",
    "deepseek-r1",
    # 大语言模型 (doubao-1.5-pro-256k: batch only)
    "doubao-seed-translation",
    "doubao-1.5-pro-32k",
    "doubao-1.5-pro-256k",
    "doubao-1.5-lite-32k",
    "doubao-pro-32k",
    "doubao-lite-32k",
    "kimi-k2",
    "deepseek-v3",
    # 视觉理解模型
    "doubao-1.5-vision-pro",
    "doubao-1.5-vision-lite",
    "doubao-1.5-ui-tars",
    # 文本向量模型
    "doubao-embedding",
    "doubao-embedding-large",
}

# doubao-seed-1.6's online prices: (context_tier, kind) -> 元 per 1M tokens.
SEED_1_6_STANDARD = {
    ("0-32k,out<=200", "input"): "0.8",
    ("0-32k,out<=200", "cache_hit"): "0.16",
    ("0-32k,out<=200", "output"): "2",
    ("0-32k,out>200", "input"): "0.8",
    ("0-32k,out>200", "cache_hit"): "0.16",
    ("0-32k,out>200", "output"): "8",
    ("32k-128k", "input"): "1.2",
    ("32k-128k", "cache_hit"): "0.16",
    ("32k-128k", "output"): "16",
    ("128k-256k", "input"): "2.4",
    ("128k-256k", "cache_hit"): "0.16",
    ("128k-256k", "output"): "24",
}


def priced(prices: list[Price]) -> dict[tuple[str, str, str, str, str], Decimal]:
    """(model, service_tier, context_tier, mode, kind) -> per_mtok; fails on a key emitted twice."""
    table = {(p.model, p.service_tier, p.context_tier, p.mode, p.kind): p.per_mtok for p in prices}
    assert len(table) == len(prices)
    return table


def tiers_of(prices: list[Price], model: str, service_tier: str) -> dict[tuple[str, str], str]:
    return {
        (p.context_tier, p.kind): str(p.per_mtok) for p in prices if p.model == model and p.service_tier == service_tier
    }


@pytest.fixture(scope="module")
def real() -> list[Price]:
    return volcengine.parse(shared_file(REAL).read_bytes())


def test_is_a_registered_source():
    assert load("volcengine") is volcengine
    assert volcengine.URLS == ("https://www.volcengine.com/docs/82379/1544106",)
    assert "Volcano Engine" in (volcengine.__doc__ or "")


def test_real_payload_models(real: list[Price]):
    assert len({p.model for p in real}) == 24
    assert {p.model for p in real} == REAL_MODELS
    assert len(real) == 188
    assert sum(p.service_tier == "batch" for p in real) == 84


def test_real_payload_every_price_is_bytedance_cny_per_million_tokens(real: list[Price]):
    for price in real:
        assert (price.provider, price.currency, price.unit, price.region, price.mode, price.time_window) == (
            "bytedance",
            "CNY",
            MTOK,
            "",
            "",
            "",
        )
        assert price.per_mtok > 0  # "-" and 不支持 are no price, never zero
        assert price.display_name == price.model
    # cache storage (0.017 元 per 1M tokens per hour) is not a token price
    assert Decimal("0.017") not in {p.per_mtok for p in real}


def test_real_payload_doubao_seed_1_6_tiers(real: list[Price]):
    assert tiers_of(real, "doubao-seed-1.6", "standard") == SEED_1_6_STANDARD
    published = {(p.service_tier, p.context_tier, p.kind): p.published for p in real if p.model == "doubao-seed-1.6"}
    assert published[("standard", "0-32k,out<=200", "output")] == "2.00 元/百万 token"
    assert published[("batch", "0-32k,out<=200", "output")] == "1.00 元/百万token"


def test_real_payload_batch_prices(real: list[Price]):
    assert tiers_of(real, "doubao-seed-1.6", "batch") == {
        ("0-32k,out<=200", "input"): "0.4",
        ("0-32k,out<=200", "cache_hit"): "0.16",
        ("0-32k,out<=200", "output"): "1",
        ("0-32k,out>200", "input"): "0.4",
        ("0-32k,out>200", "cache_hit"): "0.16",
        ("0-32k,out>200", "output"): "4",
        ("32k-128k", "input"): "0.6",
        ("32k-128k", "cache_hit"): "0.16",
        ("32k-128k", "output"): "8",
        ("128k-256k", "input"): "1.2",
        ("128k-256k", "cache_hit"): "0.16",
        ("128k-256k", "output"): "12",
    }
    table = priced(real)
    assert table[("doubao-seed-1.6-flash", "batch", "0-32k", "", "input")] == Decimal("0.075")
    assert table[("doubao-seed-1.6-flash", "batch", "32k-128k", "", "input")] == Decimal("0.15")  # "0.150"
    assert table[("doubao-1.5-pro-32k", "batch", "", "", "output")] == Decimal("1")
    assert table[("doubao-1.5-pro-32k", "standard", "", "", "output")] == Decimal("2")
    assert tiers_of(real, "doubao-1.5-pro-256k", "batch") == {("", "input"): "5", ("", "output"): "9"}
    assert tiers_of(real, "doubao-1.5-pro-256k", "standard") == {}


def test_real_payload_other_tables(real: list[Price]):
    table = priced(real)
    assert tiers_of(real, "deepseek-v3.2", "standard") == {
        ("0-32k", "input"): "2",
        ("0-32k", "cache_hit"): "0.4",
        ("0-32k", "output"): "3",
        ("32k-128k", "input"): "4",
        ("32k-128k", "cache_hit"): "0.4",
        ("32k-128k", "output"): "6",
    }
    assert tiers_of(real, "doubao-1.5-thinking-pro", "standard") == {("", "input"): "4", ("", "output"): "16"}
    assert {p.note for p in real if p.model == "doubao-1.5-thinking-pro" and p.service_tier == "standard"} == {
        "含m-250415、m-250428版本"
    }
    assert table[("doubao-1.5-vision-pro", "standard", "", "", "input")] == Decimal("3")
    assert tiers_of(real, "doubao-embedding", "standard") == {("", "input"): "0.5"}
    assert tiers_of(real, "doubao-seed-translation", "standard") == {("", "input"): "1.2", ("", "output"): "3.6"}


def test_real_payload_parses_quickly():
    body = shared_file(REAL).read_bytes()
    start = time.perf_counter()
    volcengine.parse(body)
    assert time.perf_counter() - start < 0.3


def test_html_rendition_reads_rowspans_and_every_heading_above_a_table():
    prices = volcengine.parse(own_fixture("volcengine-html-tables.html").read_bytes())
    # fine-tuned endpoints (1.60), TPM packages, per-modality input and the script's table are skipped
    assert tiers_of(prices, "doubao-seed-1.6", "standard") == SEED_1_6_STANDARD
    assert tiers_of(prices, "doubao-seed-1.6", "batch") == {
        ("0-32k,out<=200", "input"): "0.4",
        ("0-32k,out<=200", "cache_hit"): "0.16",
        ("0-32k,out<=200", "output"): "1",
        ("0-32k,out>200", "input"): "0.4",
        ("0-32k,out>200", "cache_hit"): "0.16",
        ("0-32k,out>200", "output"): "4",
    }
    assert {p.model for p in prices} == {
        "doubao-seed-1.6",
        "deepseek-r1",
        "doubao-1.5-thinking-pro",
        "doubao-1.5-pro-256k",
    }
    assert tiers_of(prices, "doubao-1.5-pro-256k", "batch") == {("", "input"): "5", ("", "output"): "9"}
    assert tiers_of(prices, "doubao-1.5-thinking-pro", "standard") == {("", "input"): "4", ("", "output"): "16"}
    assert len(prices) == 12 + 3 + 2 + 6 + 2


def test_html_and_payload_renditions_agree(real: list[Price]):
    from_html = volcengine.parse(own_fixture("volcengine-html-tables.html").read_bytes())
    pick = {"doubao-seed-1.6", "deepseek-r1", "doubao-1.5-thinking-pro"}

    def standard(prices: list[Price]) -> set[tuple]:
        return {(p.key, p.per_mtok, p.note) for p in prices if p.model in pick and p.service_tier == "standard"}

    assert standard(from_html) == standard(real)


def test_markdown_rendition_blank_merged_cells_thinking_mode_promotions_and_free():
    prices = volcengine.parse(own_fixture("volcengine-markdown-tables.md").read_bytes())
    assert priced(prices) == {
        ("doubao-seed-1.6-flash", "standard", "0-32k", "", "input"): Decimal("0.15"),
        ("doubao-seed-1.6-flash", "standard", "0-32k", "", "cache_hit"): Decimal("0.03"),
        ("doubao-seed-1.6-flash", "standard", "0-32k", "", "output"): Decimal("1.5"),
        ("doubao-seed-1.6-flash", "standard", "32k-128k", "", "input"): Decimal("0.3"),
        ("doubao-seed-1.6-flash", "standard", "32k-128k", "", "cache_hit"): Decimal("0.03"),
        ("doubao-seed-1.6-flash", "standard", "32k-128k", "", "output"): Decimal("3"),
        ("doubao-seed-2.0-preview", "standard", "0-128k", "thinking", "input"): Decimal("0.4"),
        ("doubao-seed-2.0-preview", "standard", "0-128k", "thinking", "cache_hit"): Decimal("0.08"),
        ("doubao-seed-2.0-preview", "standard", "0-128k", "thinking", "output"): Decimal("8"),
        ("doubao-seed-2.0-preview", "standard", "0-128k", "non-thinking", "input"): Decimal("0.4"),
        ("doubao-seed-2.0-preview", "standard", "0-128k", "non-thinking", "cache_hit"): Decimal("0.08"),
        ("doubao-seed-2.0-preview", "standard", "0-128k", "non-thinking", "output"): Decimal("2"),
        ("doubao-seed-trial", "standard", ">128k", "", "input"): Decimal("0"),  # 免费: the page says free
        ("doubao-seed-trial", "standard", ">128k", "", "output"): Decimal("0"),
        ("doubao-seed-1.6-flash", "batch", "0-32k", "", "input"): Decimal("0.075"),
        ("doubao-seed-1.6-flash", "batch", "0-32k", "", "cache_hit"): Decimal("0.03"),
        ("doubao-seed-1.6-flash", "batch", "0-32k", "", "output"): Decimal("0.75"),
        ("doubao-embedding-legacy", "standard", "", "", "input"): Decimal("0.5"),  # 0.0005 元 per 1K tokens
    }
    by_key = {(p.model, p.mode, p.kind): p for p in prices}
    promo = by_key[("doubao-seed-2.0-preview", "thinking", "input")]
    assert (promo.published, promo.note) == ("0.40 元/百万 token", "discounted from 0.80")
    legacy = by_key[("doubao-embedding-legacy", "", "input")]
    assert (legacy.published, legacy.unit) == ("0.0005 元/千 tokens", "per 1K tokens")
    assert by_key[("doubao-seed-trial", "", "output")].published == "免费"


def test_payload_quoted_in_a_script_is_read():
    prices = volcengine.parse(own_fixture("volcengine-quoted-payload.html").read_bytes())
    assert priced(prices) == {
        ("doubao-seed-1.6", "standard", "0-32k", "", "input"): Decimal("0.8"),
        ("doubao-seed-1.6", "standard", "0-32k", "", "output"): Decimal("8"),
        ("doubao-seed-1.6", "standard", "32k-128k", "", "input"): Decimal("1.2"),  # a merged model cell
        ("doubao-seed-1.6", "standard", "32k-128k", "", "output"): Decimal("16"),
        ("doubao-1.5-pro-32k", "standard", "", "", "input"): Decimal("0.8"),
        ("doubao-1.5-pro-32k", "standard", "", "", "output"): Decimal("2"),
    }


def one_row(condition: str, header: str = "条件（千 token）", price: str = "1.00") -> bytes:
    return (
        f"| 模型名称 | {header} | 输出（元/百万 token） |\n|---|---|---|\n| doubao-x | {condition} | {price} |\n"
    ).encode()


@pytest.mark.parametrize(
    ("condition", "header", "context_tier", "mode"),
    [
        ("输入长度 [0, 32]", "条件（千 token）", "0-32k", ""),
        ("输入长度 (128, 256]", "条件（千 token）", "128k-256k", ""),
        ("输入长度 (256, 1000]", "条件（千 token）", "256k-1m", ""),
        ("输入长度 (256, +∞)", "条件（千 token）", ">256k", ""),
        ("输入长度 [0, 32K] 且输出长度 [0, 0.2K]", "条件", "0-32k,out<=200", ""),
        ("输入长度 [0, 32000]", "条件（token）", "0-32k", ""),
        ("输入长度 (32, 128]", "条件（K tokens）", "32k-128k", ""),
        ("输出长度 (0.2, 16]", "条件（千 token）", "out200-16k", ""),
        ("关闭深度思考", "条件", "", "non-thinking"),
        ("开启深度思考", "条件", "", "thinking"),
        ("-", "条件", "", ""),
    ],
)
def test_conditions_become_context_tiers_and_modes(condition: str, header: str, context_tier: str, mode: str):
    [price] = volcengine.parse(one_row(condition, header))
    assert (price.context_tier, price.mode, price.per_mtok) == (context_tier, mode, Decimal(1))


@pytest.mark.parametrize(
    ("page", "message"),
    [
        pytest.param(one_row("输入长度 [0, 32] 且 图片理解"), "condition pricewar cannot read", id="unknown condition"),
        pytest.param(one_row("输入长度 [0, 32]", header="条件"), "without a unit", id="condition without a unit"),
        pytest.param(one_row("-", price="0.8/1.6"), "not a plain amount", id="two amounts in a cell"),
        pytest.param(one_row("-", price="~~2.00~~ 1.00 起"), "not a plain amount", id="promotion with extra text"),
        pytest.param(
            "| 模型 | 输入（元/百万token） | 输入（元/百万token） |\n|---|---|---|\n| doubao-x | 1 | 2 |\n",
            "cannot tell apart",
            id="two input columns",
        ),
        pytest.param(
            "| 模型 | 批量推理输入（元/百万token） |\n|---|---|\n| doubao-x | 1 |\n",
            "cannot tell apart",
            id="batch prices in a column",
        ),
        pytest.param(
            "| 名称 | 输入（元/百万token） |\n|---|---|\n| doubao-x | 1 |\n",
            "without a model column",
            id="no model column",
        ),
        pytest.param(
            "| 模型 | 输入（元/百万token） |\n|---|---|\n| doubao-x | 1 |\n\n"
            "| 模型 | 输入（元/百万token） |\n|---|---|\n| doubao-x | 2 |\n",
            "gives doubao-x two input prices",
            id="one key priced twice",
        ),
    ],
)
def test_ambiguous_tables_raise_rather_than_guess(page: str | bytes, message: str):
    with pytest.raises(PricewarError, match=message):
        volcengine.parse(page if isinstance(page, bytes) else page.encode())


def test_tables_without_token_prices_are_no_prices():
    with pytest.raises(PricewarError, match=NO_PRICES):
        volcengine.parse(own_fixture("volcengine-no-prices.md").read_bytes())


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"   \n",
        b"# \xe6\xa8\xa1\xe5\x9e\x8b\xe6\x9c\x8d\xe5\x8a\xa1\xe4\xbb\xb7\xe6\xa0\xbc\nno tables here",
        b"\xff\xfe\x00garbage<table><tr><td>",
        b'{"version": "1.2.30", "data": []}',
        b'{"version": "1.2.30", "data": {"0": {"ops": "nope"}}}',
        b'{"version": 1, "data": {"0": {"ops": [{"insert": "*", "attributes": {"aceTable": 7}}, 3, {}]}}}',
    ],
    ids=["empty", "blank", "no table", "binary", "data not a dict", "ops not a list", "malformed ops"],
)
def test_pages_without_prices_raise_a_pricewar_error(body: bytes):
    with pytest.raises(PricewarError):
        volcengine.parse(body)


def test_truncated_payload_says_the_download_was_cut_short():
    body = shared_file(REAL).read_bytes()
    for cut in (60, len(body) // 3, len(body) - 2):
        with pytest.raises(PricewarError, match="cut short"):
            volcengine.parse(body[:cut])


def test_random_slices_of_the_real_page_raise_only_pricewar_errors():
    body = shared_file(REAL).read_bytes()
    chance = random.Random(82379)
    for _ in range(30):
        start = chance.randrange(len(body))
        piece = body[start : start + chance.randrange(1, 20_000)]
        with contextlib.suppress(PricewarError):
            volcengine.parse(piece)
