"""Versions of one file in a git repository, oldest first: a feed's archive, one commit per snapshot.

A commit's committer date is when its snapshot was taken. Reads through the `git` program; only
`pricewar backfill` imports this module. A bundle file or a URL is cloned (bare) into a temporary
folder first; a local repository is read where it is.
"""

from __future__ import annotations

import datetime as dt
import os
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


# a file named on the command line is a path, never a pathspec ('*.json' is one file, not a pattern)
_LITERAL = {**os.environ, "GIT_LITERAL_PATHSPECS": "1"}


def _git(*args: str, cwd: Path | None = None) -> str:
    if shutil.which("git") is None:
        raise PricewarError("backfill reads archives with the git program, which is not installed")
    done = subprocess.run(["git", *args], cwd=cwd, capture_output=True, text=True, env=_LITERAL)
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
            _git("clone", "--quiet", "--bare", "--", str(location), folder)  # a location may start with "-"
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
    """The file's bytes at each version, streamed through one `git cat-file --batch`: b"" where the file is absent;
    a version whose path is a folder, or whose file weighs more than a fetched page may (body.MAX_BYTES), comes
    with `refused` saying so and b"", never read whole. PricewarError with git's own sentence when git fails (a
    corrupt pack, a missing object)."""
    from dataclasses import replace

    from pricewar.sources.body import MAX_BYTES

    process = subprocess.Popen(["git", "cat-file", "--batch"], cwd=repo, stdin=subprocess.PIPE,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)

    def failed() -> PricewarError:
        process.kill()
        lines = process.stderr.read().decode("utf-8", "replace").strip().splitlines() or ["it stopped"]
        reason = next((line for line in lines if line.startswith("fatal:")),
                      next((line for line in lines if line.startswith("error:")), lines[0]))
        return PricewarError(f"git cat-file failed ({reason[:200]})")

    try:
        for version in items:
            try:
                process.stdin.write(f"{version.commit}:{file}\n".encode())
                process.stdin.flush()
            except BrokenPipeError:
                raise failed() from None
            line = process.stdout.readline()
            if not line.endswith(b"\n"):
                raise failed()
            header = line.decode("utf-8", "replace").split()
            if len(header) != 3:  # "<name> missing": the file is absent at this commit, nothing to parse
                yield version, b""
                continue
            size = int(header[2])
            if header[1] == "blob" and size <= MAX_BYTES:
                body = process.stdout.read(size)
                if len(body) != size:
                    raise failed()
                process.stdout.read(1)  # the newline after each object
                yield version, body
                continue
            for _ in range(0, size + 1, 1 << 20):  # let the object go by without holding it
                process.stdout.read(min(1 << 20, size + 1 - _))
            why = (f"{file} is a {header[1]} at this commit, not a file" if header[1] != "blob" else
                   f"{file} weighs {size:,} bytes at this commit, more than the {MAX_BYTES:,} a page may")
            yield replace(version, refused=why), b""
    finally:
        process.stdin.close()
        process.stdout.close()
        process.kill()
        process.wait()
        process.stderr.close()
