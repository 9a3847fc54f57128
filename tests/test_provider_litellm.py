"""LiteLLM's price list: floats read exactly, provider prefixes, tiers, duplicates, a real delta."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import Price, PricewarError
from pricewar.sources.providers import litellm, load

FEB_06 = "fixtures/litellm/model_prices-2025-02-06.json"
FEB_07 = "fixtures/litellm/model_prices-2025-02-07.json"
JUL_05 = "fixtures/litellm/model_prices-2025-07-05.json"


def parsed(relative: str) -> list[Price]:
    return litellm.parse(shared_file(relative).read_bytes())


def prices_of(prices: list[Price], provider: str, model: str) -> dict[tuple[str, str, str], Decimal]:
    return {
        (p.kind, p.service_tier, p.context_tier): p.per_mtok for p in prices if (p.provider, p.model) == (provider, model)
    }


def test_is_a_registered_source():
    assert load("litellm") is litellm
    assert litellm.URLS == ("https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",)
    assert "first in file order is" in (litellm.__doc__ or "")  # the duplicate rule is documented


def test_deepseek_chat_before_and_after_the_promo_ended():
    before = prices_of(parsed(FEB_06), "deepseek", "deepseek-chat")
    after = prices_of(parsed(FEB_07), "deepseek", "deepseek-chat")
    assert before == {
        ("input", "standard", ""): Decimal("0.14"),
        ("output", "standard", ""): Decimal("0.28"),
        ("cache_hit", "standard", ""): Decimal("0.014"),
        ("cache_write", "standard", ""): Decimal("0"),  # the file literally says 0.0
    }
    assert after == {
        ("input", "standard", ""): Decimal("0.27"),
        ("output", "standard", ""): Decimal("1.1"),
        ("cache_hit", "standard", ""): Decimal("0.07"),
        ("cache_write", "standard", ""): Decimal("0"),
    }


def test_floats_are_read_through_their_repr():
    chat = {p.kind: p for p in parsed(FEB_06) if (p.provider, p.model) == ("deepseek", "deepseek-chat")}
    assert chat["input"].per_mtok == Decimal("0.14")  # not 0.13999999999999998
    assert chat["input"].published == "0.00000014 per token"
    assert chat["cache_hit"].published == "0.000000014 per token"
    assert (chat["input"].unit, chat["input"].currency) == ("per token", "USD")


def test_the_one_day_delta_is_exactly_the_deepseek_promo_plus_additions():
    before = {p.key: p.per_mtok for p in parsed(FEB_06)}
    after = {p.key: p.per_mtok for p in parsed(FEB_07)}
    changed = {key[:3]: (before[key], after[key]) for key in before.keys() & after.keys() if before[key] != after[key]}
    assert changed == {
        ("deepseek", "deepseek-chat", "input"): (Decimal("0.14"), Decimal("0.27")),
        ("deepseek", "deepseek-chat", "output"): (Decimal("0.28"), Decimal("1.1")),
        ("deepseek", "deepseek-chat", "cache_hit"): (Decimal("0.014"), Decimal("0.07")),
    }
    assert before.keys() - after.keys() == set()
    assert {key[:3] for key in after.keys() - before.keys()} == {
        ("google", "gemini-2.0-flash", "input"),
        ("google", "gemini-2.0-flash", "output"),
        ("google", "gemini-2.0-flash-001", "input"),
        ("google", "gemini-2.0-flash-001", "output"),
        ("google", "gemini-2.0-flash-lite-preview-02-05", "input"),
        ("google", "gemini-2.0-flash-lite-preview-02-05", "output"),
        ("vertex_ai-language-models", "gemini-2.0-flash-001", "input"),
        ("vertex_ai-language-models", "gemini-2.0-flash-001", "output"),
    }


@pytest.mark.parametrize(("relative", "count"), [(FEB_06, 1517), (FEB_07, 1525), (JUL_05, 2247)])
def test_real_file_counts(relative, count):
    prices = parsed(relative)
    assert len(prices) == count
    assert len({p.key for p in prices}) == count
    assert not any("docs.litellm.ai" in p.provider for p in prices)  # sample_spec


def test_batch_and_long_context_fields():
    feb = parsed(FEB_06)
    assert prices_of(feb, "openai", "gpt-4o") == {
        ("input", "standard", ""): Decimal("2.5"),
        ("output", "standard", ""): Decimal("10"),
        ("input", "batch", ""): Decimal("1.25"),
        ("output", "batch", ""): Decimal("5"),
        ("cache_hit", "standard", ""): Decimal("1.25"),
    }
    assert prices_of(feb, "google", "gemini-1.5-pro") == {
        ("input", "standard", ""): Decimal("3.5"),
        ("input", "standard", ">128k"): Decimal("7"),
        ("output", "standard", ""): Decimal("10.5"),
        ("output", "standard", ">128k"): Decimal("21"),
    }
    assert prices_of(parsed(JUL_05), "google", "gemini-2.5-pro") == {
        ("input", "standard", ""): Decimal("1.25"),
        ("input", "standard", ">200k"): Decimal("2.5"),
        ("output", "standard", ""): Decimal("10"),
        ("output", "standard", ">200k"): Decimal("15"),
    }


def test_provider_prefix_is_dropped_and_other_slashes_kept():
    feb = parsed(FEB_06)
    assert prices_of(feb, "bedrock", "us-east-1/anthropic.claude-v1") == {
        ("input", "standard", ""): Decimal("8"),
        ("output", "standard", ""): Decimal("24"),
    }
    assert prices_of(feb, "openrouter", "deepseek/deepseek-chat") == {
        ("input", "standard", ""): Decimal("0.14"),
        ("output", "standard", ""): Decimal("0.28"),
    }
    assert prices_of(feb, "vertex_ai-language-models", "gemini-1.5-pro")[("input", "standard", ">128k")] == Decimal("2.5")


def test_edge_cases_fixture():
    prices = litellm.parse(own_fixture("litellm-edge-cases.json").read_bytes())
    assert {(p.provider, p.model, p.kind, p.service_tier, p.context_tier): p.per_mtok for p in prices} == {
        # the first key wins over "deepseek-chat" below it; the canonical cache field over the legacy one
        ("deepseek", "deepseek-chat", "input", "standard", ""): Decimal("0.27"),
        ("deepseek", "deepseek-chat", "output", "standard", ""): Decimal("1.1"),
        ("deepseek", "deepseek-chat", "cache_hit", "standard", ""): Decimal("0.07"),
        ("deepseek", "deepseek-chat", "cache_write", "standard", ""): Decimal("0"),
        ("openai", "gpt-4o", "input", "standard", ""): Decimal("2.5"),
        ("openai", "gpt-4o", "input", "batch", ""): Decimal("1.25"),
        ("openai", "gpt-4o", "input", "flex", ""): Decimal("1.25"),
        ("openai", "gpt-4o", "output", "standard", ""): Decimal("10"),
        ("openai", "gpt-4o", "output", "batch", ""): Decimal("5"),
        ("openai", "gpt-4o", "output", "priority", ""): Decimal("20"),
        ("openai", "gpt-4o", "cache_hit", "standard", ""): Decimal("1.25"),
        ("google", "gemini-1.5-pro", "input", "standard", ""): Decimal("3.5"),
        ("google", "gemini-1.5-pro", "input", "standard", ">128k"): Decimal("7"),
        ("google", "gemini-1.5-pro", "output", "standard", ""): Decimal("10.5"),
        ("google", "gemini-1.5-pro", "output", "standard", ">128k"): Decimal("21"),
        ("bedrock", "us-east-1/anthropic.claude-v2", "input", "standard", ""): Decimal("8"),
        ("bedrock", "us-east-1/anthropic.claude-v2", "output", "standard", ""): Decimal("24"),
        ("openrouter", "deepseek/deepseek-chat", "input", "standard", ""): Decimal("0.14"),
        ("openrouter", "deepseek/deepseek-chat", "output", "standard", ""): Decimal("0.28"),
        # a prefix that is not the seller stays part of the model
        ("vertex_ai-anthropic_models", "vertex_ai/claude-3-opus", "input", "standard", ""): Decimal("15"),
        ("vertex_ai-anthropic_models", "vertex_ai/claude-3-opus", "output", "standard", ""): Decimal("75"),
        ("anthropic", "claude-3-7-sonnet", "input", "standard", ""): Decimal("3"),
        ("anthropic", "claude-3-7-sonnet", "output", "standard", ""): Decimal("15"),
        ("anthropic", "claude-3-7-sonnet", "cache_hit", "standard", ""): Decimal("0.3"),
        ("anthropic", "claude-3-7-sonnet", "cache_write", "standard", ""): Decimal("3.75"),
        ("anthropic", "claude-3-7-sonnet", "cache_write_1h", "standard", ""): Decimal("6"),
        ("ollama", "llama3", "input", "standard", ""): Decimal("0"),
        ("ollama", "llama3", "output", "standard", ""): Decimal("0"),
        # string, null, negative, boolean, infinite and -0.0 values are dropped one by one
        ("acme", "junk", "output", "standard", ">128k"): Decimal("2"),
        ("acme", "unknown-fields", "input", "standard", ""): Decimal("1"),
        ("acme", "unknown-fields", "output", "standard", ""): Decimal("2"),
    }


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<!DOCTYPE html><html><body>404: Not Found</body></html>", "got HTML"),
        (b'{"gpt-4o": {"input_cost_per_token": 2.5e-06, "litellm_pro', "not valid JSON"),
        (b"", "came back empty"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
        (b"[]", "not a JSON object"),
        (b'"model_prices_and_context_window.json"', "not a JSON object"),
        (b"{}", "No prices found"),
        (b'{"sample_spec": {"input_cost_per_token": 0.0, "litellm_provider": "x"}}', "No prices found"),
        (b'{"tts-1": {"input_cost_per_character": 1.5e-05, "litellm_provider": "openai"}}', "No prices found"),
    ],
)
def test_unexpected_bodies_raise_a_sentence_naming_the_source(body, words):
    with pytest.raises(PricewarError) as raised:
        litellm.parse(body)
    message = str(raised.value)
    assert "LiteLLM" in message
    assert words in message
    assert message[0].isupper() and message.endswith(("?", "."))


def test_numbers_too_large_to_hold_exactly_are_skipped_not_rounded():
    body = json.dumps(
        {
            "exact": {"input_cost_per_token": 1e-07, "litellm_provider": "acme"},
            "huge": {
                "input_cost_per_token": 10**4000,
                "output_cost_per_token": 1e308,
                "cache_read_input_token_cost": 12345678901234567890123456789,
                "litellm_provider": "acme",
            },
        }
    ).encode()
    prices = litellm.parse(body)
    assert {(p.model, p.kind): p.per_mtok for p in prices} == {("exact", "input"): Decimal("0.1")}


def test_rerank_and_moderation_zeros_are_no_price():
    body = json.dumps({
        "cohere-rerank-v3.5": {"litellm_provider": "cohere", "mode": "rerank", "input_cost_per_token": 0.0,
                               "output_cost_per_token": 0.0},
        "text-moderation-latest": {"litellm_provider": "openai", "mode": "moderation", "input_cost_per_token": 0.0},
        "text-embedding-3-small": {"litellm_provider": "openai", "mode": "embedding", "input_cost_per_token": 2e-08},
        "gpt-4o": {"litellm_provider": "openai", "mode": "chat", "input_cost_per_token": 2.5e-06,
                   "output_cost_per_token": 1e-05},
    }).encode()
    assert {(p.model, p.kind, p.per_mtok) for p in litellm.parse(body)} == {
        ("text-embedding-3-small", "input", Decimal("0.02")),
        ("gpt-4o", "input", Decimal("2.5")), ("gpt-4o", "output", Decimal("10"))}
