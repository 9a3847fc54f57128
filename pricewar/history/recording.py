"""record(): observations of a source into dated periods, storing only what changed, so that the same
observations give the same history in any order."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from functools import lru_cache
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.history import database  # database.now(), the one clock (a test sets it there)
from pricewar.history.database import dicts
from pricewar.history.identity import canonical_models
from pricewar.history.periods import INSERTED, Timelines, in_effect
from pricewar.history.runs import (
    last_ok_run,
    location_at,
    next_observations,
    previous_observation,
    source_is_scraped,
)
from pricewar.price import Price, decimal


# The stored amounts of a replay: a few thousand distinct texts, each weighed against a price a million times.
_stored = lru_cache(maxsize=1 << 14)(decimal)


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


def ensure_names(db: Database, prices: Iterable[Price], provider_names: dict[str, str] | None = None) -> None:
    """Make sure every provider and model has a row, keeping names already known."""
    provider_names = provider_names or {}
    providers = {price.provider for price in prices}
    db.conn.executemany("insert or ignore into providers (id, name) values (?, ?)",
                        ((p, provider_names.get(p, p)) for p in providers))
    models = {(price.provider, price.model): (price.display_name, price.model_type) for price in prices}
    # only models missing or untyped are written: a run of a thousand known models writes none
    types = {}  # each model looked up by key: a page of a thousand models never reads the other thousands
    keys = list(models)
    if len(keys) > (db.execute("select max(rowid) from models").fetchone()[0] or 0):  # more than the table holds:
        # one read of the table beats a lookup of each (a first load of 100,000 models)
        types = {(provider, model): kind for provider, model, kind in db.execute(
            "select provider, model, type from models") if (provider, model) in models}
        keys = []
    for chunk in range(0, len(keys), 400):
        pairs = keys[chunk:chunk + 400]
        types.update(((provider, model), kind) for provider, model, kind in db.execute(
            "select m.provider, m.model, m.type from (values " + ", ".join("(?, ?)" for _ in pairs) + ") wanted "
            "join models m on m.provider = wanted.column1 and m.model = wanted.column2",
            [part for pair in pairs for part in pair]))
    db.conn.executemany(  # in the primary key's order: a first load of 100,000 models appends to its index
        "insert or ignore into models (provider, model, name, aliases, type) values (?, ?, ?, '[]', ?)",
        sorted((p, m, name or m, kind) for (p, m), (name, kind) in models.items() if (p, m) not in types))
    db.conn.executemany("update models set type = ? where provider = ? and model = ? and type = ''",
                        ((kind, p, m) for (p, m), (_, kind) in models.items() if kind and types.get((p, m)) == ""))


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
    seen_at = observed_at or database.now()
    seen_on = seen_at[:10]
    changes = Changes()
    if not canonical:  # already under the database's model ids, as record_source gives them
        prices = canonical_models(db, prices)
    ensure_names(db, prices)
    dated = sorted(((price, price.effective_from or seen_on) for price in prices), key=itemgetter(1))
    # a price the page says had ended by the time it took effect is no price
    dated = [(price, date) for price, date in dated if price.effective_to is None or price.effective_to > date]
    observed = source_is_scraped(source)
    seen_keys = {price.key for price, _ in dated}
    still_current: list[int] = []  # rows whose price was seen again: only "last seen" moves
    pairs = None
    if observed and (last := still_latest(db, source, seen_at)) is not None and last["observed_at"] < seen_at \
            and len(seen_keys) == len(dated) and all(price.effective_from is None and price.effective_to is None for price, _ in dated):
        # The next observation after the latest: a price it saw at the same amount was seen again, as weighing
        # it would find; only the rest (and what it saw that these do not list) are weighed against the history.
        seen = _last_seen(db, source, last["observed_at"])
        again = {price.key for price, _ in dated if (row := seen.get(price.key)) is not None
                 and _stored(row[1]) == price.per_mtok}
        still_current += [seen[key][0] for key in again]
        changes.unchanged += len(again)
        dated = [(price, date) for price, date in dated if price.key not in again]
        pairs = {key[:2] for key in seen.keys() - again} | {price.key[:2] for price, _ in dated}
    timelines = Timelines(db, source, min((date for _, date in dated), default=seen_on), pairs)
    before = previous_observation(db, source, seen_at) if observed else None
    later_runs = next_observations(db, source, seen_at) if observed else {}

    repeated = set() if len(seen_keys) == len(dated) else \
        {key for key, count in Counter(price.key for price, _ in dated).items() if count > 1}
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
        if current is not None and _stored(current["per_mtok"]) == price.per_mtok:
            if "id" in current:
                still_current.append(current["id"])
            if price.effective_to is not None and current["effective_to"] is None:
                # the source now says when this price ends (a page announcing the next ones): it ends then
                timelines.change(current, effective_to=price.effective_to, end_reason="ended")
            if observed and seen_at < current["first_seen"] and (later is None or later >= current["first_seen"]):
                # seen earlier, with no observation between that did not list it: where it was first seen too
                timelines.change(current, first_seen=seen_at, changed_after=before,
                                 source_url=price.source_url or source_url)
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
                                    "changed_after": seen_at,
                                    "source_url": location_at(db, source, later) or current["source_url"]})
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
            timelines.change(following, effective_from=date, first_seen=seen_at, changed_after=before,
                             source_url=price.source_url or source_url)
            if changes.new and changes.new[-1] is price:
                changes.new.pop()
                changes.unchanged += 1
            continue
        timelines.add(key, dict(zip(INSERTED, _row(source, price, date, end, reason, seen_at, source_url, run_id,
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
                if in_effect(row, seen_on):
                    _delist(timelines, key, row, seen_at, before, later_runs.get(key[3]), source)
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


def seen_again(db: Database, source: str, content_hash: str, seen_at: str, column: str = "content_hash") -> dict | None:
    """The run that recorded these very pages (`content_hash`; or these very prices, with `column` "prices_hash")
    as `source`'s latest observation, when recording them again at `seen_at` can only move "last seen"
    (record_seen_again); None when they must be recorded in full.

    So it is when that run is the last successful one in the database (nothing since could have changed which
    model an id names), the latest observation of its source, not after `seen_at`, of a scraped source (what
    the pages did not list was delisted then), and when no period of the source ends after that day, nor is
    current and starts after it or in a currency the pages did not show: the day moving on changes nothing.
    """
    if not content_hash or not source_is_scraped(source):
        return None
    return still_latest(db, source, seen_at, (column, content_hash))


def still_latest(db: Database, source: str, seen_at: str, known_by: tuple[str, str] | None = None) -> dict | None:
    """`source`'s latest observation (with `known_by` (column, value) only), when an observation at `seen_at`
    follows it with nothing between that could have changed what it recorded (seen_again's conditions but the
    hash); None otherwise."""
    last = dicts(db, "select * from runs where status = 'ok' order by id desc limit 1", [])
    if not last or last[0]["source"] != source or (known_by is not None and last[0][known_by[0]] != known_by[1]):
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


def _last_seen(db: Database, source: str, observed_at: str) -> dict[tuple, tuple[int, str]]:
    """The periods of `source` in effect that its observation at `observed_at` saw: key -> (id, amount)."""
    from pricewar.price import KEY_COLUMNS

    return {row[2:]: row[:2] for row in db.execute(
        f"select id, per_mtok, {', '.join(KEY_COLUMNS)} from prices where source = ? and effective_to is null "
        "and last_seen = ?", [source, observed_at])}


def _without_id(row: dict) -> dict:
    return {name: value for name, value in row.items() if name != "id"}


def _last_seen_before(row: dict, before: str | None) -> str:
    """When a period ended by this observation was last seen: at the observation before, if it was by then."""
    return before if before is not None and row["first_seen"] <= before <= row["last_seen"] else row["first_seen"]


def _replace_price(timelines: Timelines, key: tuple, row: dict, price: Price, run_id: int, changes: Changes) -> None:
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


def _delist(timelines: Timelines, key: tuple, row: dict, seen_at: str, before: str | None,
            later: str | None, source: str) -> None:
    day = seen_at[:10]
    if later is not None and later <= row["last_seen"] and later[:10] > day:
        # listed again by a later observation: it is gone only until then, and was read there again
        timelines.add(key, {**_without_id(row), "effective_from": later[:10], "first_seen": later,
                            "changed_after": seen_at,
                            "source_url": location_at(timelines.db, source, later) or row["source_url"]})
    if row["effective_from"] < day:
        timelines.change(row, effective_to=day, end_reason="delisted", last_seen=_last_seen_before(row, before))
        return
    # listed and gone on the same day: no period remains, and the one before ends delisted
    earlier = timelines.ending(key, day, "changed")
    if earlier is not None:
        timelines.change(earlier, end_reason="delisted")
    timelines.delete(key, row)


def _row(source: str, price: Price, start: str, end: str | None, reason: str | None, seen_at: str, url: str,
         run_id: int, changed_after: str | None) -> tuple:
    """A new period's row, as its values in INSERTED order."""
    # source, *KEY_COLUMNS, then _MUTABLE: per_mtok, published, published_unit, effective_from, effective_to,
    # end_reason, first_seen, last_seen, source_url, run_id, note, changed_after
    return (source, *price.key, f"{price.per_mtok:f}", price.published, price.unit, start, end, reason, seen_at,
            seen_at, price.source_url or url, run_id, price.note, changed_after)
