"""Time whole commands as a user runs them, and check what interactive commands import.

    python tests/benchmark.py            # prints a table; exits 1 when a target is missed
    python tests/benchmark.py --archives # also replays two archives with `pricewar backfill`, twice (about 1 min)

Not collected by pytest: timings belong here, not in unit tests. Targets are for a 2-core machine. Run it with the
Python of a regular install (`pip install .`, as users get it): an editable install's import hook adds about 15 ms
to every command.
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

SHARED = Path(__file__).resolve().parent.parent.parent / "shared" / "fixtures"
ARCHIVES = SHARED.parent / "data" / "archives"
RUNS = 5
FIRST_RUN_TARGET = 1.5  # a new database: migrate, load the bundled record and the shipped history
HISTORY_RATIO = 1.5  # each interactive command with the shipped history, against a catalog-only database
# (source, bundle, target seconds for the whole replay)
REPLAYS = [("openrouter", "openrouter-models-history.bundle", 10), ("litellm", "litellm-prices-history.bundle", 60)]
FLOOR_RATIO = 1.5  # each interactive command on a fresh database, against the floor, unless it says otherwise
# (name, arguments, target median in seconds, target against the floor)
INTERACTIVE = [
    ("--help", ["--help"], 0.5, FLOOR_RATIO),
    ("compare (all models, today)", ["compare"], 0.8, 1.3),
    ("compare --vs (seed check)", ["compare", "deepseek-chat", "--vs", "gpt-4-1106-preview", "--at", "2024-05-10",
                                   "--currency", "CNY"], 0.6, FLOOR_RATIO),
    ("compare gpt-4o --at 2025-03-01", ["compare", "gpt-4o", "--at", "2025-03-01"], 0.6, FLOOR_RATIO),
    ("changes (makers' prices, all history)", ["changes"], 0.8, FLOOR_RATIO),
    ("war", ["war"], 1.0, FLOOR_RATIO),
    ("cost (all models)", ["cost", "--input-tokens", "10M", "--output-tokens", "2M"], 0.8, FLOOR_RATIO),
]
# sqlite-utils and pricewar.history.collect record; Typer's pydantic coercion is bypassed
NOT_FOR_INTERACTIVE = ("httpx", "currency_converter", "pricewar.sources.fetch", "pricewar.sources.providers.openrouter",
                       "sqlite_utils", "pydantic", "pricewar.history.collect")
FLOOR = [sys.executable, "-c", "import typer, sqlite3"]  # the interpreter's floor for a Typer CLI on SQLite
FIRST_ASKING = 2.0  # compare of every model, judged afresh and kept, against the floor
GENAI_RATIO = 0.6  # `cost` of two models against genai-prices' `calc` of the same two


def pricewar(args: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "pricewar", *args], env=env, check=True, capture_output=True,
                   cwd=Path(env["PRICEWAR_DB"]).parent)
    return time.perf_counter() - start


def run_for(command: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(command, check=True, capture_output=True)
    return time.perf_counter() - start


def imported_modules(args: list[str], env: dict) -> set[str]:
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "pricewar", *args], env=env,
                            capture_output=True, text=True, cwd=Path(env["PRICEWAR_DB"]).parent)
    return {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}


def against_genai_prices(env: dict) -> int:
    """The same question asked of genai-prices' `calc` (when its CLI is installed: pip install 'genai-prices[cli]',
    or GENAI_PRICES=/path/to/genai-prices): pricewar's `cost` of two models should take at most 0.6× as long."""
    calc = os.environ.get("GENAI_PRICES") or shutil.which("genai-prices")
    if not calc:
        print(f"{'cost against genai-prices calc':45} skipped: genai-prices' CLI is not installed")
        return 0
    ours = ["cost", "gpt-4o", "deepseek-chat", "--input-tokens", "1M", "--output-tokens", "200k"]
    theirs = [calc, "calc", "-i", "1000000", "-o", "200000", "gpt-4o", "deepseek-chat"]
    ratio = statistics.median(pricewar(ours, env) for _ in range(RUNS)) / statistics.median(
        run_for(theirs) for _ in range(RUNS))
    print(f"{'cost against genai-prices calc':45} {ratio:6.2f}×  (target {GENAI_RATIO}×, "
          f"{'ok' if ratio <= GENAI_RATIO else 'SLOW'})")
    return ratio > GENAI_RATIO


