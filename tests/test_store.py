"""The history: schema, change-only recording, timelines, runs, refusing newer databases."""

from decimal import Decimal

import pytest

from pricewar import collect, store
from pricewar.price import Price, PricewarError

EXPECTED_TABLES = {"_sqlite_migrations", "providers", "models", "runs", "prices", "fx_rates", "fx_loads"}


def price(amount: str, kind: str = "input", model: str = "deepseek-chat", currency: str = "CNY", **extra) -> Price:
    return Price(provider="deepseek", model=model, kind=kind, per_mtok=Decimal(amount), currency=currency, **extra)


@pytest.fixture
def db(tmp_path):
    return store.open_db(tmp_path / "history.db")


def rows(db, model="deepseek-chat", kind="input"):
    return list(db.query(
        "select per_mtok, effective_from, effective_to, end_reason from prices where model = ? and kind = ? "
        "order by effective_from is not null, effective_from, id", [model, kind]))


def test_schema_is_what_other_sqlite_tools_will_see(db):
    assert set(db.table_names()) == EXPECTED_TABLES
    assert set(db.view_names()) == {"current_prices", "price_changes"}
    assert db["prices"].pks == ["id"]
    assert [c.name for c in db["prices"].columns] == [
        "id", "source", "provider", "model", "kind", "service_tier", "context_tier", "region", "mode",
        "time_window", "currency", "per_mtok", "published", "published_unit", "effective_from", "effective_to",
        "end_reason", "first_seen", "last_seen", "source_url", "run_id", "note",
    ]
    assert {fk.other_table for fk in db["prices"].foreign_keys} == {"runs", "providers"}
    assert [c.name for c in db["runs"].columns] == [
        "id", "source", "location", "started_at", "finished_at", "status", "error", "content_hash", "models",
        "prices", "new", "changed", "unchanged", "delisted", "batch",
    ]


def test_opening_twice_migrates_once(tmp_path):
    store.open_db(tmp_path / "h.db")
    again = store.open_db(tmp_path / "h.db")
    assert again["_sqlite_migrations"].count == 6


def test_a_newer_database_is_refused(tmp_path):
    db = store.open_db(tmp_path / "h.db")
    db["_sqlite_migrations"].insert({"migration_set": "pricewar", "name": "m999_from_the_future",
                                     "applied_at": "2030-01-01"})
    with pytest.raises(PricewarError, match="newer pricewar"):
        store.open_db(tmp_path / "h.db")


def test_a_directory_is_not_a_database(tmp_path):
    with pytest.raises(PricewarError, match="is a directory"):
        store.open_db(tmp_path)


def test_recording_the_same_price_twice_keeps_one_row(db):
    first = collect.record_prices(db, "record", [price("1", effective_from="2024-05-06")], "https://a")
    second = collect.record_prices(db, "record", [price("1", effective_from="2024-05-06")], "https://a")
    assert first.changes.counts()["new"] == 1
    assert second.changes.counts() == {"new": 0, "changed": 0, "unchanged": 1, "delisted": 0}
    assert rows(db) == [{"per_mtok": "1", "effective_from": "2024-05-06", "effective_to": None, "end_reason": None}]
    assert db["runs"].count == 2


def test_a_new_price_closes_the_current_one(db):
    collect.record_prices(db, "record", [price("1", effective_from="2024-05-06")], "u")
    result = collect.record_prices(db, "record", [price("2", effective_from="2025-02-08")], "u")
    assert [(p.per_mtok, old) for p, old in result.changes.changed] == [(Decimal(2), Decimal(1))]
    assert rows(db) == [
        {"per_mtok": "1", "effective_from": "2024-05-06", "effective_to": "2025-02-08", "end_reason": "changed"},
        {"per_mtok": "2", "effective_from": "2025-02-08", "effective_to": None, "end_reason": None},
    ]


def test_an_older_price_slots_into_the_timeline(db):
    collect.record_prices(db, "record", [price("2", effective_from="2025-02-08")], "u")
    collect.record_prices(db, "record", [price("1", effective_from="2024-05-06")], "u")
    assert rows(db) == [
        {"per_mtok": "1", "effective_from": "2024-05-06", "effective_to": "2025-02-08", "end_reason": "changed"},
        {"per_mtok": "2", "effective_from": "2025-02-08", "effective_to": None, "end_reason": None},
    ]


