"""A date is a claim, checked at the one door it comes in by (price.day, price.moment): a time given on the command
line, a commit's time, a page's stated day, the record. Anything outside the days a price can have is one sentence
and a non-zero exit, or a version skipped and reported, and the database never holds a date its readers cannot
read: every date column is walked after every hostile case."""

from __future__ import annotations

import datetime as dt
import json
import os
import sqlite3
import subprocess
from decimal import Decimal

import pytest

from conftest import ok, run, shared_file
from pricewar.history import collect, database
from pricewar.price import EARLIEST, Price, PricewarError, day, latest_day, moment
from test_history_truth import commit, litellm_file, needs_git

DAYS = {"prices": ("effective_from", "effective_to"), "fx_loads": ("first_date", "last_date")}
MOMENTS = {"prices": ("first_seen", "last_seen", "changed_after"), "runs": ("started_at", "finished_at", "observed_at")}


def every_date_is_readable(path: str) -> None:
    """Each stored day and time parses, lies within EARLIEST and the last day a price can have, in one form."""
    with sqlite3.connect(path) as conn:
        for table, columns in DAYS.items():
            for column in columns:
                for (value,) in conn.execute(f"select distinct {column} from {table} where {column} is not null"):
                    assert value == dt.date.fromisoformat(value).isoformat(), (table, column, value)
                    assert EARLIEST <= value <= latest_day() or table == "fx_loads", (table, column, value)
        for table, columns in MOMENTS.items():
            for column in columns:
                for (value,) in conn.execute(f"select distinct {column} from {table} where {column} is not null"):
                    assert len(value) == 20 and value.endswith("Z"), (table, column, value)
                    dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
                    assert EARLIEST <= value[:10] <= database.today(), (table, column, value)


def counts(path: str) -> tuple[int, int]:
    with sqlite3.connect(path) as conn:
        return tuple(conn.execute(f"select count(*) from {table}").fetchone()[0] for table in ("prices", "runs"))


@pytest.fixture
def path(no_shipped_history) -> str:
    ok("compare", "deepseek-chat")
    return os.environ["PRICEWAR_DB"]


@pytest.mark.parametrize("when", [
    "0001-01-01", "0002-06-01", "0010-01-01", "0020-12-31", "0100-01-01", "0202-01-01", "1999-12-31", "2019-12-31",
    "1" * 10_000, "9999-12-31T23:00:00-05:00", "0001-01-01T00:30:00+01:00", "2100-01-01", "tomorrow", "",
    "2025-02-30", "2025-13-01",
])
def test_a_page_seen_at_an_impossible_time_is_one_sentence_and_writes_nothing(path, when):
    page = shared_file("fixtures/deepseek/pricing-en-2026-08-02.md")
    before = counts(path)
    result = run("update", "deepseek", "--source", str(page), "--observed-at", when)
    assert result.exit_code == 2 and "Traceback" not in result.output
    message = result.output.strip().splitlines()
    assert len(message) == 1 and "--observed-at" in message[0] and len(message[0]) < 200, result.output
    assert counts(path) == before
    every_date_is_readable(path)
    ok("history", "deepseek-chat")
    assert "0.28" not in ok("compare", "deepseek-chat", "--at", "2024-01-01", "-f", "json")  # no 2026 price in 2024


@pytest.mark.parametrize(("args", "words"), [
    (["compare", "--at", "0001-01-01"], "--at"), (["compare", "--at", "2019-12-31"], "--at"),
    (["compare", "--at", "9" * 5000], "--at"), (["changes", "--since", "9" * 10_000], "--since"),
    (["changes", "--since", "9" * 10_000 + "d"], "--since"), (["changes", "--until", "0999-01-01"], "--until"),
    (["record", "deepseek", "deepseek-chat", "--input", "1", "--effective", "0020-01-01", "--source", "https://x.test"],
     "--effective"),
    (["cost", "--at", "2100-01-01", "--input-tokens", "1M"], "--at"),
])
def test_a_date_outside_the_war_on_the_command_line_is_one_sentence(path, args, words):
    before = counts(path)
    result = run(*args)
    assert result.exit_code == 2 and "Traceback" not in result.output and words in result.output, result.output
    assert len(result.output.strip().splitlines()) == 1
    assert counts(path) == before
    every_date_is_readable(path)


def test_a_span_back_past_the_war_reaches_its_start(path):
    assert ok("changes", "--since", "999999d", "-f", "json") == ok("changes", "--since", EARLIEST, "-f", "json")


