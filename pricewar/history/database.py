"""Opening the SQLite history: open_db() creates and migrates it for writing, open_reader() reads it
with sqlite3 alone; where it lives; rows as dicts."""

from __future__ import annotations

import datetime as dt
import os
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.price import PricewarError, UsageError


def default_db_path() -> Path:
    """Where the history lives unless --db or PRICEWAR_DB says otherwise."""
    from platformdirs import user_data_dir

    return Path(user_data_dir("pricewar", appauthor=False)) / "pricewar.db"


def db_path_from_env(value: str | None) -> Path:
    return Path(value).expanduser() if value else default_db_path()


def writable(path: Path) -> None:
    """Raise PricewarError when the database cannot be written: its file, or the directory its write-ahead log goes in."""
    if path.exists() and not (os.access(path, os.W_OK) and os.access(path.parent, os.W_OK)):
        raise PricewarError(f"cannot write to the database {path}: it or its directory is read-only (a read "
                            "needs no writing, but recording, and a database this version has not set up, do)")
    if not path.exists() and path.parent.exists() and not os.access(path.parent, os.W_OK):
        raise PricewarError(f"cannot write to the database {path}: permission denied")


def check_sound(db: Database | Reader, path: Path) -> None:
    """Raise PricewarError when SQLite finds the database damaged (a disk or a copy gone wrong): a price recorded
    into it could be lost with the pages around it. The check reads every page once (0.13 s for the shipped history)."""
    problem = db.execute("pragma quick_check(1)").fetchone()[0]
    if problem != "ok":
        raise PricewarError(f"the database {path} is damaged ({problem.splitlines()[-1]}); nothing was recorded — "
                            "restore it from a copy, or give --db a new file")


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
    writable(path)
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


SCHEMA_VERSION = 14  # the number of steps in migrations/ (test_read_path holds the two together)


def open_reader(path: Path) -> Reader | None:
    """The database at `path` for reading with sqlite3 alone, when it holds every schema step; None when it
    does not exist or needs open_db() (to be created or migrated, or to say what is wrong with it)."""
    path = Path(path).expanduser()
    if not path.is_file():
        return None
    try:
        conn = _connect_to_read(path)
        if conn.execute("pragma user_version").fetchone()[0] != SCHEMA_VERSION or not conn.execute(
                "select 1 from sqlite_master where name = '_sqlite_migrations'").fetchone():  # not ours alone
            conn.close()
            return None
        conn.execute("pragma busy_timeout = 30000")
    except sqlite3.Error:
        return None
    return Reader(conn)


def _connect_to_read(path: Path) -> sqlite3.Connection:
    """A connection that reads `path`, even where its directory cannot be written (a shared or mounted history): a
    WAL database there has no shared-memory file to make, so it is read without one — as it stands when no write-ahead
    log is left beside it, or through the log that is."""
    if os.access(path.parent, os.W_OK):
        return sqlite3.connect(path, timeout=30, isolation_level=None)
    quiet = "" if Path(f"{path}-wal").exists() else "&immutable=1"
    return sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro{quiet}", uri=True, timeout=30, isolation_level=None)


class Reader:
    """A pricewar database read through sqlite3 alone: the few reading calls of sqlite-utils' Database that the
    reports use, so that `compare` and friends never load sqlite-utils (writing is `update`'s business)."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self.known: dict[str, object] = {}  # what a report asks several times (models, makers); prices never change here

    def execute(self, sql: str, params: list | dict = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, params)

    def query(self, sql: str, params: list | dict = ()) -> Iterable[dict]:
        return iter(dicts(self, sql, params))

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
        if db.table_names() or db.execute("pragma user_version").fetchone()[0]:  # another program's mark
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


def dicts(db: Database, sql: str, params: dict | list) -> list[dict]:
    """Rows as dicts, straight from sqlite3 (thousands of rows: sqlite-utils' query costs twice as much)."""
    cursor = db.conn.execute(sql, params)
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, values)) for values in cursor]


def once(db: Database | Reader, name: str, read: Callable):
    """`read()`, asked once per Reader (a report that reads nothing new need not read it twice)."""
    known = getattr(db, "known", None)
    if known is None:
        return read()
    if name not in known:
        known[name] = read()
    return known[name]
