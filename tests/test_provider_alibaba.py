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


def cut(text: str, start: str, end: str, after: str = "") -> str:
    """`text` without the part from `start` (the first one after `after`) up to, not including, the next `end`."""
    at = text.index(start, text.index(after) if after else 0)
    return text[:at] + text[text.index(end, at + len(start)) :]


def refused(page: str) -> str:
    """The sentence that refuses `page` (the test fails if it is read)."""
    with pytest.raises(PricewarError) as refusal:
        alibaba.parse(page.encode())
    return str(refusal.value)


UNREADABLE = "Alibaba Model Studio's pricing page has a section pricewar cannot read"


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
    # The 金融云 tab's tables follow the previous tab's with no sentence naming their deployment; the model
    # group lists 金融云 among its tabs, so they are known to be that tab's, whose prices are not recorded.
    amounts = {p.per_mtok for p in real if p.model in ("qwen-max", "qwen-plus")}
    assert not amounts & {Decimal("38"), Decimal("114"), Decimal("1.52"), Decimal("3.8")}


def test_real_page_table_after_a_table_is_refused_where_no_tab_label_explains_it():
    page = shared_file(REAL).read_text()
    unlabelled = page.replace("\n金融云\n", "\n")  # the tab lists, as if the page had no 金融云 tab
    assert refused(unlabelled) == (
        f"{UNREADABLE} (文本生成-千问 / 千问Max / 国际 / 更多模型): a table follows the one before it with no heading "
        "or sentence naming its deployment region (a tab whose label the conversion lost?) — has its layout changed?"
    )


def test_real_page_region_sentence_naming_an_unknown_region_is_refused():
    page = shared_file(REAL).read_text()
    sentence = "在 [全球部署模式](https://help.aliyun.com/zh/model-studio/regions/#080da663a75xh \"\") 下"
    assert page.count(sentence) > 1
    moved = page.replace(sentence, sentence.replace("全球", "中东"), 1)
    assert refused(moved) == (
        f"{UNREADABLE} (文本生成-千问 / 千问Max): the sentence “在 中东部署模式 下…” names a deployment region pricewar "
        "does not place (it knows 中国内地, 全球, 国际, 美国, 欧盟, 日本) — has its layout changed?"
    )


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


def section(page: str, title: str) -> str:
    """One "### **title**" section of a hand-written page, up to the next heading of level 2 or 3."""
    at = page.index(f"### **{title}**")
    ends = [found for end in ("\n### ", "\n## ") if (found := page.find(end, at + 1)) != -1]
    return page[at : min(ends, default=len(page))]


def edge_page(*sections: str) -> str:
    """The hand-written pipe-table page's own heading and family heading, then the sections given."""
    return "# 模型调用价格\n\n## **文本生成-千问**\n\n" + "\n".join(sections)


EDGES = own_fixture("alibaba-edge-cases.md").read_text()
# The readable section's last table follows its 更多模型 table with nothing naming its tab (a lost 金融云 label).
FINANCE_TABLE = (
    "|     |     |     |\n| --- | --- | --- |\n| **模型名称** | **输入单价（每百万Token）** | **输出单价（每百万Token）** |\n"
    "| model-finance-tab | 38元 | 114元 |\n"
)
READABLE = section(EDGES, "可读的表格")
assert FINANCE_TABLE in READABLE


def test_hand_written_layouts_and_refusals():
    prices = alibaba.parse(edge_page(READABLE.replace(FINANCE_TABLE, "")).encode())
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
    # Not read, by rule: a table in a code block, a free model and the one inheriting its 限时免费.
    assert {p.region for p in prices} == {"international"}
    # An embedding section (## 文本向量, laid out as on the real pages) is no text-generation section: skipped.
    embedding = EDGES[EDGES.index("## **文本向量**") :].replace("\n\n", "\n\n计费规则：按输入Token计费。\n\n", 1)
    assert alibaba.parse((edge_page(READABLE.replace(FINANCE_TABLE, "")) + embedding).encode()) == prices


