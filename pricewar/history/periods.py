"""The periods of one source that a recording can touch: read once through an index, changed in memory,
written back in bulk."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, nullcontext
from itertools import starmap
from operator import itemgetter
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.price import KEY_COLUMNS, Price

# The columns a recording may change on a row it has read; everything else about a period is fixed.
_MUTABLE = ("per_mtok", "published", "published_unit", "effective_from", "effective_to", "end_reason",
            "first_seen", "last_seen", "source_url", "run_id", "note", "changed_after")
INSERTED = ("source", *KEY_COLUMNS, *_MUTABLE)
_BY_KEY = itemgetter(*range(1, 1 + len(KEY_COLUMNS)))  # a row's key, from its values in INSERTED order


def in_effect(row: dict, date: str) -> bool:
    return row["effective_from"] <= date and (row["effective_to"] is None or date < row["effective_to"])


class Period:
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


class Timelines:
    """The rows of one source that a recording can touch, read once, written back in bulk."""

    def __init__(self, db: Database, source: str, earliest: str, pairs: set[tuple[str, str]] | None = None):
        self.db = db
        self.by_key: dict[tuple, list[dict]] = {}
        self.dirty: dict[int, dict] = {}
        self.deleted: list[int] = []
        self.added: list[dict] = []
        self.fresh: list[tuple[Price, str]] = []  # (price, date) of new periods nothing else here touches
        # Only periods still open on the earliest date recorded matter, read through the (source, effective_to)
        # index in two ranges: a cron run reads today's rows, never the source's whole history.
        # With `pairs`, only the periods of those (provider, model), picked out as the index is walked.
        only, wanted = "", []
        if pairs is not None:
            only = f" and (provider, model) in (values {', '.join('(?, ?)' for _ in pairs) or '(null, null)'})"
            wanted = [part for pair in sorted(pairs) for part in pair]
        for where, params in (("effective_to is null", [source]), ("effective_to >= ?", [source, earliest])):
            cursor = db.conn.execute(f"select * from prices where source = ? and {where}{only}", params + wanted)
            columns = {column[0]: at for at, column in enumerate(cursor.description)}
            key_of = itemgetter(*(columns[c] for c in KEY_COLUMNS))
            shared: dict = {}  # one object for equal values (a provider, a day, a unit repeat on every row)
            for values in cursor:
                values = list(map(shared.setdefault, values, values))  # text and integers only
                self.by_key.setdefault(key_of(values), []).append(Period(values, columns))

    def at(self, key: tuple, date: str) -> dict | None:
        return next((row for row in self.by_key.get(key, ()) if in_effect(row, date)), None)

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
        insert = f"insert into prices ({', '.join(INSERTED)}) values ({', '.join('?' for _ in INSERTED)})"
        larger = len(self.fresh) > (conn.execute("select max(id) from prices").fetchone()[0] or 0)
        if not larger:  # each in the indexes' order: a first load of 200,000 prices inserts twice as fast
            self.fresh.sort(key=lambda pair: pair[0].key)
        with _indexes_made_after(conn) if larger else nullcontext():  # no index to keep in order: no sort
            conn.executemany(insert, starmap(fresh_row, self.fresh))
        conn.executemany(insert, sorted((tuple(row[c] for c in INSERTED) for row in self.added), key=_BY_KEY))


@contextmanager
def _indexes_made_after(conn) -> Iterator[None]:
    """The prices table without its indexes and triggers while more rows than it holds go in, then with each made
    again from its own definition: one sort of every row builds an index faster than rows inserted one by one
    (0.4 s of a 100,000-model first load), and the trigger that moves the data generation on (migrations m013)
    need not fire for each row of a run, which moves it on itself. Inside the recording's transaction: a failure
    rolls the drop back with the rest."""
    made = conn.execute("select type, name, sql from sqlite_master where type in ('index', 'trigger') "
                        "and tbl_name = 'prices' and sql is not null").fetchall()
    for kind, name, _ in made:
        conn.execute(f'drop {kind} "{name}"')
    try:
        yield
    finally:
        for _, _, sql in made:
            conn.execute(sql)
