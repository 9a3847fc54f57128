"""The bundled record's data: every price has a start, one id names one model, known holes are filled."""

from collections import Counter
from decimal import Decimal

import pytest

from pricewar.sources.providers import catalog


@pytest.fixture(scope="module")
def prices():
    return catalog.parse(catalog.bundled())


@pytest.fixture(scope="module")
def models():
    return catalog.names(catalog.bundled())[1]


def price_on(prices, model, kind, currency, date, time_window=""):
    """The catalog's price of `model` on `date`: the latest start on or before it that has not ended."""
    rows = [p for p in prices if p.model == model and p.kind == kind and p.currency == currency
            and p.time_window == time_window and p.effective_from <= date
            and (p.effective_to is None or date < p.effective_to)]
    assert rows, f"no {kind} price of {model} in {currency} on {date}"
    return max(rows, key=lambda p: p.effective_from).per_mtok


def test_every_price_has_a_start(prices):
    assert [p for p in prices if p.effective_from is None] == []


def test_every_price_ends_after_it_starts(prices):
    assert [p for p in prices if p.effective_to is not None and p.effective_to <= p.effective_from] == []


def test_every_priced_model_is_declared(prices, models):
    declared = {(m["provider"], m["model"]) for m in models}
    assert {(p.provider, p.model) for p in prices} <= declared


def test_no_alias_is_shared_or_another_models_id(models):
    ids = {(m["provider"], m["model"]) for m in models}
    aliases = Counter((m["provider"], alias) for m in models for alias in m["aliases"])
    assert [a for a, n in aliases.items() if n > 1] == []
    assert [a for a in aliases if a in ids] == []


def test_moving_latest_ids_are_no_aliases(models):
    assert [a for m in models for a in m["aliases"] if a.endswith("-latest")] == []


@pytest.mark.parametrize("model, former", [("deepseek-r1", "deepseek-reasoner"), ("o1", "o1-preview"),
                                           ("claude-sonnet-4", "claude-sonnet-4.5"), ("deepseek-v3", "deepseek-chat")])
def test_versions_are_separate_models(models, prices, model, former):
    by_id = {m["model"]: m for m in models}
    assert model in by_id and former in by_id
    assert model not in by_id[former]["aliases"]
    assert any(p.model == model for p in prices)


def test_deepseek_chat_keeps_its_own_history_without_aliases(models):
    by_id = {m["model"]: m for m in models}
    assert by_id["deepseek-chat"]["aliases"] == []
    assert by_id["deepseek-v2"]["aliases"] == ["deepseek-v2-chat"]
    assert {"claude-sonnet-4-0", "claude-sonnet-4-20250514"} <= set(by_id["claude-sonnet-4"]["aliases"])


@pytest.mark.parametrize("model, end", [("deepseek-v2", "2024-09-05"), ("deepseek-v2.5", "2024-12-26"),
                                        ("deepseek-v3", "2025-08-21"), ("deepseek-r1", "2025-08-21")])
def test_a_deepseek_version_has_no_price_after_deepseek_moved_on(prices, model, end):
    rows = [p for p in prices if p.model == model]
    assert rows
    assert all(p.effective_to is not None and p.effective_to <= end for p in rows)


def test_deepseek_v3_never_carries_a_later_price(prices):
    rows = [p for p in prices if p.model == "deepseek-v3" and p.kind == "input" and p.currency == "USD"
            and not p.time_window]
    assert {p.per_mtok for p in rows} == {Decimal("0.14"), Decimal("0.27")}


def test_deepseek_versions_on_given_days(prices):
    assert price_on(prices, "deepseek-v3", "output", "USD", "2025-03-01") == Decimal("1.1")
    assert price_on(prices, "deepseek-r1", "input", "USD", "2025-03-01") == Decimal("0.55")
    assert price_on(prices, "deepseek-r1", "cache_hit", "USD", "2025-03-01") == Decimal("0.14")
    assert price_on(prices, "deepseek-v2.5", "cache_hit", "USD", "2024-10-01") == Decimal("0.014")


def test_deepseek_cny_after_v3_1_and_v3_2_exp(prices):
    for model in ("deepseek-chat", "deepseek-reasoner"):
        assert price_on(prices, model, "input", "CNY", "2025-09-10") == Decimal("4")
        assert price_on(prices, model, "output", "CNY", "2025-09-10") == Decimal("12")
        assert price_on(prices, model, "cache_hit", "CNY", "2025-09-10") == Decimal("0.5")
        assert price_on(prices, model, "output", "CNY", "2025-10-01") == Decimal("3")


