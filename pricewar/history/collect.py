"""Turn a source's pages into recorded prices: parse, validate, record in one transaction, log the run."""

from __future__ import annotations

import gc
import sqlite3
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.history import database, identity, recording, runs
from pricewar.price import KEY_COLUMNS, Price, PricewarError, moment
from pricewar.sources import providers

# A source that listed this many models or more and now lists under half as many has most
# likely changed its layout; recording that would delist half the market at once.
MASS_CHANGE_FLOOR = 20
ERODES_WITHIN_DAYS = 30  # a source's models are measured against its fullest observation of this many days


@dataclass
class SourceResult:
    """How one source's update went: what the summary, the JSON and the exit code are made of."""

    source: str
    status: str  # ok, failed
    error: str = ""
    location: str = ""
    models: int = 0
    changes: recording.Changes = field(default_factory=recording.Changes)
    first_load: bool = False  # this database had never recorded this source before


def record_source(
    db: Database, name: str, pages: list[tuple[str, bytes]], *, dry_run: bool = False, batch: str | None = None,
    observed_at: str | None = None, whole: bool = False,
) -> SourceResult:
    """Parse every page of source `name` and record the prices; on any failure record none of them.

    `pages` are (location, body) pairs already fetched, at `observed_at` (now by default); `whole` when they cannot
    have been cut short (an archive's git objects, each its own hash), which a download or a saved file can. With
    `dry_run` the changes are computed exactly as they would be, then rolled back. A failure nobody
    foresaw fails this source alone, so that an update still records the others.
    """
    location = " ; ".join(where for where, _ in pages)
    if observed_at is not None:
        try:
            observed_at = moment(observed_at, "the time its pages were seen", database.now())
        except PricewarError as error:  # no run is logged at a time no reader could place
            return SourceResult(name, "failed", str(error), location)
    content_hash = runs.digest(b"".join(body for _, body in pages))
    try:
        again = _record_again(db, name, location, content_hash, dry_run=dry_run, batch=batch, observed_at=observed_at)
        if again is not None:
            return again
        with _no_cycle_collection():
            module = providers.load(name)
            parsed, ending = _parse_all(module, pages)
            prices = identity.canonical_models(db, parsed)
            prices_hash = runs.prices_digest(prices)
            again = _record_again(db, name, location, prices_hash, dry_run=dry_run, batch=batch,
                                  observed_at=observed_at, column="prices_hash", content_hash=content_hash)
            if again is not None:  # other bytes, the same prices: a feed's description edited, say
                return again
            models = len({(p.provider, p.model) for p in prices})
            _check_not_mass_change(db, name, models, observed_at)
            if not whole:
                _check_not_cut_short(db, name, models, ending, location, observed_at)
            _check_no_mass_loss(db, name, prices, observed_at)
            names = module.names(pages[0][1]) if hasattr(module, "names") else None
            return record_prices(db, name, prices, location, dry_run=dry_run, names=names,
                                 content_hash=content_hash, batch=batch, observed_at=observed_at, canonical=True,
                                 prices_hash=prices_hash, ending=ending)
    except (PricewarError, sqlite3.Error) as error:
        reason = str(error)
    except Exception as error:  # noqa: BLE001 — a bug, but one source's bug must not stop the others
        reason = f"unexpected {type(error).__name__}: {error} — this is a bug in pricewar; please report it"
    return failed(db, name, reason, location, dry_run=dry_run, batch=batch, observed_at=observed_at,
                  content_hash=content_hash)


def _record_again(db: Database, name: str, location: str, known_by: str, *, dry_run: bool, batch: str | None,
                  observed_at: str | None, column: str = "content_hash", content_hash: str = "") -> SourceResult | None:
    """Pages that are byte for byte those of the source's latest observation (`known_by` their content_hash), or
    that give its very prices (with `column` "prices_hash"), recorded without weighing their prices again when
    recording.seen_again finds that only "last seen" can move (git-history's rule: an unchanged file is no new
    version); None when they must be recorded in full."""
    seen_at = observed_at or database.now()
    if recording.seen_again(db, name, known_by, seen_at, column) is None:
        return None  # most pages: known not to be the last ones without waiting for the write lock
    nested = _begin(db)
    try:
        run = recording.seen_again(db, name, known_by, seen_at, column)  # again, now that no one else writes
        if run is not None:
            run_id = runs.start_run(db, name, location, batch, seen_at)
            changes = recording.record_seen_again(db, name, run, seen_at)
            runs.finish_run(db, run_id, "ok", content_hash=content_hash or known_by, prices_hash=run["prices_hash"],
                             ending=run["ending"], models=run["models"], prices=run["prices"], currencies=run["currencies"],
                             **changes.counts())
    except BaseException:
        _end(db, nested, keep=False)
        raise
    _end(db, nested, keep=run is not None and not dry_run)
    return None if run is None else SourceResult(name, "ok", location=location, models=run["models"], changes=changes)


