"""Price a synthetic usage log through the Python API, time it, and check a sample against the CLI.

    python scripts/price_usage_log.py                  # 100,000 records, 2024-06 to 2026-11, 40 checked
    python scripts/price_usage_log.py --records 20000 --check 10 --db /tmp/pricewar.db

The log: several models (DeepSeek's, with its peak and off-peak hours, OpenAI's, Anthropic's, Alibaba's,
Zhipu's), at random UTC times, with input, cached and output tokens. Each checked record is asked again of
`pricewar compare MODEL --at TIME --format json`, and its prices must be the same row's.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import subprocess
import sys
import time
from decimal import Decimal

import pricewar.api

MODELS = ("deepseek-chat", "deepseek-reasoner", "gpt-4o-mini", "gpt-4o", "claude-3-5-haiku-20241022", "qwen-max",
          "glm-4-plus")


def usage_log(count: int, seed: int = 7) -> list[dict]:
    """`count` records from 2024-06-01 to 2026-11-30, one model each, some of them where it had no price yet."""
    rng = random.Random(seed)
    start = dt.datetime(2024, 6, 1, tzinfo=dt.timezone.utc)
    span = int((dt.datetime(2026, 11, 30, tzinfo=dt.timezone.utc) - start).total_seconds())
    records = []
    for _ in range(count):
        at = start + dt.timedelta(seconds=rng.randrange(span))
        records.append({"model": rng.choice(MODELS), "at": at.strftime("%Y-%m-%dT%H:%M:%SZ"),
                        "input_tokens": rng.randrange(0, 20_000), "cached_tokens": rng.randrange(0, 50_000),
                        "output_tokens": rng.randrange(0, 4_000)})
    return records


def check(record: dict, spent, db: str | None, currency: str) -> str | None:
    """'' when `pricewar compare` answers the record's moment with the quote's prices; what differs otherwise."""
    command = [sys.executable, "-m", "pricewar", "compare", record["model"], "--at", record["at"], "--currency",
               currency, "--type", "all", "--format", "json"]
    env = {**os.environ, **({"PRICEWAR_DB": db} if db else {})}
    rows = json.loads(subprocess.run(command, capture_output=True, text=True, env=env, check=True).stdout)
    quote = spent.quote
    same = [row for row in rows if row["model"] == quote.model and row["time_window"] == quote.time_window
            and row["source"] == quote.source and row["region"] == quote.region]
    if not same:
        return f"{record['model']} at {record['at']}: compare lists no {quote.model} [{quote.time_window}] row"
    row = same[0]
    for kind in ("input", "output", "cache_hit"):
        ours = getattr(quote, kind)
        theirs = None if row[kind] is None else Decimal(str(row[kind]))
        if ours != theirs:
            return f"{record['model']} at {record['at']}: {kind} {ours} here, {theirs} in compare"
    return None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--check", type=int, default=40, help="records asked again of `pricewar compare`")
    parser.add_argument("--currency", default="CNY")
    parser.add_argument("--db", help="the history [default: PRICEWAR_DB, else the user's]")
    args = parser.parse_args()
    records = usage_log(args.records)
    began = time.perf_counter()
    with pricewar.api.open(args.db, currency=args.currency) as prices:
        opened = time.perf_counter()
        costs = prices.costs(records, strict=False)
        done = time.perf_counter()
        priced = [(r, c) for r, c in zip(records, costs) if c.error is None]
        total = sum((c.total for _, c in priced), Decimal(0))
        peak = sum(1 for _, c in priced if c.quote.time_window.startswith("peak"))
        off_peak = sum(1 for _, c in priced if c.quote.time_window.startswith("off-peak"))
        print(f"{len(records):,} records priced in {done - opened:.2f} s (open {opened - began:.2f} s): "
              f"{len(priced):,} priced ({peak:,} at peak, {off_peak:,} off-peak prices), "
              f"{len(records) - len(priced):,} with no price then; total {total:,.2f} {args.currency}")
        sample = random.Random(11).sample(priced, min(args.check, len(priced)))
        differences = [d for r, c in sample if (d := check(r, c, args.db, args.currency))]
    print(f"{len(sample)} checked against `pricewar compare --at`: {len(sample) - len(differences)} the same")
    for difference in differences:
        print("  " + difference)
    return 1 if differences else 0


if __name__ == "__main__":
    sys.exit(main())