def first_asking(env: dict) -> int:
    """`compare` of every model as the first asking after an update pays for it: judged from the stored periods
    and kept (answers/memo.py), against the floor by turns; the figures above are of the askings after."""
    import sqlite3

    def asked_afresh() -> float:
        with sqlite3.connect(env["PRICEWAR_DB"]) as conn:
            conn.execute("delete from answer_memo")
        return pricewar(["compare"], env)

    floor, command = zip(*((run_for(FLOOR), asked_afresh()) for _ in range(RUNS * 2)))
    ratio = statistics.median(command) / statistics.median(floor)
    print(f"{'compare (all models), first asking':45} {statistics.median(command):6.3f} s  ({ratio:.2f}× the floor; "
          f"target {FIRST_ASKING}×, {'ok' if ratio <= FIRST_ASKING else 'SLOW'})")
    return ratio > FIRST_ASKING


def read_every_version(bundle: str, source: str) -> float:
    """The floor of a replay: the bundle cloned and every version of the file read once, as backfill does."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pricewar.sources import archive, providers

    start = time.perf_counter()
    file = providers.load(source).ARCHIVE_FILE
    with archive.opened(str(ARCHIVES / bundle)) as repo:
        for _ in archive.bodies(repo, file, archive.versions(repo, file)):
            pass
    return time.perf_counter() - start


def catalog_only(path: Path) -> None:
    """A database holding the bundled record but not the shipped history: what the history costs is the difference."""
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    from pricewar.history import collect, database, runs, shipped
    from pricewar.sources.providers import catalog

    db = database.open_db(path)
    collect.record_source(db, "catalog", [("bundled catalog", catalog.bundled())])
    for source in shipped.OBSERVED_BY:  # a run of each source: the shipped history is never loaded
        runs.finish_run(db, runs.start_run(db, source, "benchmark: no shipped history"), "failed", "benchmark")


def timed(name: str, args: list[str], env: dict, target: float) -> tuple[float, int]:
    median = statistics.median(pricewar(args, env) for _ in range(RUNS))
    verdict = "ok" if median <= target else "SLOW"
    print(f"{name:45} {median:6.3f} s  (target {target:.3f} s, {verdict})")
    return median, verdict != "ok"


def main() -> int:
    failures = 0
    with tempfile.TemporaryDirectory() as tmp:
        firsts = []
        for attempt in range(3):  # a new database each time; the median, as for every figure here
            env = {**os.environ, "PRICEWAR_DB": str(Path(tmp) / f"bench-{attempt}.db")}
            firsts.append(pricewar(["compare", "deepseek-chat"], env))
        first = statistics.median(firsts)
        failures += first > FIRST_RUN_TARGET
        print(f"{'first run (creates and seeds the database)':45} {first:6.3f} s  (target {FIRST_RUN_TARGET} s, "
              f"{'ok' if first <= FIRST_RUN_TARGET else 'SLOW'})")
        small = {**env, "PRICEWAR_DB": str(Path(tmp) / "catalog-only.db")}
        catalog_only(Path(small["PRICEWAR_DB"]))
        for database in (env, small):
            pricewar(["compare", "--currency", "CNY"], database)  # copies the CNY rates once
        for name, args, target, floor_target in INTERACTIVE:
            base, _ = timed(name + ", catalog only", args, small, target)
            took, slow = timed(name, args, env, base * HISTORY_RATIO)
            # the floor is timed by turns with the command, so that a machine slowing down weighs on both alike
            floor, command = zip(*((run_for(FLOOR), pricewar(args, env)) for _ in range(RUNS * 2)))
            ratio = statistics.median(command) / statistics.median(floor)
            failures += slow + (ratio > floor_target)
            print(f"{'  against the floor, by turns':45} {ratio:6.2f}×  (target {floor_target}×, "
                  f"{'ok' if ratio <= floor_target else 'SLOW'}; floor {statistics.median(floor):.3f} s)")
        failures += first_asking(env)
        failures += against_genai_prices(env)
        leaked = imported_modules(["compare", "deepseek-chat"], env) & set(NOT_FOR_INTERACTIVE)
        failures += bool(leaked)
        print(f"{'compare imports httpx / rate history / parsers':45} {'no' if not leaked else sorted(leaked)}")
        litellm = SHARED / "litellm" / "model_prices-2025-07-05.json"
        if not litellm.exists():
            print("../shared/fixtures is absent: the full-database timings are skipped")
            return 1 if failures else 0
        saved = ["--observed-at", "2025-07-05"]
        took = pricewar(["update", "litellm", "--source", str(litellm), *saved], env)
        print(f"{'update litellm (1,140 entries), first time':45} {took:6.3f} s")
        took = pricewar(["update", "litellm", "--source", str(litellm), *saved], env)
        print(f"{'update litellm again (nothing changed)':45} {took:6.3f} s")
        for source, page in FULL:
            saved_on = re.search(r"\d{4}-\d{2}-\d{2}", page)[0]
            pricewar(["update", source, "--source", str(SHARED / page), "--observed-at", saved_on], env)
        size = Path(env["PRICEWAR_DB"]).stat().st_size
        print(f"{'every real fixture recorded: database size':45} {size / 1e6:6.1f} MB")
        for name, args, target, _ in INTERACTIVE[1:]:
            failures += timed(name + ", full database", args, env, target)[1]
        if "--archives" in sys.argv:
            for source, bundle, target in REPLAYS:
                replay = {**env, "PRICEWAR_DB": str(Path(tmp) / f"replay-{source}.db")}
                catalog_only(Path(replay["PRICEWAR_DB"]))
                took = pricewar(["backfill", source, "--git", str(ARCHIVES / bundle)], replay)
                failures += took > target
                print(f"{'backfill ' + source + ' (whole archive)':45} {took:6.1f} s  (target {target} s, "
                      f"{'ok' if took <= target else 'SLOW'}; floor {read_every_version(bundle, source):.1f} s)")
                again = pricewar(["backfill", source, "--git", str(ARCHIVES / bundle)], replay)
                print(f"{'  the same archive again (records nothing)':45} {again:6.1f} s")
    return 1 if failures else 0


FULL = [
    ("openrouter", "openrouter/models-2026-08-01.json"), ("genai-prices", "genai-prices/data-2025-07-13.json"),
    ("deepseek", "deepseek/pricing-en-2026-08-02.md"), ("deepseek", "deepseek/pricing-zh-cn-2026-08-02.md"),
    ("anthropic", "anthropic/pricing-2025-12-20.md"), ("openai", "openai/pricing-2025-12-20.md"),
    ("google", "google/gemini-pricing-2025-11-21.md"), ("mistral", "mistral/pricing-2024-02-23.md"),
    ("moonshot", "moonshot/pricing-chat-zh-cn-2025-12-20.md"), ("minimax", "minimax/pricing-paygo-en-2025-12-20.md"),
    ("alibaba", "alibaba/model-pricing-zh-2026-02-24.md"), ("zhipu", "zhipu/docs-glm-4-zh-2025-12-20.md"),
    ("volcengine", "volcengine/model-service-pricing-payload-2025-12-13.md"),
]


if __name__ == "__main__":
    sys.exit(main())
