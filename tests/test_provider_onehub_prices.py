"""Oaklight's onehub_prices: makers kept, resellers skipped, Zhipu's two currencies, one yuan price across roundings."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from conftest import SHARED, own_fixture

from pricewar.price import PricewarError, canonical_provider
from pricewar.sources import archive
from pricewar.sources.providers import load, onehub_prices

FIXTURE = own_fixture("onehub-prices-2026-07-24.json")  # Oaklight/onehub_prices@6563a41f (prices), 13:18 UTC
BUNDLE = SHARED / "data" / "archives" / "oaklight-onehub-prices-history.bundle"


def table(prices) -> dict[tuple[str, str, str, str], Decimal]:
    return {(p.provider, p.model, p.kind, p.currency): p.per_mtok for p in prices}


def body_of(*rows: dict) -> bytes:
    return json.dumps({"data": list(rows)}).encode()


def row(model: str, channel: int, given_input, given_output, **extras) -> dict:
    return {"model": model, "type": "tokens", "channel_type": channel, "input": given_input, "output": given_output,
            **({"extra_ratios": extras} if extras else {})}


def test_is_a_registered_source():
    assert load("onehub-prices") is onehub_prices
    assert onehub_prices.URLS == ("https://raw.githubusercontent.com/Oaklight/onehub_prices/prices/oneapi_prices.json",)
    assert onehub_prices.ARCHIVE_FILE == "oneapi_prices.json"
    assert "OpenRouter" in (onehub_prices.__doc__ or "") and "SiliconFlow" in onehub_prices.__doc__


def test_the_fixture_gives_makers_prices_in_both_currencies_with_cache_prices():
    prices = table(onehub_prices.parse(FIXTURE.read_bytes()))
    assert len(prices) == 1744
    picked = {key: prices.get(key) for key in [
        ("deepseek", "deepseek-v4-flash", "input", "CNY"), ("deepseek", "deepseek-v4-flash", "output", "CNY"),
        ("deepseek", "deepseek-v4-flash", "cache_hit", "CNY"), ("deepseek", "deepseek-v4-pro", "cache_hit", "CNY"),
        ("alibaba", "qwen-turbo", "input", "CNY"), ("alibaba", "qwen-turbo", "output", "CNY"),
        ("alibaba", "qwen-long", "input", "CNY"), ("moonshot", "kimi-k2.5", "output", "CNY"),
        ("minimax", "minimax-m2", "cache_write", "CNY"), ("xiaomi", "mimo-v2-flash", "input", "CNY"),
        ("bytedance", "doubao-seed-1.6", "cache_hit", "CNY"), ("zhipu", "glm-5.1", "output", "CNY"),
        ("zhipu", "glm-4-flash", "input", "CNY"), ("tencent", "hunyuan-lite", "output", "CNY"),
        ("openai", "gpt-4o", "input", "USD"), ("openai", "gpt-4o", "cache_hit", "USD"),
        ("anthropic", "claude-sonnet-4", "cache_hit", "USD"), ("google", "gemini-2.5-pro", "cache_hit", "USD"),
        ("xai", "grok-4", "cache_hit", "USD"),
    ]}
    assert picked == {
        ("deepseek", "deepseek-v4-flash", "input", "CNY"): Decimal("1"),  # 0.07143
        ("deepseek", "deepseek-v4-flash", "output", "CNY"): Decimal("2"),  # 0.14286
        ("deepseek", "deepseek-v4-flash", "cache_hit", "CNY"): Decimal("0.02"),
        ("deepseek", "deepseek-v4-pro", "cache_hit", "CNY"): Decimal("0.025"),  # 3 x 0.00833
        ("alibaba", "qwen-turbo", "input", "CNY"): Decimal("0.3"),
        ("alibaba", "qwen-turbo", "output", "CNY"): Decimal("0.6"),
        ("alibaba", "qwen-long", "input", "CNY"): Decimal("0.5"),
        ("moonshot", "kimi-k2.5", "output", "CNY"): Decimal("21"),  # 1.5: exact
        ("minimax", "minimax-m2", "cache_write", "CNY"): Decimal("2.625"),  # 2.1 x 1.25
        ("xiaomi", "mimo-v2-flash", "input", "CNY"): Decimal("0.7"),  # 0.05
        ("bytedance", "doubao-seed-1.6", "cache_hit", "CNY"): Decimal("0.16"),  # 1.2 x 0.13333
        ("zhipu", "glm-5.1", "output", "CNY"): Decimal("28"),
        ("zhipu", "glm-4-flash", "input", "CNY"): Decimal("0"),  # free, as written
        ("tencent", "hunyuan-lite", "output", "CNY"): Decimal("0"),
        ("openai", "gpt-4o", "input", "USD"): Decimal("2.5"),
        ("openai", "gpt-4o", "cache_hit", "USD"): Decimal("1.25"),
        ("anthropic", "claude-sonnet-4", "cache_hit", "USD"): Decimal("0.3"),
        ("google", "gemini-2.5-pro", "cache_hit", "USD"): Decimal("0.125"),
        ("xai", "grok-4", "cache_hit", "USD"): Decimal("0.2"),
    }
    # Zhipu's dollar rows beside its yuan ones
    assert {key: value for key, value in prices.items() if key[1] == "glm-4.5"} == {
        ("zhipu", "glm-4.5", "input", "USD"): Decimal("0.6"),
        ("zhipu", "glm-4.5", "output", "USD"): Decimal("2.2"),
        ("zhipu", "glm-4.5", "cache_hit", "USD"): Decimal("0.11"),  # 0.6 x 0.18333
    }


def test_resellers_hosts_patterns_and_per_call_rows_are_skipped():
    prices = onehub_prices.parse(FIXTURE.read_bytes())
    rows = json.loads(FIXTURE.read_bytes())["data"]
    assert {r["channel_type"] for r in rows} >= {20, 45, 1008, 1010, 1012, 2001, 2002}
    assert {p.provider for p in prices} == {
        "openai", "anthropic", "baidu", "zhipu", "alibaba", "google", "minimax", "deepseek", "moonshot", "mistral",
        "01ai", "tencent", "meta", "jina", "xai", "internlm", "bytedance", "stepfun", "ai21", "kwaipilot",
        "longcat", "xiaomi", "inclusionai"}
    models = {p.model for p in prices}
    assert not any("*" in model or ":" in model or "/" in model for model in models)  # patterns, proxies, resellers
    assert not models & {"tts-1", "dall-e-3", "doubao-seedance-1-0-pro", "gpt-4o-mini-tts"}
    times = {r["model"].lower() for r in rows if r["type"] == "times"}
    assert times and not models & times
    for price in prices:
        assert price.provider == canonical_provider(price.provider) and price.model == price.model.lower()
        assert price.effective_from is None


@pytest.mark.parametrize(("written", "expected"), [
    (0.14285714285714285, "2"),  # 2025-04 to 06: Oaklight's float
    (0.143, "2"),  # 2025-06-06: 3 decimals
    (0.14286, "2"),  # 2025-08-08: 5 decimals
    (0.1429, "2"),  # one-hub's upstream rows, 4 decimals
    (0.021428571428571425, "0.3"),  # the float of 0.3 / 14.000000000000002
    (0.021, "0.3"),
    (0.02143, "0.3"),
    (0.07071428571428572, "0.99"),
    (0.054, "0.75"),
    (0.28571, "4"),
    (0.857, "12"),
])
def test_one_yuan_price_whatever_the_rounding(written, expected):
    assert table(onehub_prices.parse(body_of(row("deepseek-chat", 28, written, written)))) == {
        ("deepseek", "deepseek-chat", "input", "CNY"): Decimal(expected),
        ("deepseek", "deepseek-chat", "output", "CNY"): Decimal(expected)}


def test_zhipu_rows_in_whole_cents_are_dollars_only_where_yuan_ratios_have_five_decimals():
    rows = (row("glm-4.5", 16, 0.3, 1.1, cached_tokens=0.18333), row("glm-5.1", 16, 0.57143, 2.0),
            row("glm-4-flash", 16, 0, 0), row("glm-4", 16, 7.143, 7.143))
    assert table(onehub_prices.parse(body_of(*rows))) == {
        ("zhipu", "glm-4.5", "input", "USD"): Decimal("0.6"),
        ("zhipu", "glm-4.5", "output", "USD"): Decimal("2.2"),
        ("zhipu", "glm-4.5", "cache_hit", "USD"): Decimal("0.11"),
        ("zhipu", "glm-5.1", "input", "CNY"): Decimal("8"),
        ("zhipu", "glm-5.1", "output", "CNY"): Decimal("28"),  # 2.0 doubled is whole, 0.57143 is not: yuan
        ("zhipu", "glm-4-flash", "input", "CNY"): Decimal("0"),
        ("zhipu", "glm-4-flash", "output", "CNY"): Decimal("0"),
        ("zhipu", "glm-4", "input", "CNY"): Decimal("100"),  # 14.286 is no whole number of cents
        ("zhipu", "glm-4", "output", "CNY"): Decimal("100"),
    }
    # in a 3-decimal file no row can be told to be dollars: all stay yuan (Zhipu's dollar rows came later)
    three = table(onehub_prices.parse(body_of(row("glm-4.5", 16, 0.3, 1.1), row("glm-4-air", 16, 0.036, 0.036))))
    assert three[("zhipu", "glm-4.5", "input", "CNY")] == Decimal("4.2")
    assert three[("zhipu", "glm-4-air", "input", "CNY")] == Decimal("0.5")
    # only Zhipu's channel mixes currencies
    assert table(onehub_prices.parse(body_of(row("kimi-k2.5", 29, 0.28571, 1.5)))) == {
        ("moonshot", "kimi-k2.5", "input", "CNY"): Decimal("4"),
        ("moonshot", "kimi-k2.5", "output", "CNY"): Decimal("21")}


def test_extra_ratios_give_cache_prices_only_of_a_paid_input_and_never_above_it():
    prices = table(onehub_prices.parse(body_of(
        row("gpt-5-chat-latest", 1, 0.625, 5.0, cached_tokens=100.0),  # a slip of the hand-kept file
        row("grok-3-mini", 1009, 0.15, 0.25, cached_tokens=0.233, reasoning_tokens=1.0),  # 3 decimals, as in 2025-06
        row("intern-s1", 1001, 0, 0, cached_tokens=0.5),
        row("claude-opus-4", 14, 7.5, 37.5, cached_tokens=0.1, cached_write_tokens=1.25, input_audio_tokens=2),
    )))
    assert prices == {
        ("openai", "gpt-5-chat-latest", "input", "USD"): Decimal("1.25"),
        ("openai", "gpt-5-chat-latest", "output", "USD"): Decimal("10"),
        ("xai", "grok-3-mini", "input", "USD"): Decimal("0.3"),
        ("xai", "grok-3-mini", "output", "USD"): Decimal("0.5"),
        ("xai", "grok-3-mini", "cache_hit", "USD"): Decimal("0.07"),  # 0.3 x 0.233 = 0.0699, recovered
        ("internlm", "intern-s1", "input", "CNY"): Decimal("0"),
        ("internlm", "intern-s1", "output", "CNY"): Decimal("0"),
        ("anthropic", "claude-opus-4", "input", "USD"): Decimal("15"),
        ("anthropic", "claude-opus-4", "output", "USD"): Decimal("75"),
        ("anthropic", "claude-opus-4", "cache_hit", "USD"): Decimal("1.5"),
        ("anthropic", "claude-opus-4", "cache_write", "USD"): Decimal("18.75"),
    }


@pytest.mark.parametrize(("body", "words"), [
    (b"", "came back empty"),
    (b"\xff\xfe\x00garbage", "not valid JSON"),
    (b"<html><body>Just a moment...</body></html>", "got HTML"),
    (b"[]", "has no 'data' list"),
    (b'{"data": {"model": "gpt-4o"}}', "has no 'data' list"),
    (b'{"data": []}', "No prices found"),
    (body_of(row("deepseek/deepseek-chat", 20, 0.14, 0.55), row("deepseek-ai/DeepSeek-V3", 45, 0.143, 0.571),
             row("argo:gpt-4o", 2002, 1.25, 5)), "No prices found"),
    (body_of(row("qvq-max-*", 17, 0.57143, 2.28571)), "No prices found"),
])
def test_unexpected_bodies_raise_a_sentence_naming_the_source(body, words):
    with pytest.raises(PricewarError) as raised:
        onehub_prices.parse(body)
    message = str(raised.value)
    assert "onehub_prices" in message and words in message
    assert message[0].isupper() and message.endswith(("?", "."))


@pytest.mark.slow
@pytest.mark.skipif(not BUNDLE.exists(), reason=f"{BUNDLE} is absent (clone the project beside its shared/ folder)")
@pytest.mark.skipif(shutil.which("git") is None, reason="the archive is read with git, which is not installed")
def test_every_version_parses_with_the_readmes_dates_and_no_price_flips_for_rounding_alone():
    history: dict[tuple[str, ...], list[tuple[str, Decimal]]] = {}  # each key's values, when they changed
    first_seen: dict[tuple[str, ...], str] = {}
    count = 0
    with archive.opened(str(BUNDLE)) as repo:
        items = archive.versions(repo, onehub_prices.ARCHIVE_FILE)
        for version, body in archive.bodies(repo, onehub_prices.ARCHIVE_FILE, items):
            prices = onehub_prices.parse(body)
            count += 1
            for price in prices:
                changes = history.setdefault(price.key[:4], [])
                if not changes or changes[-1][1] != price.per_mtok:
                    changes.append((version.observed_at, price.per_mtok))
                first_seen.setdefault((*price.key[:4], str(price.per_mtok)), version.observed_at)
    assert len(items) == count == 1253
    assert len(prices) == 1744

    def day(provider, model, kind, amount, currency="CNY") -> str:
        return first_seen[(provider, model, kind, currency, amount)][:10]

    def changes(provider, model, kind, currency="CNY") -> list[tuple[str, str]]:
        return [(stamp[:10], str(value)) for stamp, value in history[(provider, model, kind, currency)]]

    # DeepSeek's changes on their announcement days, and nothing else: the rounding eras (floats, 3 decimals
    # from 2025-06-06, 5 from 2025-08-08) do not make deepseek-chat flip
    assert changes("deepseek", "deepseek-chat", "input") == [
        ("2025-04-08", "2"), ("2025-08-21", "4"), ("2025-09-30", "2"), ("2026-04-24", "1")]
    assert changes("deepseek", "deepseek-chat", "output") == [
        ("2025-04-08", "8"), ("2025-08-21", "12"), ("2025-09-30", "3"), ("2026-04-24", "2")]
    assert changes("deepseek", "deepseek-chat", "cache_hit") == [
        ("2025-05-02", "0.5"), ("2025-09-30", "0.2"), ("2026-05-10", "0.02")]
    assert day("deepseek", "deepseek-v4-flash", "input", "1") == day("deepseek", "deepseek-v4-flash", "output", "2") \
        == "2026-04-24"
    assert changes("openai", "o3", "input", "USD") == [("2025-04-16", "10"), ("2025-08-06", "2")]  # the cut, late
    # on the days the rounding changed, no yuan price moved but yi-lightning's CNY 0.99, which 3 decimals
    # cannot hold (0.071 reads CNY 1): rounding alone changes nothing else
    switched = {(key[1], key[2]) for key, values in history.items() if key[3] == "CNY"
                for stamp, _ in values[1:] if stamp[:10] in ("2025-06-06", "2025-08-08")}
    assert switched == {("yi-lightning", "input"), ("yi-lightning", "output")}
    assert changes("zhipu", "glm-4.5", "input", "USD") == [("2026-04-19", "0.6")]  # Zhipu's dollar rows
    assert changes("zhipu", "glm-4.5", "input") == [("2025-08-05", "4")]
