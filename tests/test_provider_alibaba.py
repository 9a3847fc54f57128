"""Alibaba Model Studio's pricing page: regions, context tiers, thinking modes, merged cells, batch, refusals."""

from __future__ import annotations

import time
from collections import Counter
from decimal import Decimal
from pathlib import Path

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import alibaba, load

REAL = "fixtures/alibaba/model-pricing-zh-2026-02-24.md"

# (model, kind, mode, context_tier, region) -> per_mtok, for standard (real-time) prices.
Key = tuple[str, str, str, str, str]


def standard(prices: list[Price]) -> dict[Key, Decimal]:
    """The standard prices by key; fails on a key emitted twice."""
    table = {(p.model, p.kind, p.mode, p.context_tier, p.region): p.per_mtok for p in prices if p.service_tier == "standard"}
    assert len(table) == sum(p.service_tier == "standard" for p in prices)
    return table


def models(prices: list[Price], region: str) -> set[str]:
    return {p.model for p in prices if p.region == region}


@pytest.fixture(scope="module")
def real() -> list[Price]:
    return alibaba.parse(shared_file(REAL).read_bytes())


def test_is_a_registered_source():
    assert load("alibaba") is alibaba
    assert alibaba.URLS == ("https://help.aliyun.com/zh/model-studio/model-pricing",)
    assert "Model Studio" in (alibaba.__doc__ or "")


def test_real_page_prices_named_in_the_brief(real):
    prices = standard(real)
    assert prices[("qwen-plus", "input", "", "0-128k", "cn")] == Decimal("0.8")
    assert prices[("qwen-plus", "output", "non-thinking", "0-128k", "cn")] == Decimal("2")
    assert prices[("qwen-plus", "output", "thinking", "0-128k", "cn")] == Decimal("8")
    assert prices[("qwen-plus", "output", "thinking", "256k-1m", "cn")] == Decimal("64")
    assert prices[("qwen-max", "input", "", "", "cn")] == Decimal("2.4")
    assert prices[("qwen-max", "output", "", "", "cn")] == Decimal("9.6")
    assert prices[("qwen-long", "input", "", "", "cn")] == Decimal("0.5")
    assert prices[("qwen-long", "output", "", "", "cn")] == Decimal("2")
    assert prices[("qwen3-max", "input", "", "0-32k", "cn")] == Decimal("2.5")
    assert prices[("qwen3-max", "output", "", "0-32k", "cn")] == Decimal("10")
    assert prices[("qwen3-max", "output", "", "128k-252k", "cn")] == Decimal("28")
    # The Chinese page gives international (Singapore) prices in 元 too: CNY, not USD.
    assert prices[("qwen3-max", "input", "", "0-32k", "international")] == Decimal("8.807")
    assert prices[("qwen3-max", "output", "", "0-32k", "international")] == Decimal("44.035")
    assert prices[("qwen3-max", "input", "", "0-32k", "global")] == Decimal("8.807")
    assert {p.published for p in real if p.model == "qwen3-max" and p.region == "international"} >= {"8.807元"}


def test_real_page_every_price_is_cny_per_million_tokens(real):
    assert {(p.provider, p.currency, p.unit) for p in real} == {("alibaba", "CNY", MTOK)}
    assert all(p.per_mtok > 0 for p in real)  # free and free-trial models record nothing, never zero
    assert {p.context_tier for p in real} == {
        "", "0-32k", "32k-128k", "128k-252k", "128k-256k", "256k-1m", "0-128k", "0-256k", "0-1m",
        "128k-200k", "32k-166k", "32k-96k",
    }  # fmt: skip


