"""`pricewar backfill`: replay a feed's git archive, each version recorded as observed at its commit's time."""

from typing import Annotated, Optional

import typer

from pricewar.cli.common import DbOption, FormatOption, app, err, handles_errors, out
from pricewar.cli.inputs import check_format, parse_date
from pricewar.cli.update import update_lock
from pricewar.history import database, recording, runs
from pricewar.output import render
from pricewar.output.render import clean
from pricewar.price import UsageError
from pricewar.sources import providers


@app.command()
@handles_errors
def backfill(
    source: Annotated[str, typer.Argument(help="The source whose adapter reads each version (litellm, openrouter, ...).")],
    git: Annotated[str, typer.Option("--git", help="A git repository, bundle file or URL holding one snapshot per commit.")],
    file: Annotated[Optional[str], typer.Option("--file", help="The file in each commit [default: the source's usual file name].")] = None,
    since: Annotated[Optional[str], typer.Option("--since", help="Only versions from this date, YYYY-MM-DD.")] = None,
    until: Annotated[Optional[str], typer.Option("--until", help="Only versions up to this date, YYYY-MM-DD.")] = None,
    wait: Annotated[float, typer.Option("--wait", help="Seconds to wait for a running update.")] = 60.0,
    fmt: FormatOption = "table",
    db_path: DbOption = None,
) -> None:
    """Replay every version of a feed kept in git, oldest first, as observed when each was committed."""
    from pricewar.history import collect
    from pricewar.sources import archive

    check_format(fmt)
    if source not in providers.names():
        raise UsageError(f"unknown source '{source}' (known: {', '.join(providers.names())})")
    file = file or getattr(providers.load(source), "ARCHIVE_FILE", None)
    if not file:
        raise UsageError(f"--file: name the file that holds {source}'s snapshots in each commit")
    first, last = (parse_date(since, "--since") if since else None), (parse_date(until, "--until") if until else None)
    path = db_path or database.default_db_path()
    db = database.open_db(path, given=db_path is not None)
    collect.seed(db)  # the bundled record's aliases line the archive's model ids up, as in `update`
    replayed = skipped = 0
    failures: list[tuple[archive.Version, str]] = []
    totals = recording.Changes()
    with archive.opened(git) as repo, update_lock(path, wait):
        versions = archive.versions(repo, file, first, last)
        failures += [(version, version.refused) for version in versions if version.refused]
        done = {(row[0], row[1]) for row in db.execute(
            "select observed_at, content_hash from runs where source = ?", [source])}
        batch = runs.new_batch()
        with _progress(len(versions), source) as advance, collect.committing(db) as commit:
            for version, body in archive.bodies(repo, file, [v for v in versions if not v.refused]):
                advance(version.observed_at[:10])
                commit()
                if version.refused:
                    failures.append((version, version.refused))
                    continue
                if (version.observed_at, runs.digest(body)) in done:
                    skipped += 1
                    continue
                where = f"{git}@{version.commit[:12]}:{file}"
                result = collect.record_source(db, source, [(where, body)], batch=batch,
                                               observed_at=version.observed_at, whole=True)
                if result.status != "ok":
                    failures.append((version, result.error))
                    continue
                replayed += 1
                totals.new += result.changes.new
                totals.changed += result.changes.changed
                totals.delisted += result.changes.delisted
    summary = {"source": source, "git": git, "file": file, "versions": len(versions), "replayed": replayed,
               "already_replayed": skipped, "failed": [{"commit": v.commit, "observed_at": v.observed_at,
                                                        "error": e} for v, e in failures],
               **{k: v for k, v in totals.counts().items() if k != "unchanged"}}
    if fmt == "json":
        render.print_json(out, summary)
    else:
        grid = render.Grid(["source", "versions", "replayed", "already replayed", "failed", "new", "changed",
                            "delisted"], right={"versions", "replayed", "already replayed", "failed", "new",
                                                "changed", "delisted"}, title=f"Replayed {file} from {git}")
        grid.rows.append([source, str(len(versions)), str(replayed), str(skipped), str(len(failures)),
                          *(str(summary[k]) for k in ("new", "changed", "delisted"))])
        render.print_grid(out, grid, fmt)
        for version, error in failures:
            err.print(clean(f"{version.observed_at} {version.commit[:12]}: skipped: {error}"), markup=False)
    if not versions:
        raise UsageError(f"no commit in {git} changes {file}" + (" in that window" if since or until else ""))
    if failures:
        raise typer.Exit(1)


class _progress:
    """A bar on a terminal; nothing in cron or a pipe."""

    def __init__(self, total: int, source: str):
        self.total, self.source, self.bar = total, source, None

    def __enter__(self):
        if err.is_terminal and self.total:
            from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn

            self.bar = Progress(TextColumn("{task.description}"), BarColumn(), MofNCompleteColumn(), console=err.rich(),
                                transient=True)
            self.bar.start()
            self.task = self.bar.add_task(f"replaying {self.source}", total=self.total)
        return self.advance

    def advance(self, day: str) -> None:
        if self.bar is not None:
            self.bar.update(self.task, advance=1, description=f"replaying {self.source} {day}")

    def __exit__(self, *exc) -> None:
        if self.bar is not None:
            self.bar.stop()