def test_an_unknown_start_then_a_dated_cut(db):
    prices = [price("5", model="glm-3-turbo"), price("1", model="glm-3-turbo", effective_from="2024-05-11")]
    collect.record_prices(db, "catalog", prices, "u")
    again = collect.record_prices(db, "catalog", prices, "u")
    assert again.changes.counts()["unchanged"] == 2
    assert rows(db, "glm-3-turbo") == [
        {"per_mtok": "5", "effective_from": None, "effective_to": "2024-05-11", "end_reason": "changed"},
        {"per_mtok": "1", "effective_from": "2024-05-11", "effective_to": None, "end_reason": None},
    ]
    changes = list(db.query("select old_per_mtok, new_per_mtok, date from price_changes"))
    assert changes == [{"old_per_mtok": "5", "new_per_mtok": "1", "date": "2024-05-11"}]


def test_a_scraped_price_takes_effect_when_first_seen_and_delisting_never_writes_zero(db):
    collect.record_prices(db, "deepseek", [price("2"), price("3", model="deepseek-reasoner")], "page")
    result = collect.record_prices(db, "deepseek", [price("2")], "page")
    assert result.changes.counts() == {"new": 0, "changed": 0, "unchanged": 1, "delisted": 1}
    gone = rows(db, "deepseek-reasoner")
    assert gone == [{"per_mtok": "3", "effective_from": store.today(), "effective_to": store.today(),
                     "end_reason": "delisted"}]
    assert db.execute("select count(*) from prices where per_mtok = '0'").fetchone()[0] == 0


def test_delisting_only_touches_the_currencies_a_page_shows(db):
    collect.record_prices(db, "deepseek", [price("2", currency="CNY"), price("0.28", currency="USD")], "both")
    result = collect.record_prices(db, "deepseek", [price("0.28", currency="USD")], "english page only")
    assert result.changes.counts()["delisted"] == 0


def test_a_dry_run_writes_nothing(db):
    result = collect.record_prices(db, "record", [price("1", effective_from="2024-05-06")], "u", dry_run=True)
    assert result.changes.counts()["new"] == 1
    assert db["prices"].count == 0 and db["runs"].count == 0


def test_a_failure_half_way_leaves_no_partial_prices(db, monkeypatch):
    calls = []

    def explode(*args, **kwargs):
        calls.append(1)
        if len(calls) > 1:
            raise RuntimeError("disk full")
        return original(*args, **kwargs)

    original = store._row
    monkeypatch.setattr(store, "_row", explode)
    with pytest.raises(RuntimeError):
        collect.record_prices(db, "record", [price("1", effective_from="2024-05-06"),
                                             price("2", kind="output", effective_from="2024-05-06")], "u")
    assert db["prices"].count == 0 and db["runs"].count == 0


def test_a_page_announcing_a_new_price_records_both_periods(db):
    later = "2999-01-01"
    collect.record_prices(db, "anthropic", [price("2", effective_to=later), price("3", effective_from=later)], "page")
    assert rows(db) == [
        {"per_mtok": "2", "effective_from": store.today(), "effective_to": later, "end_reason": "changed"},
        {"per_mtok": "3", "effective_from": later, "effective_to": None, "end_reason": None},
    ]
    again = collect.record_prices(db, "anthropic", [price("2", effective_to=later), price("3", effective_from=later)],
                                  "page")
    assert again.changes.counts() == {"new": 0, "changed": 0, "unchanged": 2, "delisted": 0}


def test_seeing_a_price_again_moves_only_last_seen(db, monkeypatch):
    monkeypatch.setattr(store, "now", lambda: "2026-11-01T00:00:00Z")
    collect.record_prices(db, "deepseek", [price("2")], "page")
    monkeypatch.setattr(store, "now", lambda: "2026-11-02T00:00:00Z")
    collect.record_prices(db, "deepseek", [price("2")], "page")
    [row] = db.query("select first_seen, last_seen from prices")
    assert row == {"first_seen": "2026-11-01T00:00:00Z", "last_seen": "2026-11-02T00:00:00Z"}
