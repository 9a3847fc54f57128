"""Scale without a clock: generated LiteLLM files (scripts/scale.py) recorded hour after hour grow the history by
their real changes only, a file recorded again writes no price, and a run's work does not grow with the history.
The timings are scripts/scale.py's business; nothing here looks at one."""

from __future__ import annotations

import datetime as dt
import importlib.util
import re
from pathlib import Path

import pytest

from pricewar.history import collect, database, recording
from pricewar.price import KEY_COLUMNS, Price, decimal
from pricewar.sources.providers import litellm

_spec = importlib.util.spec_from_file_location("scale", Path(__file__).resolve().parent.parent / "scripts" / "scale.py")
scale = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(scale)


@pytest.fixture
def db(tmp_path):
    return database.open_db(tmp_path / "scale.db")


def record(db, body: bytes, observed_at: str) -> collect.SourceResult:
    result = collect.record_source(db, "litellm", [("model_prices.json", body)], observed_at=observed_at)
    assert result.status == "ok", result.error
    return result


def price_rows(db) -> int:
    return db.execute("select count(*) from prices where source = 'litellm'").fetchone()[0]


def current(db) -> dict[tuple, str]:
    return {tuple(row[:-1]): row[-1] for row in db.execute(
        f"select {', '.join(KEY_COLUMNS)}, per_mtok from prices where source = 'litellm' and effective_to is null")}


def hour(n: int) -> str:
    return (scale.START + dt.timedelta(hours=n)).strftime("%Y-%m-%dT%H:%M:%SZ")


def test_fifty_hours_of_cron_store_the_periods_of_real_changes_and_nothing_more(db):
    last_of_day: dict[str, bytes] = {}  # the day's last price stands for the day
    for observed_at, body in scale.versions(300, 50):
        record(db, body, observed_at)
        last_of_day[observed_at[:10]] = body
    days = [{price.key: price.per_mtok for price in litellm.parse(body)} for body in last_of_day.values()]
    assert len(days) == 3
    assert price_rows(db) == scale.periods(iter(days)) > len(days[0])
    assert current(db) == {key: f"{amount:f}" for key, amount in days[-1].items()}


def test_an_unchanged_file_recorded_again_writes_no_price_and_is_not_parsed_again(db, monkeypatch):
    body = scale.Feed(300).body()
    first = record(db, body, hour(0))
    rows = price_rows(db)
    statements: list[str] = []
    db.conn.set_trace_callback(statements.append)
    monkeypatch.setattr(litellm, "parse", lambda body: pytest.fail("the same bytes were parsed again"))
    again = record(db, body, hour(1))
    db.conn.set_trace_callback(None)
    assert again.changes.counts() == {"new": 0, "changed": 0, "unchanged": first.changes.counts()["new"],
                                      "delisted": 0}
    assert again.models == first.models
    assert price_rows(db) == rows
    writing = re.compile(r"\s*(insert into|update|delete from)\s+\[?prices\b", re.IGNORECASE)
    written = [sql for sql in statements if writing.match(sql)]
    assert len(written) == 1 and written[0].lower().startswith("update prices set last_seen")
    assert db.execute("select distinct last_seen from prices where source = 'litellm'").fetchall() == [(hour(1),)]


def dump(db) -> tuple[list, list]:
    prices = db.execute("select * from prices order by id").fetchall()
    runs = db.execute("select source, status, observed_at, content_hash, models, prices, new, changed, unchanged, "
                      "delisted, currencies from runs order by id").fetchall()
    return prices, runs


# (hour observed, version): a file again the same hour, the next hour, days later, at the same moment, after another
AGAIN = [(0, 0), (1, 0), (2, 1), (30, 1), (31, 2), (31, 2), (60, 2), (61, 3), (62, 2)]


def test_a_file_recorded_again_gives_the_history_recording_it_in_full_gives(tmp_path, monkeypatch):
    feed = scale.Feed(200, seed=5, changed_share=0.05)
    bodies = []
    for _ in range(4):
        bodies.append(feed.body())
        feed.step()
    histories = []
    for shortcut in (True, False):
        if not shortcut:
            monkeypatch.setattr(recording, "seen_again", lambda *args: None)
        db = database.open_db(tmp_path / f"{shortcut}.db")
        for at, version in AGAIN:
            record(db, bodies[version], hour(at))
        histories.append(dump(db))
    assert histories[0] == histories[1]


