"""The SQLite history: open_db() (always migrates), record() (only what changed), runs, queries."""

from __future__ import annotations

import datetime as dt
import os
import re
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from operator import itemgetter
from pathlib import Path

from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.price import DIMENSIONS, Price, PricewarError, UsageError, decimal

KEY_COLUMNS = ("provider", "model", "kind", "currency", *DIMENSIONS)


def default_db_path() -> Path:
    """Where the history lives unless --db or PRICEWAR_DB says otherwise."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("pricewar", appauthor=False)) / "pricewar.db"


def now() -> str:
    return dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")


def today() -> str:
    return dt.datetime.now(dt.timezone.utc).date().isoformat()


def open_db(path: Path, given: bool = False) -> Database:
    """Open (creating if need be) and migrate the database at `path`. A path the user `given` (--db) must be in
    a directory that exists: a typo there should not quietly start a new, empty history."""
    path = Path(path).expanduser()
    if path.is_dir():
        raise UsageError(f"--db {path} is a directory, not a database file")
    if given and not path.parent.is_dir():
        raise UsageError(f"--db: the directory {path.parent} does not exist (create it first, or check the path)")
    from sqlite_utils import Database

    from pricewar.history.schema import migrations

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        db = Database(conn)
        db.execute("pragma busy_timeout = 30000")
        _check_is_ours(db, path)
        if migrations.pending(db):
            _migrate(db)
        steps = len(migrations.applied(db))
        if db.execute("pragma user_version").fetchone()[0] != steps:  # how open_reader knows it needs no migration
            db.execute(f"pragma user_version = {steps}")
    except (sqlite3.OperationalError, sqlite3.DatabaseError, OSError) as error:
        raise PricewarError(f"cannot open the database {path}: {error}") from None
    return db


def _migrate(db: Database) -> None:
    from pricewar.history.schema import migrations

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


SCHEMA_VERSION = 11  # the number of steps in migrations/ (test_read_path holds the two together)


def open_reader(path: Path) -> Reader | None:
    """The database at `path` for reading with sqlite3 alone, when it holds every schema step; None when it
    does not exist or needs open_db() (to be created or migrated, or to say what is wrong with it)."""
    path = Path(path).expanduser()
    if not path.is_file():
        return None
    try:
        conn = sqlite3.connect(path, timeout=30, isolation_level=None)
        if conn.execute("pragma user_version").fetchone()[0] != SCHEMA_VERSION:
            conn.close()
            return None
        conn.execute("pragma busy_timeout = 30000")
    except sqlite3.Error:
        return None
    return Reader(conn)


class Reader:
    """A pricewar database read through sqlite3 alone: the few reading calls of sqlite-utils' Database that the
    reports use, so that `compare` and friends never load sqlite-utils (writing is `update`'s business)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.known: dict[str, object] = {}  # what a report asks several times (models, makers); prices never change here

    def execute(self, sql: str, params: list | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: list | dict = ()) -> Iterable[dict]:
        return iter(_dicts(self, sql, params))

    def __getitem__(self, table: str) -> _Rows:
        return _Rows(self, table)


@dataclass
class _Rows:
    db: Reader
    table: str

    @property
    def rows(self) -> Iterable[dict]:
        return self.db.query(f"select * from [{self.table}]")


def for_writing(db: Database | Reader) -> Database:
    """sqlite-utils' Database over the same connection, for a read path's rare write (a currency's rates)."""
    if isinstance(db, Reader):
        from sqlite_utils import Database

        return Database(db.conn)
    return db


def _check_is_ours(db: Database, path: Path) -> None:
    """Refuse a database another program made (pricewar would add its tables to it), or a newer pricewar."""
    from pricewar.history.schema import migrations

    table = db[migrations.migrations_table]
    if not table.exists():
        if db.table_names():
            raise PricewarError(f"{path} is another program's SQLite database, not pricewar's; "
                                "give --db a new file or a pricewar database")
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


def start_run(db: Database, source: str, location: str, batch: str | None = None,
              observed_at: str | None = None) -> int:
    started = now()
    return db["runs"].insert(
        {"source": source, "location": location, "started_at": started, "status": "running",
         "batch": batch or new_batch(), "observed_at": observed_at or started}
    ).last_pk


def finish_run(db: Database, run_id: int, status: str, error: str = "", **counts: object) -> None:
    db["runs"].update(run_id, {"status": status, "error": error, "finished_at": now(), **counts})


def last_ok_run(db: Database, source: str, before: str | None = None) -> dict | None:
    """The source's latest successful observation, or the latest observed at or before `before`."""
    # Walks the (source, observed_at) index from its end: a source's thousandth run costs what its first did.
    until = "" if before is None else "and observed_at <= ?"
    rows = _dicts(db, f"select * from runs where source = ? and status = 'ok' {until} "
                      "order by observed_at desc, id desc limit 1", [source] + ([] if before is None else [before]))
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


def _in_effect(row: dict, date: str) -> bool:
    return row["effective_from"] <= date and (row["effective_to"] is None or date < row["effective_to"])


def ensure_names(db: Database, prices: Iterable[Price], provider_names: dict[str, str] | None = None) -> None:
    """Make sure every provider and model has a row, keeping names already known."""
    provider_names = provider_names or {}
    providers = {price.provider for price in prices}
    db.conn.executemany("insert or ignore into providers (id, name) values (?, ?)",
                        ((p, provider_names.get(p, p)) for p in providers))
    models = {(price.provider, price.model): (price.display_name, price.model_type) for price in prices}
    # only models missing or untyped are written: a run of a thousand known models writes none
    types = {(provider, model): kind for provider, model, kind in db.execute("select provider, model, type from models")}
    db.conn.executemany(  # in the primary key's order: a first load of 100,000 models appends to its index
        "insert or ignore into models (provider, model, name, aliases, type) values (?, ?, ?, '[]', ?)",
        sorted((p, m, name or m, kind) for (p, m), (name, kind) in models.items() if (p, m) not in types))
    db.conn.executemany("update models set type = ? where provider = ? and model = ? and type = ''",
                        ((kind, p, m) for (p, m), (_, kind) in models.items() if kind and types.get((p, m)) == ""))


# The columns a recording may change on a row it has read; everything else about a period is fixed.
_MUTABLE = ("per_mtok", "published", "published_unit", "effective_from", "effective_to", "end_reason",
            "first_seen", "last_seen", "source_url", "run_id", "note", "changed_after")
_INSERTED = ("source", *KEY_COLUMNS, *_MUTABLE)
_BY_KEY = itemgetter(*range(1, 1 + len(KEY_COLUMNS)))  # a row's key, from its values in _INSERTED order


class _Period:
    """A period read from the database, its columns looked up by name as in a dict: a 100,000-model source
    has 200,000 periods in effect, which take 300 bytes each so, where dicts of their own values take 2,000."""

    __slots__ = ("values", "columns")

    def __init__(self, values: list, columns: dict[str, int]):
        self.values = values
        self.columns = columns

    def __getitem__(self, name: str) -> object:
        return self.values[self.columns[name]]

    def __contains__(self, name: str) -> bool:
        return name in self.columns

    def keys(self) -> Iterable[str]:
        return self.columns.keys()

    def items(self) -> Iterable[tuple[str, object]]:
        return zip(self.columns, self.values)

    def update(self, values: dict) -> None:
        for name, value in values.items():
            self.values[self.columns[name]] = value


class _Timelines:
    """The rows of one source that a recording can touch, read once, written back in bulk."""

    def __init__(self, db: Database, source: str, earliest: str):
        self.db = db
        self.by_key: dict[tuple, list[dict]] = {}
        self.dirty: dict[int, dict] = {}
        self.deleted: list[int] = []
        self.added: list[dict] = []
        self.fresh: list[tuple[Price, str]] = []  # (price, date) of new periods nothing else here touches
        # Only periods still open on the earliest date recorded matter, read through the (source, effective_to)
        # index in two ranges: a cron run reads today's rows, never the source's whole history.
        for where, params in (("effective_to is null", [source]), ("effective_to >= ?", [source, earliest])):
            cursor = db.conn.execute(f"select * from prices where source = ? and {where}", params)
            columns = {column[0]: at for at, column in enumerate(cursor.description)}
            key_of = itemgetter(*(columns[c] for c in KEY_COLUMNS))
            shared: dict = {}  # one object for equal values (a provider, a day, a unit repeat on every row)
            for values in cursor:
                values = [shared.setdefault(value, value) for value in values]  # text and integers only
                self.by_key.setdefault(key_of(values), []).append(_Period(values, columns))

    def at(self, key: tuple, date: str) -> dict | None:
        return next((row for row in self.by_key.get(key, ()) if _in_effect(row, date)), None)

    def after(self, key: tuple, date: str) -> dict | None:
        """The first period of `key` starting after `date`."""
        return min((row for row in self.by_key.get(key, ()) if row["effective_from"] > date),
                   key=lambda row: row["effective_from"], default=None)

    def ending(self, key: tuple, date: str, reason: str) -> dict | None:
        return next((row for row in self.by_key.get(key, ())
                     if row["effective_to"] == date and row["end_reason"] == reason), None)

    def change(self, row: dict, **values: object) -> None:
        row.update(values)
        if "id" in row:
            self.dirty[row["id"]] = row

    def add(self, key: tuple, row: dict) -> None:
        self.by_key.setdefault(key, []).append(row)
        self.added.append(row)

    def insert(self, price: Price, date: str) -> None:
        """A new period of `price` from `date` that nothing else in this recording can touch: no dict to look
        into, made into a row only as it is written (a first load of 200,000 prices holds none of them)."""
        self.fresh.append((price, date))

    def delete(self, key: tuple, row: dict) -> None:
        self.by_key[key].remove(row)
        if "id" in row:
            self.deleted.append(row["id"])
            self.dirty.pop(row["id"], None)
        else:
            self.added.remove(row)

    def write(self, fresh_row: Callable[[Price, str], tuple]) -> None:
        """Write every change back; `fresh_row(price, date)` is the row of a period given to insert()."""
        conn = self.db.conn
        conn.executemany("delete from prices where id = ?", ((i,) for i in self.deleted))
        conn.executemany(
            f"update prices set {', '.join(f'{c} = ?' for c in _MUTABLE)} where id = ?",
            ([row[c] for c in _MUTABLE] + [row["id"]] for row in self.dirty.values()),
        )
        insert = f"insert into prices ({', '.join(_INSERTED)}) values ({', '.join('?' for _ in _INSERTED)})"
        # each in the indexes' order: a first load of 200,000 prices inserts twice as fast
        self.fresh.sort(key=lambda pair: pair[0].key)
        conn.executemany(insert, (fresh_row(price, date) for price, date in self.fresh))
        conn.executemany(insert, sorted((tuple(row[c] for c in _INSERTED) for row in self.added), key=_BY_KEY))


def record(
    db: Database,
    source: str,
    prices: list[Price],
    run_id: int,
    source_url: str,
    *,
    observed_at: str | None = None,
    delist: bool = False,
    canonical: bool = False,
) -> Changes:
    """Record `prices` from `source` as seen at `observed_at` (now by default), storing only what changed.

    A price without a published start takes effect on the day it was observed. A price equal to
    the one in effect on its date only moves "last seen". A different one closes that period on
    its date and opens a new one; two changes on one day leave one period, never one of no length.
    A price dated before others slots into the timeline. With `delist`, current prices of this
    source (in the currencies seen) that `prices` no longer lists are closed as delisted on the
    day observed, never recorded as zero.

    Observations of a scraped source may arrive in any order (a saved page recorded after newer
    ones, an archive replayed after cron runs): the runs before and after this one bound what it
    can change, so the same observations give the same history whatever their order, and
    recording one again changes nothing. Call inside a transaction.
    """
    seen_at = observed_at or now()
    seen_on = seen_at[:10]
    changes = Changes()
    if not canonical:  # already under the database's model ids, as record_source gives them
        prices = canonical_models(db, prices)
    ensure_names(db, prices)
    dated = sorted(((price, price.effective_from or seen_on) for price in prices), key=itemgetter(1))
    # a price the page says had ended by the time it took effect is no price
    dated = [(price, date) for price, date in dated if price.effective_to is None or price.effective_to > date]
    timelines = _Timelines(db, source, min((date for _, date in dated), default=seen_on))
    observed = source_is_scraped(source)
    before = previous_observation(db, source, seen_at) if observed else None
    later_runs = next_observations(db, source, seen_at) if observed else {}

    seen_keys = {price.key for price, _ in dated}
    repeated = set() if len(seen_keys) == len(dated) else \
        {key for key, count in Counter(price.key for price, _ in dated).items() if count > 1}
    still_current: list[int] = []  # rows whose price was seen again: only "last seen" moves
    for price, date in dated:
        key = price.key
        later = later_runs.get(price.currency)  # the next observation of this source, when this one is not the last
        if later is None and key not in timelines.by_key and key not in repeated:
            # a price the source never had, listed once, in its latest observation: a new period, nothing to weigh
            # (most of a first load)
            timelines.insert(price, date)
            changes.new.append(price)
            continue
        current = timelines.at(key, date)
        if current is not None and decimal(current["per_mtok"]) == price.per_mtok:
            if "id" in current:
                still_current.append(current["id"])
            if price.effective_to is not None and current["effective_to"] is None:
                # the source now says when this price ends (a page announcing the next ones): it ends then
                timelines.change(current, effective_to=price.effective_to, end_reason="ended")
            if observed and seen_at < current["first_seen"] and (later is None or later >= current["first_seen"]):
                # seen earlier, with no observation between that did not list it
                timelines.change(current, first_seen=seen_at, changed_after=before)
            changes.unchanged += 1
            continue
        if later is not None and later[:10] == date and price.effective_from is None:
            changes.unchanged += 1  # a later observation of the same day already says how the day ended
            continue
        following = timelines.after(key, date)
        if current is not None and current["effective_from"] == date:
            # A second change on one day: the day's last price stands for the day.
            _replace_price(timelines, key, current, price, run_id, changes)
            continue
        end = following["effective_from"] if following is not None else None
        reason = "changed" if end else None
        if current is not None:
            end, reason = current["effective_to"], current["end_reason"]
            if later is not None and later <= current["last_seen"]:
                # the price in effect before was seen again after this observation: it resumes then
                end, reason = later[:10], "changed"
                timelines.add(key, {**_without_id(current), "effective_from": later[:10], "first_seen": later,
                                    "changed_after": seen_at})
            timelines.change(current, effective_to=date, end_reason="changed",
                             last_seen=_last_seen_before(current, before))
            changes.changed.append((price, decimal(current["per_mtok"])))
        elif (ended := timelines.ending(key, date, "ended")) is not None:
            # a price announced to end on the day this one starts: this one replaces it
            timelines.change(ended, end_reason="changed")
            changes.changed.append((price, decimal(ended["per_mtok"])))
        elif later is not None and (following is None or later < following["first_seen"]):
            end, reason = later[:10], "delisted"  # the next observation did not list it
            changes.new.append(price)
        else:
            changes.new.append(price)
        if price.effective_to is not None and (end is None or price.effective_to < end):
            end, reason = price.effective_to, "ended"
        following = timelines.at(key, end) if end is not None and reason == "changed" else None
        if observed and following is not None and decimal(following["per_mtok"]) == price.per_mtok \
                and following["first_seen"][:10] == following["effective_from"]:
            # the same price first seen later: it was in effect from this observation on
            timelines.change(following, effective_from=date, first_seen=seen_at, changed_after=before)
            if changes.new and changes.new[-1] is price:
                changes.new.pop()
                changes.unchanged += 1
            continue
        timelines.add(key, dict(zip(_INSERTED, _row(source, price, date, end, reason, seen_at, source_url, run_id,
                                                    before if observed else None))))

    if delist:
        currencies = {price.currency for price in prices}
        for key, timeline in list(timelines.by_key.items()):
            if key in seen_keys or key[3] not in currencies:
                continue
            later = later_runs.get(key[3])
            if later is not None and later[:10] == seen_on:
                continue  # a later observation of the same day already says how the day ended
            for row in list(timeline):
                if _in_effect(row, seen_on):
                    _delist(timelines, key, row, seen_at, before, later_runs.get(key[3]))
                    changes.delisted.append(row)

    def new_period(price: Price, date: str) -> tuple:  # of a price given to timelines.insert()
        return _row(source, price, date, price.effective_to, "ended" if price.effective_to else None, seen_at,
                    source_url, run_id, before if observed else None)

    timelines.write(new_period)
    import json

    # one statement for the ids (every price of a file seen again but for the few that changed): twice as fast
    db.execute("update prices set last_seen = :seen where id in (select value from json_each(:ids)) "
               "and last_seen < :seen", {"seen": seen_at, "ids": json.dumps(still_current)})
    if observed:
        # Periods first seen after this observation began after it, whatever order runs came in.
        db.execute("update prices set changed_after = ? where source = ? and first_seen > ? "
                   "and (changed_after is null or changed_after < ?)", [seen_at, source, seen_at, seen_at])
    return changes


def seen_again(db: Database, source: str, content_hash: str, seen_at: str) -> dict | None:
    """The run that recorded these very pages (`content_hash`) as `source`'s latest observation, when recording
    them again at `seen_at` can only move "last seen" (record_seen_again); None when they must be recorded in full.

    So it is when that run is the last successful one in the database (nothing since could have changed which
    model an id names), the latest observation of its source, not after `seen_at`, of a scraped source (what
    the pages did not list was delisted then), and when no period of the source ends after that day, nor is
    current and starts after it or in a currency the pages did not show: the day moving on changes nothing.
    """
    if not content_hash or not source_is_scraped(source):
        return None
    last = _dicts(db, "select * from runs where status = 'ok' order by id desc limit 1", [])
    if not last or last[0]["source"] != source or last[0]["content_hash"] != content_hash:
        return None
    run = last[0]
    latest = last_ok_run(db, source)
    if latest["id"] != run["id"] or run["observed_at"] > seen_at:
        return None
    day = run["observed_at"][:10]
    currencies = [currency for currency in (run["currencies"] or "").split(",") if currency]
    dated = db.execute(
        "select 1 from prices where source = ? and effective_to > ? union all "
        "select 1 from prices where source = ? and effective_to is null "
        f"and (effective_from > ? or currency not in ({', '.join('?' * len(currencies))})) limit 1",
        [source, day, source, day, *currencies]).fetchone()
    return None if dated else run


def record_seen_again(db: Database, source: str, run: dict, seen_at: str) -> Changes:
    """Record at `seen_at` the pages `run` recorded, as seen_again allows: every period that run saw was seen
    again, as recording them in full would find. Call inside a transaction."""
    db.execute("update prices set last_seen = ? where source = ? and (last_seen = ? or run_id = ?) and last_seen < ?",
               [seen_at, source, run["observed_at"], run["id"], seen_at])
    return Changes(unchanged=run["new"] + run["changed"] + run["unchanged"])


def _without_id(row: dict) -> dict:
    return {name: value for name, value in row.items() if name != "id"}


def _last_seen_before(row: dict, before: str | None) -> str:
    """When a period ended by this observation was last seen: at the observation before, if it was by then."""
    return before if before is not None and row["first_seen"] <= before <= row["last_seen"] else row["first_seen"]


def _replace_price(timelines: _Timelines, key: tuple, row: dict, price: Price, run_id: int, changes: Changes) -> None:
    old = decimal(row["per_mtok"])
    changes.changed.append((price, old))
    before = timelines.ending(key, row["effective_from"], "changed")
    if before is not None and decimal(before["per_mtok"]) == price.per_mtok:
        # back to the price before the day's first change: one period, no change at all
        timelines.change(before, effective_to=row["effective_to"], end_reason=row["end_reason"])
        timelines.delete(key, row)
        return
    timelines.change(row, per_mtok=f"{price.per_mtok:f}", published=price.published, published_unit=price.unit,
                     note=price.note, run_id=run_id)


def _delist(timelines: _Timelines, key: tuple, row: dict, seen_at: str, before: str | None,
            later: str | None) -> None:
    day = seen_at[:10]
    if later is not None and later <= row["last_seen"] and later[:10] > day:
        # listed again by a later observation: it is gone only until then
        timelines.add(key, {**_without_id(row), "effective_from": later[:10], "first_seen": later,
                            "changed_after": seen_at})
    if row["effective_from"] < day:
        timelines.change(row, effective_to=day, end_reason="delisted", last_seen=_last_seen_before(row, before))
        return
    # listed and gone on the same day: no period remains, and the one before ends delisted
    earlier = timelines.ending(key, day, "changed")
    if earlier is not None:
        timelines.change(earlier, end_reason="delisted")
    timelines.delete(key, row)


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


def canonical_models(db: Database, prices: list[Price]) -> list[Price]:
    """Prices under the model id the database knows, where a source spells it as one of its aliases
    ("claude-opus-4.5" on Anthropic's page is the bundled record's claude-opus-4-5), so that one model
    lines up across sources. An id that is itself a model, or an alias of several, stays as it is.

    An alias joins its model only at the same price: when several ids of one page land on one model,
    the model's own id, then a dated id (claude-3-5-haiku-20241022), then the others in name order
    answer for it, and an id priced differently from that one keeps its own name (a moving
    `-latest` priced unlike the snapshot is another model). The rule does not depend on page order.
    """
    import json

    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for provider, model, model_aliases in db.execute(  # the few aliased models, through m009's partial index
            "select provider, model, aliases from models where aliases != '[]'"):
        for alias in json.loads(model_aliases) if model_aliases else ():
            aliases[(provider, alias.lower())].add(model)
    aliased = {provider for provider, _ in aliases}
    result = [price for price in prices if price.provider not in aliased]  # no alias can move these
    prices = [price for price in prices if price.provider in aliased]
    keys = [(price.provider, price.model.lower()) for price in prices]
    # whether an id the page uses as an alias is also a model's own: only the models of those ids' providers are
    # read (a 100,000-model database is not read whole to line up a page)
    known = {(provider, model.lower()) for provider in {key[0] for key in keys if key in aliases}
             for (model,) in db.execute("select model from models where provider = ?", [provider])}
    groups: dict[tuple[str, str], list[Price]] = {}  # by the model each price lands on
    spelt_otherwise = set()  # the groups where another id lands on a model
    for price, key in zip(prices, keys):
        targets = aliases.get(key, ())
        target = next(iter(targets)) if key not in known and len(targets) == 1 else price.model
        groups.setdefault((price.provider, target), []).append(price)
        if target != price.model:
            spelt_otherwise.add((price.provider, target))
    for (provider, target), group in groups.items():
        if (provider, target) not in spelt_otherwise:  # the common case: one spelling, the model's own
            result += group
            continue
        by_id: dict[str, list[Price]] = defaultdict(list)
        for price in group:
            by_id[price.model].append(price)
        ranked = sorted(by_id, key=lambda model_id: (model_id.lower() != target.lower(), not _DATED.search(model_id),
                                                     model_id))
        answer = {_without_model(p): p.per_mtok for p in by_id[ranked[0]]}
        for model_id in ranked:
            own = by_id[model_id]
            if model_id == target:
                result += own
                continue
            joins = all(answer.get(_without_model(p), p.per_mtok) == p.per_mtok for p in own)
            result += [replace(p, model=target) if joins else p for p in own]
    return result


# A snapshot's date in its id: -20241022, -2024-05-13, -0125 (OpenAI's month-day), @20240620.
_DATED = re.compile(r"[-@](?:20\d{2}-?\d{2}-?\d{2}|\d{4})$")


def _without_model(price: Price) -> tuple:
    provider, _, *rest = price.key
    return (provider, *rest)


def digest(body: bytes) -> str:
    """What a run's pages are known by (runs.content_hash): the same bytes are the same observation's content."""
    import hashlib

    return hashlib.sha256(body).hexdigest()


def source_is_scraped(source: str) -> bool:
    """Scraped prices without a published date take effect the day they are first seen."""
    return source not in ("catalog", "record")


def _row(source: str, price: Price, start: str, end: str | None, reason: str | None, seen_at: str, url: str,
         run_id: int, changed_after: str | None) -> tuple:
    """A new period's row, as its values in _INSERTED order."""
    # source, *KEY_COLUMNS, then _MUTABLE: per_mtok, published, published_unit, effective_from, effective_to,
    # end_reason, first_seen, last_seen, source_url, run_id, note, changed_after
    return (source, *price.key, f"{price.per_mtok:f}", price.published, price.unit, start, end, reason, seen_at,
            seen_at, price.source_url or url, run_id, price.note, changed_after)


# --- reading ------------------------------------------------------------------------------


def _dicts(db: Database, sql: str, params: dict | list) -> list[dict]:
    """Rows as dicts, straight from sqlite3 (thousands of rows: sqlite-utils' query costs twice as much)."""
    cursor = db.conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values)) for values in cursor]


