"""The history: schema, change-only recording, timelines, runs, refusing newer databases."""

import datetime as dt
from decimal import Decimal

import pytest

from pricewar.history import collect, database, queries, recording
from pricewar.price import Price, PricewarError

EXPECTED_TABLES = {"_sqlite_migrations", "providers", "models", "runs", "prices", "fx_rates", "fx_loads",
                   "data_generation", "answer_memo"}


def price(amount: str, kind: str = "input", model: str = "deepseek-chat", currency: str = "CNY", **extra) -> Price:
    return Price(provider="deepseek", model=model, kind=kind, per_mtok=Decimal(amount), currency=currency, **extra)


@pytest.fixture
def db(tmp_path):
    return database.open_db(tmp_path / "history.db")


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
        "end_reason", "first_seen", "last_seen", "source_url", "run_id", "note", "changed_after",
    ]
    assert {fk.other_table for fk in db["prices"].foreign_keys} == {"runs", "providers"}
    assert [c.name for c in db["runs"].columns] == [
        "id", "source", "location", "started_at", "finished_at", "status", "error", "content_hash", "models",
        "prices", "new", "changed", "unchanged", "delisted", "batch", "observed_at", "currencies", "prices_hash", "ending",
    ]


def test_opening_twice_migrates_once(tmp_path):
    database.open_db(tmp_path / "h.db")
    again = database.open_db(tmp_path / "h.db")
    assert again["_sqlite_migrations"].count == database.SCHEMA_VERSION


def test_a_newer_database_is_refused(tmp_path):
    db = database.open_db(tmp_path / "h.db")
    db["_sqlite_migrations"].insert({"migration_set": "pricewar", "name": "m999_from_the_future",
                                     "applied_at": "2030-01-01"})
    with pytest.raises(PricewarError, match="newer pricewar"):
        database.open_db(tmp_path / "h.db")


def test_a_directory_is_not_a_database(tmp_path):
    with pytest.raises(PricewarError, match="is a directory"):
        database.open_db(tmp_path)


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


def test_a_price_without_a_start_takes_effect_when_observed_never_before(db):
    prices = [price("5", model="glm-3-turbo"), price("1", model="glm-3-turbo", effective_from="2024-05-11")]
    collect.record_prices(db, "catalog", prices, "u", observed_at="2024-05-09T08:00:00Z")
    again = collect.record_prices(db, "catalog", prices, "u", observed_at="2024-05-09T08:00:00Z")
    assert again.changes.counts()["unchanged"] == 2
    assert rows(db, "glm-3-turbo") == [
        {"per_mtok": "5", "effective_from": "2024-05-09", "effective_to": "2024-05-11", "end_reason": "changed"},
        {"per_mtok": "1", "effective_from": "2024-05-11", "effective_to": None, "end_reason": None},
    ]
    changes = list(db.query("select old_per_mtok, new_per_mtok, date from price_changes"))
    assert changes == [{"old_per_mtok": "5", "new_per_mtok": "1", "date": "2024-05-11"}]
    assert [r["per_mtok"] for r in queries.prices_at(db, "2024-05-08")] == []


def test_a_scraped_price_takes_effect_when_first_seen_and_delisting_never_writes_zero(db):
    collect.record_prices(db, "deepseek", [price("2"), price("3", model="deepseek-reasoner")], "page",
                          observed_at="2026-11-01T10:00:00Z")
    result = collect.record_prices(db, "deepseek", [price("2")], "page", observed_at="2026-11-02T10:00:00Z")
    assert result.changes.counts() == {"new": 0, "changed": 0, "unchanged": 1, "delisted": 1}
    gone = rows(db, "deepseek-reasoner")
    assert gone == [{"per_mtok": "3", "effective_from": "2026-11-01", "effective_to": "2026-11-02",
                     "end_reason": "delisted"}]
    assert db.execute("select count(*) from prices where per_mtok = '0'").fetchone()[0] == 0


def test_listed_and_gone_on_one_day_leaves_no_period_of_no_length(db):
    collect.record_prices(db, "deepseek", [price("2")], "page", observed_at="2026-11-01T00:00:00Z")
    collect.record_prices(db, "deepseek", [price("2"), price("3", model="deepseek-reasoner")], "page",
                          observed_at="2026-11-02T00:00:00Z")
    collect.record_prices(db, "deepseek", [price("2")], "page", observed_at="2026-11-02T12:00:00Z")
    assert rows(db, "deepseek-reasoner") == []
    assert db.execute("select count(*) from prices where effective_from = effective_to").fetchone()[0] == 0


def test_two_changes_on_one_day_leave_the_days_last_price(db):
    at = "2026-11-0{}T{}:00:00Z".format
    collect.record_prices(db, "deepseek", [price("2")], "page", observed_at=at(1, "00"))
    collect.record_prices(db, "deepseek", [price("3")], "page", observed_at=at(2, "00"))
    collect.record_prices(db, "deepseek", [price("4")], "page", observed_at=at(2, "12"))
    assert rows(db) == [
        {"per_mtok": "2", "effective_from": "2026-11-01", "effective_to": "2026-11-02", "end_reason": "changed"},
        {"per_mtok": "4", "effective_from": "2026-11-02", "effective_to": None, "end_reason": None},
    ]
    collect.record_prices(db, "deepseek", [price("2")], "page", observed_at=at(2, "18"))  # back the same day
    assert rows(db) == [{"per_mtok": "2", "effective_from": "2026-11-01", "effective_to": None, "end_reason": None}]


