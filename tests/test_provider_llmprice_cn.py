"""llmprice.cn: one table per 1M tokens; yuan rows are CNY, "35元 ($5)" rows are the dollar figure in USD."""

from __future__ import annotations

import datetime as dt
import shutil
from decimal import Decimal

import pytest
from conftest import SHARED, own_fixture  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError, canonical_provider
from pricewar.sources.providers import llmprice_cn, load

FIXTURE = "llmprice-cn-2026-03-07.md"  # commit 930c51ca, 2026-03-07 10:14 +08:00
BUNDLE = SHARED / "data" / "archives" / "llmprice-cn-history.bundle"
HEADER = "| 厂商 | 模型 | 输入价格 | 输出价格 | 上下文 Token 长度 | 最大输入 Token | 最大输出 Token |\n|----|----|----|----|----|----|----|\n"


def parsed() -> list[Price]:
    return llmprice_cn.parse(own_fixture(FIXTURE).read_bytes())


def priced(prices: list[Price]) -> dict[tuple[str, str, str], tuple[Decimal, str]]:
    """(provider, model, kind) -> (per_mtok, currency); fails on a key emitted twice."""
    table = {(p.provider, p.model, p.kind): (p.per_mtok, p.currency) for p in prices}
    assert len(table) == len(prices)
    return table


def of(prices, provider: str, model: str) -> dict[str, tuple[Decimal, str]]:
    return {kind: value for (p, m, kind), value in priced(prices).items() if (p, m) == (provider, model)}


def pair(currency: str, input_amount: str, output_amount: str) -> dict[str, tuple[Decimal, str]]:
    return {"input": (Decimal(input_amount), currency), "output": (Decimal(output_amount), currency)}


def body(rows: str, header: str = HEADER) -> bytes:
    return f"# 大模型价格对比\n\n## 对比列表\n\n- 美元人民币按 7 计算\n\n{header}{rows}\n## 参考\n".encode()


def test_is_a_registered_source():
    assert load("llmprice-cn") is llmprice_cn
    assert llmprice_cn.URLS == ("https://raw.githubusercontent.com/flanker/llmprice.cn/main/README.md",)
    assert llmprice_cn.ARCHIVE_FILE == "README.md"
    assert "dollar figure" in llmprice_cn.__doc__


def test_dollar_cells_give_the_dollar_price():
    prices = parsed()
    assert of(prices, "openai", "gpt-5.4") == pair("USD", "2.5", "15")  # "17.5 元 ($2.50)"
    assert of(prices, "anthropic", "claude-opus-4.6") == pair("USD", "5", "25")  # "Claude Opus 4.6"
    assert of(prices, "google", "gemini-2.5-flash-lite") == pair("USD", "0.1", "0.4")
    # a Chinese maker's row converted from dollars too: the dollar figure, not 1.96 元
    assert of(prices, "deepseek", "deepseek-chat") == pair("USD", "0.28", "0.42")
    gpt = next(p for p in prices if (p.model, p.kind) == ("gpt-5.4", "input"))
    assert (gpt.published, gpt.unit, gpt.display_name) == ("$2.50 / 1M tokens", MTOK, "GPT-5.4")


def test_yuan_cells_and_free_models():
    prices = parsed()
    assert of(prices, "alibaba", "qwen-plus") == pair("CNY", "0.8", "2")
    assert of(prices, "bytedance", "doubao-seed-2.0-pro") == pair("CNY", "3.2", "16")
    assert of(prices, "moonshot", "kimi-k2") == pair("CNY", "4", "16")  # "Kimi K2"
    assert of(prices, "01-ai", "yi-lightning") == pair("CNY", "1", "1")
    assert of(prices, "baichuan", "baichuan4-air") == pair("CNY", "0.98", "0.98")
    assert of(prices, "zhipu", "glm-4-flash") == pair("CNY", "0", "0")  # 免费
    assert of(prices, "baidu", "ernie-speed") == pair("CNY", "0", "0")
    free = next(p for p in prices if (p.model, p.kind) == ("ernie-speed", "output"))
    assert (free.published, free.display_name) == ("免费", "ERNIE-Speed")


def test_whole_fixture_counts_and_ids():
    prices = parsed()
    assert len(prices) == 58
    assert {p.currency for p in prices if p.provider in {"openai", "anthropic", "google", "deepseek"}} == {"USD"}
    assert {p.currency for p in prices if p.provider not in {"openai", "anthropic", "google", "deepseek"}} == {"CNY"}
    for price in prices:
        assert price.model == price.model.lower() and " " not in price.model
        assert price.provider == canonical_provider(price.provider)
        assert price.effective_from is None and price.kind in ("input", "output")