def prices_at(db: Database, date: str, pairs: set[tuple[str, str]] | None = None, *,
              providers: Iterable[str] | None = None, sources: Iterable[str] | None = None,
              not_sources: Iterable[str] = (), model_type: str | None = None,
              dimensions: dict[str, str] | None = None) -> list[dict]:
    """Every price in effect on `date`, with names: of the (provider, model) `pairs`, the `providers`, the
    `sources` only when given, of none of `not_sources`, of models of `model_type` (an untyped model
    counts as chat) and with the `dimensions` (column: value) when given. Filtering here reads thousands
    of rows fewer than filtering after; only the columns a report shows are read."""
    params: list = []
    rows = "prices p"
    if pairs is not None:  # a model's prices are looked up by (provider, model), never found by a scan
        rows = (f"(values {', '.join('(?, ?)' for _ in pairs) or '(null, null)'}) wanted "
                "join prices p on p.provider = wanted.column1 and p.model = wanted.column2")
        params += [part for pair in sorted(pairs) for part in pair]
    params += [date, date]
    only = ""
    for column, values, negate in (("provider", providers, False), ("source", sources, False),
                                   ("source", not_sources or None, True)):
        if values is not None:
            values = sorted(values)
            only += f" and p.{column} {'not ' if negate else ''}in ({', '.join('?' * len(values)) or 'null'})"
            params += values
    if model_type is not None:
        only += " and coalesce(nullif(m.type, ''), 'chat') = ?"
        params.append(model_type)
    for column, value in (dimensions or {}).items():
        if column not in DIMENSIONS:
            raise ValueError(f"not a dimension: {column}")
        only += f" and p.{column} = ?"
        params.append(value)
    return _dicts(
        db,
        f"""
        select p.source, p.provider, p.model, p.kind, {', '.join('p.' + d for d in DIMENSIONS)}, p.currency,
               p.per_mtok, p.effective_from, p.source_url,
               coalesce(pr.name, p.provider) as provider_name, coalesce(m.name, p.model) as model_name
        from {rows}
        left join providers pr on pr.id = p.provider
        left join models m on m.provider = p.provider and m.model = p.model
        where p.effective_from <= ? and (p.effective_to is null or p.effective_to > ?) {only}
        """,
        params,
    )


