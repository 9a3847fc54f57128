"""Build the observed history that ships with pricewar, from the two public feed archives.

    python scripts/build_history.py [--archives ../shared/data/archives]   # needs pricewar installed and git

Replays every snapshot of each public price archive (BUNDLES: OpenRouter's model list, LiteLLM's
price file and its tokencost copy, genai-prices, llm-prices, models.dev, the one-api / one-hub gateway
tables and feed, two hand-kept CNY lists; one git commit each, committed when it was taken) into a
scratch database with pricewar's own adapters and
recording, exactly as `pricewar backfill` does, then writes what they observed to
pricewar/catalog/observed.json.gz. It also dates the bundled record's llm-prices listings: a
price listed undated on 2026-08-05 takes effect on the first day an archive showed that same
price, and ends when the archives saw the model go (the first to drop it, once none lists it).
Running it again gives the same files.
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from pricewar.history import collect, database
from pricewar.history.shipped import COLUMNS, HISTORY, OBSERVED_BY  # noqa: E402
from pricewar.price import DIMENSIONS  # noqa: E402
from pricewar.sources import archive, providers  # noqa: E402

CATALOG = ROOT / "pricewar" / "catalog" / "catalog.json"
LISTING = "LISTING: in effect on 2026-08-05 per llm-prices; start date not published"
LISTED_ON = "2026-08-05"
# "snapshot ... from jvrck/openrouterlist@1adf046c...:data/output.json" -> where the snapshot was copied from
ORIGIN = re.compile(r"from (\S+)@([0-9a-f]{7,40}):(\S+)")


def replay(db, source: str, bundle: Path, file: str) -> dict:
    origins = {}
    with archive.opened(str(bundle)) as repo:
        versions = archive.versions(repo, file)
        with collect.committing(db) as commit:
            for version, body in archive.bodies(repo, file, versions):
                commit()
                origin = ORIGIN.search(version.subject)
                where = (f"github:{origin[1]}@{origin[2][:12]}:{origin[3]}" if origin
                         else f"{bundle.name}@{version.commit[:12]}")
                result = collect.record_source(db, source, [(where, body)], observed_at=version.observed_at,
                                               whole=True)
                if result.status != "ok":
                    print(f"{source} {version.observed_at}: skipped: {result.error}", file=sys.stderr)
        origins = {"archive": bundle.name, "versions": len(versions)}
    last = db.execute("select observed_at, models from runs where source = ? and status = 'ok' "
                      "order by observed_at desc limit 1", [source]).fetchone()
    print(f"{source}: {origins['versions']} versions replayed", file=sys.stderr)
    return {**origins, "observed_at": last[0], "models": last[1]}


def export(db, sources: dict) -> dict:
    names = sorted({tuple(r) for r in db.execute(
        "select m.provider, m.model, m.name, m.type from models m join prices p on p.provider = m.provider "
        "and p.model = m.model where p.source in (%s) and (m.name != m.model or m.type != '')"
        % ",".join("?" * len(sources)), list(sources))})
    rows = [list(row) for row in db.execute(
        f"select {', '.join(COLUMNS)} from prices where source in ({','.join('?' * len(sources))}) "
        "order by source, provider, model, kind, currency, effective_from", list(sources))]
    return {"about": "Prices observed in public feed archives, replayed by scripts/build_history.py.",
            "sources": sources, "models": [list(n) for n in names], "columns": list(COLUMNS), "rows": rows}


KINDS = ("input", "output", "cache_hit")
# the bundle in ../shared/data/archives of each source whose history ships (shipped.OBSERVED_BY)
BUNDLES = {"openrouter": "openrouter-models-history.bundle", "litellm": "litellm-prices-history.bundle",
           "tokencost": "tokencost-model-prices-history.bundle", "genai-prices": "genai-prices-data-history.bundle",
           "llm-prices": "llm-prices-history.bundle", "models-dev": "models-dev-china-history.bundle",
           "one-api": "one-api-ratio-history.bundle", "one-hub": "one-hub-prices-history.bundle",
           "onehub-prices": "oaklight-onehub-prices-history.bundle", "llm-price-cny": "llm-price-cny-history.bundle",
           "llmprice-cn": "llmprice-cn-history.bundle"}


def date_listings(db) -> int:
    """Give the bundled record's undated llm-prices listings the dates the archives observed.

    Each kind is dated on its own (a cache-hit price is often listed later than the input and output
    prices), so one listing may become several entries; a rerun joins them up again first.
    """
    catalog = json.loads(CATALOG.read_text())
    listings: dict[tuple, dict] = {}
    order: list = []  # entries kept as they are, and the keys of listings, in the file's order
    for entry in catalog["prices"]:
        if not entry.get("note", "").startswith(LISTING):
            order.append(entry)
            continue
        key = tuple((name, json.dumps(value)) for name, value in entry.items()
                    if name not in (*KINDS, "note", "effective_from", "effective_to"))
        if key not in listings:
            listings[key] = {**entry, **{kind: None for kind in KINDS}}
            order.append(key)
        listings[key].update({kind: entry[kind] for kind in KINDS if entry.get(kind) is not None})
    def stated(entry: dict, kind: str, start: str) -> tuple:
        return (*(json.dumps(entry.get(name)) for name in ("provider", "model", "currency", *DIMENSIONS)), kind, start)

    # what dated announcements already say: a listing observed on the same day adds nothing
    announced = {stated(e, kind, e["effective_from"]) for e in order if isinstance(e, dict) for kind in KINDS
                 if e.get(kind) is not None}
    dated = 0
    result = []
    for item in order:
        if isinstance(item, dict):
            result.append(item)
            continue
        entry = listings[item]
        by_start: dict[tuple, list[str]] = {}
        for kind in KINDS:
            if entry.get(kind) is not None:
                by_start.setdefault(_observed(db, entry, kind), []).append(kind)
        for (start, end, seen_by), kinds in sorted(by_start.items(), key=lambda item: item[0][0] or LISTED_ON):
            kinds = [kind for kind in kinds if stated(entry, kind, start or LISTED_ON) not in announced]
            if not kinds:
                continue
            end = end if end and start and end > start else None
            note = LISTING + (f"; first observed at this price in {seen_by} on {start}" if start else "") + (
                f"; no longer listed by the archives from {end}" if end else "")
            result.append({**entry, **{kind: entry[kind] if kind in kinds else None for kind in KINDS},
                           "effective_from": start or LISTED_ON, "effective_to": end, "note": note})
            dated += start is not None
    catalog["prices"] = result
    CATALOG.write_text(json.dumps(catalog, indent=2, ensure_ascii=False) + "\n")
    return dated


def _observed(db, entry: dict, kind: str) -> tuple[str | None, str | None, str]:
    """When the archives first showed this price of `kind`, when they last listed the model, and which did."""
    start, seen_by = db.execute(
        "select min(effective_from), group_concat(distinct source) from prices where source in ('openrouter', "
        "'litellm') and provider = ? and model = ? and kind = ? and currency = ? and cast(per_mtok as real) = ? "
        "and service_tier = 'standard' and context_tier = '' and region = '' and mode = '' and time_window = ''",
        [entry["provider"], entry["model"], kind, entry["currency"], float(entry[kind])]).fetchone()
    if start is None:
        return None, None, ""
    # gone once no archive lists it any more; the first archive to drop it dates the end (LiteLLM
    # keeps retired models for months, then drops them in bulk)
    ends = db.execute(
        "select sum(effective_to is null), max(effective_to) from prices where source in ('openrouter', 'litellm') "
        "and provider = ? and model = ? group by source", [entry["provider"], entry["model"]]).fetchall()
    end = None if any(still for still, _ in ends) else min(last for _, last in ends)
    return start, end, " and ".join(OBSERVED_BY[s] for s in sorted(seen_by.split(",")))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--archives", type=Path, default=ROOT.parent / "shared" / "data" / "archives")
    parser.add_argument("--keep", type=Path, help="keep the scratch database of the replay at this path")
    parser.add_argument("--dates-only", type=Path, help="only date the listings, from a database kept earlier")
    args = parser.parse_args()
    if args.dates_only:
        if not args.dates_only.is_file():
            parser.error(f"{args.dates_only} does not exist: keep a replay with --keep first")
        print(f"dated {date_listings(database.open_db(args.dates_only))} listings in {CATALOG}", file=sys.stderr)
        return
    with tempfile.TemporaryDirectory() as folder:
        db = database.open_db(args.keep or Path(folder) / "replay.db")
        from pricewar.sources.providers import catalog

        collect.record_source(db, "catalog", [("bundled catalog", catalog.bundled())])  # its aliases, as in update
        sources = {source: replay(db, source, args.archives / bundle, providers.load(source).ARCHIVE_FILE)
                   for source, bundle in BUNDLES.items()}
        document = export(db, sources)
        HISTORY.write_bytes(gzip.compress(json.dumps(document, separators=(",", ":"), ensure_ascii=False).encode(),
                                          mtime=0))
        print(f"wrote {HISTORY} ({len(document['rows'])} prices, {HISTORY.stat().st_size:,} bytes)", file=sys.stderr)
        print(f"dated {date_listings(db)} listings in {CATALOG}", file=sys.stderr)


if __name__ == "__main__":
    main()
