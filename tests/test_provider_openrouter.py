"""OpenRouter's model list: exact per-token strings, maker as provider, long-context overrides."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import Price, PricewarError
from pricewar.sources.providers import load, openrouter

REAL = "fixtures/openrouter/models-2026-08-01.json"


def table(prices: list[Price]) -> dict[tuple[str, str, str, str], Decimal]:
    return {(p.provider, p.model, p.kind, p.context_tier): p.per_mtok for p in prices}


def prices_of(prices: list[Price], provider: str, model: str) -> dict[tuple[str, str], Decimal]:
    return {(p.kind, p.context_tier): p.per_mtok for p in prices if (p.provider, p.model) == (provider, model)}


@pytest.fixture(scope="module")
def real() -> list[Price]:
    return openrouter.parse(shared_file(REAL).read_bytes())


def test_is_a_registered_source():
    assert load("openrouter") is openrouter
    assert openrouter.URLS == ("https://openrouter.ai/api/v1/models",)
    assert "OpenRouter" in (openrouter.__doc__ or "")


def test_deepseek_chat_is_stored_under_its_maker_exactly(real):
    chat = [p for p in real if (p.provider, p.model) == ("deepseek", "deepseek-chat")]
    assert {p.kind: p.per_mtok for p in chat} == {"input": Decimal("0.2574"), "output": Decimal("1.0287")}
    first = next(p for p in chat if p.kind == "input")
    assert first.currency == "USD"
    assert first.unit == "per token"
    assert first.published == "0.0000002574 per token"
    assert first.display_name == "DeepSeek: DeepSeek V3"
    assert (first.service_tier, first.context_tier, first.time_window) == ("standard", "", "")


def test_real_list_counts(real):
    assert len(real) == 1081
    assert len({(p.provider, p.model) for p in real}) == 331  # 336 models less the 5 routers priced "-1"
    assert len({p.key for p in real}) == len(real)


def test_long_context_overrides_become_context_tiers(real):
    assert prices_of(real, "alibaba", "qwen3.7-flash") == {
        ("input", ""): Decimal("0.03"),
        ("output", ""): Decimal("0.13"),
        ("cache_hit", ""): Decimal("0.006"),
        ("cache_write", ""): Decimal("0.038"),
        ("input", ">32k"): Decimal("0.1"),
        ("output", ">32k"): Decimal("0.4"),
        ("cache_hit", ">32k"): Decimal("0.02"),
        ("cache_write", ">32k"): Decimal("0.125"),
        ("input", ">256k"): Decimal("0.2"),
        ("output", ">256k"): Decimal("0.8"),
        ("cache_hit", ">256k"): Decimal("0.04"),
        ("cache_write", ">256k"): Decimal("0.25"),
    }
    assert sorted({p.context_tier for p in real}) == ["", ">128k", ">200k", ">256k", ">272k", ">32k"]


def test_routers_priced_minus_one_are_skipped(real):
    routers = {p.model for p in real if p.provider == "openrouter"}
    assert routers == {"free"}  # auto, auto-beta, fusion, pareto-code, bodybuilder are "-1"


def test_free_variants_are_real_zeros(real):
    assert prices_of(real, "nvidia", "nemotron-3-super-120b-a12b:free") == {
        ("input", ""): Decimal(0),
        ("output", ""): Decimal(0),
    }


def test_latest_aliases_and_one_hour_cache_writes(real):
    assert prices_of(real, "anthropic", "claude-opus-latest") == {
        ("input", ""): Decimal("5"),
        ("output", ""): Decimal("25"),
        ("cache_hit", ""): Decimal("0.5"),
        ("cache_write", ""): Decimal("6.25"),
        ("cache_write_1h", ""): Decimal("10"),
    }


def test_float_noise_in_the_published_string_is_kept_as_written(real):
    luna = {(p.kind, p.context_tier): p for p in real if (p.provider, p.model) == ("openai", "gpt-5.6-luna")}
    assert luna[("output", "")].per_mtok == Decimal("0.6000000000000001")
    assert luna[("output", "")].published == "0.0000006000000000000001 per token"


def test_edge_cases_fixture():
    prices = openrouter.parse(own_fixture("openrouter-edge-cases.json").read_bytes())
    assert table(prices) == {
        ("deepseek", "deepseek-chat", "input", ""): Decimal("0.27"),
        ("deepseek", "deepseek-chat", "output", ""): Decimal("1.1"),
        ("deepseek", "deepseek-chat", "cache_hit", ""): Decimal("0.07"),
        ("meta", "llama-4-scout:free", "input", ""): Decimal("0"),
        ("meta", "llama-4-scout:free", "output", ""): Decimal("0"),
        # a missing completion price is no price, never a zero
        ("acme", "prompt-only", "input", ""): Decimal("0.5"),
        # NaN, negative, boolean and overflowing fields are dropped one by one
        ("acme", "partly-readable", "input", ""): Decimal("1"),
        ("anthropic", "claude-sonnet-latest", "input", ""): Decimal("3"),
        ("anthropic", "claude-sonnet-latest", "output", ""): Decimal("15"),
        ("anthropic", "claude-sonnet-latest", "cache_hit", ""): Decimal("0.3"),
        ("anthropic", "claude-sonnet-latest", "cache_write", ""): Decimal("3.75"),
        ("anthropic", "claude-sonnet-latest", "cache_write_1h", ""): Decimal("6"),
        ("alibaba", "qwen-long-context", "input", ""): Decimal("0.4"),
        ("alibaba", "qwen-long-context", "output", ""): Decimal("1.2"),
        ("alibaba", "qwen-long-context", "input", ">128k"): Decimal("1.2"),
        ("alibaba", "qwen-long-context", "output", ">128k"): Decimal("3.6"),
        ("alibaba", "qwen-long-context", "input", ">131072"): Decimal("2"),
        ("alibaba", "qwen-long-context", "input", ">256k"): Decimal("2.4"),
        ("mistral", "mistral-small", "input", ""): Decimal("0.2"),
        ("mistral", "mistral-small", "output", ""): Decimal("0.6"),
    }
    small = next(p for p in prices if p.model == "mistral-small" and p.kind == "input")
    assert small.published == "0.0000002 per token"


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<!DOCTYPE html><html><body>Moved</body></html>", "got HTML"),
        (b'  \n<html lang="en">', "got HTML"),
        (b'{"data": [{"id": "deepseek/deepseek-chat", "pricing": {"prompt": "0.0000', "not valid JSON"),
        (b"", "came back empty"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
        (b"{}", "no 'data' list"),
        (b"[]", "no 'data' list"),
        (b"null", "no 'data' list"),
        (b'{"data": {"id": "x"}}', "no 'data' list"),
        (b'{"data": []}', "No prices found"),
        (b'{"data": [{"id": "openrouter/auto", "pricing": {"prompt": "-1", "completion": "-1"}}]}', "No prices found"),
    ],
)
def test_unexpected_bodies_raise_a_sentence_naming_the_source(body, words):
    with pytest.raises(PricewarError) as raised:
        openrouter.parse(body)
    message = str(raised.value)
    assert "OpenRouter" in message
    assert words in message
    assert message[0].isupper() and message.endswith(("?", "."))


def test_structured_junk_in_every_field_is_skipped_not_raised():
    # the last: 29 significant digits, one more than Decimal holds, so it could only be rounded
    junk = [None, True, 1e400, -1e-7, "", "1,000", "0x10", [], {}, {"price": "1"}, "9" * 5000, "0.00000012345678901234567890123456789"]
    models = [
        {"id": f"acme/m{i}", "pricing": {"prompt": value, "completion": "0.000001", "overrides": [value, {"min_prompt_tokens": value, "prompt": value}]}}
        for i, value in enumerate(junk)
    ]
    prices = openrouter.parse(json.dumps({"data": models}).encode())
    inputs = {p.model: p.per_mtok for p in prices if p.kind == "input"}
    assert inputs == {"m5": Decimal("1000000000")}  # "1,000" per token is a readable (absurd) price
    assert {p.model for p in prices if p.kind == "output"} == {f"m{i}" for i in range(len(junk))}