# Sources that list other sellers' prices; every other source is a maker's own page or record.
AGGREGATORS = ("genai-prices", "litellm", "openrouter")
# OpenRouter sells every model it lists itself: its prices are a reseller's, whoever made the model.
RESELLING_SOURCES = ("openrouter",)


def makers(db: Database) -> set[str]:
    """The providers that publish their own prices: those with a price from the bundled record, a
    recorded announcement or their own page. Azure, Bedrock, Together... sell others' models."""
    def read() -> set[str]:  # source by source through the (source, effective_to) index: an aggregator's
        # hundred thousand rows are never read to learn that they name no maker
        sources = [row[0] for row in db.execute("select distinct source from runs") if row[0] not in AGGREGATORS]
        return {row[0] for source in sources
                for row in db.execute("select distinct provider from prices where source = ?", [source])}

    return _once(db, "makers", read)


def _once(db: Database | Reader, name: str, read: Callable):
    """`read()`, asked once per Reader (a report that reads nothing new need not read it twice)."""
    known = getattr(db, "known", None)
    if known is None:
        return read()
    if name not in known:
        known[name] = read()
    return known[name]


def seller(row: dict) -> str:
    """Who charges a price: OpenRouter for what it lists, else the provider it is stored under."""
    return row["source"] if row["source"] in RESELLING_SOURCES else row["provider"]


