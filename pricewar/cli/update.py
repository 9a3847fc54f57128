"""`pricewar update`: collect every source concurrently, record what changed, say what happened."""

import fcntl
import time
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Optional

import typer

from pricewar.cli.common import DbOption, FormatOption, app, err, handles_errors, out
from pricewar.cli.inputs import check_format, parse_moment
from pricewar.history import database, runs
from pricewar.history.collect import SourceResult
from pricewar.output import render
from pricewar.output.render import clean
from pricewar.price import PricewarError, UsageError, format_amount
from pricewar.sources import providers

SOURCE_IDS = providers.names()
LISTED_PER_SOURCE = 20  # new models named one by one in the table; the rest are counted


@contextmanager
def update_lock(db_path: Path, wait_seconds: float):
    """One update at a time per database: a second one waits, then gives up with a sentence."""
    lock_path = db_path.with_name(db_path.name + ".update-lock")
    try:
        handle = open(lock_path, "a+")  # noqa: SIM115 — closed by the with below
    except OSError as error:
        raise PricewarError(f"cannot open the update lock {lock_path}: {error.strerror or error}") from None
    with handle:
        deadline = time.monotonic() + wait_seconds
        told = False
        while True:
            try:
                fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() >= deadline:
                    raise PricewarError(
                        f"another pricewar update is still running on {db_path}; gave up after {wait_seconds:g} s"
                    ) from None
                if not told and err.is_terminal:
                    err.print("waiting for another pricewar update to finish…", style="dim", markup=False)
                    told = True
                time.sleep(0.2)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)


def check_url(url: str) -> None:
    """A usage error for a URL no request could be made to ("http://[::1", "https://:80")."""
    from urllib.parse import urlsplit

    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 — reading it checks it
    except ValueError as error:
        raise UsageError(f"--page: '{url}' is not a valid URL ({error})") from None
    if not parts.hostname:
        raise UsageError(f"--page: '{url}' names no host")


def read_saved(where: str) -> bytes:
    """A saved page, refused past the size a download may have (a device or a runaway file never ends)."""
    from pricewar.sources.body import MAX_BYTES

    path = Path(where).expanduser()
    try:
        with path.open("rb") as handle:
            body = handle.read(MAX_BYTES + 1)
    except OSError as error:
        raise UsageError(f"--page: cannot read {where}: {error.strerror or error}") from None
    if len(body) > MAX_BYTES:
        raise UsageError(f"--page: {where} is larger than the {MAX_BYTES:,} bytes pricewar accepts")
    return body


