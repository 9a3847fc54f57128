"""The bundled record loads once and idempotently; dated ECB rates come from the database."""

from decimal import Decimal

import pytest

from pricewar.history import collect, database, fx, queries
from pricewar.price import PricewarError
from pricewar.sources.providers import catalog


@pytest.fixture
def db(tmp_path):
    return database.open_db(tmp_path / "h.db")


def test_every_catalog_entry_has_a_source_and_an_exact_price():
    prices = catalog.parse(catalog.bundled())
    assert len(prices) > 300
    assert all(p.source_url for p in prices)
    assert all(p.per_mtok >= 0 for p in prices)


def test_seeding_is_idempotent(db):
    first = collect.seed(db)
    assert first.status == "ok" and first.changes.counts()["new"] > 300
    assert collect.seed(db) is None  # this version of the catalog is already loaded
    again = collect.record_source(db, "catalog", [("bundled catalog", catalog.bundled())])
    assert again.changes.counts()["new"] == again.changes.counts()["changed"] == 0
    assert again.changes.counts()["unchanged"] == len(catalog.parse(catalog.bundled()))


def test_seed_facts_are_in_the_record(db):
    collect.seed(db)
    facts = {(r["model"], r["kind"], r["currency"]): r["per_mtok"]
             for r in queries.prices_at(db, "2024-05-10") if r["source"] == "catalog" and not r["time_window"]}
    assert facts[("deepseek-chat", "input", "CNY")] == "1"
    assert facts[("deepseek-chat", "output", "USD")] == "0.28"
    assert facts[("gpt-4-1106-preview", "output", "USD")] == "30"
    assert facts[("claude-3-haiku-20240307", "input", "USD")] == "0.25"
    assert facts[("qwen1.5-72b-chat", "input", "CNY")] == "20"


def test_weak_rows_keep_their_flag(db):
    collect.seed(db)
    notes = [r["note"] for r in db.query("select note from prices where model = 'hunyuan-standard-256k'")]
    assert any(note.startswith("DERIVED") for note in notes)


def test_off_peak_is_its_own_price(db):
    collect.seed(db)
    rows = {(r["kind"], r["time_window"]): r["per_mtok"] for r in queries.prices_at(db, "2025-03-01")
            if r["model"] == "deepseek-chat" and r["currency"] == "USD" and r["source"] == "catalog"}
    assert rows[("input", "")] == "0.27" and rows[("input", "off-peak UTC 16:30-00:30")] == "0.135"


def test_a_weekend_uses_the_friday_rate(db):
    rate = fx.rate(db, "USD", "CNY", "2024-05-12")
    assert (rate.value, rate.date) == (Decimal("7.22488"), "2024-05-10")
    assert fx.rate(db, "EUR", "USD", "2024-05-10").value == Decimal("1.0779")


def test_rates_are_copied_once_per_currency(db):
    fx.rate(db, "USD", "CNY", "2024-05-10")
    assert {r["currency"] for r in db["fx_loads"].rows} == {"USD", "CNY"}
    count = db["fx_rates"].count
    fx.rate(db, "CNY", "USD", "2020-01-02")
    assert db["fx_rates"].count == count


def test_no_rate_before_the_history_starts(db):
    with pytest.raises(PricewarError, match="no ECB rate for CNY on or before 1999-01-04"):
        fx.rate(db, "USD", "CNY", "1999-01-04")


def test_an_unknown_currency_is_named(db):
    with pytest.raises(PricewarError, match="unknown currency 'XYZ'"):
        fx.check_currency(db, "xyz")
