"""Opening the history for a question: read with sqlite3 alone when it holds what ships (the everyday case),
else opened for writing and given the bundled record and the shipped history first (history/collect.py)."""

from __future__ import annotations

from pathlib import Path

from pricewar.history import database, shipped
from pricewar.price import PricewarError


def opened(path: Path, given: bool = False):
    """The database at `path`, migrated and holding what ships (seeded): read with sqlite3 alone when it already
    does (the everyday case), else opened for writing and loaded. Returns it and the result of loading the
    bundled record, None when it was not loaded now; PricewarError when it could not be."""
    reader = database.open_reader(path)
    if reader is not None and shipped.seeded(reader):
        return reader, None
    from pricewar.history import collect

    db = database.open_db(path, given=given)
    loaded = collect.seed(db)
    if loaded is not None and loaded.status != "ok":
        raise PricewarError(f"the bundled record could not be loaded: {loaded.error}")
    return db, loaded
