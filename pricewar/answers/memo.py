"""A judged answer kept in the database, given again until anything it was judged from changes.

The whole market on a day is judged from thousands of stored periods; asked again (the next `compare`, `cost`
of every model, the same `changes`), the answer is read back instead. An answer is kept under the database's
generation, which every write to the tables the answers read moves on, in the writer's own transaction
(migrations m013: triggers, so a hand edit in sqlite-utils or Datasette counts too), and under the code that
judged it (pricewar's version and the newest of the judged layer's files): a new generation, a new day or an
edited module asks again. An answer is kept only when the generation it was judged at is still the database's when it
is written, so a write landing in between is never hidden. A database that cannot be written (read-only, or
locked by an update) answers as before, judging each time.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from typing import TypeVar

T = TypeVar("T")
KEPT = 8  # answers kept per generation: a day's few questions (USD, CNY, a tier); older ones are dropped


def remembered(db, question: list, judge: Callable[[], T], encode: Callable[[T], object],
               decode: Callable[[object], T]) -> T:
    """The answer to `question` (JSON-able: the function's name and every argument that shapes the answer): kept
    from an earlier asking when nothing has changed since, else `judge()`'s, kept for the next time."""
    conn = db.conn
    if conn.in_transaction:  # a writer's uncommitted rows are no answer to keep
        return judge()
    key = json.dumps([*question, code_stamp()], separators=(",", ":"), default=str)
    try:
        generation, kept = conn.execute(
            "select g.generation, m.answer from data_generation g left join answer_memo m "
            "on m.question = ? and m.generation = g.generation", [key]).fetchone()
    except sqlite3.Error:  # a database of an older schema, on its way to be migrated
        return judge()
    if kept is not None:
        return decode(json.loads(kept))
    answer = judge()
    _keep(conn, key, generation, json.dumps(encode(answer), separators=(",", ":")))
    return answer


def _keep(conn: sqlite3.Connection, key: str, generation: int, answer: str) -> None:
    """Store `answer` if the database is still at `generation`; never wait for a writer to do it."""
    timeout = conn.execute("pragma busy_timeout").fetchone()[0]
    conn.execute("pragma busy_timeout = 0")
    try:
        conn.execute("begin immediate")
        try:
            if conn.execute("select generation from data_generation").fetchone()[0] == generation:
                conn.execute("delete from answer_memo where generation != ? or question in (select question "
                             "from answer_memo order by rowid desc limit -1 offset ?)", [generation, KEPT - 1])
                conn.execute("insert or replace into answer_memo values (?, ?, ?)", [key, generation, answer])
            conn.execute("commit")
        except BaseException:
            conn.execute("rollback")
            raise
    except sqlite3.Error:  # read-only or locked: the next asking judges again
        pass
    finally:
        conn.execute(f"pragma busy_timeout = {int(timeout)}")


_stamp: list[str] = []


def code_stamp() -> str:
    """pricewar's version and the newest change to the files of the judged layer and what it reads (answers/,
    history/, price.py): the code that judged, the same for every command."""
    if not _stamp:
        import os

        from pricewar import __version__

        package = os.path.dirname(os.path.dirname(__file__))
        files = [os.path.join(package, "price.py"), *(entry.path for folder in ("answers", "history")
                 for entry in os.scandir(os.path.join(package, folder)) if entry.name.endswith(".py"))]
        _stamp.append(f"{__version__}:{max(os.stat(file).st_mtime_ns for file in files)}")
    return _stamp[0]
