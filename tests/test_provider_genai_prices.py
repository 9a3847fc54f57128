"""genai-prices' data: per-1M prices, dated and time-of-day conditional prices, context tiers."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal

import pytest
from conftest import SHARED, own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources import archive
from pricewar.sources.providers import genai_prices, load

REAL = "fixtures/genai-prices/data-2025-07-13.json"
OFF_PEAK = "off-peak UTC 16:30-00:30"

Row = tuple[str, str, str, str, str | None, str | None]


def table(prices: list[Price], provider: str, model: str) -> dict[Row, Decimal]:
    """(kind, context_tier, time_window, effective_from, effective_to) -> per_mtok for one model."""
    return {
        (p.kind, p.context_tier, p.time_window, p.effective_from, p.effective_to): p.per_mtok
        for p in prices
        if (p.provider, p.model) == (provider, model)
    }


@pytest.fixture(scope="module")
def real() -> list[Price]:
    return genai_prices.parse(shared_file(REAL).read_bytes())


def test_is_a_registered_source():
    assert load("genai-prices") is genai_prices
    assert genai_prices.URLS == ("https://raw.githubusercontent.com/pydantic/genai-prices/main/prices/data.json",)
    assert "genai-prices" in (genai_prices.__doc__ or "")


def test_deepseek_off_peak_is_the_unconstrained_cheaper_set(real):
    # genai-prices lists the off-peak price first, unconstrained, and limits the standard one to 00:30-16:30 UTC.
    assert table(real, "deepseek", "deepseek-chat") == {
        ("input", "", "", None, None): Decimal("0.27"),
        ("output", "", "", None, None): Decimal("1.1"),
        ("cache_hit", "", "", None, None): Decimal("0.07"),
        ("input", "", OFF_PEAK, None, None): Decimal("0.135"),
        ("output", "", OFF_PEAK, None, None): Decimal("0.55"),
        ("cache_hit", "", OFF_PEAK, None, None): Decimal("0.035"),
    }
    assert table(real, "deepseek", "deepseek-reasoner") == {
        ("input", "", "", None, None): Decimal("0.55"),
        ("output", "", "", None, None): Decimal("2.19"),
        ("cache_hit", "", "", None, None): Decimal("0.14"),
        ("input", "", OFF_PEAK, None, None): Decimal("0.135"),
        ("output", "", OFF_PEAK, None, None): Decimal("0.55"),
        ("cache_hit", "", OFF_PEAK, None, None): Decimal("0.035"),
    }


def test_o3_price_cut_from_its_start_date(real):
    assert table(real, "openai", "o3") == {
        ("input", "", "", None, "2025-06-10"): Decimal("10"),
        ("output", "", "", None, "2025-06-10"): Decimal("40"),
        ("cache_hit", "", "", None, "2025-06-10"): Decimal("0.5"),
        ("input", "", "", "2025-06-10", None): Decimal("2"),
        ("output", "", "", "2025-06-10", None): Decimal("8"),
        ("cache_hit", "", "", "2025-06-10", None): Decimal("0.5"),
    }


def test_gemini_tiers_become_context_tiers(real):
    assert table(real, "google", "gemini-2.5-pro") == {
        ("input", "", "", None, None): Decimal("1.25"),
        ("input", ">200k", "", None, None): Decimal("2.5"),
        ("output", "", "", None, None): Decimal("10"),
        ("output", ">200k", "", None, None): Decimal("15"),
        ("cache_hit", "", "", None, None): Decimal("0.31"),
        ("cache_hit", ">200k", "", None, None): Decimal("0.625"),
    }
    assert table(real, "google", "gemini-2.0-flash") == {
        ("input", "", "", None, None): Decimal("0.1"),
        ("output", "", "", None, None): Decimal("0.4"),
        ("cache_hit", "", "", None, None): Decimal("0.025"),
        ("cache_hit", ">1000k", "", None, None): Decimal("0.175"),
    }


def test_real_data_counts_and_units(real):
    assert len(real) == 1573
    assert {p.time_window for p in real} == {"", OFF_PEAK}
    assert {p.context_tier for p in real} == {"", ">128k", ">200k", ">1000k"}
    assert {(p.currency, p.unit, p.published) for p in real} == {("USD", MTOK, "")}
    assert table(real, "xai", "grok-3") == {  # genai-prices spells the provider "x-ai"
        ("input", "", "", None, None): Decimal("3"),
        ("output", "", "", None, None): Decimal("15"),
        ("cache_hit", "", "", None, None): Decimal("0.75"),
    }
    claude = next(p for p in real if (p.provider, p.model, p.kind) == ("anthropic", "claude-3-5-sonnet", "input"))
    assert (claude.per_mtok, claude.display_name) == (Decimal("3"), "Claude Sonnet 3.5")


def test_every_constraint_shape():
    prices = genai_prices.parse(own_fixture("genai-prices-constraints.json").read_bytes())
    rows = {(p.provider, p.model, *key): value for p in prices for key, value in table([p], p.provider, p.model).items()}
    assert rows == {
        ("deepseek", "deepseek-chat", "input", "", "", None, None): Decimal("0.27"),
        ("deepseek", "deepseek-chat", "output", "", "", None, None): Decimal("1.1"),
        ("deepseek", "deepseek-chat", "cache_hit", "", "", None, None): Decimal("0.07"),
        ("deepseek", "deepseek-chat", "input", "", OFF_PEAK, None, None): Decimal("0.135"),
        ("deepseek", "deepseek-chat", "output", "", OFF_PEAK, None, None): Decimal("0.55"),
        ("deepseek", "deepseek-chat", "cache_hit", "", OFF_PEAK, None, None): Decimal("0.035"),
        # the constrained set is the cheaper one here, and its hours are given in UTC+8
        ("deepseek", "night-owl", "input", "", "", None, None): Decimal("1"),
        ("deepseek", "night-owl", "output", "", "", None, None): Decimal("4"),
        ("deepseek", "night-owl", "input", "", "off-peak UTC 01:00-09:00", None, None): Decimal("0.5"),
        ("deepseek", "night-owl", "output", "", "off-peak UTC 01:00-09:00", None, None): Decimal("2"),
        # mixed-hours, same-hours, two-windows, all-or-nothing-window, no-zone: no clear off-peak set or hours
        ("openai", "o3", "input", "", "", None, "2025-06-10"): Decimal("10"),
        ("openai", "o3", "output", "", "", None, "2025-06-10"): Decimal("40"),
        ("openai", "o3", "cache_hit", "", "", None, "2025-06-10"): Decimal("2.5"),
        ("openai", "o3", "input", "", "", "2025-06-10", None): Decimal("2"),
        ("openai", "o3", "output", "", "", "2025-06-10", None): Decimal("8"),
        ("openai", "o3", "cache_hit", "", "", "2025-06-10", None): Decimal("0.5"),
        ("openai", "three-eras", "input", "", "", None, "2025-03-01"): Decimal("3"),
        ("openai", "three-eras", "input", "", "", "2025-03-01", "2025-09-01"): Decimal("2"),
        ("openai", "three-eras", "input", "", "", "2025-09-01", None): Decimal("1"),
        # bad-date, weekend, mixed-constraints, two-defaults: skipped whole rather than half-right
        ("google", "gemini-2.5-pro", "input", "", "", None, None): Decimal("1.25"),
        ("google", "gemini-2.5-pro", "input", ">200k", "", None, None): Decimal("2.5"),
        ("google", "gemini-2.5-pro", "output", "", "", None, None): Decimal("10"),
        ("google", "gemini-2.5-pro", "output", ">200k", "", None, None): Decimal("15"),
        ("google", "gemini-2.5-pro", "cache_write", "", "", None, None): Decimal("0.3125"),
        ("google", "odd-tiers", "input", "", "", None, None): Decimal("1"),
        ("google", "odd-tiers", "input", ">131072", "", None, None): Decimal("2"),
        ("google", "odd-tiers", "input", ">1000k", "", None, None): Decimal("4"),
        ("xai", "grok-3", "input", "", "", None, None): Decimal("3"),
        ("xai", "grok-3", "output", "", "", None, None): Decimal("15"),
        # literal zeros are prices; -1 and null are not
        ("free-co", "zero", "input", "", "", None, None): Decimal("0"),
        ("free-co", "zero", "output", "", "", None, None): Decimal("0"),
    }
    assert {p.display_name for p in prices if p.model == "deepseek-chat"} == {"DeepSeek Chat"}


def test_amounts_that_cannot_be_held_exactly_are_skipped_not_rounded():
    models = [
        {"id": "exact", "prices": {"input_mtok": "0.1234567890123456789012345678"}},  # 28 digits fit
        {"id": "long", "prices": {"input_mtok": "0.12345678901234567890123456789", "output_mtok": 2}},
        {"id": "huge", "prices": {"input_mtok": "1e999999999", "output_mtok": 1e300, "cache_read_mtok": 3}},
    ]
    body = json.dumps([{"id": "acme", "models": models}]).encode()
    assert {(p.model, p.kind): p.per_mtok for p in genai_prices.parse(body)} == {
        ("exact", "input"): Decimal("0.1234567890123456789012345678"),
        ("long", "output"): Decimal("2"),
        ("huge", "cache_hit"): Decimal("3"),
    }


@pytest.mark.parametrize(
    ("body", "words"),
    [
        (b"<html><head><title>404</title></head></html>", "got HTML"),
        (b'[{"id": "openai", "models": [{"id": "o3", "prices": {"input_mt', "not valid JSON"),
        (b"", "came back empty"),
        (b"\xff\xfe\x00garbage", "not valid JSON"),
        (b"[" * 100_000, "not valid JSON"),
        (b"{}", "not a JSON list of providers"),
        (b'{"providers": []}', "not a JSON list of providers"),
        (b"[]", "No prices found"),
        (b'[{"id": "openai", "models": [{"id": "tts-1", "prices": {"requests_kcount": 15}}]}]', "No prices found"),
    ],
)
def test_unexpected_bodies_raise_a_sentence_naming_the_source(body, words):
    with pytest.raises(PricewarError) as raised:
        genai_prices.parse(body)
    message = str(raised.value)
    assert "genai-prices" in message
    assert words in message
    assert (message[0].isupper() or message.startswith("genai-prices")) and message.endswith(("?", "."))


BUNDLE = SHARED / "data" / "archives" / "genai-prices-data-history.bundle"


@pytest.fixture(scope="module")
def history() -> list[tuple[archive.Version, dict | None]]:
    """Each version of the archive with its prices ((provider, model, kind, effective_from) -> per_mtok, no context
    tier or time window), or None when it does not parse."""
    if not BUNDLE.exists():
        pytest.skip(f"{BUNDLE} is absent (clone the project beside its shared/ folder to run this test)")
    if shutil.which("git") is None:
        pytest.skip("reading an archive needs the git program, which is not installed")
    found = []
    with archive.opened(str(BUNDLE)) as repo:
        versions = archive.versions(repo, genai_prices.ARCHIVE_FILE)
        for version, body in archive.bodies(repo, genai_prices.ARCHIVE_FILE, versions):
            try:
                prices = genai_prices.parse(body)
            except PricewarError:
                found.append((version, None))
                continue
            found.append((version, {(p.provider, p.model, p.kind, p.effective_from): p.per_mtok for p in prices
                                    if not p.context_tier and not p.time_window}))
    return found


def first_seen(history, provider: str, model: str, start: str | None = None, **amounts: str) -> str:
    """When the first version giving the model these prices (kind=amount) from `start` was taken."""
    return next(version.observed_at for version, prices in history if prices is not None and all(
        prices.get((provider, model, kind, start)) == Decimal(amount) for kind, amount in amounts.items()))


def test_every_version_of_the_archive_parses_with_its_stale_first_weeks(history):
    assert genai_prices.ARCHIVE_FILE == "data.json"
    assert len(history) == 174
    assert [version.observed_at for version, prices in history if prices is None] == []
    first_day, first = history[0]
    assert first_day.observed_at == "2025-06-22T09:36:06Z"
    # stale in the earliest versions, as the README warns: read as the file states them
    assert (first[("openai", "gpt-4o", "input", None)], first[("openai", "gpt-4o", "output", None)]) \
        == (Decimal("5"), Decimal("15"))
    assert (first[("deepseek", "deepseek-chat", "input", None)], first[("deepseek", "deepseek-chat", "output", None)]) \
        == (Decimal("0.014"), Decimal("0.028"))
    assert first_seen(history, "openai", "gpt-4o", input="2.5", output="10") == "2025-07-04T11:53:15Z"
    assert first_seen(history, "deepseek", "deepseek-chat", input="0.27", output="1.1") == "2025-07-04T12:04:30Z"
    # o3: the first version prices only o3-2025-04-16, at 10 / 40; the cut to 2 / 8 is there the same day (the
    # third version), and as a price dated from 2025-06-10 from 2025-07-12
    assert (first[("openai", "o3-2025-04-16", "input", None)], first.get(("openai", "o3", "input", None))) \
        == (Decimal("10"), None)
    assert first_seen(history, "openai", "o3", input="2", output="8") == "2025-06-22T17:03:19Z"
    assert first_seen(history, "openai", "o3", "2025-06-10", input="2", output="8") == "2025-07-12T19:34:55Z"
    assert history[-1][0].observed_at == "2026-07-25T13:10:25Z"


def test_the_claude_models_google_lists_are_vertexs_not_googles():
    body = json.dumps([{"id": "google", "models": [
        {"id": "gemini-2.0-flash", "prices": {"input_mtok": 0.1, "output_mtok": 0.4}},
        {"id": "claude-3-5-haiku", "prices": {"input_mtok": 0.8, "output_mtok": 4}}]}]).encode()
    sellers = {(p.provider, p.model) for p in genai_prices.parse(body)}
    assert sellers == {("google", "gemini-2.0-flash"), ("vertex_ai-anthropic_models", "claude-3-5-haiku")}
