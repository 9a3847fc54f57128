"""Runs: one row per observation of a source (when, from where, how it went), and what they say about
each other (the observation before and after, the last update's)."""

from __future__ import annotations

import datetime as dt
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.history import database  # database.now(), the one clock (a test sets it there)
from pricewar.history.database import dicts
from pricewar.price import moment


def new_batch() -> str:
    """A name for the runs of one update: its start, to the microsecond."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def start_run(db: Database, source: str, location: str, batch: str | None = None,
              observed_at: str | None = None) -> int:
    started = database.now()
    if observed_at is not None:  # every observation starts a run: the one door a time comes in by
        observed_at = moment(observed_at, "the time its pages were seen", started)
    return db.conn.execute(  # straight to sqlite3: an archive's replay starts a thousand runs
        "insert into runs (source, location, started_at, status, batch, observed_at) values (?, ?, ?, ?, ?, ?)",
        [source, location, started, "running", batch or new_batch(), observed_at or started]).lastrowid


def finish_run(db: Database, run_id: int, status: str, error: str = "", **counts: object) -> None:
    values = {"status": status, "error": error, "finished_at": database.now(), **counts}
    db.conn.execute(f"update runs set {', '.join(f'{column} = ?' for column in values)} where id = ?",
                    [*values.values(), run_id])


def last_ok_run(db: Database, source: str, before: str | None = None) -> dict | None:
    """The source's latest successful observation, or the latest observed at or before `before`."""
    # Walks the (source, observed_at) index from its end: a source's thousandth run costs what its first did.
    until = "" if before is None else "and observed_at <= ?"
    rows = dicts(db, f"select * from runs where source = ? and status = 'ok' {until} "
                      "order by observed_at desc, id desc limit 1", [source] + ([] if before is None else [before]))
    return rows[0] if rows else None


def fullest_recent_run(db: Database, source: str, before: str, days: int) -> dict | None:
    """Of the source's successful observations in the `days` up to `before`, the one that found the most models:
    what a page that lost models a little at a time is measured against."""
    since = (dt.datetime.fromisoformat(before.replace("Z", "+00:00")) - dt.timedelta(days=days)).strftime(
        "%Y-%m-%dT%H:%M:%SZ")
    rows = dicts(db, "select * from runs where source = ? and status = 'ok' and observed_at <= ? and observed_at >= ? "
                     "order by models desc, observed_at desc limit 1", [source, before, since])
    return rows[0] if rows else None


def previous_observation(db: Database, source: str, before: str) -> str | None:
    """When `source` was last observed before `before`: a change first seen now happened after it."""
    row = db.execute("select observed_at from runs where source = ? and status = 'ok' and observed_at < ? "
                     "order by observed_at desc limit 1", [source, before]).fetchone()  # the index's end, not a scan
    return row[0] if row else None


def next_observations(db: Database, source: str, after: str) -> dict[str, str]:
    """Per currency, when `source` was next observed showing it after `after` (none when that is the latest)."""
    found: dict[str, str] = {}
    for observed_at, currencies in db.execute(
        "select observed_at, currencies from runs where source = ? and status = 'ok' and observed_at > ? "
        "order by observed_at", [source, after],
    ):
        for currency in (currencies or "").split(","):
            if currency:
                found.setdefault(currency, observed_at)
    return found


def location_at(db: Database, source: str, observed_at: str) -> str | None:
    """Where `source`'s observation at `observed_at` read its pages: what a period first seen then was read from."""
    row = db.execute("select location from runs where source = ? and status = 'ok' and observed_at = ? "
                     "order by id limit 1", [source, observed_at]).fetchone()
    return row[0] if row else None


def last_batch_runs(db: Database) -> list[int]:
    """The runs of the most recent update (or record)."""
    row = db.execute("select batch from runs where status = 'ok' order by id desc limit 1").fetchone()
    if not row or row[0] is None:
        return []
    return [r[0] for r in db.execute("select id from runs where batch = ?", [row[0]])]


def digest(body: bytes) -> str:
    """What a run's pages are known by (runs.content_hash): the same bytes are the same observation's content."""
    import hashlib

    return hashlib.sha256(body).hexdigest()


def prices_digest(prices) -> str:
    """What a run's prices are known by (runs.prices_hash), whatever their order: the key, amount, dates and type
    of each, all that recording them can weigh. Equal amounts written alike hash alike ("0.5", never "0.50")."""
    import hashlib

    rows = sorted("\t".join((*price.key, str(price.per_mtok), price.effective_from or "", price.effective_to or "",
                              price.model_type)) for price in prices)
    return hashlib.sha256("\n".join(rows).encode()).hexdigest()


def source_is_scraped(source: str) -> bool:
    """Scraped prices without a published date take effect the day they are first seen."""
    return source not in ("catalog", "record")