@app.command()
@handles_errors
def update(
    sources: Annotated[Optional[list[str]], typer.Argument(
        help=f"Sources to collect [default: all of them: {', '.join(SOURCE_IDS)}].")] = None,
    source_file: Annotated[Optional[str], typer.Option(
        "--page", help="Parse this saved page or URL with the one source named, instead of its usual pages.")] = None,
    observed_at: Annotated[Optional[str], typer.Option(
        "--observed-at", help="When the --page was saved (YYYY-MM-DD or ISO time) [default: now].")] = None,
    old_name: Annotated[Optional[str], typer.Option("--source", hidden=True)] = None,  # --page's name until 0.1
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would change; write nothing.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only changes and errors (for cron).")] = False,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for another running update.")] = 60.0,
    timeout: Annotated[float, typer.Option("--timeout", help="Seconds to wait for each answer (3 tries per page).")] = 20.0,
    fmt: FormatOption = "table",
    db_path: DbOption = None,
) -> None:
    """Collect published prices from every source (or those named) and record what changed."""
    source_file = source_file or old_name
    from pricewar.history import collect

    check_format(fmt)
    if not 0 < timeout <= 3600:  # NaN fails this too
        raise UsageError("--timeout: give a number of seconds above 0, at most 3600")
    known = providers.names()
    for name in sources or []:
        if name not in known:
            raise UsageError(f"unknown source '{name}' (known: {', '.join(known)})")
    names = list(dict.fromkeys(sources or known))
    if observed_at is not None:
        if source_file is None:
            raise UsageError("--observed-at dates a saved page: give it with --page FILE")
        observed_at = parse_moment(observed_at, "--observed-at")
    pages: dict[str, list[tuple[str, bytes]]] = {}
    remote: dict[str, list[str]] = {}
    if source_file is not None:
        if len(names) != 1:
            raise UsageError("--page parses one page with one source: name exactly one source")
        if names == ["catalog"]:
            raise UsageError("the bundled record is read from the package, not from a file; to add a price of "
                             "your own, use `pricewar record`")
        if source_file.startswith(("http://", "https://")):
            check_url(source_file)
            remote[names[0]] = [source_file]
        else:
            pages[names[0]] = [(source_file, read_saved(source_file))]
    else:
        for name in names:
            module = providers.load(name)
            if module.URLS:
                remote[name] = list(module.URLS)
            else:
                pages[name] = [("bundled catalog", module.bundled())]

    path = db_path or database.default_db_path()
    db = database.open_db(path, given=db_path is not None)
    with update_lock(path, wait):
        batch = runs.new_batch()
        # The bundled record (its aliases line other sources' model ids up) and the shipped history
        # come first, as they do for `compare`: the order of commands does not change the result.
        seeded = None if dry_run else collect.seed(db, batch)
        results = [*(seeded if name == "catalog" and seeded is not None and source_file is None else
                     collect.record_source(db, name, bodies, dry_run=dry_run, batch=batch, observed_at=observed_at)
                     for name, bodies in pages.items()),
                   *fetch_and_record(db, remote, dry_run, batch, timeout, observed_at)]
    results.sort(key=lambda r: names.index(r.source))

    if fmt == "json":
        render.print_json(out, {"dry_run": dry_run, "sources": [result_json(r) for r in results]})
    offline = unreachable(results, remote)
    if fmt != "json":
        print_summary(results, fmt, quiet, dry_run, told_apart=not offline)
    failed = [r for r in results if r.status != "ok"]
    if failed:
        if fmt == "table" and offline:
            err.print(clean(offline), markup=False)
        elif fmt == "table":
            others = ("nothing was written (dry run)" if dry_run else "nothing was recorded"
                      if len(failed) == len(results) else "the others were recorded")
            err.print(f"{len(failed)} of {len(results)} sources failed; {others}.", markup=False)
        raise typer.Exit(1)


def unreachable(results: list[SourceResult], remote: dict[str, list[str]]) -> str:
    """One line when no remote source could be reached at all (offline, no DNS): the first reason, and what was
    recorded all the same (the bundled record, the shipped history); '' when any answered, or one was refused."""
    tried = [r for r in results if r.source in remote]
    if len(tried) < 2 or any(r.status == "ok" or not r.error.startswith("could not reach") for r in tried):
        return ""
    reason = tried[0].error.rsplit(": ", 1)[-1]
    recorded = [r for r in results if r.source not in remote and r.status == "ok"]
    what = ("the bundled record was loaded (first use)" if any(r.first_load for r in recorded) else
            "nothing new was recorded; the history already held the bundled record")
    return (f"the network is unreachable: none of the {len(tried)} sources answered ({reason}); {what}; "
            "`pricewar update` again when online")


def fetch_and_record(db, remote: dict[str, list[str]], dry_run: bool, batch: str, timeout: float,
                     observed_at: str | None = None) -> list[SourceResult]:
    """Fetch every remote source at once, showing progress on a terminal, then record each."""
    if not remote:
        return []
    from pricewar.history import collect
    from pricewar.sources import fetch

    if err.is_terminal:
        from rich.progress import Progress, SpinnerColumn, TextColumn

        with Progress(SpinnerColumn(), TextColumn("{task.description}"), console=err.rich(), transient=True) as progress:
            tasks = {name: progress.add_task(f"fetching {name}") for name in remote}

            def done(fetched):
                state = "failed" if fetched.error else f"fetched {sum(len(b) for _, b in fetched.pages):,} bytes"
                progress.update(tasks[fetched.source], description=f"{fetched.source}: {state}")

            fetched_all = fetch.fetch_all(remote, done=done, timeout=timeout)
    else:
        fetched_all = fetch.fetch_all(remote, timeout=timeout)
    results = []
    for fetched in fetched_all:
        if fetched.error:
            results.append(collect.failed(db, fetched.source, fetched.error, " ; ".join(remote[fetched.source]),
                                          dry_run=dry_run, batch=batch))
        else:
            results.append(collect.record_source(db, fetched.source, fetched.pages, dry_run=dry_run, batch=batch,
                                                 observed_at=observed_at))
    return results


def change_pct(old, new) -> float | None:
    return None if old == 0 else float(round((new - old) / old * 100, 2))