def test_real_page_models_per_region(real):
    assert len(real) == 1180
    assert Counter(p.service_tier for p in real) == {"standard": 1077, "batch": 103}
    counts = {region: len(models(real, region)) for region in ("cn", "global", "international", "us")}
    assert counts == {"cn": 179, "global": 44, "international": 95, "us": 6}
    assert {p.region for p in real} == {"cn", "global", "international", "us"}
    assert models(real, "us") == {
        "qwen-plus-us", "qwen-plus-2025-12-01-us", "qwen-flash-us", "qwen-flash-2025-07-28-us",
        "qwen3-vl-flash-us", "qwen3-vl-flash-2025-10-15-us",
    }  # fmt: skip
    cn = models(real, "cn")
    assert {"qwen3.5-plus", "qwen-turbo", "qwq-plus", "qwen3-coder-plus", "qwen-mt-plus", "deepseek-v3.2",
            "siliconflow/deepseek-v3.2", "kimi-k2.5", "moonshot-kimi-k2-instruct", "glm-5", "minimax-m2.5",
            "qwen-vl-ocr-latest", "farui-plus", "gui-plus"} <= cn  # fmt: skip
    # Skipped: embeddings, rerank, Omni / Audio (priced per modality), images; free-trial and 限时免费 rows.
    everything = {p.model for p in real}
    assert not {"text-embedding-v4", "qwen3-rerank", "opennlu-v1", "qwen3-omni-flash", "qwen-omni-turbo",
                "qwen2.5-omni-7b", "qwen3-omni-30b-a3b-captioner", "qwen-audio-turbo", "qwen2.5-1.5b-instruct",
                "qwen2-1.5b-instruct", "qwen2.5-coder-3b-instruct", "deepseek-r1-distill-llama-70b",
                "abab6.5g-chat", "qwen-vl-chat-v1"} & everything  # fmt: skip
    assert "qwen3.5-plus" not in models(real, "global") and "qwen3-max-2026-01-23" not in models(real, "global")


def test_real_page_display_name_keeps_the_pages_spelling(real):
    kimi = {p.display_name for p in real if p.model == "moonshot-kimi-k2-instruct"}
    assert kimi == {"Moonshot-Kimi-K2-Instruct"}


def test_real_page_merged_cells_are_inherited_from_the_row_above(real):
    prices = standard(real)
    # "| 32K<Token≤128K | 4元 | 16元 |": the model and mode cells span the tier rows.
    assert prices[("qwen3-max-preview", "output", "", "32k-128k", "cn")] == Decimal("40")
    # "| qwen-vl-ocr-latest |": the prices of qwen-vl-ocr span three models, then 5元 spans three more.
    for model, amounts in {
        "qwen-vl-ocr": ("0.3", "0.5"),
        "qwen-vl-ocr-latest": ("0.3", "0.5"),
        "qwen-vl-ocr-2025-11-20": ("0.3", "0.5"),
        "qwen-vl-ocr-2025-04-13": ("5", "5"),
        "qwen-vl-ocr-2024-10-28": ("5", "5"),
    }.items():
        assert (prices[(model, "input", "", "", "cn")], prices[(model, "output", "", "", "cn")]) == tuple(
            map(Decimal, amounts)
        )
    # A "-" is no price: a thinking-only model has no non-thinking output price.
    next_thinking = {(p.kind, p.mode): p.per_mtok for p in real if p.model == "qwen3-next-80b-a3b-thinking"
                     and p.region == "cn"}  # fmt: skip
    assert next_thinking == {("input", ""): Decimal("1"), ("output", "thinking"): Decimal("10")}


def test_real_page_finance_cloud_tab_is_skipped(real):
    # The 金融云 tab's tables follow the previous tab's with no sentence naming their deployment.
    amounts = {p.per_mtok for p in real if p.model in ("qwen-max", "qwen-plus")}
    assert not amounts & {Decimal("38"), Decimal("114"), Decimal("1.52"), Decimal("3.8")}


def test_real_page_batch_prices_are_half_for_models_marked_batch_half_price(real):
    batch = {(p.model, p.kind, p.mode, p.context_tier, p.region): p for p in real if p.service_tier == "batch"}
    plus = batch[("qwen-plus", "output", "thinking", "0-128k", "cn")]
    assert (plus.per_mtok, plus.published, plus.note) == (
        Decimal("4"),
        "8元 × 50% (Batch调用 半价)",
        "Batch调用 半价: half the real-time price",
    )
    assert batch[("qwen3-max", "input", "", "0-32k", "international")].per_mtok == Decimal("4.4035")
    assert ("qwen3-max-2025-09-23", "input", "", "0-32k", "cn") not in batch  # not marked on the page
    assert ("qwen-plus", "input", "", "0-256k", "international") not in batch  # marked in cn only


def test_real_page_parses_quickly():
    body = shared_file(REAL).read_bytes()
    alibaba.parse(body)  # warm up imports and regular expressions
    started = time.perf_counter()
    alibaba.parse(body)
    assert time.perf_counter() - started < 0.5  # about 50 ms on a laptop