def test_hand_written_table_after_a_table_is_the_finance_tab_only_where_the_tabs_name_it():
    assert refused(edge_page(READABLE)) == (
        f"{UNREADABLE} (文本生成-千问 / 可读的表格 / 国际 / 更多模型): a table follows the one before it with no heading "
        "or sentence naming its deployment region (a tab whose label the conversion lost?) — has its layout changed?"
    )
    labelled = READABLE.replace("在 [国际部署模式]", "国际\n\n金融云\n\n在 [国际部署模式]")
    without = alibaba.parse(edge_page(READABLE.replace(FINANCE_TABLE, "")).encode())
    assert alibaba.parse(edge_page(labelled).encode()) == without  # 金融云's 38元 / 114元 not recorded


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        pytest.param("有一行读不准的表格", "(文本生成-千问 / 有一行读不准的表格 / 中国内地): the cells of its row “model-half-row | 3元” "
         "fit its columns in no way", id="row-with-prices-written-and-inherited"),
        pytest.param("按模态计价", "(文本生成-千问 / 按模态计价 / 中国内地): its price column “输出单价（每百万Token） / 文本” is split by "
         "something other than thinking mode", id="split-by-modality"),
        pytest.param("表头缺列", "(文本生成-千问 / 表头缺列 / 中国内地): its header names 3 columns and its rows have 4",
                     id="header-short-of-a-column"),
        pytest.param("没有币种", "(文本生成-千问 / 没有币种 / 中国内地): the price “1” of model-no-currency states no currency, nor "
         "does its column", id="no-currency"),
        pytest.param("新模型继承阶梯", "(文本生成-千问 / 新模型继承阶梯 / 中国内地): the cells of its row “model-without-its-own-tier” "
         "fit its columns in no way", id="new-model-inheriting-a-tier"),
        pytest.param("没有地域说明", "(文本生成-千问 / 没有地域说明): no region heading or sentence above it, nor a 服务部署范围 column, "
         "says where its prices apply", id="no-region"),
    ],
)  # fmt: skip
def test_hand_written_unreadable_section_refuses_the_page(title: str, reason: str):
    # Beside a readable section, so that the page would have prices if the unreadable one were dropped.
    page = edge_page(READABLE.replace(FINANCE_TABLE, ""), section(EDGES, title))
    assert refused(page) == f"{UNREADABLE} {reason} — has its layout changed?"


def test_hand_written_region_sentences_known_unknown_and_not_recorded():
    readable = READABLE.replace(FINANCE_TABLE, "")
    finance = section(EDGES, "未知地域")  # "在 金融云部署模式 下": the finance cloud, known and not recorded
    assert alibaba.parse(edge_page(readable, finance).encode()) == alibaba.parse(edge_page(readable).encode())
    elsewhere = finance.replace("金融云", "中东")
    assert refused(edge_page(readable, elsewhere)) == (
        f"{UNREADABLE} (文本生成-千问 / 未知地域): the sentence “在 中东部署模式 下…” names a deployment region pricewar "
        "does not place (it knows 中国内地, 全球, 国际, 美国, 欧盟, 日本) — has its layout changed?"
    )


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


# Its 千问Flash tables for 美国（弗吉尼亚） and 德国（法兰克福） each have rows that leave out a blank cell (see
# test_cells_per_line_real_page_rows_leaving_out_a_blank_cell); until they were read, they refused the page.
SHORT_ROWS = ("#### 美国（弗吉尼亚）", "#### 德国（法兰克福）")


def cells_page(*groups: str) -> str:
    """The 2026-06 page, without the 千问Flash tables of the access regions named."""
    page = (Path(__file__).parent / CELLS).read_text()
    for group in groups:
        page = cut(page, group, "\n#### ", after="### **千问Flash**")
    return page


@pytest.fixture(scope="module")
def cells() -> list[Price]:
    return alibaba.parse(cells_page().encode())


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
    assert len(cells) == 592
    assert Counter(p.service_tier for p in cells) == {"standard": 520, "batch": 72}
    assert Counter(p.region for p in cells) == {"cn": 240, "international": 152, "global": 140, "eu": 28, "us": 20,
                                                "japan": 12}  # fmt: skip
    batch = {(p.model, p.kind, p.context_tier, p.region): p.per_mtok for p in cells if p.service_tier == "batch"}
    assert batch[("qwen3-max", "input", "0-32k", "cn")] == Decimal("1.25")
    assert batch[("qwen-max", "output", "", "international")] == Decimal("23.4855")
    assert ("qwen3-max", "input", "0-32k", "international") not in batch  # not marked there


