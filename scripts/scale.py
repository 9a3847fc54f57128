"""Scale: a year of hourly cron on a generated LiteLLM price file, and a 100,000-model file.

    python scripts/scale.py                # a year: 8,760 hourly versions, then the 100,000-model file (30 min)
    python scripts/scale.py --hours 200    # a short run (3 min with --only cron)
    python scripts/scale.py --only cron    # or --only big

The generated files have the shape of LiteLLM's model_prices_and_context_window.json (see
../shared/fixtures/litellm): entries keyed by model, with `litellm_provider`, `mode`, per-token prices
as JSON floats, context limits and feature flags; some entries carry no per-token price (images,
audio, rerank) as the real file's do. Sellers come in no order (the real file groups them), and the
JSON is compact so that 100,000 models (31 MB) stay under the 32 MiB a page may weigh. Each hourly
version changes 0.5% of the prices, and now and then adds a model or drops one. The same seed gives
the same files. Versions are made one at a time, into one file in a temporary folder.

The cron: each of the last 100 versions is recorded by `pricewar update litellm --source FILE
--observed-at T` as a user's cron runs it (T one hour later each time), by turns with one of versions
1-100 recorded the same way on a copy of the database made after the first update, so that the load
of the machine weighs on both alike; the versions between are recorded in this process through the
same code (collect.record_source), which also times the recording alone. The database holds the
bundled record and OpenRouter's shipped history; LiteLLM's shipped history (observed until 2026-07)
is left out, so that a year of hours, all in the past, continues no later observation.

Prints each figure against its target and exits 1 when one is missed. Timings belong here, never in
unit tests (tests/test_scale.py holds what must not regress without looking at a clock). Targets are
for a 2-core machine; each figure is a median.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# --- the generator --------------------------------------------------------------------------

# (litellm_provider, prefix of the key): the real file keys most resellers' entries "<provider>/<model>"
SELLERS = (("openai", ""), ("azure", "azure/"), ("bedrock", ""), ("bedrock_converse", "bedrock/"),
           ("vertex_ai-language-models", "vertex_ai/"), ("anthropic", ""), ("gemini", "gemini/"),
           ("mistral", "mistral/"), ("groq", "groq/"), ("together_ai", "together_ai/"),
           ("fireworks_ai", "fireworks_ai/"), ("deepinfra", "deepinfra/"), ("openrouter", "openrouter/"),
           ("xai", "xai/"), ("perplexity", "perplexity/"))
FAMILIES = ("gpt", "claude", "gemini", "llama", "mistral", "qwen", "deepseek", "command", "grok", "phi")
SIZES = ("mini", "small", "8b", "32b", "70b", "large", "pro", "turbo")
# (LiteLLM mode, weight): chat and completion carry input and output prices, embedding an input price
# and an output of 0.0; image, audio and rerank entries are priced otherwise (no per-token price read).
MODES = (("chat", 80), ("completion", 5), ("embedding", 7), ("image_generation", 4), ("audio_transcription", 2),
         ("rerank", 2))
# USD per 1M tokens that generated prices take; a change moves a price a few steps along it.
LADDER_PER_MTOK = ("0.01", "0.02", "0.03", "0.05", "0.06", "0.08", "0.1", "0.125", "0.15", "0.2", "0.25", "0.3",
                   "0.4", "0.5", "0.6", "0.75", "0.8", "1", "1.1", "1.25", "1.5", "2", "2.5", "3", "4", "5", "6",
                   "8", "10", "12", "15", "20", "30", "40", "60", "75")
LADDER = [float(f"{amount}e-6") for amount in LADDER_PER_MTOK]  # per token, as LiteLLM writes it: 1.5e-07
STEP_OF = {value: step for step, value in enumerate(LADDER)}
CHANGED_SHARE = 0.005  # of the prices, per version
CHURN = 0.05  # the chance that a version adds a model, and the chance that it drops one
START = dt.datetime(2025, 1, 1, tzinfo=dt.UTC)  # the first hourly version


class Feed:
    """A LiteLLM-shaped price file of `models` entries that moves on one version at a time."""

    def __init__(self, models: int, seed: int = 11, changed_share: float = CHANGED_SHARE):
        self.rng = random.Random(seed)
        self.changed_share = changed_share
        self.serial = 0
        self.entries: dict[str, dict] = {"sample_spec": {"litellm_provider": "one of https://docs.litellm.ai/docs/providers",
                                                          "mode": "one of: chat, embedding, completion"}}
        for _ in range(models):
            self._add()
        # the first model is never dropped, so that `history` follows one model all year
        self.followed = next(key for key in self.entries if key != "sample_spec")

    def _add(self) -> None:
        rng = self.rng
        first = self.serial == 0
        seller, prefix = SELLERS[0] if first else rng.choice(SELLERS)
        mode = "chat" if first else rng.choices([m for m, _ in MODES], [w for _, w in MODES])[0]
        name = f"{rng.choice(FAMILIES)}-{rng.choice(SIZES)}-{self.serial:06d}"
        self.serial += 1
        context = rng.choice((8192, 32768, 128000, 200000, 1000000))
        entry: dict = {"max_tokens": context, "max_input_tokens": context, "max_output_tokens": min(context, 16384)}
        step = rng.randrange(4, len(LADDER) - 6)
        if mode in ("chat", "completion"):
            entry["input_cost_per_token"] = LADDER[step]
            entry["output_cost_per_token"] = LADDER[min(step + rng.randrange(1, 6), len(LADDER) - 1)]
            if rng.random() < 0.2:
                entry["cache_read_input_token_cost"] = LADDER[step - 4]
            if rng.random() < 0.05:
                entry["input_cost_per_token_batches"] = LADDER[step - 2]
                entry["output_cost_per_token_batches"] = LADDER[step - 1]
            if rng.random() < 0.05:
                entry["input_cost_per_token_above_128k_tokens"] = LADDER[step + 2]
        elif mode == "embedding":
            entry.update(input_cost_per_token=LADDER[step - 4], output_cost_per_token=0.0, output_vector_size=1536)
        elif mode == "image_generation":
            entry.update(input_cost_per_image=0.04, output_cost_per_image=0.08)
        elif mode == "audio_transcription":
            entry.update(input_cost_per_second=0.0001, output_cost_per_second=0.0)
        else:  # rerank: per-token zeros that are no price
            entry.update(input_cost_per_token=0.0, output_cost_per_token=0.0, input_cost_per_query=0.002)
        entry.update(litellm_provider=seller, mode=mode, supports_function_calling=rng.random() < 0.6,
                     supports_tool_choice=rng.random() < 0.6, supports_vision=rng.random() < 0.3)
        self.entries[prefix + name] = entry

    def step(self) -> None:
        """The next version: 0.5% of the prices move (the changed share), and maybe a model comes or goes."""
        rng = self.rng
        priced = [(key, name) for key, entry in self.entries.items() if entry.get("mode") not in ("rerank",)
                  for name, value in entry.items() if type(value) is float and value in STEP_OF]
        for key, name in rng.sample(priced, max(1, round(len(priced) * self.changed_share))):
            step = STEP_OF[self.entries[key][name]]
            moved = step + rng.choice((-3, -2, -1, 1, 2))
            self.entries[key][name] = LADDER[moved if 0 <= moved < len(LADDER) else step - 1]
        if rng.random() < CHURN:
            self._add()
        if rng.random() < CHURN:
            keys = list(self.entries)
            gone = rng.choice(keys[2:])  # never sample_spec, never the followed model
            del self.entries[gone]

    def body(self) -> bytes:
        return json.dumps(self.entries, separators=(",", ":")).encode()


def versions(models: int, hours: int, seed: int = 11) -> Iterator[tuple[str, bytes]]:
    """(observed_at, file) for each hourly version, made one at a time."""
    feed = Feed(models, seed)
    for hour in range(hours):
        if hour:
            feed.step()
        yield (START + dt.timedelta(hours=hour)).strftime("%Y-%m-%dT%H:%M:%SZ"), feed.body()


def periods(days: Iterator[dict[tuple, object]]) -> int:
    """How many price periods a history should hold, given what the file said at each day's last version:
    a price takes one period from the day it first ends a day at that amount until it changes or goes."""
    count, before = 0, {}
    for prices in days:
        count += sum(1 for key, amount in prices.items() if before.get(key) != amount)
        before = prices
    return count


# --- the benchmark ---------------------------------------------------------------------------

WINDOW = 100  # updates timed at the start and at the end of the year
CRON_RATIO = 1.2  # the last updates against the first
READ_RATIO = 1.5  # a report at the end of the year against the same report after the first update
BIG_MODELS = 100_000
BIG_FIRST_LOAD = (5.0, 200)  # seconds, MB peak RSS
BIG_RERUN = 2.0
BIG_COMPARE = 1.5
BIG_RATIO = 1.2  # compare --vs and history on the 100,000-model database against a fresh one
RUNS = 5
TIME = "/usr/bin/time"


def environment(db: Path) -> dict:
    env = {**os.environ, "PRICEWAR_DB": str(db), "NO_COLOR": "1", "COLUMNS": "200"}
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # without cached bytecode every import compiles again
    return env


def pricewar(args: list[str], db: Path) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pricewar", *args], env=environment(db), check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    return time.perf_counter() - start


def measured(args: list[str], db: Path) -> tuple[float, float]:
    """(seconds, peak RSS in MB) of one command, by /usr/bin/time."""
    result = subprocess.run([TIME, "-f", "%e %M", sys.executable, "-m", "pricewar", *args], env=environment(db),
                            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    seconds, kilobytes = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), int(kilobytes) / 1024


def median_of(args: list[str], db: Path, runs: int = RUNS) -> float:
    return statistics.median(pricewar(args, db) for _ in range(runs))


def verdict(name: str, value: float, target: float, unit: str = "s", extra: str = "") -> int:
    missed = value > target
    print(f"{name:52} {value:8.3f} {unit:2} (target {target:g} {unit}, {'MISSED' if missed else 'ok'}){extra}",
          flush=True)
    return int(missed)


def seeded_database(path: Path, litellm_history: bool) -> Path:
    """A new database with the bundled record and the shipped history (LiteLLM's only if `litellm_history`)."""
    from pricewar.history import collect, database, runs

    db = database.open_db(path)
    if not litellm_history:  # a run of the source: its shipped history is never loaded
        runs.finish_run(db, runs.start_run(db, "litellm", "scale benchmark: no shipped history"), "failed",
                         "scale benchmark")
    collect.seed(db)
    db.conn.close()
    return path


def price_rows(db_path: Path, source: str = "litellm") -> int:
    import sqlite3

    with sqlite3.connect(db_path) as conn:
        return conn.execute("select count(*) from prices where source = ?", [source]).fetchone()[0]


def cron(tmp: Path, hours: int, models: int, seed: int) -> int:
    from pricewar.history import collect, database, runs
    from pricewar.sources.providers import litellm

    db_path = seeded_database(tmp / "cron.db", litellm_history=False)
    first_db, early_db = tmp / "after-first.db", tmp / "early.db"  # copies of the database after the first update
    page, early_page = tmp / "model_prices.json", tmp / "early.json"
    window = min(WINDOW, (hours - 1) // 2)
    print(f"a year of hourly cron: {hours:,} versions of a {models:,}-model LiteLLM file; the last {window} updates "
          f"as commands, each beside one of the first {window} replayed on a copy of the database after the first "
          "(the machine's load weighs on both alike); the others in this process", flush=True)
    early = versions(models, window + 1, seed)
    next(early)  # the first version: recorded in both
    db = None
    first, last, alone, ends_of_days = [], [], [], []
    started = time.perf_counter()
    for hour, (observed_at, body) in enumerate(versions(models, hours, seed)):
        page.write_bytes(body)
        if hour == 0:
            update(page, observed_at, db_path)
            for copy in (first_db, early_db):
                backup(db_path, copy)
            rows_after_first = price_rows(db_path)
            followed = next(key for key in json.loads(body) if key != "sample_spec")  # Feed.followed
        elif hour >= hours - window:
            if db is not None:
                db.conn.close()
                db = None
            last.append(update(page, observed_at, db_path))
            early_at, early_body = next(early)
            early_page.write_bytes(early_body)
            first.append(update(early_page, early_at, early_db))
        else:
            db = db or database.open_db(db_path)
            took = time.perf_counter()
            result = collect.record_source(db, "litellm", [(str(page), body)], batch=runs.new_batch(),
                                           observed_at=observed_at)
            alone.append(time.perf_counter() - took)
            assert result.status == "ok", result.error
        if observed_at[11:13] == "23" or hour == hours - 1:  # the day's last price stands for the day
            ends_of_days.append({price.key: price.per_mtok for price in litellm.parse(body)})
        if hour and hour % 500 == 0:
            print(f"  {hour:,} versions recorded, {time.perf_counter() - started:.0f} s", flush=True)
    failures = 0
    print(f"updates {1}-{window}: median {statistics.median(first):.3f} s, total {sum(first):.1f} s; "
          f"the last {window}: median {statistics.median(last):.3f} s, total {sum(last):.1f} s")
    failures += verdict(f"last {window} updates against the first {window} (medians)",
                        statistics.median(last) / statistics.median(first), CRON_RATIO, "×")
    if len(alone) >= 2 * window:  # the work alone, without the interpreter's start
        print(f"alone alone, in this process: median {statistics.median(alone[:window]) * 1000:.0f} ms for "
              f"updates 1-{window}, {statistics.median(alone[-window:]) * 1000:.0f} ms for the last {window} "
              "recorded so")
    expected = periods(iter(ends_of_days))
    rows = price_rows(db_path)
    print(f"LiteLLM price rows: {rows_after_first:,} after the first update, {rows:,} at the end; "
          f"the versions' own periods: {expected:,}; database {db_path.stat().st_size / 1e6:.1f} MB")
    failures += verdict("price rows beyond the periods of real changes", rows - expected, 0, "rows")
    last_day = (START + dt.timedelta(hours=hours - 1)).date()
    for name, args, target in (
        ("changes --since last-update", ["changes", "--since", "last-update"], READ_RATIO),
        ("history " + followed, ["history", followed], READ_RATIO),
        ("compare", ["compare"], READ_RATIO),
        ("changes (every change recorded)", ["changes"], None),
        ("changes --since (the last week)", ["changes", "--since", str(last_day - dt.timedelta(days=7))], None),
    ):
        took, base = paired(args, db_path, first_db)
        label = f"{name} at the end / after the first update"
        if target is None:  # the answer itself grows with the history
            print(f"{label:52} {took / base:8.3f} ×  (no target: its answer grows) [{took:.3f} s / {base:.3f} s]")
        else:
            failures += verdict(label, took / base, target, "×", f"  [{took:.3f} s / {base:.3f} s]")
    return failures


def update(page: Path, observed_at: str, db: Path) -> float:
    return pricewar(["update", "litellm", "--source", str(page), "--observed-at", observed_at], db)


def backup(source: Path, target: Path) -> None:
    import sqlite3

    with sqlite3.connect(source) as origin, sqlite3.connect(target) as copy:
        origin.backup(copy)


def paired(args: list[str], db: Path, other: Path, runs: int = RUNS) -> tuple[float, float]:
    """The median time of a command on two databases, run by turns."""
    times = [(pricewar(args, db), pricewar(args, other)) for _ in range(runs)]
    return statistics.median(a for a, _ in times), statistics.median(b for _, b in times)


def big(tmp: Path, models: int, seed: int) -> int:
    page = tmp / "big.json"
    feed = Feed(models, seed)
    page.write_bytes(feed.body())
    print(f"a {models:,}-model LiteLLM file: {page.stat().st_size / 1e6:.1f} MB", flush=True)
    fresh = seeded_database(tmp / "fresh.db", litellm_history=True)
    update = ["update", "litellm", "--source", str(page)]
    loads, reruns = [], []
    for attempt in range(3):  # a copy of the fresh database each time
        db = tmp / f"big-{attempt}.db"
        backup(fresh, db)
        loads.append(measured(update, db))
        reruns.append(measured(update, db))
    failures = 0
    load_s, load_mb = statistics.median(s for s, _ in loads), statistics.median(mb for _, mb in loads)
    rerun_s, rerun_mb = statistics.median(s for s, _ in reruns), statistics.median(mb for _, mb in reruns)
    failures += verdict("first load: time", load_s, BIG_FIRST_LOAD[0])
    failures += verdict("first load: peak RSS", load_mb, BIG_FIRST_LOAD[1], "MB")
    failures += verdict("unchanged rerun: time", rerun_s, BIG_RERUN, extra=f"  [{rerun_mb:.0f} MB peak RSS]")
    feed.step()
    page.write_bytes(feed.body())
    moved_s, moved_mb = measured(update, db)
    print(f"{'the next version (0.5% of prices changed)':52} {moved_s:8.3f} s  (no target) [{moved_mb:.0f} MB peak RSS]")
    print(f"price rows: {price_rows(db):,}; database {db.stat().st_size / 1e6:.1f} MB")
    failures += verdict("compare (all models, today)", median_of(["compare"], db), BIG_COMPARE)
    for args in (["compare", "deepseek-chat", "--vs", "gpt-4o"], ["history", "deepseek-chat"]):
        took, base = paired(args, db, fresh)
        failures += verdict(" ".join(args) + " / a fresh database", took / base, BIG_RATIO, "×",
                            f"  [{took:.3f} s / {base:.3f} s]")
    return failures


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--hours", type=int, default=8760, help="hourly versions in the cron run [8760: a year]")
    parser.add_argument("--models", type=int, default=1100, help="models in the cron run's file [1100]")
    parser.add_argument("--big", type=int, default=BIG_MODELS, help=f"models in the big file [{BIG_MODELS:,}]")
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--only", choices=("cron", "big"))
    options = parser.parse_args()
    failures = 0
    with tempfile.TemporaryDirectory() as folder:
        tmp = Path(folder)
        if options.only != "big":
            failures += cron(tmp, options.hours, options.models, options.seed)
        if options.only != "cron":
            failures += big(tmp, options.big, options.seed)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
