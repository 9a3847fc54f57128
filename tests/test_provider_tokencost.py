"""tokencost's copy of LiteLLM's map: read by the LiteLLM adapter, its seller-less first versions, its lags."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from conftest import SHARED, own_fixture  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import Price, PricewarError, canonical_provider
from pricewar.sources import archive
from pricewar.sources.providers import litellm, load, tokencost

FIXTURE = "tokencost-2024-11-22.json"  # the archive's version of 2024-11-22T13:10:40Z (1424877e), whole
BUNDLE = SHARED / "data" / "archives" / "tokencost-model-prices-history.bundle"
MAKERS = {"openai", "anthropic", "google", "mistral", "deepseek"}


def table(prices: list[Price], provider: str, model: str) -> dict[tuple[str, str], Decimal]:
    return {(p.kind, p.context_tier): p.per_mtok for p in prices
            if (p.provider, p.model, p.service_tier) == (provider, model, "standard")}


@pytest.fixture(scope="module")
def real() -> list[Price]:
    return tokencost.parse(own_fixture(FIXTURE).read_bytes())


def test_is_a_registered_source():
    assert load("tokencost") is tokencost
    assert tokencost.URLS == (
        "https://raw.githubusercontent.com/AgentOps-AI/tokencost/main/tokencost/model_prices.json",)
    assert tokencost.ARCHIVE_FILE == "model_prices.json"
    assert "litellm.parse" in (tokencost.__doc__ or "")


def test_it_is_exactly_what_the_litellm_adapter_reads(real):
    assert real == litellm.parse(own_fixture(FIXTURE).read_bytes())


def test_makers_prices(real):
    assert table(real, "deepseek", "deepseek-chat") == {
        ("input", ""): Decimal("0.14"), ("output", ""): Decimal("0.28"), ("cache_hit", ""): Decimal("0.014")}
    assert table(real, "openai", "gpt-4o") == {
        ("input", ""): Decimal("2.5"), ("output", ""): Decimal("10"), ("cache_hit", ""): Decimal("1.25")}
    assert table(real, "anthropic", "claude-3-5-sonnet-20240620") == {
        ("input", ""): Decimal("3"), ("output", ""): Decimal("15"), ("cache_hit", ""): Decimal("0.3"),
        ("cache_write", ""): Decimal("3.75")}
    assert table(real, "google", "gemini-1.5-flash") == {  # "gemini/gemini-1.5-flash", per token
        ("input", ""): Decimal("0.075"), ("input", ">128k"): Decimal("0.15"),
        ("output", ""): Decimal("0.3"), ("output", ">128k"): Decimal("0.6")}
    assert table(real, "ollama", "llama3") == {("input", ""): Decimal("0"), ("output", ""): Decimal("0")}  # free


def test_real_file_counts_and_ids(real):
    assert len(real) == 1316
    assert len({p.key for p in real}) == 1316
    assert {p.currency for p in real} == {"USD"}
    assert all(p.provider == canonical_provider(p.provider) == p.provider.lower() for p in real)
    # the makers' own ids are lower case; hosts' ids keep LiteLLM's spelling ("deepinfra/meta-llama/Llama-2-...")
    assert all(p.model == p.model.lower() for p in real if p.provider in MAKERS)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<!DOCTYPE html><html><body>404: Not Found</body></html>", "got HTML"),
        (b'{"gpt-4o": {"input_cost_per_token": 2.5e-06,}}', "not valid JSON"),  # the first version's comma
        (b"", "came back empty"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[]", "not a JSON object"),
        (b"{}", "No prices found"),
        (b'{"gpt-4": {"input_cost_per_token": 3e-05, "mode": "chat"}}', "No prices found"),  # no seller at all
    ],
)
def test_unexpected_bodies_raise_a_sentence_naming_the_source(body, words):
    with pytest.raises(PricewarError) as raised:
        tokencost.parse(body)
    message = str(raised.value)
    assert "tokencost" in message and "LiteLLM" not in message and words in message
    assert message[0].isupper() or message.startswith("tokencost")
    assert message.endswith(("?", "."))


def test_a_file_naming_no_seller_takes_each_keys_prefix():
    body = json.dumps({
        "gpt-4": {"input_cost_per_token": 3e-05, "output_cost_per_token": 6e-05, "mode": "chat"},
        "azure/gpt-4": {"input_cost_per_token": 3e-05, "output_cost_per_token": 6e-05, "mode": "chat"},
        "gemini/gemini-pro": {"input_cost_per_token": 2.5e-07, "mode": "chat"},
        "bedrock/us-east-1/anthropic.claude-v2": {"input_cost_per_token": 8e-06, "mode": "chat"},
    }).encode()
    assert {(p.provider, p.model, p.kind): p.per_mtok for p in tokencost.parse(body)} == {
        ("azure", "gpt-4", "input"): Decimal("30"),
        ("azure", "gpt-4", "output"): Decimal("60"),
        ("google", "gemini-pro", "input"): Decimal("0.25"),
        ("bedrock", "us-east-1/anthropic.claude-v2", "input"): Decimal("8"),
    }
    # one entry naming its seller: the file is LiteLLM's usual one, and a key's prefix is no seller
    named = json.loads(body) | {"mistral/mistral-tiny": {"input_cost_per_token": 1.5e-07,
                                                         "litellm_provider": "mistral"}}
    assert {(p.provider, p.model) for p in tokencost.parse(json.dumps(named).encode())} == {("mistral", "mistral-tiny")}


@pytest.fixture(scope="module")
def history() -> list[tuple[archive.Version, dict | str]]:
    """Each version of the archive with the makers' standard prices ((provider, model, kind, context_tier) ->
    per_mtok) and the count of all, or the sentence that refused it."""
    if not BUNDLE.exists():
        pytest.skip(f"{BUNDLE} is absent (clone the project beside its shared/ folder to run this test)")
    if shutil.which("git") is None:
        pytest.skip("reading an archive needs the git program, which is not installed")
    found = []
    with archive.opened(str(BUNDLE)) as repo:
        versions = archive.versions(repo, tokencost.ARCHIVE_FILE)
        for version, body in archive.bodies(repo, tokencost.ARCHIVE_FILE, versions):
            try:
                prices = tokencost.parse(body)
            except PricewarError as error:
                found.append((version, str(error)))
                continue
            found.append((version, {"count": len(prices)} | {
                (p.provider, p.model, p.kind, p.context_tier): p.per_mtok for p in prices
                if p.provider in MAKERS | {"azure"} and p.service_tier == "standard"}))
    return found


def first_seen(history, provider: str, model: str, **amounts: str) -> str:
    """When the first version giving the model these prices (kind=amount, no context tier) was taken."""
    return next(version.observed_at for version, prices in history if isinstance(prices, dict) and all(
        prices.get((provider, model, kind, "")) == Decimal(amount) for kind, amount in amounts.items()))


def test_every_version_but_the_first_parses_and_dates_the_readme_facts(history):
    assert len(history) == 96
    refused = [(version.observed_at, prices) for version, prices in history if isinstance(prices, str)]
    assert refused == [("2024-01-31T04:13:58Z",  # 2024-01-30 20:13 -08:00: a trailing comma
                        "tokencost's price list is not valid JSON — was the download cut short? Try again.")]
    # the next two name no seller: only prefixed keys are read
    seller_less = history[1][1]
    assert seller_less["count"] == 226
    assert seller_less[("azure", "gpt-4", "input", "")] == Decimal("30")
    assert not any(key[0] == "openai" for key in seller_less if key != "count")
    # observed_at is UTC; the README gives the committer's local dates
    assert first_seen(history, "deepseek", "deepseek-chat", input="0.14", output="0.28") == "2024-05-14T07:46:26Z"
    assert first_seen(history, "openai", "gpt-4o", input="5", output="15") == "2024-05-14T07:46:26Z"
    assert first_seen(history, "anthropic", "claude-3-5-sonnet-20240620", input="3", output="15") \
        == "2024-06-24T15:51:06Z"
    assert first_seen(history, "google", "gemini-1.5-flash", input="0.35", output="1.05") == "2024-07-01T06:56:55Z"
    assert first_seen(history, "google", "gemini-1.5-flash", input="0.075", output="0.3") \
        == "2024-10-14T06:59:47Z"  # 2024-10-13 23:59 -07:00
    newest_day, newest = history[-1]
    assert newest_day.observed_at == "2025-09-01T00:02:52Z"
    assert newest["count"] == 3181
    # the stale bare key comes first, so DeepSeek's February 2025 price never shows (see the module's docstring)
    assert newest[("deepseek", "deepseek-chat", "input", "")] == Decimal("0.14")
    assert newest[("deepseek", "deepseek-chat", "output", "")] == Decimal("0.28")
