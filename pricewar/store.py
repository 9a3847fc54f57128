"""The SQLite history: open_db() (always migrates), record() (only what changed), runs, queries."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from pathlib import Path

from sqlite_utils import Database

from pricewar.migrations.migrations import DIMENSIONS, migrations
from pricewar.price import Price, PricewarError, decimal

KEY_COLUMNS = ("provider", "model", "kind", "currency", *DIMENSIONS)


def default_db_path() -> Path:
    """Where the history lives unless --db or PRICEWAR_DB says otherwise."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("pricewar", appauthor=False)) / "pricewar.db"


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def today() -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def open_db(path: Path) -> Database:
    """Open (creating if need be) and migrate the database at `path`."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise PricewarError(f"--db {path} is a directory, not a database file")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        db = Database(conn)
        db.execute("pragma busy_timeout = 30000")
        _check_not_newer(db, path)
        if migrations.pending(db):
            _migrate(db)
    except (sqlite3.OperationalError, sqlite3.DatabaseError, OSError) as error:
        raise PricewarError(f"cannot open the database {path}: {error}") from None
    return db


def _migrate(db: Database) -> None:
    # BEGIN IMMEDIATE waits (busy_timeout) for a second process migrating the same new file,
    # where the deferred transactions of Migrations.apply would fail at once with "locked".
    db.execute("begin immediate")
    try:
        migrations.apply(db)
    except BaseException:
        db.execute("rollback")
        raise
    db.execute("commit")
    # Readers never wait for a writer in WAL mode: a cron update does not block a compare.
    db.execute("pragma journal_mode = wal")


def _check_not_newer(db: Database, path: Path) -> None:
    table = db[migrations.migrations_table]
    if not table.exists():
        return
    known = {migration.name for migration in migrations._migrations}
    applied = {migration.name for migration in migrations.applied(db)}
    unknown = sorted(applied - known)
    if unknown:
        raise PricewarError(
            f"the database {path} was written by a newer pricewar (schema step {unknown[-1]}); upgrade pricewar to read it"
        )


# --- runs -------------------------------------------------------------------------------


def new_batch() -> str:
    """A name for the runs of one update: its start, to the microsecond."""
    return dt.datetime.now(dt.timezone.utc).isoformat(timespec="microseconds")


def start_run(db: Database, source: str, location: str, batch: str | None = None) -> int:
    return db["runs"].insert(
        {"source": source, "location": location, "started_at": now(), "status": "running",
         "batch": batch or new_batch()}
    ).last_pk


def finish_run(db: Database, run_id: int, status: str, error: str = "", **counts: object) -> None:
    db["runs"].update(run_id, {"status": status, "error": error, "finished_at": now(), **counts})


def last_ok_run(db: Database, source: str) -> dict | None:
    rows = list(db["runs"].rows_where("source = ? and status = 'ok'", [source], order_by="id desc", limit=1))
    return rows[0] if rows else None


# --- recording ----------------------------------------------------------------------------


@dataclass
class Changes:
    """What one recording did, for the update summary."""

    new: list[Price] = field(default_factory=list)
    changed: list[tuple[Price, Decimal]] = field(default_factory=list)  # (new price, old per_mtok)
    unchanged: int = 0
    delisted: list[dict] = field(default_factory=list)

    def counts(self) -> dict[str, int]:
        return {"new": len(self.new), "changed": len(self.changed), "unchanged": self.unchanged,
                "delisted": len(self.delisted)}


def _in_effect(row: dict, date: str | None) -> bool:
    start, end = row["effective_from"], row["effective_to"]
    if date is None:
        return start is None and (end is None or end != start)
    return (start is None or start <= date) and (end is None or date < end)


def ensure_names(db: Database, prices: Iterable[Price], provider_names: dict[str, str] | None = None) -> None:
    """Make sure every provider and model has a row, keeping names already known."""
    provider_names = provider_names or {}
    providers = {price.provider for price in prices}
    db["providers"].insert_all(
        ({"id": p, "name": provider_names.get(p, p)} for p in providers), pk="id", ignore=True
    )
    models = {(price.provider, price.model): price.display_name for price in prices}
    db["models"].insert_all(
        ({"provider": p, "model": m, "name": name or m, "aliases": "[]"} for (p, m), name in models.items()),
        pk=("provider", "model"),
        ignore=True,
    )


def record(
    db: Database,
    source: str,
    prices: list[Price],
    run_id: int,
    source_url: str,
    *,
    seen_on: str | None = None,
    delist: bool = False,
) -> Changes:
    """Record `prices` from `source`, storing a row only where something changed.

    A price equal to the one in effect on its date only moves "last seen". A different one
    closes that row at its date and opens a new one. A price dated before others slots into
    the timeline. With `delist`, current prices of this source (in the currencies seen) that
    `prices` no longer lists are closed as delisted, never recorded as zero.
    Call inside transaction().
    """
    seen_at, seen_on = now(), seen_on or today()
    changes = Changes()
    prices = canonical_models(db, prices)
    ensure_names(db, prices)
    timelines: dict[tuple, list[dict]] = defaultdict(list)
    for row in db.query("select * from prices where source = ? order by effective_from is not null, effective_from, id",
                        [source]):
        timelines[tuple(row[c] for c in KEY_COLUMNS)].append(row)

    seen_keys = set()
    still_current: list[int] = []  # rows whose price was seen again: only "last seen" moves
    for price in sorted(prices, key=lambda p: (p.effective_from is not None, p.effective_from or "")):
        key = price.key
        seen_keys.add(key)
        timeline = timelines[key]
        date = price.effective_from
        if date is None and source_is_scraped(source):
            date = seen_on
        if price.effective_to is not None and date is not None and price.effective_to <= date:
            continue  # a price the page says had ended by the time it was seen
        current = next((row for row in timeline if _in_effect(row, date)), None)
        if current is not None and decimal(current["per_mtok"]) == price.per_mtok:
            still_current.append(current["id"])
            changes.unchanged += 1
            continue
        later = [row["effective_from"] for row in timeline
                 if row["effective_from"] is not None and (date is None or row["effective_from"] > date)]
        end = min(later, default=None)
        reason = "changed" if end else None
        if current is not None:
            if end is None:
                end, reason = current["effective_to"], current["end_reason"]
            db["prices"].update(current["id"], {"effective_to": date, "end_reason": "changed"})
            current["effective_to"], current["end_reason"] = date, "changed"
            changes.changed.append((price, decimal(current["per_mtok"])))
        elif (ended := next((row for row in timeline if row["effective_to"] == date and date is not None
                             and row["end_reason"] == "ended"), None)) is not None:
            # a price announced to end on the day this one starts: this one replaces it
            db["prices"].update(ended["id"], {"end_reason": "changed"})
            ended["end_reason"] = "changed"
            changes.changed.append((price, decimal(ended["per_mtok"])))
        else:
            changes.new.append(price)
        if price.effective_to is not None and (end is None or price.effective_to < end):
            end, reason = price.effective_to, "ended"
        row = _row(source, price, date, end, reason, seen_at, source_url, run_id)
        row["id"] = db["prices"].insert(row).last_pk
        timeline.append(row)

    db.conn.executemany("update prices set last_seen = ? where id = ?", ((seen_at, i) for i in still_current))
    if delist:
        currencies = {price.currency for price in prices}
        for key, timeline in timelines.items():
            if key in seen_keys or key[3] not in currencies:
                continue
            for row in timeline:
                if row["effective_to"] is None:
                    db["prices"].update(row["id"], {"effective_to": seen_on, "end_reason": "delisted"})
                    changes.delisted.append(row)
    return changes


def canonical_models(db: Database, prices: list[Price]) -> list[Price]:
    """Prices under the model id the database knows, where a source spells it as one of its aliases
    ("claude-opus-4.5" on Anthropic's page is the bundled record's claude-opus-4-5), so that one model
    lines up across sources. An id that is itself a model, or an alias of several, stays as it is."""
    known: set[tuple[str, str]] = set()
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for row in db.query("select provider, model, aliases from models"):
        known.add((row["provider"], row["model"].lower()))
        for alias in json.loads(row["aliases"] or "[]"):
            aliases[(row["provider"], alias.lower())].add(row["model"])
    result = []
    for price in prices:
        key = (price.provider, price.model.lower())
        targets = aliases.get(key, set())
        if key not in known and len(targets) == 1:
            price = replace(price, model=next(iter(targets)))
        result.append(price)
    return result


def source_is_scraped(source: str) -> bool:
    """Scraped prices without a published date take effect the day they are first seen."""
    return source not in ("catalog", "record")


def _row(source: str, price: Price, start: str | None, end: str | None, reason: str | None, seen_at: str, url: str,
         run_id: int) -> dict:
    return {
        "source": source,
        **{column: value for column, value in zip(KEY_COLUMNS, price.key)},
        "per_mtok": f"{price.per_mtok:f}",
        "published": price.published,
        "published_unit": price.unit,
        "effective_from": start,
        "effective_to": end,
        "end_reason": reason,
        "first_seen": seen_at,
        "last_seen": seen_at,
        "source_url": price.source_url or url,
        "run_id": run_id,
        "note": price.note,
    }


# --- reading ------------------------------------------------------------------------------


def prices_at(db: Database, date: str) -> list[dict]:
    """Every price in effect on `date`, with provider and model names."""
    return list(
        db.query(
            """
            select p.*, coalesce(pr.name, p.provider) as provider_name, coalesce(m.name, p.model) as model_name
            from prices p
            left join providers pr on pr.id = p.provider
            left join models m on m.provider = p.provider and m.model = p.model
            where (p.effective_from is null or p.effective_from <= :d)
              and (p.effective_to is null or p.effective_to > :d)
            """,
            {"d": date},
        )
    )


def model_names(db: Database) -> list[dict]:
    """Every model with its aliases decoded."""
    return [{**row, "aliases": json.loads(row["aliases"] or "[]")} for row in db["models"].rows]


def db_path_from_env(value: str | None) -> Path:
    return Path(value).expanduser() if value else default_db_path()


def writable(path: Path) -> None:
    """Raise PricewarError when the database file cannot be written."""
    target = path if path.exists() else path.parent
    if target.exists() and not os.access(target, os.W_OK):
        raise PricewarError(f"cannot write to the database {path}: permission denied")


def changes(db: Database, since: str | None, until: str | None) -> list[dict]:
    """Every recorded change whose new price took effect in [since, until], with provider names."""
    return list(
        db.query(
            """
            select c.*, coalesce(pr.name, c.provider) as provider_name
            from price_changes c
            left join providers pr on pr.id = c.provider
            where (:since is null or c.date >= :since) and (:until is null or c.date <= :until)
            """,
            {"since": since, "until": until},
        )
    )


def last_batch_runs(db: Database) -> list[int]:
    """The runs of the most recent update (or record)."""
    row = db.execute("select batch from runs where status = 'ok' order by id desc limit 1").fetchone()
    if not row or row[0] is None:
        return []
    return [r[0] for r in db.execute("select id from runs where batch = ?", [row[0]])]


def timelines(db: Database, pairs: set[tuple[str, str]]) -> list[dict]:
    """Every recorded price of the (provider, model) pairs, oldest first."""
    rows = []
    for provider, model in sorted(pairs):
        rows += db.query(
            """
            select p.*, coalesce(pr.name, p.provider) as provider_name, coalesce(m.name, p.model) as model_name
            from prices p
            left join providers pr on pr.id = p.provider
            left join models m on m.provider = p.provider and m.model = p.model
            where p.provider = ? and p.model = ?
            order by p.effective_from is not null, p.effective_from, p.id
            """,
            [provider, model],
        )
    return rows