@contextmanager
def _no_cycle_collection():
    """Python's cycle collector paused while a page's prices are built and recorded: it would walk the
    hundreds of thousands of objects they are made of again and again, finding no garbage (a sixth of a
    100,000-model first load). Nothing made here refers to itself; the collector resumes after."""
    paused = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if paused:
            gc.enable()


def failed(db: Database, name: str, error: str, location: str, *, dry_run: bool = False,
           batch: str | None = None, observed_at: str | None = None, content_hash: str = "") -> SourceResult:
    """Log a run that recorded nothing, and say why."""
    if not dry_run:
        runs.finish_run(db, runs.start_run(db, name, location, batch, observed_at), "failed", error,
                         content_hash=content_hash)
    return SourceResult(name, "failed", error, location)


def record_prices(
    db: Database,
    name: str,
    prices: list[Price],
    location: str,
    *,
    dry_run: bool = False,
    names: tuple[dict[str, str], list[dict]] | None = None,
    content_hash: str = "",
    batch: str | None = None,
    observed_at: str | None = None,
    canonical: bool = False,
    prices_hash: str | None = None,
    ending: str | None = None,
) -> SourceResult:
    """Record `prices` of source `name` as one run, in one transaction (rolled back with `dry_run`)."""
    result = SourceResult(name, "ok", location=location, models=len({(p.provider, p.model) for p in prices}))
    nested = _begin(db)
    try:
        result.first_load = runs.last_ok_run(db, name) is None
        run_id = runs.start_run(db, name, location, batch, observed_at)
        if names is not None:
            _record_names(db, *names)
        result.changes = recording.record(db, name, prices, run_id, location, observed_at=observed_at,
                                      delist=runs.source_is_scraped(name), canonical=canonical)
        runs.finish_run(db, run_id, "ok", content_hash=content_hash, prices_hash=prices_hash, ending=ending,
                         models=result.models,
                         prices=len(prices), currencies=",".join(sorted({p.currency for p in prices})),
                         **result.changes.counts())
    except BaseException:
        _end(db, nested, keep=False)
        raise
    _end(db, nested, keep=not dry_run)
    return result


COMMIT_EVERY = 100  # versions recorded in one transaction, each in a savepoint of its own


@contextmanager
def committing(db: Database):
    """One transaction per hundred versions: the pages each version's rows share are written once, not a hundred
    times. Each version is whole or absent (collect's savepoints); a stop keeps every version finished."""
    count = [0]

    def commit() -> None:
        count[0] += 1
        if count[0] % COMMIT_EVERY == 0:
            db.execute("commit")
            db.execute("begin immediate")

    db.execute("begin immediate")
    try:
        yield commit
    finally:
        db.execute("commit")


def _begin(db: Database) -> bool:
    """A transaction of its own, or, within the caller's (a replay commits its versions a hundred at a time), a
    savepoint: whether it is one."""
    nested = db.conn.in_transaction
    db.execute("savepoint recording" if nested else "begin immediate")
    return nested


def _end(db: Database, nested: bool, keep: bool) -> None:
    if nested:
        db.execute("release recording" if keep else "rollback to recording")
        if not keep:
            db.execute("release recording")
    else:
        db.execute("commit" if keep else "rollback")