def price_json(price) -> dict:
    return {"provider": price.provider, "model": price.model, "kind": price.kind, "currency": price.currency,
            "price": price.per_mtok, "service_tier": price.service_tier, "context_tier": price.context_tier,
            "region": price.region, "mode": price.mode, "time_window": price.time_window,
            "effective_from": price.effective_from}


def result_json(result: SourceResult) -> dict:
    changes = result.changes
    return {
        "source": result.source,
        "status": result.status,
        "error": result.error or None,
        "location": result.location,
        "models": result.models,
        "first_load": result.first_load,
        "new": [price_json(p) for p in changes.new],
        "changed": [
            {**price_json(p), "old": old, "new": p.per_mtok, "change_pct": change_pct(old, p.per_mtok)}
            for p, old in changes.changed
        ],
        "unchanged": changes.unchanged,
        "delisted": [
            {"provider": r["provider"], "model": r["model"], "kind": r["kind"], "currency": r["currency"],
             "price": r["per_mtok"]} for r in changes.delisted
        ],
    }


def describe(price) -> str:
    if price.service_tier == "standard" and not (price.context_tier or price.region or price.mode
                                                 or price.time_window):
        return price.model  # most prices: a summary of a first load describes hundreds of thousands
    extras = [d for d in (price.context_tier, price.region, price.mode, price.time_window) if d]
    if price.service_tier != "standard":
        extras.insert(0, price.service_tier)
    return f"{price.model} [{', '.join(extras)}]" if extras else price.model


def print_summary(results: list[SourceResult], fmt: str, quiet: bool, dry_run: bool, told_apart: bool = True) -> None:
    """What each source gave; each failure on a line of its own unless not `told_apart` (one line says them all)."""
    if not quiet:
        grid = render.Grid(["source", "status", "models", "new", "changed", "unchanged", "delisted"],
                           right={"models", "new", "changed", "unchanged", "delisted"},
                           title="Dry run — nothing written" if dry_run else "")
        for r in results:
            if r.status == "ok":
                c = r.changes.counts()
                grid.rows.append([r.source, "ok", str(r.models), *(str(c[k]) for k in
                                                                    ("new", "changed", "unchanged", "delisted"))])
            else:
                grid.rows.append([r.source, "failed", "", "", "", "", ""])
        render.print_grid(out, grid, fmt)
    for r in results:
        if r.status != "ok" and told_apart:
            err.print(clean(f"{r.source}: failed: {r.error}; nothing recorded for {r.source}"), markup=False)
    told = out
    if fmt == "csv":  # one table of data and nothing after it: what more there is to say goes to stderr
        told = err
    for r in results:
        if r.first_load and (r.changes.new or r.changes.changed):
            dated = (f"; its {len(r.changes.changed)} dated price changes are in `pricewar changes --source "
                     f"{r.source}`") if r.changes.changed else ""
            told.print(clean(f"{r.source}: first load, {len(r.changes.new) + len(r.changes.changed):,} prices of "
                             f"{r.models:,} models recorded{dated}"), markup=False, soft_wrap=True)
    changed = [(r.source, p, old) for r in results if not r.first_load for p, old in r.changes.changed]
    if changed and fmt != "csv":  # in CSV: `pricewar changes --since last-update -f csv`
        grid = render.Grid(["source", "provider", "model", "kind", "old → new", "change"], title="Price changes",
                           right={"change"})
        for source, p, old in changed:
            pct = change_pct(old, p.per_mtok)
            grid.rows.append([source, p.provider, describe(p), p.kind,
                              f"{format_amount(old)} → {format_amount(p.per_mtok)} {p.currency}",
                              "" if pct is None else f"{pct:+.1f}%"])
        render.print_grid(out, grid, fmt)
    elif changed:
        told.print(f"{len(changed)} price changes: `pricewar changes --since last-update -f csv` lists them",
                   markup=False, soft_wrap=True)
    new_models = [(r.source, sorted({describe(p) for p in r.changes.new})) for r in results if r.changes.new]
    for source, models in new_models:
        shown = ", ".join(models[:LISTED_PER_SOURCE])
        more = f" and {len(models) - LISTED_PER_SOURCE} more" if len(models) > LISTED_PER_SOURCE else ""
        told.print(clean(f"{source}: new prices for {shown}{more}"), markup=False, soft_wrap=True)
    for r in results:
        gone = sorted({row["model"] for row in r.changes.delisted})
        if gone:
            told.print(clean(f"{r.source}: no longer listed: {', '.join(gone)}"), markup=False, soft_wrap=True)