def test_cells_per_line_real_page_rows_leaving_out_a_blank_cell(cells):
    # The page joins, per access region, rows of tables that had no 模式 or tier column (on the 2026-05 page,
    # 美国's table has no 模式, 欧盟's no tiers): 美国 千问Flash's qwen-flash-us rows have no 模式 cell, 德国
    # 千问Flash's 欧盟 rows no tier cell. Blank there: one price for both modes, and no tiers.
    flash = {key: amount for key, amount in standard(cells).items() if key[4] in ("us", "eu") and "flash" in key[0]}
    us = {(tier, kind): Decimal(amount) for tier, kind, amount in [("0-256k", "input", "0.367"),
          ("0-256k", "output", "2.936"), ("256k-1m", "input", "1.835"), ("256k-1m", "output", "14.678")]}  # fmt: skip
    eu = {("", "input"): Decimal("0.749"), ("", "output"): Decimal("2.998")}
    assert flash == {
        **{(model, kind, "", tier, "us"): amount for model in ("qwen-flash-us", "qwen-flash-2025-07-28-us")
           for (tier, kind), amount in us.items()},
        **{(model, kind, "", tier, "eu"): amount for model in ("qwen3.5-flash", "qwen3.5-flash-2026-02-23")
           for (tier, kind), amount in eu.items()},
    }  # fmt: skip
    may = alibaba.parse(MAY.read_bytes())  # the same keys and prices as on the 2026-05 page's own tables
    assert {(p.key, p.per_mtok) for p in cells if p.region in ("us", "eu") and "flash" in p.model} <= {
        (p.key, p.per_mtok) for p in may}  # fmt: skip
    # The two tables' 全球 rows, as in 新加坡's 国际 table: qwen-flash 0.15 / 1.5 up to 128K, half in Batch.
    assert standard(cells)[("qwen-flash", "output", "", "128k-256k", "global")] == Decimal("6")
    batch = [p for p in cells if (p.model, p.region, p.service_tier, p.context_tier) == ("qwen-flash", "global",
             "batch", "0-128k")]  # fmt: skip
    assert sorted(p.per_mtok for p in batch) == [Decimal("0.075"), Decimal("0.75")]
    # Read whole: the 550 prices the page gave without those two tables, and 42 more.
    without = alibaba.parse(cells_page(*SHORT_ROWS).encode())
    assert len(without) == 550 and set(without) < set(cells)
    assert Counter((p.region, p.service_tier) for p in cells if p not in set(without)) == {
        ("global", "standard"): 24, ("global", "batch"): 6, ("us", "standard"): 8, ("eu", "standard"): 4}  # fmt: skip
    # Both tables list the same 全球 rows: either one alone gives them, and only its own us (8) or eu (4) prices.
    assert [len(alibaba.parse(cells_page(group).encode())) for group in SHORT_ROWS] == [592 - 8, 592 - 4]


CELL_EDGES = own_fixture("alibaba-cells-per-line.md").read_text()
CELL_UNREADABLE = ("没有地域", "没有币种")


def test_cells_per_line_hand_written_layouts_and_refusals():
    page = CELL_EDGES
    for title in CELL_UNREADABLE:  # each refuses the page: see the test below
        page = page.replace(section(page, title), "")
    prices = alibaba.parse(page.encode())
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
        # A model's row that leaves out its tier or mode cell between two it has: blank, not the row above's.
        ("model-beside-a-row-without-tier", "global", "input", "", "standard", "0-128k", Decimal("0.2")),
        ("model-beside-a-row-without-tier", "global", "output", "", "standard", "0-128k", Decimal("2")),
        ("model-without-tier", "eu", "input", "", "standard", "", Decimal("0.749")),
        ("model-without-tier", "eu", "output", "", "standard", "", Decimal("2.998")),
        ("model-without-mode", "us", "input", "", "standard", "0-256k", Decimal("0.367")),
        ("model-without-mode", "us", "output", "", "standard", "0-256k", Decimal("2.936")),
    }
    # Not read: 限时免费, an image section, and the table the page ends inside: even its whole first row, since
    # the page may have been cut before a row that would make the table unreadable.
    assert {p.model for p in prices}.isdisjoint({"model-free", "model-image", "model-before-the-cut",
                                                 "model-cut-after-its-region"})  # fmt: skip


