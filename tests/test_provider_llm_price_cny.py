"""syaoranwe/LLM-Price: CNY per 1M tokens by model family; Western rows back to USD at 7.2, makers' own prices only."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from conftest import SHARED, own_fixture  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError, canonical_provider
from pricewar.sources.providers import llm_price_cny, load

FIXTURE = "llm-price-cny-2025-04-18.md"  # commit e1e8e52c, 2025-04-18 10:03 +08:00
BUNDLE = SHARED / "data" / "archives" / "llm-price-cny-history.bundle"
HEADER = ("| **模型** | **输入价格（元/M Tokens）** | **输出价格（元/M Tokens）** | **上下文窗口大小（K）** | **备注** |\n"
          "|:-----------:|:----:|:----:|:----:|:----:|\n")


def parsed() -> list[Price]:
    return llm_price_cny.parse(own_fixture(FIXTURE).read_bytes())


def priced(prices: list[Price]) -> dict[tuple[str, str, str, str], tuple[Decimal, str]]:
    """(provider, model, mode, kind) -> (per_mtok, currency); fails on a key emitted twice."""
    table = {(p.provider, p.model, p.mode, p.kind): (p.per_mtok, p.currency) for p in prices}
    assert len(table) == len(prices)
    return table


def of(prices, provider: str, model: str, mode: str = "") -> dict[str, tuple[Decimal, str]]:
    return {kind: value for (p, m, md, kind), value in priced(prices).items() if (p, m, md) == (provider, model, mode)}


def usd(*amounts: str) -> dict[str, tuple[Decimal, str]]:
    return dict(zip(("input", "output", "cache_hit"), ((Decimal(a), "USD") for a in amounts)))


def cny(*amounts: str) -> dict[str, tuple[Decimal, str]]:
    return dict(zip(("input", "output", "cache_hit"), ((Decimal(a), "CNY") for a in amounts)))


def section(title: str, rows: str, caption: str = "价格：") -> bytes:
    return f"# 大语言模型服务价格汇总\n\n## {title}\n模型提供平台： [x](https://x)\n\n{caption}\n\n{HEADER}{rows}\n".encode()


def test_is_a_registered_source():
    assert load("llm-price-cny") is llm_price_cny
    assert llm_price_cny.URLS == ("https://raw.githubusercontent.com/syaoranwe/LLM-Price/main/README.md",)
    assert llm_price_cny.ARCHIVE_FILE == "README.md"
    assert "7.2" in llm_price_cny.__doc__ and "exact" in llm_price_cny.__doc__  # the conversion rule is documented


def test_western_rows_are_the_dollar_prices_the_yuan_were_converted_from():
    prices = parsed()
    assert of(prices, "openai", "gpt-4o") == usd("2.5", "10")  # 18 / 72 元; "缓存击中则打5折" is not read
    assert of(prices, "openai", "gpt-4.1") == usd("2", "8")  # 14.4 / 57.6
    assert of(prices, "anthropic", "claude-3.5-sonnet") == usd("3", "15")  # 21.6 / 108
    assert of(prices, "google", "gemini-1.5-flash-8b") == usd("0.0375", "0.15")  # 0.27 / 1.08, "gemini-1.5-flash-8B"
    assert of(prices, "xai", "grok-3-mini") == usd("0.3", "0.5")
    assert of(prices, "cohere", "command-r7b") == usd("0.0375", "0.15")
    gpt = next(p for p in prices if (p.model, p.kind) == ("gpt-4o", "input"))
    assert (gpt.published, gpt.unit, gpt.display_name) == ("18 元/M Tokens ÷ 7.2", MTOK, "gpt-4o")


def test_chinese_makers_rows_are_yuan_with_cache_hits_they_state():
    prices = parsed()
    assert of(prices, "deepseek", "deepseek-chat") == cny("2", "8", "0.5")  # "2（缓存命中为0.5）"
    assert of(prices, "moonshot", "kimi-latest-8k") == cny("2", "10", "1")  # note "输入击中缓存价格1元/MToks"
    assert of(prices, "alibaba", "qwen-long") == cny("0.5", "2")
    assert of(prices, "zhipu", "glm-4-flash") == cny("0", "0")  # free, a price of zero
    assert of(prices, "tencent", "hunyuan-turbos") == cny("0.8", "2")  # "hunyuan-TurboS"
    assert of(prices, "tencent", "hunyuan-standard") == {"output": (Decimal(2), "CNY")}  # input "0.5-0.8": a range
    chat = next(p for p in prices if (p.model, p.kind) == ("deepseek-chat", "cache_hit"))
    assert (chat.published, chat.display_name, chat.note) == (
        "0.5 元/M Tokens", "deepseek-chat（基于DeepSeek-V3）", "table updated 2025-03-16")


def test_cells_give_the_text_modality_and_ids_are_the_makers():
    prices = parsed()
    assert of(prices, "google", "gemini-2.0-flash") == usd("0.1", "0.4")  # "0.72(文本/图片/视频模态) / 5.04(音频模态)"
    assert of(prices, "alibaba", "qwen2.5-omni-7b") == cny("0.6", "2.4")  # "0.6（文本）/ 38（音频）/ 2（视觉）"
    assert of(prices, "alibaba", "qwen-omni-turbo") == cny("0.4", "1.6")  # "1.6（仅文本）/ 4.5（含其他模态）"
    assert of(prices, "google", "gemini-2.5-flash-preview-04-17") == usd("0.15", "0.6")
    assert of(prices, "google", "gemini-2.5-flash-preview-04-17", "thinking") == usd("0.15", "3.5")  # ...:thinking
    assert of(prices, "mistral", "mistral-large-latest") == usd("2", "6")  # "mistral-large"
    assert of(prices, "mistral", "mistral-small-latest") == usd("0.2", "0.6")  # main table, not the 微调 one
    assert of(prices, "baidu", "ernie-x1") == cny("2", "8")  # "ERNIE X1"
    assert of(prices, "baidu", "ernie-speed") == cny("0", "0")  # "ERNIE Speed系列"
    assert of(prices, "baidu", "ernie-lite") == cny("0", "0")
    assert of(prices, "baidu", "ernie-4.0-turbo") == cny("3", "9")


def test_what_is_not_read():
    keys = {(p.provider, p.model) for p in parsed()}
    # a series of versions priced apart, fine-tuned models, resellers' rows (DeepInfra, Nebius, SiliconFlow,
    # OpenRouter), while the rows the same table gives as 阿里云's are Alibaba's own
    assert not {model for provider, model in keys if provider == "baidu"} & {"ernie-4.0", "ernie-4.5", "ernie-3.5"}
    assert ("openai", "gpt-4o-2024-08-06") not in keys and ("openai", "gpt-4o-mini-2024-07-18") not in keys
    assert not {model for _, model in keys} & {"qwq-32b", "qwen2.5-72b-instruct", "qwen2.5-32b-instruct",
                                                "qwen2.5-vl-72b-instruct", "gemma-3-27b-it", "qvq-72b-preview"}
    assert ("alibaba", "qwen1.5-110b-chat") in keys and ("alibaba", "qwen2.5-vl-7b-instruct") in keys


def test_whole_fixture_counts_and_ids():
    prices = parsed()
    assert len(prices) == 202
    assert {p.currency for p in prices if p.provider in llm_price_cny.WESTERN} == {"USD"}
    assert {p.currency for p in prices if p.provider not in llm_price_cny.WESTERN} == {"CNY"}
    assert {p.provider for p in prices} == {"openai", "anthropic", "google", "xai", "zhipu", "deepseek", "mistral",
                                            "tencent", "01-ai", "alibaba", "baidu", "cohere", "moonshot", "minimax"}
    for price in prices:
        assert price.model == price.model.lower() and " " not in price.model
        assert price.provider == canonical_provider(price.provider)
        assert price.effective_from is None and price.unit == MTOK


def test_a_reseller_table_is_skipped_and_the_makers_is_read():
    rows = "| gemini-1.5-flash | 2.52 | 7.56 | 2800 |  |\n"
    resold = "| gemini-1.5-flash | 1.8 | 5.4 | 2800 |  |\n"
    body = section("Gemini系列", rows, "**谷歌官方平台随用随付**方案价格：") + \
        f"\n**openrouter**平台价格（有批发价）：\n\n最后更新日期：2024-05-23\n\n{HEADER}{resold}\n".encode()
    assert priced(llm_price_cny.parse(body)) == {
        ("google", "gemini-1.5-flash", "", "input"): (Decimal("0.35"), "USD"),
        ("google", "gemini-1.5-flash", "", "output"): (Decimal("1.05"), "USD"),
    }


@pytest.mark.parametrize(("yuan", "kept"), [
    ("36 | 108", usd("5", "15")),
    ("0.00072 | 0.0072", usd("0.0001", "0.001")),  # 4 decimals: the finest a dollar list writes
    ("0.000072 | 7.2", {}),  # 0.00001: no published dollar price, so the row is skipped
    ("1 | 2", {}),  # 1 / 7.2 is not exact: a yuan figure nobody converted, skipped
])
def test_a_western_row_is_usd_only_when_the_division_is_exact(yuan, kept):
    prices = llm_price_cny.parse(section("GPT系列", f"| gpt-x | {yuan} | 128 |  |\n| gpt-y | 3.6 | 7.2 | 8 |  |\n"))
    assert of(prices, "openai", "gpt-x") == kept
    assert of(prices, "openai", "gpt-y") == usd("0.5", "1")


def test_a_chinese_row_stays_yuan():
    assert priced(llm_price_cny.parse(section("豆包系列", "| Doubao-pro-32k | 0.8 | 2 | 32 |  |\n"))) == {
        ("bytedance", "doubao-pro-32k", "", "input"): (Decimal("0.8"), "CNY"),
        ("bytedance", "doubao-pro-32k", "", "output"): (Decimal("2"), "CNY"),
    }


@pytest.mark.parametrize(("body", "words"), [
    (b"", "no prices found"),
    (b"\xff\xfe\x00garbage", "no prices found"),
    (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "no prices found"),
    ("# LLM-Price\n大语言模型服务价格汇总\n".encode(), "no prices found"),  # the bundle's first version, whole
    (section("GPT系列", "| gpt-4o | 36 | 108 | 1 |  |\n").replace("上下文窗口大小（K）".encode(), "速率限制".encode()),
     "a column '速率限制'"),
    (section("GPT系列", "| gpt-4o | 36 | 108 | 128 |  |\n").replace("元/M".encode(), "美元/M".encode()),
     "a column '输入价格（美元/M Tokens）'"),
    (section("GPT系列", "| gpt-4o | 36 | 108 | 128 |  |\n") + "<table><tr><td>o1</td></tr></table>\n".encode(),
     "not a Markdown pipe table"),
    (section("讯飞星火系列", "| spark-lite | 0 | 0 | 8 |  |\n"), "the section '讯飞星火系列'"),
    (section("GPT系列", "| gpt-4o | 36 | 108 | 128 |  |\n| gpt-4o | 18 | 72 | 128 |  |\n"), "two input prices"),
])
def test_unexpected_bodies_raise_a_sentence(body, words):
    with pytest.raises(PricewarError) as raised:
        llm_price_cny.parse(body)
    assert words in str(raised.value)
    assert "LLM-Price" in str(raised.value)


def beijing_day(observed_at: str) -> str:
    """The README row's dates are the commits' own, Beijing time; observed_at is UTC."""
    moment = dt.datetime.strptime(observed_at, "%Y-%m-%dT%H:%M:%SZ") + dt.timedelta(hours=8)
    return moment.date().isoformat()


@pytest.fixture(scope="module")
def every_version():
    if not BUNDLE.exists() or shutil.which("git") is None:
        pytest.skip(f"{BUNDLE} or the git program is absent")
    from pricewar.sources import archive

    with archive.opened(str(BUNDLE)) as repo:
        versions = archive.versions(repo, llm_price_cny.ARCHIVE_FILE)
        read = []
        for version, body in archive.bodies(repo, llm_price_cny.ARCHIVE_FILE, versions):
            try:
                read.append((version, llm_price_cny.parse(body), ""))
            except PricewarError as error:
                read.append((version, None, str(error)))
    return read


def first_day(every_version, provider: str, model: str, expected: dict) -> str:
    """The Beijing date of the first version whose parse holds exactly `expected` for the model."""
    for version, prices, _ in every_version:
        if prices is not None and of(prices, provider, model) == expected:
            return beijing_day(version.observed_at)
    raise AssertionError(f"no version prices {provider} {model} at {expected}")


def test_every_version_of_the_bundle(every_version):
    assert len(every_version) == 29
    failed = [(version.observed_at, error) for version, prices, error in every_version if prices is None]
    # the first version holds only the title: no prices, said so
    assert failed == [("2024-05-22T21:30:38Z", "no prices found on the LLM-Price list (syaoranwe/LLM-Price) — "
                                               "has its layout changed?")]
    assert len(every_version[-1][1]) == 236  # 2025-06-29


def test_the_dated_facts_of_the_readme(every_version):
    first = every_version[1]
    assert beijing_day(first[0].observed_at) == "2024-05-23"
    assert of(first[1], "deepseek", "deepseek-chat") == cny("1", "2")
    assert of(first[1], "alibaba", "qwen-long") == cny("0.5", "2")
    assert of(first[1], "zhipu", "glm-3-turbo") == cny("1", "1")
    assert of(first[1], "openai", "gpt-4o") == usd("5", "15")  # 36 / 108 元
    assert of(first[1], "google", "gemini-1.5-flash") == usd("0.35", "1.05")  # Google's, not OpenRouter's 1.8 / 5.4
    assert first_day(every_version, "bytedance", "doubao-pro-32k", cny("0.8", "2")) == "2024-05-24"
    assert first_day(every_version, "baidu", "ernie-speed", cny("0", "0")) == "2024-05-24"
    assert first_day(every_version, "tencent", "hunyuan-lite", cny("0", "0")) == "2024-05-24"
    assert first_day(every_version, "anthropic", "claude-3.5-sonnet", usd("3", "15")) == "2024-06-21"
    assert first_day(every_version, "zhipu", "glm-4-flash", cny("0.1", "0.1")) == "2024-06-05"
    assert first_day(every_version, "zhipu", "glm-4-flash", cny("0", "0")) == "2024-08-28"
    # the caveats: the gemini-1.5-flash cut only on 2025-02-06; Doubao rows gone on 2024-12-17
    assert first_day(every_version, "google", "gemini-1.5-flash", usd("0.075", "0.3")) == "2025-02-06"
    by_day = {beijing_day(v.observed_at): prices for v, prices, _ in every_version}
    assert of(by_day["2024-08-28"], "bytedance", "doubao-pro-32k") == cny("0.8", "2")
    assert of(by_day["2024-12-17"], "bytedance", "doubao-pro-32k") == {}