def test_a_page_of_dated_prices_recorded_again_days_later_is_recorded_in_full(tmp_path, monkeypatch):
    """A price announced to end, and its successor, on a page unchanged byte for byte: the days moving on end
    one and start the other, which only recording the page in full can say."""
    prices = [Price("openai", "gpt-x", "input", decimal("2"), "USD", effective_to="2025-01-03"),
              Price("openai", "gpt-x", "input", decimal("1"), "USD", effective_from="2025-01-03"),
              Price("openai", "gpt-x", "output", decimal("8"), "USD")]
    monkeypatch.setattr(litellm, "parse", lambda body: prices)
    histories = []
    for shortcut in (True, False):
        if not shortcut:
            monkeypatch.setattr(recording, "seen_again", lambda *args: None)
        db = database.open_db(tmp_path / f"{shortcut}.db")
        for at in (0, 1, 24 * 4):
            record(db, b"the same page", hour(at))
        histories.append(dump(db))
    assert histories[0] == histories[1]


def test_the_work_of_a_cron_run_does_not_grow_with_the_history(db):
    """SQLite's virtual machine instructions (a count, not a time) for one daily run, early and late: the run
    reads the rows current now, never the whole history of the source."""
    feed = scale.Feed(100, seed=3, changed_share=0.2)

    def day(n: int) -> str:
        return (scale.START + dt.timedelta(days=n)).strftime("%Y-%m-%dT%H:%M:%SZ")

    def instructions(n: int) -> int:
        counted = [0]

        def count() -> int:
            counted[0] += 1
            return 0

        db.conn.set_progress_handler(count, 100)
        record(db, feed.body(), day(n))
        db.conn.set_progress_handler(None, 0)
        return counted[0]

    for n in range(5):
        record(db, feed.body(), day(n))
        feed.step()
    early, rows_early = instructions(5), price_rows(db)
    for n in range(6, 60):
        feed.step()
        record(db, feed.body(), day(n))
    feed.step()
    late, rows_late = instructions(60), price_rows(db)
    assert rows_late > 5 * rows_early  # each day a fifth of the prices changed
    assert late < 1.3 * early


def test_a_feed_of_5000_models_loads_whole_then_grows_by_its_changes_only(db, monkeypatch):
    feed = scale.Feed(5000, seed=7)
    body = feed.body()
    parsed = {price.key: price.per_mtok for price in litellm.parse(body)}
    first = record(db, body, hour(0))
    assert first.changes.counts()["new"] == price_rows(db) == len(parsed)
    assert first.models == len({key[:2] for key in parsed}) == db["models"].count
    real = litellm.parse
    monkeypatch.setattr(litellm, "parse", lambda body: pytest.fail("the same bytes were parsed again"))
    record(db, body, hour(1))
    assert price_rows(db) == len(parsed)
    monkeypatch.setattr(litellm, "parse", real)
    feed.step()
    moved = {price.key: price.per_mtok for price in litellm.parse(feed.body())}
    changed = sum(1 for key, amount in moved.items() if parsed.get(key) != amount)  # changed or new
    record(db, feed.body(), hour(24))  # the next day: each change is a period of its own
    assert 0 < changed and price_rows(db) == len(parsed) + changed
    assert current(db) == {key: f"{amount:f}" for key, amount in moved.items()}


def test_the_indexes_every_price_pays_for_are_the_ones_reads_use(db):
    """m010 and m011 dropped three indexes the key-and-start index serves: the lookups they served still search
    an index, and so do a run's changes."""
    indexes = {row[0] for row in db.execute("select name from sqlite_master where type = 'index' "
                                            "and tbl_name = 'prices'")}
    assert indexes == {"idx_prices_effective_from", "prices_key_start", "prices_source_end",
                       "prices_source_first_seen", "prices_run"}
    for sql in ("select * from prices where provider = 'deepseek' and model = 'deepseek-chat'",
                "select * from prices where provider in ('deepseek', 'openai')",
                "select distinct provider from prices where source = 'catalog'",
                "select * from price_changes where run_id in (1, 2)"):
        plan = " ".join(row[3] for row in db.execute(f"explain query plan {sql}"))
        assert "USING" in plan and "INDEX" in plan, plan
        assert "run_id" not in sql or "SEARCH new USING INDEX prices_run" in plan, plan  # never a scan of history


def test_weighing_only_what_moved_since_the_last_observation_gives_the_history_weighing_everything_gives(
        tmp_path, monkeypatch):
    """recording.record weighs against the history only the prices that differ from the source's latest
    observation (and what that observation listed that these do not); hours of a feed whose models change, come
    and go, recorded with and without that shortcut, and out of order at the end, leave the same rows."""
    feed = scale.Feed(200, seed=5, changed_share=0.1)
    bodies = []
    for _ in range(12):
        bodies.append(feed.body())
        feed.step()
    order = [*range(10), 11, 10]  # the last two arrive late: no shortcut may apply to them
    histories = []
    for shortcut in (True, False):
        if not shortcut:  # seen_again's conditions as well: no page is recorded as seen again either
            monkeypatch.setattr(recording, "still_latest", lambda *args: None)
        db = database.open_db(tmp_path / f"{shortcut}.db")
        for version in order:
            record(db, bodies[version], hour(version * 9))
        histories.append(dump(db))
    assert histories[0] == histories[1] and len(histories[0][0]) > 200