@pytest.mark.parametrize(
    ("title", "reason"),
    [
        pytest.param("没有地域", "(文本生成-千问 / 没有地域 / 日本（东京）): no region heading or sentence above it, nor a 服务部署范围 "
         "column, says where its prices apply", id="no-region"),
        pytest.param("没有币种", "(文本生成-千问 / 没有币种): the price “1” of model-no-currency states no currency, nor "
                     "does its column", id="no-currency"),
    ],
)  # fmt: skip
def test_cells_per_line_hand_written_unreadable_table_refuses_the_page(title: str, reason: str):
    readable = section(CELL_EDGES, "思考与非思考分列")
    page = "## **文本生成-千问**\n\n" + readable + section(CELL_EDGES, title) + "\n## **图像生成**\n"
    assert refused(page) == f"{UNREADABLE} {reason} — has its layout changed?"


@pytest.mark.parametrize(
    ("title", "old", "new", "reason"),
    [
        # Only a mode or tier cell may be left out as blank: not a region, nor a price.
        pytest.param("有一行缺了模式", "美国\n\n", "", "(文本生成-千问 / 有一行缺了模式 / 美国（弗吉尼亚）): the cells of its row "
                     "“model-without-mode | 0<Token≤256K | 0.367元 | 2.936元” fit its columns in no way", id="no-region"),
        pytest.param("有一行缺了阶梯", "2.998元", "", "(文本生成-千问 / 有一行缺了阶梯 / 德国（法兰克福）): the cells of its row "
                     "“model-without-tier | 欧盟 | 非思考和思考模式 | 0.749元” fit its columns in no way", id="no-output-price"),
        # A region and prices without a model id join the row before them (here a tier row): it fits no way.
        pytest.param("有一行缺了阶梯", "0<Token≤128K\n\n0.2元\n\n2元\n\nmodel-without-tier\n\n", "0<Token≤128K\n\n0.2元\n\n2元\n\n"
                     "128K<Token≤1M\n\n0.4元\n\n4元\n\n", "(文本生成-千问 / 有一行缺了阶梯 / 德国（法兰克福）): the cells of its row "
                     "“128K<Token≤1M | 0.4元 | 4元 | 欧盟 | 非思考和思考模式 | 0.749元 | 2.998元” fit its columns in no way",
                     id="tier-row-of-the-model-above"),
    ],
)  # fmt: skip
def test_cells_per_line_row_leaving_out_more_than_a_blank_mode_or_tier_refuses_the_page(title, old, new, reason):
    assert old in section(CELL_EDGES, title)
    page = "## **文本生成-千问**\n\n" + section(CELL_EDGES, title).replace(old, new) + "\n## **图像生成**\n"
    assert refused(page) == f"{UNREADABLE} {reason} — has its layout changed?"


def test_pipe_table_row_leaving_out_its_tier_refuses_the_page():
    # A pipe table writes a blank cell ("| |"): a row short of its tier cell is not read as one without tiers.
    head = "| **模型名称** | **服务部署范围** | **单次请求的输入Token数** | **输入单价（每百万Token）** | **输出单价（每百万Token）** |"
    rows = "| model-a | 全球 | 0<Token≤128K | 0.2元 | 2元 |\n| model-b | 欧盟 | 0.749元 | 2.998元 |\n"
    page = f"## **文本生成-千问**\n\n### **千问Flash**\n\n{head}\n| --- | --- | --- | --- | --- |\n{rows}"
    assert refused(page) == (f"{UNREADABLE} (文本生成-千问 / 千问Flash): the cells of its row “model-b | 欧盟 | 0.749元 | "
                             "2.998元” fit its columns in no way — has its layout changed?")  # fmt: skip
    assert len(alibaba.parse(page.replace("| 欧盟 |", "| 欧盟 | 不区分阶梯 |").encode())) == 4


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
    page = [(CELLS, cells_page().encode())]
    dry = collect.record_source(db, "alibaba", page, dry_run=True, observed_at="2026-06-10T12:00:00Z")
    assert (dry.status, dry.error, len(dry.changes.new)) == ("ok", "", 592)
    first = collect.record_source(db, "alibaba", page, observed_at="2026-06-10T12:00:00Z")
    assert (first.status, len(first.changes.new)) == ("ok", 592)
    second = collect.record_source(db, "alibaba", page, observed_at="2026-06-11T12:00:00Z")
    changes = second.changes
    assert (second.status, changes.new, changes.changed, changes.delisted, changes.unchanged) == ("ok", [], [], [], 592)