def test_the_first_layout_with_length_columns_named_like_prices():
    header = "| 厂商 | 模型名称 | 参数级别 | 输入价格 | 输出价格 | 上下文长度 | 输入 | 输出 | 限流 |\n" + "|----" * 9 + "|\n"
    rows = ("| 阿里通义千问 | qwen-max | 千亿 | 40 元 | 120 元 | 8k | 6k | 2000 | 60 QPM |\n"
            "| 字节豆包 | Doubao-pro-32k | | 0.8 | 2 | 32k | - | - | |\n"
            "| Deepseek | deepseek-chat(v3) | | 2 | 8 | 64K | - | 8K | |\n"
            "| 百度文心一言 | ERNIE-Speed-8K | | 免费 | 免费 | 8k | 5k | 2k |\n"
            "| OpenAI | gpt-4o | | 35元 ($5) | 105元 ($15) | 128k | - | 4k | |\n"
            "| OpenAI | gpt-only-yuan | | 35元 | 105元 | 128k | - | 4k | |\n")
    assert priced(llmprice_cn.parse(body(rows, header))) == {
        ("alibaba", "qwen-max", "input"): (Decimal("40"), "CNY"),
        ("alibaba", "qwen-max", "output"): (Decimal("120"), "CNY"),
        ("bytedance", "doubao-pro-32k", "input"): (Decimal("0.8"), "CNY"),
        ("bytedance", "doubao-pro-32k", "output"): (Decimal("2"), "CNY"),
        ("deepseek", "deepseek-chat", "input"): (Decimal("2"), "CNY"),
        ("deepseek", "deepseek-chat", "output"): (Decimal("8"), "CNY"),
        ("baidu", "ernie-speed-8k", "input"): (Decimal("0"), "CNY"),
        ("baidu", "ernie-speed-8k", "output"): (Decimal("0"), "CNY"),
        ("openai", "gpt-4o", "input"): (Decimal("5"), "USD"), ("openai", "gpt-4o", "output"): (Decimal("15"), "USD"),
        # a Western row with only the list's yuan (at 7 per dollar) is no published price: skipped
    }


@pytest.mark.parametrize(("given", "words"), [
    (b"", "no prices found"),
    (b"\xff\xfe\x00garbage", "no prices found"),
    (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "no prices found"),
    ("# 大模型价格对比\n\n## 简介\n\n这个文档的目的是对比国内各个厂商的大模型。\n".encode(), "no prices found"),
    (body("| 智谱 | GLM-4 | 100 元 | 100 元 | 128k | - | - |\n",
          HEADER.replace("最大输出 Token", "缓存价格")), "a column '缓存价格'"),
    (body("| 讯飞 | spark-lite | 免费 | 免费 | 8k | - | - |\n"), "a vendor '讯飞'"),
    (body("| 智谱 | GLM-4 | 100 元 | 100 元 | 128k | - | - |\n| 智谱 | GLM-4 | 50 元 | 50 元 | 128k | - | - |\n"),
     "two input prices"),
    ("| 厂商 | 模型 | 上下文 Token 长度 |\n|----|----|----|\n| 智谱 | GLM-4 | 128k |\n".encode(),
     "without a vendor, model, input and output price column"),
])
def test_unexpected_bodies_raise_a_sentence(given, words):
    with pytest.raises(PricewarError) as raised:
        llmprice_cn.parse(given)
    assert words in str(raised.value)
    assert "llmprice.cn" in str(raised.value)


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
        versions = archive.versions(repo, llmprice_cn.ARCHIVE_FILE)
        return [(version, llmprice_cn.parse(body))
                for version, body in archive.bodies(repo, llmprice_cn.ARCHIVE_FILE, versions)]


def first_day(every_version, provider: str, model: str, expected: dict) -> str:
    for version, prices in every_version:
        if of(prices, provider, model) == expected:
            return beijing_day(version.observed_at)
    raise AssertionError(f"no version prices {provider} {model} at {expected}")


def test_every_version_of_the_bundle_parses(every_version):
    # all 23: the bundle's first version already holds a table (five rows), not only an introduction
    assert len(every_version) == 23
    assert len(every_version[0][1]) == 10
    assert len(every_version[-1][1]) == 56  # 2026-03-20


def test_the_dated_facts_of_the_readme(every_version):
    assert first_day(every_version, "alibaba", "qwen-long", pair("CNY", "0.5", "2")) == "2024-05-25"
    assert beijing_day(every_version[0][0].observed_at) == "2024-05-25"
    assert first_day(every_version, "baidu", "ernie-speed-8k", pair("CNY", "0", "0")) == "2024-05-26"
    assert first_day(every_version, "bytedance", "doubao-pro-32k", pair("CNY", "0.8", "2")) == "2024-05-29"
    assert first_day(every_version, "zhipu", "glm-3-turbo", pair("CNY", "1", "1")) == "2024-06-06"
    assert first_day(every_version, "openai", "gpt-4o", pair("USD", "5", "15")) == "2024-06-06"
    assert first_day(every_version, "anthropic", "claude-3.5-sonnet", pair("USD", "3", "15")) == "2024-07-14"
    # the caveats: no DeepSeek row before 2025-01-15, dollar-converted in 2026; never a Hunyuan row
    assert first_day(every_version, "deepseek", "deepseek-chat", pair("CNY", "2", "8")) == "2025-01-15"
    assert first_day(every_version, "deepseek", "deepseek-chat", pair("USD", "0.28", "0.42")) == "2026-01-29"
    assert not any(p.provider == "tencent" for _, prices in every_version for p in prices)