def test_row_cut_after_its_model_cell_does_not_inherit_the_prices_above():
    body = shared_file(REAL).read_bytes()
    row = "| qwen-max-2024-09-19 |".encode()
    cut = body.index(row) + len(row)
    prices = alibaba.parse(body[:cut])  # the last line ends the page: it may have been cut short
    assert "qwen-max-2024-09-19" not in {p.model for p in prices}
    assert standard(prices)[("qwen-max-2025-01-25", "input", "", "", "cn")] == Decimal("2.4")


def test_html_rendition_with_rowspan_and_colspan():
    prices = alibaba.parse(own_fixture("alibaba-model-pricing.html").read_bytes())
    assert standard(prices) == {
        **{("qwen3-max", kind, "", tier, "cn"): Decimal(amount) for kind, tier, amount in [
            ("input", "0-32k", "2.5"), ("output", "0-32k", "10"), ("input", "32k-128k", "4"),
            ("output", "32k-128k", "16"), ("input", "128k-252k", "7"), ("output", "128k-252k", "28")]},
        **{("qwen3-max-2025-09-23", kind, "", tier, "cn"): Decimal(amount) for kind, tier, amount in [
            ("input", "0-32k", "6"), ("output", "0-32k", "24"), ("input", "32k-128k", "10"),
            ("output", "32k-128k", "40"), ("input", "128k-252k", "15"), ("output", "128k-252k", "60")]},
        ("qwen-max", "input", "", "", "cn"): Decimal("2.4"),
        ("qwen-max", "output", "", "", "cn"): Decimal("9.6"),
        ("qwen-max-2024-09-19", "input", "", "", "cn"): Decimal("20"),
        ("qwen-max-2024-09-19", "output", "", "", "cn"): Decimal("60"),
        **{("qwen3-max", kind, "", tier, "international"): Decimal(amount) for kind, tier, amount in [
            ("input", "0-32k", "8.807"), ("output", "0-32k", "44.035"), ("input", "32k-128k", "17.614"),
            ("output", "32k-128k", "88.071"), ("input", "128k-252k", "22.018"), ("output", "128k-252k", "110.089")]},
        **{("qwen-plus", kind, mode, tier, "cn"): Decimal(amount) for kind, mode, tier, amount in [
            ("input", "", "0-128k", "0.8"), ("output", "non-thinking", "0-128k", "2"),
            ("output", "thinking", "0-128k", "8"), ("input", "", "128k-256k", "2.4"),
            ("output", "non-thinking", "128k-256k", "20"), ("output", "thinking", "128k-256k", "24"),
            ("input", "", "256k-1m", "4.8"), ("output", "non-thinking", "256k-1m", "48"),
            ("output", "thinking", "256k-1m", "64")]},
        ("qwen-plus-2025-04-28", "input", "", "", "cn"): Decimal("0.8"),
        ("qwen-plus-2025-04-28", "output", "non-thinking", "", "cn"): Decimal("2"),
        ("qwen-plus-2025-04-28", "output", "thinking", "", "cn"): Decimal("8"),
        ("qwen-vl-ocr", "input", "", "", "cn"): Decimal("0.3"),
        ("qwen-vl-ocr", "output", "", "", "cn"): Decimal("0.5"),
        ("qwen-vl-ocr-2025-11-20", "input", "", "", "cn"): Decimal("0.3"),
        ("qwen-vl-ocr-2025-11-20", "output", "", "", "cn"): Decimal("0.5"),
        ("qwen-vl-ocr-2025-08-28", "input", "", "", "cn"): Decimal("5"),
        ("qwen-vl-ocr-2025-08-28", "output", "", "", "cn"): Decimal("5"),
    }  # fmt: skip
    # Not the 金融云 tab's 38元, nor the script's 999元, nor the Omni or embedding tables.
    assert {p.model for p in prices if p.service_tier == "batch"} == {"qwen3-max", "qwen-max", "qwen-plus"}


def test_html_and_markdown_renditions_agree():
    from_html = alibaba.parse(own_fixture("alibaba-model-pricing.html").read_bytes())
    from_markdown = {(p.key, p.per_mtok) for p in alibaba.parse(shared_file(REAL).read_bytes())}
    assert {(p.key, p.per_mtok) for p in from_html} <= from_markdown