# The 2026-05 page: one cell per line, a "## 中国内地" / "## 全球" / … heading per region tab, and in the
# 中国内地 tables a 免费额度 column whose first row holds "各100万Token" and, a paragraph of its own, "有效期：…".
# modelstudioai/skills @ 21b9d17bd07255d490f579288bfe241ff6cc749f (committed 2026-05-28) :
# skills/bailian-docs-llm-wiki/raw/model-user-guide/test-1/model-pricing.md, whole (125,141 characters).
MAY = own_fixture("alibaba-model-pricing-2026-05-28.md")


@pytest.fixture(scope="module")
def may() -> list[Price]:
    return alibaba.parse(MAY.read_bytes())


def test_may_page_mainland_yuan_prices(may):
    prices = standard(may)
    cn = {key[:4]: amount for key, amount in prices.items() if key[4] == "cn"}
    assert (cn[("qwen-max", "input", "", "")], cn[("qwen-max", "output", "", "")]) == (Decimal("2.4"), Decimal("9.6"))
    assert (cn[("qwen-max-2024-09-19", "input", "", "")], cn[("qwen-max-2024-09-19", "output", "", "")]) == (
        Decimal("20"), Decimal("60"))  # fmt: skip
    plus = {"0-128k": ("0.8", "2", "8"), "128k-256k": ("2.4", "20", "24"), "256k-1m": ("4.8", "48", "64")}
    for tier, amounts in plus.items():
        assert (cn[("qwen-plus", "input", "", tier)], cn[("qwen-plus", "output", "non-thinking", tier)],
                cn[("qwen-plus", "output", "thinking", tier)]) == tuple(map(Decimal, amounts))  # fmt: skip
    assert (cn[("qwen-turbo", "input", "", "")], cn[("qwen-turbo", "output", "non-thinking", "")],
            cn[("qwen-turbo", "output", "thinking", "")]) == (Decimal("0.3"), Decimal("0.6"), Decimal("3"))  # fmt: skip
    assert (cn[("qwen-long", "input", "", "")], cn[("qwen-long", "output", "", "")]) == (Decimal("0.5"), Decimal("2"))
    assert (cn[("qwen3.7-max", "input", "", "0-1m")], cn[("qwen3.7-max", "output", "", "0-1m")]) == (
        Decimal("12"), Decimal("36"))  # fmt: skip
    assert cn[("qwen3-max", "output", "", "128k-256k")] == Decimal("28")
    # "服务部署范围仅支持中国内地。": a section with one region and no tab heading.
    assert (cn[("qwen-math-plus", "input", "", "")], cn[("qwen-math-plus", "output", "", "")]) == (
        Decimal("4"), Decimal("12"))  # fmt: skip
    assert (cn[("qwen-doc-turbo", "input", "", "")], cn[("qwen-doc-turbo", "output", "", "")]) == (
        Decimal("0.6"), Decimal("1"))  # its 免费额度 cell says 无免费额度  # fmt: skip
    assert (cn[("deepseek-v4-pro", "input", "", "")], cn[("deepseek-v4-pro", "output", "", "")]) == (
        Decimal("12"), Decimal("24"))  # fmt: skip
    assert cn[("glm-5", "output", "", "32k-198k")] == Decimal("22")
    # The same models in the other tabs, as before.
    assert prices[("qwen-max", "output", "", "", "international")] == Decimal("46.971")
    assert prices[("qwen3.7-max", "input", "", "0-1m", "global")] == Decimal("12")
    batch = ("qwen-max", "input", "cn", "batch")
    qwen_max = next(p for p in may if (p.model, p.kind, p.region, p.service_tier) == batch)
    assert (qwen_max.per_mtok, qwen_max.currency, qwen_max.published) == (
        Decimal("1.2"), "CNY", "2.4元 × 50% (Batch调用 半价)")  # fmt: skip