def _parse_all(module, pages: list[tuple[str, bytes]]) -> tuple[list[Price], str | None]:
    """The prices of every page, and how the pages end (runs.ending): the last model each page that is not JSON
    lists, in its own order (a JSON file cut short is no JSON; a page cut short still reads, a part of it)."""
    prices: dict[tuple, Price] = {}
    endings = []
    for where, body in pages:
        mentions = getattr(module, "MENTIONS", ())
        if mentions and not any(word in body.decode("utf-8", "replace").lower() for word in mentions):
            raise PricewarError(f"{where} never mentions {mentions[0]} — is it the right page for this source?")
        found = module.parse(body)
        if not found:
            raise PricewarError(f"no prices found in {where} — has its layout changed?")
        if body.lstrip()[:1] not in (b"{", b"["):
            endings.append(f"{found[-1].provider}/{found[-1].model}")
        for price in found:
            earlier = prices.setdefault((price.key, price.effective_from), price)
            if earlier.per_mtok != price.per_mtok:
                raise PricewarError(
                    f"{where} gives two prices for {price.model} {price.kind} ({earlier.per_mtok} and "
                    f"{price.per_mtok} {price.currency}); refusing to guess which"
                )
    return list(prices.values()), "\n".join(endings) or None


def _check_not_mass_change(db: Database, name: str, models: int, observed_at: str | None) -> None:
    """Refuse a page that finds under half the models of the source's last observation, or of its fullest of the
    last ERODES_WITHIN_DAYS: a page cut in half, or cut a little at every update (four cuts to 60% are not four
    changes of 40%)."""
    found = [run for run in (runs.last_ok_run(db, name, before=observed_at),
                             runs.fullest_recent_run(db, name, observed_at or database.now(), ERODES_WITHIN_DAYS)) if run]
    last = max(found, key=lambda run: run["models"] or 0, default=None)  # the last one, however old, or fuller
    if last and (last["models"] or 0) >= MASS_CHANGE_FLOOR and models < last["models"] / 2:
        raise PricewarError(
            f"only {models} models found where the update of {(last['observed_at'] or '')[:10]} found "
            f"{last['models']} — has the page changed? (an older saved page is dated with --observed-at)"
        )


def _check_not_cut_short(db: Database, name: str, models: int, ending: str | None, location: str,
                         observed_at: str | None) -> None:
    """Refuse pages that list fewer models than the source's observation before them and no longer end with the
    model they ended with: a download cut short, wherever the cut fell (inside a table, between two sections, in
    a sentence), loses the page's last models. A model gone from anywhere else is a delisting. (A hand-kept list
    that drops its last rows looks the same, so an archive's versions, which git keeps whole, are not weighed.)"""
    before = runs.last_ok_run(db, name, before=observed_at)
    if ending is None or before is None or not before["ending"] or before["ending"] == ending \
            or models >= (before["models"] or 0):
        return
    lost = before["ending"].split("\n")[-1].split("/", 1)[-1]
    raise PricewarError(
        f"{location} lists {models} models where the update of {(before['observed_at'] or '')[:10]} listed "
        f"{before['models']}, and no longer ends with {lost} — was the download cut short? Try again.")


def _check_no_mass_loss(db: Database, name: str, prices: list[Price], observed_at: str | None) -> None:
    # `prices` are under the database's model ids (identity.canonical_models)
    """Refuse a page on which many prices fell to zero at once, or on which the models still listed lost most
    of their prices of one kind or one tier: a file with its output fields removed, or zeros where prices
    were, is broken, not a price cut. (Models that are gone altogether are the under-half-the-models rule's.)"""
    before = runs.last_ok_run(db, name, before=observed_at)
    if before is None:
        return  # a first load, or the oldest page: nothing seen before it to lose
    # What the observation before it saw: the periods in effect, when that is the source's latest; else those it
    # saw (first seen by then, seen since), so that an older page slotting in is weighed as it would have been.
    seen = ("effective_to is null", []) if before["id"] == runs.last_ok_run(db, name)["id"] else (
        "first_seen <= ? and last_seen >= ?", [before["observed_at"]] * 2)
    zeros = Counter(p.key for p in prices if not p.per_mtok)  # a new price of 0 is a free tier, not a fall
    if _fell_to_zero(db, name, zeros, seen) < MASS_CHANGE_FLOOR and _none_can_halve(db, name, prices, seen):
        return  # most pages: counted in SQL, the source's prices in effect never read into Python
    listed = {(p.provider, p.model) for p in prices}
    # KEY_COLUMNS: provider, model, kind, currency, service_tier, context_tier, region, ...
    kinds, tiers, priced, fallen = Counter(), Counter(), 0, set()
    for row in db.execute(  # counted as read: a 100,000-model source's prices in effect are never all held at once
            f"select {', '.join(KEY_COLUMNS)} from prices where source = ? and {seen[0]} "
            "and per_mtok != '0'", [name, *seen[1]]):
        if (row[0], row[1]) in listed:
            priced += 1  # one period in effect per price
            kinds[row[2]] += 1
            tiers[row[4:7]] += 1
            if row in zeros:
                fallen.add(row)
    fell = sum(zeros[key] for key in fallen)
    if fell >= MASS_CHANGE_FLOOR and fell >= priced / 2:
        raise PricewarError(f"{fell} prices fell to zero at once — has the page changed?")
    if priced < MASS_CHANGE_FLOOR:
        return  # no kind nor tier of these models had enough prices in effect to lose (a first load of them)
    kept = [p.key for p in prices if p.per_mtok]
    for label, before, now in (("{} prices", kinds, Counter(key[2] for key in kept)),
                               ("prices of tier {}", tiers, Counter(key[4:7] for key in kept))):
        for group, count in before.items():
            if count >= MASS_CHANGE_FLOOR and now[group] < count / 2:
                shown = group if isinstance(group, str) else "'" + " ".join(part for part in group if part) + "'"
                raise PricewarError(f"only {now[group]} {label.format(shown)} found where {count} were in effect "
                                    "for the same models — has the page changed?")


