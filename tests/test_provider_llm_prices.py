"""llm-prices: one vendor file or the archive's combined file, each price with the dates the file states."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from conftest import SHARED, own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources import archive
from pricewar.sources.providers import llm_prices, load

# The archive's newest version, taken 2026-08-05 18:25:35 -07:00 (2026-08-06T01:25:35Z) from simonw/llm-prices@723ef0bd
FIXTURE = "llm-prices-2026-08-06.json"
BUNDLE = SHARED / "data" / "archives" / "llm-prices-history.bundle"

Row = tuple[str, str | None, str | None]  # kind, effective_from, effective_to


def table(prices: list[Price], provider: str, model: str) -> dict[Row, Decimal]:
    return {(p.kind, p.effective_from, p.effective_to): p.per_mtok for p in prices
            if (p.provider, p.model) == (provider, model)}


@pytest.fixture(scope="module")
def real() -> list[Price]:
    return llm_prices.parse(own_fixture(FIXTURE).read_bytes())


def test_is_a_registered_source_reading_each_vendor_file():
    assert load("llm-prices") is llm_prices
    assert llm_prices.ARCHIVE_FILE == "llm-prices.json"
    assert llm_prices.URLS == tuple(f"https://raw.githubusercontent.com/simonw/llm-prices/main/data/{vendor}.json"
                                    for vendor in json.loads(own_fixture(FIXTURE).read_bytes()))
    assert len(llm_prices.URLS) == 11


def test_a_dated_cut_and_a_scheduled_rise(real):
    assert table(real, "openai", "gpt-5.6-luna") == {
        ("input", None, "2026-07-30"): Decimal("1"),
        ("output", None, "2026-07-30"): Decimal("6"),
        ("cache_hit", None, "2026-07-30"): Decimal("0.1"),
        ("input", "2026-07-30", None): Decimal("0.2"),
        ("output", "2026-07-30", None): Decimal("1.2"),
        ("cache_hit", "2026-07-30", None): Decimal("0.02"),
    }
    assert table(real, "anthropic", "claude-sonnet-5") == {
        ("input", None, "2026-09-01"): Decimal("2"),
        ("output", None, "2026-09-01"): Decimal("10"),
        ("input", "2026-09-01", None): Decimal("3"),
        ("output", "2026-09-01", None): Decimal("15"),
    }
    assert table(real, "deepseek", "deepseek-chat") == {  # input_cached null: no cache price
        ("input", "2025-02-08", None): Decimal("0.27"),
        ("output", "2025-02-08", None): Decimal("1.1"),
        ("input", None, "2025-02-08"): Decimal("0.14"),
        ("output", None, "2025-02-08"): Decimal("0.28"),
    }


def test_vendors_are_the_makers_the_record_names(real):
    assert {p.provider for p in real} == {"amazon", "anthropic", "deepseek", "google", "meta", "minimax", "mistral",
                                         "moonshot", "openai", "alibaba", "xai"}
    assert table(real, "alibaba", "qwen3.6-plus") == {("input", None, None): Decimal("0.5"),
                                                      ("output", None, None): Decimal("3")}
    assert table(real, "moonshot", "kimi-k2-thinking") == {("input", None, None): Decimal("0.6"),
                                                           ("output", None, None): Decimal("2.5"),
                                                           ("cache_hit", None, None): Decimal("0.15")}
    assert table(real, "meta", "muse-spark-1.2-contributor")[("cache_hit", None, None)] == Decimal("0.002")
    luna = next(p for p in real if (p.model, p.kind, p.effective_from) == ("gpt-5.6-luna", "input", "2026-07-30"))
    assert luna.display_name == "GPT-5.6 Luna ≤272k"


def test_real_file_counts_and_units(real):
    assert len(real) == 374
    assert len({(p.key, p.effective_from) for p in real}) == 374
    assert {(p.currency, p.unit, p.published, p.region, p.context_tier) for p in real} == {("USD", MTOK, "", "", "")}
    assert all(p.model == p.model.lower() for p in real)
    assert sum(p.effective_from is not None or p.effective_to is not None for p in real) == 32  # 4 gpt-5.6 ids, 2 more


def test_one_vendor_file_reads_as_its_part_of_the_combined_file(real):
    combined = json.loads(own_fixture(FIXTURE).read_bytes())
    alone = llm_prices.parse(json.dumps(combined["openai"]).encode())
    assert alone == [p for p in real if p.provider == "openai"]
    # the same vendor file as simonw/llm-prices@723ef0bd serves it
    assert llm_prices.parse(shared_file("data/llm-prices/openai.json").read_bytes()) == alone


def test_a_model_listed_twice_keeps_its_first_entry():
    body = json.dumps({"vendor": "xai", "models": [
        {"id": "grok-4-fast", "name": "Grok 4 Fast", "price_history": [
            {"input": 0.2, "output": 0.5, "input_cached": 0.05, "from_date": None, "to_date": None}]},
        {"id": "grok-4-fast", "name": "Grok 4 Fast ≤128k", "price_history": [
            {"input": 0.4, "output": 1, "input_cached": None, "from_date": None, "to_date": None}]},
    ]}).encode()
    assert {(p.kind, p.per_mtok, p.display_name) for p in llm_prices.parse(body)} == {
        ("input", Decimal("0.2"), "Grok 4 Fast"), ("output", Decimal("0.5"), "Grok 4 Fast"),
        ("cache_hit", Decimal("0.05"), "Grok 4 Fast")}


def test_entries_that_are_no_price_are_skipped_one_by_one():
    history = [
        {"input": 1, "output": -2, "input_cached": "0.1", "from_date": None, "to_date": "2025-01-01"},
        {"input": 5, "output": 6, "from_date": "2025-13-01", "to_date": None},  # no such month
        {"input": 7, "output": 8, "from_date": "2025-03-01", "to_date": "2025-02-01"},  # ends before it starts
        {"input": 0, "output": 0, "input_cached": True, "from_date": "2025-01-01", "to_date": None},  # free
    ]
    body = json.dumps({"vendor": "mistral", "models": [{"id": "m", "price_history": history},
                                                       {"id": "", "price_history": history}]}).encode()
    assert {(p.kind, p.effective_from, p.effective_to): p.per_mtok for p in llm_prices.parse(body)} == {
        ("input", None, "2025-01-01"): Decimal("1"),
        ("input", "2025-01-01", None): Decimal("0"),
        ("output", "2025-01-01", None): Decimal("0"),
    }


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<!DOCTYPE html><html><body>404: Not Found</body></html>", "got HTML"),
        (b'{"vendor": "openai", "models": [{"id": "gpt-4o", "price_hist', "not valid JSON"),
        (b"", "came back empty"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[]", "not a JSON object"),
        (b"{}", "neither a vendor file nor a set of them"),
        (b'{"openai": {"vendor": "openai"}}', "neither a vendor file nor a set of them"),
        (b'{"vendor": "openai", "models": []}', "No prices found"),
        (b'{"openai": {"vendor": "openai", "models": [{"id": "gpt-4o", "price_history": []}]}}', "No prices found"),
    ],
)
def test_unexpected_bodies_raise_a_sentence_naming_the_source(body, words):
    with pytest.raises(PricewarError) as raised:
        llm_prices.parse(body)
    message = str(raised.value)
    assert "llm-prices" in message and words in message
    assert message.endswith(("?", "."))


@pytest.fixture(scope="module")
def history() -> list[tuple[archive.Version, dict | None]]:
    """Each version of the archive with its prices ((provider, model, kind, effective_from) -> per_mtok), or
    None when it does not parse."""
    if not BUNDLE.exists():
        pytest.skip(f"{BUNDLE} is absent (clone the project beside its shared/ folder to run this test)")
    if shutil.which("git") is None:
        pytest.skip("reading an archive needs the git program, which is not installed")
    found = []
    with archive.opened(str(BUNDLE)) as repo:
        versions = archive.versions(repo, llm_prices.ARCHIVE_FILE)
        for version, body in archive.bodies(repo, llm_prices.ARCHIVE_FILE, versions):
            try:
                prices = llm_prices.parse(body)
            except PricewarError:
                found.append((version, None))
                continue
            found.append((version, {(p.provider, p.model, p.kind, p.effective_from): p.per_mtok for p in prices}))
    return found


def first_seen(history, provider: str, model: str, start: str | None, **amounts: str) -> str:
    """When the first version giving the model these prices (kind=amount) from `start` was taken."""
    return next(version.observed_at for version, prices in history if prices is not None and all(
        prices.get((provider, model, kind, start)) == Decimal(amount) for kind, amount in amounts.items()))


def test_every_version_of_the_archive_parses_and_dates_the_changes(history):
    assert len(history) == 40
    assert [version.observed_at for version, prices in history if prices is None] == []
    assert (history[0][0].observed_at, history[-1][0].observed_at) == ("2025-10-10T20:05:39Z", "2026-08-06T01:25:35Z")
    # gpt-5.6-luna's cut shows the same day: first undated, five minutes later dated from 2026-07-30
    assert first_seen(history, "openai", "gpt-5.6-luna", None, input="0.2", output="1.2") == "2026-07-30T17:34:21Z"
    assert first_seen(history, "openai", "gpt-5.6-luna", "2026-07-30", input="0.2", output="1.2") \
        == "2026-07-30T17:39:30Z"
    assert first_seen(history, "anthropic", "claude-sonnet-5", "2026-09-01", input="3", output="15") \
        == "2026-06-30T21:30:46Z"
    assert len(history[-1][1]) == 374