def test_deepseek_v4_cny(prices):
    assert price_on(prices, "deepseek-v4-flash", "input", "CNY", "2026-05-01") == Decimal("1")
    assert price_on(prices, "deepseek-v4-flash", "cache_hit", "CNY", "2026-05-01") == Decimal("0.02")
    assert price_on(prices, "deepseek-v4-pro", "output", "CNY", "2026-05-01") == Decimal("6")


def test_filled_values(prices):
    assert price_on(prices, "gpt-4-turbo", "input", "USD", "2024-06-01") == Decimal("10")
    assert price_on(prices, "gpt-4-turbo", "output", "USD", "2024-06-01") == Decimal("30")
    assert price_on(prices, "gpt-3.5-turbo-0125", "output", "USD", "2024-06-01") == Decimal("1.5")
    assert price_on(prices, "claude-3-sonnet", "output", "USD", "2024-06-01") == Decimal("15")
    assert price_on(prices, "claude-sonnet-4", "cache_hit", "USD", "2026-01-01") == Decimal("0.3")
    assert price_on(prices, "claude-3-haiku-20240307", "cache_hit", "USD", "2026-01-01") == Decimal("0.03")
    assert price_on(prices, "qwen-long", "output", "CNY", "2026-03-01") == Decimal("2")
    assert price_on(prices, "moonshot-v1-128k", "input", "CNY", "2026-01-01") == Decimal("10")


def test_o1_and_o1_preview(prices):
    assert price_on(prices, "o1-preview", "input", "USD", "2024-10-01") == Decimal("15")
    assert price_on(prices, "o1", "cache_hit", "USD", "2025-11-01") == Decimal("7.5")


def test_price_war_outputs_filled(prices):
    assert price_on(prices, "qwen-long", "input", "CNY", "2024-06-01") == Decimal("0.5")
    assert price_on(prices, "qwen-long", "output", "CNY", "2024-06-01") == Decimal("2")
    assert price_on(prices, "doubao-pro-32k", "output", "CNY", "2024-06-01") == Decimal("2")
    assert price_on(prices, "doubao-lite-32k", "output", "CNY", "2024-06-01") == Decimal("0.6")
    assert price_on(prices, "doubao-pro-32k", "cache_hit", "CNY", "2026-01-01") == Decimal("0.16")


@pytest.mark.parametrize("model, before, after", [
    ("qwen-max", ("40", "120"), ("20", "60")),
    ("qwen-plus", ("4", "12"), ("0.8", "2")),
    ("qwen-turbo", ("2", "6"), ("0.3", "0.6")),
])
def test_qwen_cut_of_2024_09_19(prices, model, before, after):
    assert price_on(prices, model, "input", "CNY", "2024-09-18") == Decimal(before[0])
    assert price_on(prices, model, "output", "CNY", "2024-09-18") == Decimal(before[1])
    assert price_on(prices, model, "input", "CNY", "2024-09-19") == Decimal(after[0])
    assert price_on(prices, model, "output", "CNY", "2024-10-01") == Decimal(after[1])


def test_qwen_listings_of_2026_still_win(prices):
    assert price_on(prices, "qwen-max", "input", "CNY", "2026-03-01") == Decimal("2.4")
    assert price_on(prices, "qwen-plus", "output", "CNY", "2026-03-01") == Decimal("2")


def test_doubao_1_5_pro_listed(prices, models):
    by_id = {m["model"]: m for m in models}
    assert "doubao-1.5-pro-32k" in by_id
    assert price_on(prices, "doubao-1.5-pro-32k", "input", "CNY", "2026-01-01") == Decimal("0.8")
    assert price_on(prices, "doubao-1.5-pro-32k", "output", "CNY", "2026-01-01") == Decimal("2")


def test_no_duplicate_rows(prices):
    keys = Counter((p.provider, p.model, p.kind, p.currency, p.effective_from, p.time_window, p.service_tier,
                    p.context_tier, p.region, p.mode) for p in prices)
    assert [k for k, n in keys.items() if n > 1] == []


def test_an_entry_without_a_start_is_refused():
    import json

    from pricewar.price import PricewarError

    data = json.loads(catalog.bundled())
    data["prices"][0]["effective_from"] = None
    with pytest.raises(PricewarError, match="entry 1 has no effective_from"):
        catalog.parse(json.dumps(data).encode())


def test_the_digest_shipped_beside_the_record_is_the_records():
    from pricewar.history import runs

    assert catalog.bundled_digest() == runs.digest(catalog.bundled()), (
        "catalog.json changed: write its digest beside it with "
        "`sha256sum pricewar/catalog/catalog.json | cut -c1-64 > pricewar/catalog/catalog.json.sha256`")