def test_hand_written_layouts_and_refusals():
    prices = alibaba.parse(own_fixture("alibaba-edge-cases.md").read_bytes())
    assert {(p.model, p.kind, p.mode, p.service_tier, p.context_tier, p.per_mtok, p.currency, p.unit, p.published,
             p.note) for p in prices} == {  # fmt: skip
        # $ stays USD; a per-1K header is normalised to per 1M; "Batch调用 半价" halves both prices.
        ("model-usd", "input", "", "standard", "", Decimal("0.4"), "USD", "per 1K tokens", "$0.0004", ""),
        ("model-usd", "output", "", "standard", "", Decimal("1.2"), "USD", "per 1K tokens", "$0.0012", ""),
        ("model-usd", "input", "", "batch", "", Decimal("0.2"), "USD", "per 1K tokens",
         "$0.0004 × 50% (Batch调用 半价)", "Batch调用 半价: half the real-time price"),
        ("model-usd", "output", "", "batch", "", Decimal("0.6"), "USD", "per 1K tokens",
         "$0.0012 × 50% (Batch调用 半价)", "Batch调用 半价: half the real-time price"),
        # A struck-through price is not charged; the one after it is.
        ("model-struck", "input", "", "standard", "", Decimal("400"), "CNY", "per 1K tokens", "0.4元",
         "discounted from 0.8元"),
        ("model-struck", "output", "", "standard", "", Decimal("2000"), "CNY", "per 1K tokens", "2元", ""),
        # A blank output cell written on the page is no price, not the 2元 above it.
        ("model-blank-output", "input", "", "standard", "", Decimal("500"), "CNY", "per 1K tokens", "0.5元", ""),
        # The second header row splits the output price into non-thinking / thinking; "-" is no price.
        ("model-split", "input", "", "standard", "0-128k", Decimal("0.8"), "CNY", MTOK, "0.8元", ""),
        ("model-split", "output", "non-thinking", "standard", "0-128k", Decimal("2"), "CNY", MTOK, "2元", ""),
        ("model-split", "output", "thinking", "standard", "0-128k", Decimal("8"), "CNY", MTOK, "8元", ""),
        ("model-split", "input", "", "standard", "128k-1m", Decimal("2.4"), "CNY", MTOK, "2.4元", ""),
        ("model-split", "output", "non-thinking", "standard", "128k-1m", Decimal("20"), "CNY", MTOK, "20元", ""),
        ("model-split-flat", "input", "", "standard", "", Decimal("1"), "CNY", MTOK, "1元", ""),
        ("model-split-flat", "output", "non-thinking", "standard", "", Decimal("3"), "CNY", MTOK, "3元", ""),
        ("model-split-flat", "output", "thinking", "standard", "", Decimal("9"), "CNY", MTOK, "9元", ""),
    }
    # Everything else in the file is refused: a free model and the one inheriting its 限时免费, a table right
    # after another (a lost tab label), a row with some prices written and others inherited (its whole
    # table), prices split by modality, a header short of a column, no currency, a new model inheriting a
    # tier, an unknown deployment region, no region sentence, an embedding section, a code block.
    assert {p.region for p in prices} == {"international"}


def test_one_key_priced_twice_is_an_error_naming_both():
    page = (
        "## 文本生成-千问\n\n### A\n\n在 中国内地部署模式 下，接入点位于北京地域。\n\n"
        "| 模型名称 | 输入单价（每百万Token） | 输出单价（每百万Token） |\n| --- | --- | --- |\n| qwen-x | 1元 | 2元 |\n\n"
        "##### 更多模型\n\n"
        "| 模型名称 | 输入单价（每百万Token） | 输出单价（每百万Token） |\n| --- | --- | --- |\n| qwen-x | 1元 | 3元 |\n"
    )
    with pytest.raises(PricewarError, match=r"gives qwen-x \(cn\) two output prices \(2元 and 3元\)"):
        alibaba.parse(page.encode())


