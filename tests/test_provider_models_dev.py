"""models.dev: both shapes (the archive's combined file, api.json), regions, resellers, tiers, thinking mode."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from conftest import SHARED, own_fixture  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources import archive
from pricewar.sources.providers import load, models_dev

FIXTURE = "models-dev-2026-05-05.json"  # the archive's version of 2026-05-05T16:36:43Z (fceaf982), whole
BUNDLE = SHARED / "data" / "archives" / "models-dev-china-history.bundle"

Row = tuple[str, str, str, str]  # kind, mode, context_tier, region


def table(prices: list[Price], provider: str, model: str) -> dict[Row, Decimal]:
    return {(p.kind, p.mode, p.context_tier, p.region): p.per_mtok for p in prices
            if (p.provider, p.model) == (provider, model)}


@pytest.fixture(scope="module")
def real() -> list[Price]:
    return models_dev.parse(own_fixture(FIXTURE).read_bytes())


def test_is_a_registered_source():
    assert load("models-dev") is models_dev
    assert models_dev.URLS == ("https://models.dev/api.json",)
    assert models_dev.ARCHIVE_FILE == "models-dev-china.json"
    assert "never converted" in (models_dev.__doc__ or "")


def test_deepseek_and_what_alibaba_cn_sells_by_extending_it(real):
    assert table(real, "deepseek", "deepseek-chat") == {
        ("input", "", "", ""): Decimal("0.14"),
        ("output", "", "", ""): Decimal("0.28"),
        ("cache_hit", "", "", ""): Decimal("0.028"),
    }
    # alibaba-cn's entry only says `extends = deepseek/deepseek-v4-flash`: it takes that cost, under the seller
    assert table(real, "alibaba", "deepseek-v4-flash") == {
        ("input", "", "", "cn"): Decimal("0.14"),
        ("output", "", "", "cn"): Decimal("0.28"),
        ("cache_hit", "", "", "cn"): Decimal("0.028"),
    }


def test_a_vendors_two_platforms_are_two_regions(real):
    # models.dev's own dollar figures for the yuan list price (¥0.8 -> 0.115), with Qwen's thinking split
    assert table(real, "alibaba", "qwen-plus") == {
        ("input", "non-thinking", "", "cn"): Decimal("0.115"), ("input", "thinking", "", "cn"): Decimal("0.115"),
        ("output", "non-thinking", "", "cn"): Decimal("0.287"),
        ("output", "thinking", "", "cn"): Decimal("1.147"),
        ("input", "non-thinking", "", "international"): Decimal("0.4"),
        ("input", "thinking", "", "international"): Decimal("0.4"),
        ("output", "non-thinking", "", "international"): Decimal("1.2"),
        ("output", "thinking", "", "international"): Decimal("4"),
    }
    assert table(real, "zhipu", "glm-5v-turbo") == {  # zhipuai (open.bigmodel.cn) beside zai (z.ai)
        ("input", "", "", ""): Decimal("1.2"),
        ("output", "", "", ""): Decimal("4"),
        ("cache_hit", "", "", ""): Decimal("0.24"),
        ("cache_write", "", "", ""): Decimal("0"),
        ("input", "", "", "cn"): Decimal("5"),
        ("output", "", "", "cn"): Decimal("22"),
        ("cache_hit", "", "", "cn"): Decimal("1.2"),
        ("cache_write", "", "", "cn"): Decimal("0"),
    }


def test_other_spellings_of_the_cache_fields_and_lower_cased_ids(real):
    assert table(real, "minimax", "minimax-m2.1") == {  # "MiniMax-M2.1", cached_input / cached_write
        (kind, "", "", region): amount for region in ("", "cn") for kind, amount in
        (("input", Decimal("0.3")), ("output", Decimal("1.2")), ("cache_hit", Decimal("0.03")),
         ("cache_write", Decimal("0.375")))
    }
    # a reseller keeps its own rows: SiliconFlow's Kimi is not Moonshot's price
    assert table(real, "siliconflow", "pro/moonshotai/kimi-k2.5") == {
        ("input", "", "", "cn"): Decimal("0.45"),
        ("output", "", "", "cn"): Decimal("2.25"),
        ("cache_hit", "", "", "cn"): Decimal("0.07"),  # cache_input
    }
    assert table(real, "moonshot", "pro/moonshotai/kimi-k2.5") == {}
    assert table(real, "inclusionai", "ling-1t") == {("input", "", "", ""): Decimal("0.57"),
                                                     ("output", "", "", ""): Decimal("2.29")}


def test_long_context_free_models_and_audio_models(real):
    assert table(real, "xiaomi", "mimo-v2.5") == {
        ("input", "", "", ""): Decimal("0.4"),
        ("output", "", "", ""): Decimal("2"),
        ("cache_hit", "", "", ""): Decimal("0.08"),
        ("input", "", ">200k", ""): Decimal("0.8"),  # context_over_200k
        ("output", "", ">200k", ""): Decimal("4"),
        ("cache_hit", "", ">200k", ""): Decimal("0.16"),
    }
    assert table(real, "tencent", "hy3-preview") == {(kind, "", "", ""): Decimal("0") for kind in
                                                     ("input", "output", "cache_hit", "cache_write")}
    assert table(real, "zhipu", "glm-4.7-flash")[("input", "", "", "")] == Decimal("0")
    assert table(real, "alibaba", "qwen3-asr-flash") == {}  # audio in: not a price per text token
    # an omni model's text price is read, its input_audio price is not
    assert {row: amount for row, amount in table(real, "alibaba", "qwen-omni-turbo").items() if row[3] == "cn"} == {
        ("input", "", "", "cn"): Decimal("0.058"), ("output", "", "", "cn"): Decimal("0.23")}


def test_real_file_counts_ids_and_units(real):
    assert len(real) == 696
    assert len({p.key for p in real}) == 696
    assert {(p.provider, p.region) for p in real} == {
        ("deepseek", ""), ("zhipu", ""), ("zhipu", "cn"), ("moonshot", ""), ("moonshot", "cn"),
        ("alibaba", "international"), ("alibaba", "cn"), ("minimax", ""), ("minimax", "cn"), ("stepfun", ""),
        ("tencent", ""), ("xiaomi", ""), ("inclusionai", ""), ("siliconflow", "cn")}
    assert all(p.model == p.model.lower() and p.provider == p.provider.lower() for p in real)
    assert {(p.currency, p.unit, p.published, p.service_tier, p.effective_from) for p in real} == {
        ("USD", MTOK, "", "standard", None)}


def test_the_live_api_shape_reads_the_same():
    api = {
        "deepseek": {"id": "deepseek", "name": "DeepSeek", "models": {
            "deepseek-chat": {"id": "deepseek-chat", "name": "DeepSeek Chat",
                              "cost": {"input": 0.28, "output": 0.42, "cache_read": 0.028}}}},
        "alibaba-cn": {"id": "alibaba-cn", "models": {
            "qwen3.6-plus": {"id": "qwen3.6-plus", "cost": {
                "input": 0.5, "output": 3, "tiers": [
                    {"tier": {"type": "context", "size": 256000}, "input": 2, "output": 6},
                    {"tier": {"type": "images", "size": 10}, "input": 9}]}}}},
        "openai": {"id": "openai", "models": {"gpt-4o": {"id": "gpt-4o", "cost": {"input": 2.5, "output": 10}}}},
    }
    prices = models_dev.parse(json.dumps(api).encode())
    assert {(p.provider, p.model, p.kind, p.context_tier, p.region): p.per_mtok for p in prices} == {
        ("deepseek", "deepseek-chat", "input", "", ""): Decimal("0.28"),
        ("deepseek", "deepseek-chat", "output", "", ""): Decimal("0.42"),
        ("deepseek", "deepseek-chat", "cache_hit", "", ""): Decimal("0.028"),
        ("alibaba", "qwen3.6-plus", "input", "", "cn"): Decimal("0.5"),
        ("alibaba", "qwen3.6-plus", "output", "", "cn"): Decimal("3"),
        ("alibaba", "qwen3.6-plus", "input", ">256k", "cn"): Decimal("2"),
        ("alibaba", "qwen3.6-plus", "output", ">256k", "cn"): Decimal("6"),
        # openai is not one of the providers read; a tier of another type is not a context tier
    }
    assert {p.display_name for p in prices if p.model == "deepseek-chat"} == {"DeepSeek Chat"}


def test_values_that_are_no_price_are_skipped_one_by_one():
    body = json.dumps({
        "xiaomi/provider": {"name": "Xiaomi"},
        "xiaomi/models/a": {"cost": {"input": -1, "output": "0.5", "cache_read": None, "cache_write": True,
                                     "reasoning": 2}},
        "xiaomi/models/b": {"cost": {"input": 1e300, "output": 1, "reasoning": 1}},
        "xiaomi/models/c": {"extends": {"from": "xiaomi/nowhere"}},
        "xiaomi/models/d": {"cost": {"input": 1}, "modalities": {"input": ["text"], "output": ["image"]}},
    }).encode()
    assert {(p.model, p.kind, p.mode): p.per_mtok for p in models_dev.parse(body)} == {
        ("a", "output", "thinking"): Decimal("2"),  # reasoning is still the output price when thinking
        ("b", "output", ""): Decimal("1"),  # reasoning = output: one price
    }


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<!DOCTYPE html><html><body>Just a moment...</body></html>", "got HTML"),
        (b'{"deepseek/models/deepseek-chat": {"cost": {"input": 0.2', "not valid JSON"),
        (b"", "came back empty"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[]", "not a JSON object of providers"),
        (b'{"deepseek": [1, 2]}', "without models"),
        (b"{}", "No prices found"),
        (b'{"openai/models/gpt-4o": {"cost": {"input": 2.5}}}', "No prices found"),
        (b'{"deepseek/provider": {"name": "DeepSeek"}}', "No prices found"),
    ],
)
def test_unexpected_bodies_raise_a_sentence_naming_the_source(body, words):
    with pytest.raises(PricewarError) as raised:
        models_dev.parse(body)
    message = str(raised.value)
    assert "models.dev" in message and words in message
    assert message.endswith(("?", "."))


@pytest.fixture(scope="module")
def history() -> list[tuple[archive.Version, dict | None]]:
    """Each version of the archive with the prices it gives ((provider, model, kind, context_tier, region) ->
    per_mtok, mode "" only), or None when it does not parse."""
    if not BUNDLE.exists():
        pytest.skip(f"{BUNDLE} is absent (clone the project beside its shared/ folder to run this test)")
    if shutil.which("git") is None:
        pytest.skip("reading an archive needs the git program, which is not installed")
    found = []
    with archive.opened(str(BUNDLE)) as repo:
        versions = archive.versions(repo, models_dev.ARCHIVE_FILE)
        for version, body in archive.bodies(repo, models_dev.ARCHIVE_FILE, versions):
            try:
                prices = models_dev.parse(body)
            except PricewarError:
                found.append((version, None))
                continue
            found.append((version, {(p.provider, p.model, p.kind, p.context_tier, p.region): p.per_mtok
                                    for p in prices if not p.mode}))
    return found


def first_seen(history, provider: str, model: str, **amounts: str) -> str:
    """When the first version giving the model these prices (kind=amount, base tier, region "") was taken."""
    return next(version.observed_at for version, prices in history if prices is not None and all(
        prices.get((provider, model, kind, "", "")) == Decimal(amount) for kind, amount in amounts.items()))


def test_every_version_of_the_archive_parses_and_dates_deepseeks_changes(history):
    assert len(history) == 169
    assert [version.observed_at for version, prices in history if prices is None] == []
    # observed_at is UTC; the README gives the committer's local dates (V3.1: 2025-08-26 00:35 +08:00)
    assert first_seen(history, "deepseek", "deepseek-chat", input="0.57", output="1.68") == "2025-08-25T16:35:54Z"
    assert first_seen(history, "deepseek", "deepseek-chat", input="0.28", output="0.42") == "2025-11-17T16:05:41Z"
    assert first_seen(history, "deepseek", "deepseek-chat", input="0.14", output="0.28") == "2026-04-25T17:28:45Z"
    assert first_seen(history, "deepseek", "deepseek-v4-flash", input="0.14", output="0.28") == "2026-04-24T12:34:03Z"
    first, newest = history[0], history[-1]
    assert first[0].observed_at == "2025-06-10T22:55:28Z"
    assert first[1][("deepseek", "deepseek-chat", "cache_hit", "", "")] == Decimal("0.07")  # spelt inputCached
    assert newest[0].observed_at == "2026-07-01T16:40:28Z"
    assert len(newest[1]) == 632  # keyed without the mode: each split model once
    assert newest[1][("alibaba", "qwen3.6-plus", "input", ">256k", "cn")] == Decimal("2")
