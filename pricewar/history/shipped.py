"""The observed history that ships with pricewar: what public feed archives showed, and when.

`pricewar/catalog/observed.json.gz` is written by scripts/build_history.py, which replays
every public archive in OBSERVED_BY through its adapter. A database gets it once per source,
on first use, as that source's past: a later `pricewar update` of the source continues from it.
A database that has already recorded a source keeps its own history of it (`pricewar backfill`
replays an archive into any database).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.history import runs
from pricewar.price import DIMENSIONS

HISTORY = Path(__file__).parent.parent / "catalog" / "observed.json.gz"  # package data
COLUMNS = ("source", "provider", "model", "kind", *DIMENSIONS, "currency", "per_mtok", "published",
           "published_unit", "effective_from", "effective_to", "end_reason", "first_seen", "last_seen",
           "source_url", "note", "changed_after")
# Each source whose archive ships, and what its observations are called in the record's notes.
OBSERVED_BY = {"openrouter": "OpenRouter's model list", "litellm": "LiteLLM's price file",
               "tokencost": "tokencost's copy of LiteLLM's file", "genai-prices": "genai-prices' data file",
               "llm-prices": "simonw/llm-prices' vendor files", "models-dev": "models.dev's provider files",
               "one-api": "one-api's ratio table", "one-hub": "one-hub's price list",
               "onehub-prices": "the onehub_prices feed", "llm-price-cny": "the LLM-Price list (CNY)",
               "llmprice-cn": "llmprice.cn's list"}


def seeded(db: Database) -> bool:
    """Whether the database holds what ships with this version of pricewar: its bundled record and the shipped
    history of every source it has not recorded itself (a read needs nothing more, and imports no recording)."""
    from pricewar.sources.providers import catalog

    return holds_record(db, catalog.bundled_digest()) and not missing(db)


def holds_record(db: Database, content_hash: str) -> bool:
    """Whether the database has recorded the bundled record whose runs.content_hash is `content_hash`."""
    return db.execute("select 1 from runs where source = 'catalog' and status = 'ok' and content_hash = ? limit 1",
                      [content_hash]).fetchone() is not None


def missing(db: Database) -> list[str]:
    """The sources whose shipped history this database has not got (nor any history of its own)."""
    if not HISTORY.is_file():
        return []
    have = {row[0] for row in db.execute(
        f"select distinct source from runs where source in ({','.join('?' * len(OBSERVED_BY))})", list(OBSERVED_BY))}
    return [source for source in OBSERVED_BY if source not in have]


def load(db: Database, sources: list[str]) -> int:
    """Insert the shipped history of `sources`, one run each; the number of prices inserted. Call in a transaction."""
    import gzip
    import json

    document = json.loads(gzip.decompress(HISTORY.read_bytes()))
    if list(document["columns"]) != list(COLUMNS):
        raise ValueError("observed.json.gz was written for another schema; rebuild it with scripts/build_history.py")
    inserted = 0
    for source in sources:
        about = document["sources"][source]
        run_id = runs.start_run(db, source, f"bundled history ({about['archive']}, {about['versions']} versions)",
                                 observed_at=about["observed_at"])
        rows = [row for row in document["rows"] if row[0] == source]
        db.conn.executemany("insert or ignore into providers (id, name) values (?, ?)",
                            {(row[1], row[1]) for row in rows})
        db.conn.executemany(
            "insert or ignore into models (provider, model, name, aliases, type) values (?, ?, ?, '[]', ?)",
            [*document["models"], *{(row[1], row[2], row[2], "") for row in rows}])
        db.conn.executemany("update models set type = ? where provider = ? and model = ? and type = ''",
                            [(kind, provider, model) for provider, model, _, kind in document["models"] if kind])
        db.conn.executemany(
            f"insert into prices ({', '.join(COLUMNS)}, run_id) values ({', '.join('?' * (len(COLUMNS) + 1))})",
            (row + [run_id] for row in rows),
        )
        currencies = ",".join(sorted({row[COLUMNS.index("currency")] for row in rows}))
        runs.finish_run(db, run_id, "ok", models=about["models"], prices=len(rows), new=len(rows),
                         currencies=currencies)
        inserted += len(rows)
    return inserted