@pytest.mark.parametrize(
    "body",
    [
        pytest.param(b"", id="empty"),
        pytest.param(b"\x00\xff\xfe garbage \x80", id="binary"),
        pytest.param("随便一些文字，没有表格。\n## 文本生成-千问\n在 中国内地部署模式 下".encode(), id="no table"),
        pytest.param(b"| a | b |\n|---|---|\n" * 500, id="tables outside any section"),
        pytest.param(b"<html><body><table><tr><td>" * 300, id="unclosed html"),
    ],
)
def test_pages_without_prices_are_an_error(body: bytes):
    refused = ("^(no prices found on Alibaba Model Studio's pricing page — has its layout"
               "|Alibaba Model Studio's pricing page ends inside a table)")
    with pytest.raises(PricewarError, match=refused):
        alibaba.parse(body)


def test_a_page_cut_short_is_refused_not_read_as_fewer_models():
    body = shared_file("fixtures/alibaba/model-pricing-zh-2026-02-24.md").read_bytes()
    with pytest.raises(PricewarError, match="ends inside a table"):
        alibaba.parse(body[: len(body) // 2])


def test_a_row_whose_price_fits_two_columns_is_refused_not_guessed():
    roles = ["model", "price", "price", "price", "price", "quota"]
    # "限时" may span one price column or two before the 2元, so 2元 may be the second or the third price.
    with pytest.raises(alibaba._Unreadable):
        alibaba._align(["qwen-x", "限时", "2元", "限时"], roles)
    # Without a price, either way is no price: the cells the ways disagree on read "?".
    assert alibaba._align(["qwen-x", "目前仅供免费体验", "各10万Token"], ["model", "price", "price", "quota"]) == [
        "qwen-x",
        "目前仅供免费体验",
        "?",
        "?",
    ]


# The Markdown export with every table cell on a line (or paragraph) of its own, regions in a 服务部署范围 column.
CELLS = "fixtures/real/alibaba-model-pricing-cells-per-line-2026-06.md"


@pytest.fixture(scope="module")
def cells() -> list[Price]:
    return alibaba.parse((Path(__file__).parent / CELLS).read_bytes())


def test_cells_per_line_real_page_prices(cells):
    prices = standard(cells)
    for region, amounts in {
        "cn": ("2.5", "10", "4", "16", "7", "28"),
        "global": ("2.5", "10", "4", "16", "7", "28"),
        "international": ("8.807", "44.035", "17.614", "88.071", "22.018", "110.089"),
        "eu": ("8.993", "44.965", "17.986", "89.93", "22.483", "112.413"),
    }.items():
        assert [prices[("qwen3-max", kind, "", tier, region)] for tier in ("0-32k", "32k-128k", "128k-256k")
                for kind in ("input", "output")] == list(map(Decimal, amounts))  # fmt: skip
    # The output price split into non-thinking / thinking columns by a second row of header cells.
    plus = {"0-128k": ("0.8", "2", "8"), "128k-256k": ("2.4", "20", "24"), "256k-1m": ("4.8", "48", "64")}
    for tier, amounts in plus.items():
        columns = [("input", ""), ("output", "non-thinking"), ("output", "thinking")]
        found = tuple(prices[("qwen-plus", kind, mode, tier, "cn")] for kind, mode in columns)
        assert found == tuple(map(Decimal, amounts))
    assert prices[("qwen-plus", "output", "thinking", "0-256k", "international")] == Decimal("29.357")
    assert prices[("qwen3.7-plus", "input", "", "0-256k", "japan")] == Decimal("2.998")
    assert prices[("qwen3.5-flash", "input", "", "0-1m", "international")] == Decimal("0.734")
    assert (prices[("qwen-max", "input", "", "", "cn")], prices[("qwen-max", "output", "", "", "cn")]) == (
        Decimal("2.4"), Decimal("9.6"))  # fmt: skip
    assert prices[("qwen-max", "output", "", "", "international")] == Decimal("46.971")
    # The page ends inside the 千问Long table, after its third row: a fourth may have been cut, so none is read.
    assert not {p.model for p in cells if p.model.startswith("qwen-long")}
    assert {key[2:]: amount for key, amount in prices.items() if key[0] == "qwen-turbo" and key[4] == "cn"} == {
        ("", "", "cn"): Decimal("0.3"),
        ("non-thinking", "", "cn"): Decimal("0.6"),
        ("thinking", "", "cn"): Decimal("3"),
    }  # fmt: skip
    assert {(p.currency, p.unit) for p in cells} == {("CNY", MTOK)}
    plus = next(p for p in cells if (p.model, p.kind, p.mode, p.context_tier, p.region, p.service_tier)
                == ("qwen-plus", "output", "thinking", "0-128k", "cn", "standard"))  # fmt: skip
    assert (plus.published, plus.display_name) == ("8元", "qwen-plus")


def test_cells_per_line_real_page_batch_half_price_and_regions(cells):
    assert len(cells) == 550
    assert Counter(p.service_tier for p in cells) == {"standard": 484, "batch": 66}
    assert Counter(p.region for p in cells) == {"cn": 240, "international": 152, "global": 110, "eu": 24, "us": 12,
                                                "japan": 12}  # fmt: skip
    batch = {(p.model, p.kind, p.context_tier, p.region): p.per_mtok for p in cells if p.service_tier == "batch"}
    assert batch[("qwen3-max", "input", "0-32k", "cn")] == Decimal("1.25")
    assert batch[("qwen-max", "output", "", "international")] == Decimal("23.4855")
    assert ("qwen3-max", "input", "0-32k", "international") not in batch  # not marked there


def test_cells_per_line_real_page_tables_with_a_row_short_of_a_cell_are_refused(cells):
    # 美国 千问Flash: "qwen-flash-us" has no 模式 cell; 德国 千问Flash: the 欧盟 rows have no tier cell.
    # Which cell is missing cannot be told from the cells alone: neither table is read, not even its full rows.
    assert not {"qwen-flash-us", "qwen-flash-2025-07-28-us"} & {p.model for p in cells}
    flash = {p.model for p in cells if p.region in ("global", "eu") and p.model.startswith(("qwen3.5-fl", "qwen-fl"))}
    assert not flash
    assert {p.region for p in cells if p.model == "qwen3.6-flash"} == {"cn", "global", "international"}  # Japan's table


def test_cells_per_line_hand_written_layouts_and_refusals():
    prices = alibaba.parse(own_fixture("alibaba-cells-per-line.md").read_bytes())
    assert {(p.model, p.region, p.kind, p.mode, p.service_tier, p.context_tier, p.per_mtok) for p in prices} == {
        # A merged model cell spans its tier rows; its region and "Batch调用半价" note with it.
        ("model-tiered", "cn", "input", "", "standard", "0-32k", Decimal("2")),
        ("model-tiered", "cn", "output", "", "standard", "0-32k", Decimal("8")),
        ("model-tiered", "cn", "input", "", "standard", "32k-128k", Decimal("4")),
        ("model-tiered", "cn", "output", "", "standard", "32k-128k", Decimal("16")),
        ("model-tiered", "cn", "input", "", "batch", "0-32k", Decimal("1")),
        ("model-tiered", "cn", "output", "", "batch", "0-32k", Decimal("4")),
        ("model-tiered", "cn", "input", "", "batch", "32k-128k", Decimal("2")),
        ("model-tiered", "cn", "output", "", "batch", "32k-128k", Decimal("8")),
        ("model-eu", "eu", "input", "", "standard", "", Decimal("3")),  # "不区分阶梯": no tiers
        ("model-eu", "eu", "output", "", "standard", "", Decimal("9")),
        # Trailing 非思考模式 / 思考模式 labels are a second header row; "\-" is no price.
        ("model-split", "international", "input", "", "standard", "", Decimal("1")),
        ("model-split", "international", "output", "non-thinking", "standard", "", Decimal("3")),
        ("model-split", "international", "output", "thinking", "standard", "", Decimal("9")),
        ("model-thinking-only", "international", "input", "", "standard", "", Decimal("2")),
        ("model-thinking-only", "international", "output", "thinking", "standard", "", Decimal("20")),
        # No 服务部署范围 column: the region heading above the table ("## 国际") names it.
        ("model-under-region-heading", "international", "input", "", "standard", "", Decimal("5")),
        ("model-under-region-heading", "international", "output", "", "standard", "", Decimal("15")),
    }
    # Refused: 限时免费, a table with a row short of its tier or its mode (the whole table), a table naming no
    # region, prices with no currency, an image section, and the table the page ends inside: even its whole
    # first row, since the page may have been cut before a row that would make the table unreadable.
    assert {p.model for p in prices}.isdisjoint({
        "model-free", "model-beside-a-row-without-tier", "model-without-tier", "model-without-mode",
        "model-nowhere", "model-no-currency", "model-image", "model-before-the-cut", "model-cut-after-its-region",
    })  # fmt: skip


def test_cells_per_line_page_with_no_readable_table_is_refused_naming_the_layout():
    page = own_fixture("alibaba-cells-per-line.md").read_text()
    unreadable = page[page.index("### **有一行缺了阶梯**") : page.index("## **图像生成**")]
    with pytest.raises(PricewarError, match="laid out one cell per line, and no table's cells could be regrouped"):
        alibaba.parse(("## **文本生成-千问**\n\n" + unreadable).encode())


CELL_TABLE = (
    "## **文本生成-千问**\n\n### **千问Max**\n\n**模型 ID（Model ID）**\n\n**服务部署范围**\n\n"
    "**输入单价（每百万Token）**\n\n**输出单价（每百万Token）**\n\nqwen-x\n\n中国内地\n\n1元\n\n2元\n"
)


@pytest.mark.parametrize(
    "after",
    [
        pytest.param("\n## **图像生成**\n", id="a heading"),
        pytest.param("\n**模型 ID（Model ID）**\n", id="the next table's header"),
        pytest.param("\n服务部署范围为[国际](https://help.aliyun.com/)时，数据存储位于**新加坡**。\n", id="a sentence"),
    ],
)
def test_cells_per_line_table_closed_by_what_follows_it_is_read(after: str):
    prices = alibaba.parse((CELL_TABLE + after).encode())
    assert {(p.model, p.region, p.kind): p.per_mtok for p in prices} == {
        ("qwen-x", "cn", "input"): Decimal("1"), ("qwen-x", "cn", "output"): Decimal("2"),
    }  # fmt: skip


@pytest.mark.parametrize(
    "after",
    [
        pytest.param("", id="the page ends after a whole row"),
        pytest.param("\nqwen-y\n\n中国内地\n", id="the page ends inside a row"),
        pytest.param("\n## **图像", id="the page ends on a line that may itself be cut"),
    ],
)
def test_cells_per_line_table_the_page_ends_inside_is_not_read(after: str):
    # Any row after the cut could regroup the cells or make the whole table unreadable: no row is read.
    with pytest.raises(PricewarError, match="ends inside a table laid out one cell per line — was the download cut"):
        alibaba.parse((CELL_TABLE + after).encode())


def test_region_heading_above_a_pipe_table():
    page = (
        "## **文本生成-千问**\n\n### **千问Max**\n\n## 中国内地\n\n"
        "服务部署范围为[中国内地](https://help.aliyun.com/zh/model-studio/regions/)时，数据存储位于**北京接入地域**。\n\n"
        "| **模型名称** | **输入单价（每百万Token）** | **输出单价（每百万Token）** |\n| --- | --- | --- |\n"
        "| qwen-x | 1元 | 2元 |\n\n## 国际\n\n"
        "| **模型名称** | **输入单价（每百万Token）** | **输出单价（每百万Token）** |\n| --- | --- | --- |\n"
        "| qwen-x | 3元 | 6元 |\n"
    )
    assert {(p.region, p.kind): p.per_mtok for p in alibaba.parse(page.encode())} == {
        ("cn", "input"): Decimal("1"), ("cn", "output"): Decimal("2"),
        ("international", "input"): Decimal("3"), ("international", "output"): Decimal("6"),
    }  # fmt: skip


def test_recording_the_cells_per_line_page_twice_changes_nothing(tmp_path):
    from pricewar.history import collect, database

    db = database.open_db(tmp_path / "h.db")
    page = [(CELLS, (Path(__file__).parent / CELLS).read_bytes())]
    dry = collect.record_source(db, "alibaba", page, dry_run=True, observed_at="2026-06-10T12:00:00Z")
    assert (dry.status, dry.error, len(dry.changes.new)) == ("ok", "", 550)
    first = collect.record_source(db, "alibaba", page, observed_at="2026-06-10T12:00:00Z")
    assert (first.status, len(first.changes.new)) == ("ok", 550)
    second = collect.record_source(db, "alibaba", page, observed_at="2026-06-11T12:00:00Z")
    changes = second.changes
    assert (second.status, changes.new, changes.changed, changes.delisted, changes.unchanged) == ("ok", [], [], [], 550)