SNAPSHOTS = [  # (observed at, prices on the page)
    ("2025-01-01T00:00:00Z", {"deepseek-chat": "2", "deepseek-reasoner": "4"}),
    ("2025-01-01T12:00:00Z", {"deepseek-chat": "2", "deepseek-reasoner": "4"}),
    ("2025-02-01T00:00:00Z", {"deepseek-chat": "1", "deepseek-reasoner": "4"}),
    ("2025-03-01T00:00:00Z", {"deepseek-chat": "1"}),
    ("2025-04-01T00:00:00Z", {"deepseek-chat": "1", "deepseek-v3": "0.5"}),
    ("2025-05-01T00:00:00Z", {"deepseek-chat": "3", "deepseek-v3": "0.5"}),
]


def _history(db, urls: bool = False) -> list[tuple]:
    return [tuple(row) for row in db.execute(
        "select model, per_mtok, effective_from, effective_to, end_reason, first_seen, changed_after"
        f"{', source_url' if urls else ''} from prices order by model, effective_from")]


@pytest.mark.parametrize("order", [[0, 1, 2, 3, 4, 5], [5, 4, 3, 2, 1, 0], [3, 0, 5, 1, 4, 2], [2, 5, 0, 4, 1, 3]])
def test_observations_give_one_history_whatever_order_they_come_in(tmp_path, order):
    expected_db = database.open_db(tmp_path / "in-order.db")
    for observed_at, page in SNAPSHOTS:
        collect.record_prices(expected_db, "deepseek", [price(p, model=m) for m, p in page.items()], "page",
                              observed_at=observed_at)
    db = database.open_db(tmp_path / "shuffled.db")
    for index in order:
        observed_at, page = SNAPSHOTS[index]
        collect.record_prices(db, "deepseek", [price(p, model=m) for m, p in page.items()], "page",
                              observed_at=observed_at)
    assert _history(db) == _history(expected_db) == [
        ("deepseek-chat", "2", "2025-01-01", "2025-02-01", "changed", "2025-01-01T00:00:00Z", None),
        ("deepseek-chat", "1", "2025-02-01", "2025-05-01", "changed", "2025-02-01T00:00:00Z", "2025-01-01T12:00:00Z"),
        ("deepseek-chat", "3", "2025-05-01", None, None, "2025-05-01T00:00:00Z", "2025-04-01T00:00:00Z"),
        ("deepseek-reasoner", "4", "2025-01-01", "2025-03-01", "delisted", "2025-01-01T00:00:00Z", None),
        ("deepseek-v3", "0.5", "2025-04-01", None, None, "2025-04-01T00:00:00Z", "2025-03-01T00:00:00Z"),
    ]
    for observed_at, page in SNAPSHOTS:  # and every snapshot again records nothing
        again = collect.record_prices(db, "deepseek", [price(p, model=m) for m, p in page.items()], "page",
                                      observed_at=observed_at)
        assert again.changes.counts()["new"] == again.changes.counts()["changed"] == 0
    assert _history(db) == _history(expected_db)


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

    original = recording._row
    monkeypatch.setattr(recording, "_row", explode)
    with pytest.raises(RuntimeError):
        collect.record_prices(db, "record", [price("1", effective_from="2024-05-06"),
                                             price("2", kind="output", effective_from="2024-05-06")], "u")
    assert db["prices"].count == 0 and db["runs"].count == 0


def test_a_page_announcing_a_new_price_records_both_periods(db):
    later = (dt.date.today() + dt.timedelta(days=300)).isoformat()
    collect.record_prices(db, "anthropic", [price("2", effective_to=later), price("3", effective_from=later)], "page")
    assert rows(db) == [
        {"per_mtok": "2", "effective_from": database.today(), "effective_to": later, "end_reason": "changed"},
        {"per_mtok": "3", "effective_from": later, "effective_to": None, "end_reason": None},
    ]
    again = collect.record_prices(db, "anthropic", [price("2", effective_to=later), price("3", effective_from=later)],
                                  "page")
    assert again.changes.counts() == {"new": 0, "changed": 0, "unchanged": 2, "delisted": 0}


def test_seeing_a_price_again_moves_only_last_seen(db, monkeypatch):
    monkeypatch.setattr(database, "now", lambda: "2026-11-01T00:00:00Z")
    collect.record_prices(db, "deepseek", [price("2")], "page")
    monkeypatch.setattr(database, "now", lambda: "2026-11-02T00:00:00Z")
    collect.record_prices(db, "deepseek", [price("2")], "page")
    [row] = db.query("select first_seen, last_seen from prices")
    assert row == {"first_seen": "2026-11-01T00:00:00Z", "last_seen": "2026-11-02T00:00:00Z"}


@pytest.mark.parametrize("seed", range(40))
def test_random_observations_in_any_order_give_the_history_of_them_in_order(tmp_path, seed):
    import random

    rng = random.Random(seed)
    days = sorted(rng.sample(range(1, 28), 8))
    snapshots = []
    for day in days:
        page = {model: rng.choice(["1", "2", "3"]) for model in ("a", "b", "c") if rng.random() < 0.7}
        snapshots.append((f"2025-03-{day:02d}T{rng.choice(['00', '12'])}:00:00Z", page or {"a": "1"}))

    def replay(path, order):
        db = database.open_db(path)
        for observed_at, page in order:  # each saved under a name of its own: a period keeps where it was first seen
            collect.record_prices(db, "deepseek", [price(p, model=m) for m, p in page.items()],
                                  f"page saved {observed_at}", observed_at=observed_at)
        return db

    expected = _history(replay(tmp_path / "in-order.db", snapshots), urls=True)
    shuffled = snapshots[:]
    rng.shuffle(shuffled)
    db = replay(tmp_path / "shuffled.db", shuffled)
    assert _history(db, urls=True) == expected
    assert db.execute("select count(*) from prices where effective_from >= effective_to").fetchone()[0] == 0