@pytest.mark.parametrize("field", ["effective_from", "effective_to"])
@pytest.mark.parametrize("value", ["1-01-01", "0001-01-01", "2019-01-01", "20250101", "2025-02-29", "9999-01-01"])
def test_a_stated_day_no_reader_could_place_is_no_price(field, value):
    with pytest.raises(PricewarError) as error:
        Price(provider="deepseek", model="deepseek-chat", kind="input", per_mtok=Decimal("1"), currency="CNY",
              **{field: value})
    assert "deepseek-chat input" in str(error.value)


def test_the_checks_store_one_form():
    assert day("2024-05-06", "x") == "2024-05-06"
    assert moment("2024-05-06", "x", "2030-01-01T00:00:00Z") == "2024-05-06T00:00:00Z"
    assert moment("2024-05-06T08:00:00+08:00", "x", "2030-01-01T00:00:00Z") == "2024-05-06T00:00:00Z"
    assert moment("2024-05-06T00:00:00Z", "x", "2030-01-01T00:00:00Z") == "2024-05-06T00:00:00Z"


def test_recording_at_an_impossible_time_fails_the_source_alone(path):
    db = database.open_db(path)
    before = counts(path)
    result = collect.record_source(db, "deepseek", [("page", b"anything")], observed_at="1-01-01T00")
    assert result.status == "failed" and "not a date or time" in result.error
    assert counts(path) == before


def dated_2100(repo) -> None:
    """The last commit made again with the time 2100-01-01 (git refuses to write such a date itself)."""
    def git(*args: str, given: str | None = None) -> str:
        return subprocess.run(["git", *args], cwd=repo, check=True, capture_output=True, text=True,
                              input=given).stdout.strip()

    tree, parent = git("rev-parse", "HEAD^{tree}"), git("rev-parse", "HEAD^")
    text = (f"tree {tree}\nparent {parent}\nauthor t <t@x.test> 4102444800 +0000\n"
            "committer t <t@x.test> 4102444800 +0000\n\na snapshot from 2100\n")
    git("update-ref", "HEAD", git("hash-object", "-t", "commit", "-w", "--stdin", given=text))


@needs_git
def test_a_commit_dated_outside_the_war_is_skipped_and_reported(tmp_path, path):
    repo = tmp_path / "archive"
    repo.mkdir()
    subprocess.run(["git", "init", "-q"], cwd=repo, check=True)
    commit(repo, litellm_file({"deepseek-chat": (1.4e-07, 2.8e-07)}), "1559347200 +0000")  # 2019-06-01
    commit(repo, litellm_file({"deepseek-chat": (2.7e-07, 1.1e-06)}), "2025-02-09T09:30:00+08:00")
    commit(repo, litellm_file({"deepseek-chat": (9e-07, 9e-06)}), "2025-03-01T00:00:00+00:00")
    dated_2100(repo)
    result = run("backfill", "litellm", "--git", str(repo), "--file", "prices.json", "--format", "json")
    assert result.exit_code == 1 and "Traceback" not in result.output
    summary = json.loads(result.stdout)
    assert (summary["versions"], summary["replayed"], len(summary["failed"])) == (3, 1, 2)
    assert all("commit" in failure["error"] for failure in summary["failed"])
    every_date_is_readable(path)
    with sqlite3.connect(path) as conn:
        assert conn.execute("select group_concat(per_mtok) from prices where source = 'litellm' and kind = 'input'"
                            ).fetchone()[0] == "0.27"


def litellm_page(count: int) -> bytes:
    return litellm_file({f"model-{n}": (1e-07, 2e-07) for n in range(count)}).encode()


def test_a_feed_cut_a_little_at_every_update_is_a_mass_loss(path):
    db = database.open_db(path)

    def seen(count: int, day: str):
        return collect.record_source(db, "litellm", [("feed", litellm_page(count))], observed_at=f"{day}T00:00:00Z")

    assert seen(100, "2026-01-01").status == seen(60, "2026-01-08").status == "ok"  # 60 of 100: a change
    cut = seen(36, "2026-01-15")  # 36 of 60 would pass; against the fullest of the month, 100, it does not
    assert cut.status == "failed" and "only 36 models found where the update of 2026-01-01 found 100" in cut.error
    assert seen(36, "2026-03-01").status == "ok"  # against the last one, 60, two months on: a change again
