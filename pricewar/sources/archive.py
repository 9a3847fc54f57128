"""Versions of one file in a git repository, oldest first: a feed's archive, one commit per snapshot.

A commit's committer date is when its snapshot was taken. Reads through the `git` program; only
`pricewar backfill` imports this module. A bundle file or a URL is cloned (bare) into a temporary
folder first; a local repository is read where it is.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from pricewar.price import PricewarError, UsageError, moment


@dataclass(frozen=True)
class Version:
    commit: str
    observed_at: str  # the committer date in UTC, YYYY-MM-DDTHH:MM:SSZ
    subject: str = ""  # the commit message's first line (an archive names where the snapshot came from)
    refused: str = ""  # why the commit's time cannot date a snapshot (then observed_at is git's own stamp)


def _git(*args: str, cwd: Path | None = None) -> str:
    if shutil.which("git") is None:
        raise PricewarError("backfill reads archives with the git program, which is not installed")
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True)
    if done.returncode != 0:
        lines = done.stderr.strip().splitlines() or [f"exit code {done.returncode}"]
        reason = next((line for line in lines if line.startswith(("fatal:", "error:"))), lines[0])
        raise PricewarError(f"git {args[0]} failed ({reason})")
    return done.stdout


@contextmanager
def opened(location: str) -> Iterator[Path]:
    """A git directory to read `location` from: a repository as it is, a bundle or URL cloned for the while."""
    path = Path(location).expanduser()
    if path.is_dir():
        if not (path / ".git").exists() and not (path / "HEAD").exists():
            raise UsageError(f"--git: {location} is not a git repository")
        yield path
        return
    if not path.exists() and "://" not in location and not location.startswith("git@"):
        raise UsageError(f"--git: {location} does not exist")
    with tempfile.TemporaryDirectory(prefix="pricewar-archive-") as folder:
        try:
            _git("clone", "--quiet", "--bare", str(location), folder)
        except PricewarError as error:
            raise UsageError(f"--git: cannot read {location} as a git repository, bundle or URL: {error}") from None
        yield Path(folder)


def versions(repo: Path, file: str, since: str | None = None, until: str | None = None) -> list[Version]:
    """Every commit that changed `file`, oldest first, within [since, until] (dates, UTC) when given."""
    lines = _git("log", "--reverse", "--format=%H %cI %s", "--", file, cwd=repo).split("\n")
    found = []
    now = dt.datetime.now(dt.timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ")
    for line in filter(None, lines):
        commit, stamp, subject = (line.split(" ", 2) + [""])[:3]
        try:
            observed_at = moment(stamp, f"commit {commit[:12]}'s time", now)
        except PricewarError as error:  # dated 1969 or 2100: a snapshot cannot have been taken then
            found.append(Version(commit, stamp, subject, refused=str(error)))
            continue
        day = observed_at[:10]
        if (since is None or day >= since) and (until is None or day <= until):
            found.append(Version(commit, observed_at, subject))
    return sorted(found, key=lambda v: v.observed_at)


def bodies(repo: Path, file: str, items: list[Version]) -> Iterator[tuple[Version, bytes]]:
    """The file's bytes at each version, streamed through one `git cat-file --batch`."""
    process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE)
    try:
        for version in items:
            process.stdin.write(f"{version.commit}:{file}\n".encode())
            process.stdin.flush()
            header = process.stdout.readline().decode().split()
            if len(header) != 3 or header[1] != "blob":
                yield version, b""  # the file is absent at this commit: nothing to parse
                continue
            body = process.stdout.read(int(header[2]))
            process.stdout.read(1)  # the newline after each object
            yield version, body
    finally:
        process.stdin.close()
        process.stdout.close()
        process.wait()