def model_names(db: Database) -> list[dict]:
    """Every model with its aliases decoded."""
    return _once(db, "model_names", lambda: [_decoded(row) for row in db["models"].rows])


def known_pairs(db: Database, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (provider, model) `pairs` this database knows, looked up by key."""
    if not pairs:
        return set()
    rows = db.execute(f"select m.provider, m.model from (values {', '.join('(?, ?)' for _ in pairs)}) wanted "
                      "join models m on m.provider = wanted.column1 and m.model = wanted.column2",
                      [part for pair in sorted(pairs) for part in pair])
    return {tuple(row) for row in rows}


def named_models(db: Database, names: list[str]) -> list[dict]:
    """The models that may answer to `names` (ids, aliases or display names, any case): for plain ASCII names,
    only the rows holding one of them, so that naming a model among 100,000 reads a few rows; for a pattern,
    every model (match_models decides, and asks again of every model when these answer nothing)."""
    wanted = [name.strip().lower() for name in names]
    if not wanted or any(not name.isascii() or any(ch in name for ch in "*?[") for name in wanted):
        return model_names(db)
    import json

    rows = []
    for name in wanted:  # each a lookup through an index of migration m009
        quoted = json.dumps(name)[1:-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
        provider, slash, model = name.partition("/")
        for where in ("model = :name collate nocase", "name = :name collate nocase and name != model",
                      "aliases != '[]' and aliases like :alias escape '\\'",
                      *(["provider = :provider and model = :model collate nocase"] if slash else [])):
            rows += _dicts(db, f"select * from models where {where}",
                           {"name": name, "alias": f'%"{quoted}"%', "provider": provider, "model": model})
    return [_decoded(row) for row in {(row["provider"], row["model"]): row for row in rows}.values()]


def _decoded(row: dict) -> dict:
    if row["aliases"] in (None, "", "[]"):  # nearly every model: json is never imported to read a report
        return {**row, "aliases": []}
    import json

    return {**row, "aliases": json.loads(row["aliases"])}


def db_path_from_env(value: str | None) -> Path:
    return Path(value).expanduser() if value else default_db_path()


def writable(path: Path) -> None:
    """Raise PricewarError when the database file cannot be written."""
    target = path if path.exists() else path.parent
    if target.exists() and not os.access(target, os.W_OK):
        raise PricewarError(f"cannot write to the database {path}: permission denied")


def changes(db: Database, since: str | None, until: str | None, runs: list[int] | None = None, *,
            providers: Iterable[str] | None = None, not_sources: Iterable[str] = (), others: bool = False,
            limit: int = -1) -> list[dict]:
    """Every recorded change whose new price took effect in [since, until] (recorded by `runs` only, when
    given: the rows of other runs are never joined), with provider names: of the `providers` when given and
    of none of `not_sources`, or, with `others`, every change but those; at most `limit`."""
    only = "" if runs is None else f"and c.run_id in ({', '.join(str(int(run)) for run in runs) or 'null'})"
    params: dict = {"since": since, "until": until, "limit": limit}
    sold = "1"
    for column, values, negate in (("provider", providers, False), ("source", not_sources or None, True)):
        if values is not None:
            names = [f"{column}{number}" for number in range(len(values))]
            sold += f" and c.{column} {'not ' if negate else ''}in ({', '.join(':' + n for n in names) or 'null'})"
            params.update(zip(names, sorted(values)))
    return _dicts(
        db,
        f"""
        select c.*, coalesce(pr.name, c.provider) as provider_name
        from price_changes c
        left join providers pr on pr.id = c.provider
        where (:since is null or c.date >= :since) and (:until is null or c.date <= :until) {only}
          and {'not' if others else ''} ({sold})
        limit :limit
        """,
        params,
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
            order by p.effective_from, p.id
            """,
            [provider, model],
        )
    return rows