def test_may_page_free_quota_is_no_price(may):
    assert {(p.currency, p.unit) for p in may} == {("CNY", MTOK)}
    assert not [p for p in may if "Token" in p.published or "有效期" in p.published or p.per_mtok <= 0]


def test_may_page_counts_per_region(may):
    # Before the 免费额度 column was read, 中国内地 gave 4 prices (2 models) and Qwen-VL's 国际 table none.
    assert len(may) == 1476
    assert Counter(p.service_tier for p in may) == {"standard": 1373, "batch": 103}
    assert Counter(p.region for p in may) == {"cn": 698, "international": 382, "global": 292, "eu": 64, "us": 40}
    counts = {region: len(models(may, region)) for region in ("cn", "global", "international", "us", "eu")}
    assert counts == {"cn": 199, "global": 63, "international": 110, "us": 8, "eu": 12}


def test_may_page_unknown_column_in_a_mainland_table_refuses_the_page():
    page = MAY.read_text()
    quota = "**免费额度**[（注）](https://help.aliyun.com/zh/model-studio/new-free-quota#591f3dfedfyzj)"
    cached = page.replace(quota, "**缓存命中单价（每百万Token）**\n\n" + quota, 1)  # in 千问Max's 中国内地 table
    assert refused(cached) == (
        f"{UNREADABLE} (文本生成-千问 / 千问Max / 中国内地): its column “缓存命中单价（每百万Token）” is not one pricewar "
        "knows — has its layout changed?"
    )


@pytest.mark.parametrize(
    ("old", "new"),
    [
        pytest.param("## 全球\n\n服务部署范围为[全球]", "## 中东\n\n服务部署范围为[中东]", id="heading and sentence"),
        pytest.param("## 全球\n\n服务部署范围为[全球]", "## 中东\n\n服务部署范围为[全球]", id="heading alone"),
    ],
)
def test_may_page_unknown_region_heading_refuses_the_page(old: str, new: str):
    page = MAY.read_text()
    assert old in page
    assert refused(page.replace(old, new, 1)) == (
        f"{UNREADABLE} (文本生成-千问 / 千问Max): its region heading “中东” names a deployment region pricewar does "
        "not place (it knows 中国内地, 全球, 国际, 美国, 欧盟, 日本) — has its layout changed?"
    )


def test_may_page_region_heading_of_the_finance_cloud_is_not_recorded(may):
    page = MAY.read_text().replace("## 全球\n\n服务部署范围为[全球]", "## 金融云\n\n服务部署范围为[金融云]", 1)
    finance = alibaba.parse(page.encode())
    lost = [p for p in may if p not in finance]
    assert len(finance) == len(may) - len(lost) == 1454  # only 千问Max's 全球 tab, now the 金融云 one, is gone
    assert {p.region for p in lost} == {"global"}
    assert {p.model for p in lost} == {"qwen3.7-max", "qwen3.7-max-2026-05-20", "qwen3-max", "qwen3-max-2025-09-23",
                                       "qwen3-max-preview"}  # fmt: skip


def test_unknown_region_in_a_deployment_column_refuses_the_page():
    row = "\n\n中国内地\n\n非思考和思考模式\n\n0<Token≤1M\n\n12元"  # qwen3.7-max's, in 千问Max's first table
    page = cells_page().replace(row, row.replace("中国内地", "中东"), 1)
    assert refused(page) == (
        f"{UNREADABLE} (文本生成-千问 / 千问Max / 华北2（北京）): the cells of its row “qwen3.7-max | 中东 | 非思考和思考模式 | "
        "0<Token≤1M | 12元 | 36元 | 100万Token” fit its columns in no way — has its layout changed?"
    )