def _fell_to_zero(db: Database, name: str, zeros: Counter, seen: tuple[str, list]) -> int:
    """How many of the zero prices `zeros` (key: count) replace a nonzero price in effect: their models' rows
    looked up by key."""
    if not zeros:
        return 0
    pairs = sorted({key[:2] for key in zeros})
    fell = 0
    for chunk in range(0, len(pairs), 400):
        part = pairs[chunk:chunk + 400]
        for row in db.execute(
                f"select {', '.join(KEY_COLUMNS)} from prices where source = ? and {seen[0]} "
                f"and per_mtok != '0' and (provider, model) in (values {', '.join('(?, ?)' for _ in part)})",
                [name, *seen[1], *(value for pair in part for value in pair)]):
            fell += zeros.get(row, 0)
    return fell


def _none_can_halve(db: Database, name: str, prices: list[Price], seen: tuple[str, list]) -> bool:
    """Whether `prices` hold at least half as many nonzero prices of each kind and each tier as the source has in
    effect for any model: then none of the models still listed can have lost half of one (an upper bound)."""
    kinds = Counter(p.kind for p in prices if p.per_mtok)
    tiers = Counter(p.key[4:7] for p in prices if p.per_mtok)
    in_effect = f"from prices where source = ? and {seen[0]} and per_mtok != '0'"
    return all(kinds[kind] >= count / 2 for kind, count in db.execute(
        f"select kind, count(*) {in_effect} group by kind", [name, *seen[1]])) and all(
        tiers[tuple(row[:3])] >= row[3] / 2 for row in db.execute(
            f"select service_tier, context_tier, region, count(*) {in_effect} group by 1, 2, 3", [name, *seen[1]]))


def _record_names(db: Database, provider_names: dict[str, str], models: list[dict]) -> None:
    import json

    db["providers"].upsert_all(({"id": pid, "name": name} for pid, name in provider_names.items()), pk="id")
    db["models"].upsert_all(
        (
            {"provider": m["provider"], "model": m["model"], "name": m.get("name") or m["model"],
             "aliases": json.dumps(m.get("aliases", []), ensure_ascii=False)}
            for m in models
        ),
        pk=("provider", "model"),
    )


def seed(db: Database, batch: str | None = None) -> SourceResult | None:
    """Load the bundled record when this database has not seen this version of it, and the shipped
    observed history of each source it has never recorded. The result of loading the record, if it was."""
    from pricewar.history import shipped
    from pricewar.sources.providers import catalog

    body = catalog.bundled()
    digest = runs.digest(body)  # the bytes themselves: what is shipped beside them may lag
    result = None
    if not shipped.holds_record(db, digest):
        db.execute("begin immediate")
        try:  # again inside the lock: two first commands at once record it once
            if not shipped.holds_record(db, digest):
                result = record_source(db, "catalog", [("bundled catalog", body)], batch=batch)
        except BaseException:
            db.execute("rollback")
            raise
        db.execute("commit")
    sources = shipped.missing(db)
    if sources:
        db.execute("begin immediate")
        try:
            shipped.load(db, shipped.missing(db))  # again inside the lock: another process may have loaded it
        except BaseException:
            db.execute("rollback")
            raise
        db.execute("commit")
    return result
