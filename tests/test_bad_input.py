"""Bad input and odd surroundings: one sentence and a clear exit code, never "this is a bug"."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ok, own_fixture, run

ROOT = Path(__file__).resolve().parent.parent


@pytest.mark.parametrize("args, words", [
    (["compare", "--currency", ""], "unknown currency"),
    (["changes", "--since", "1" * 5000 + "y"], "--since"),
    (["changes", "--min-change", "nan"], "--min-change"),
    (["cost", "--cache-hit", "NaN"], "--cache-hit"),
    (["economics", "--throughput", "1e999999", "--node-cost", "1", "--price", "1"], "larger than any real figure"),
    (["update", "--timeout", "nan"], "--timeout"),
    (["update", "openrouter", "--source", "http://[::1"], "not a valid URL"),
    (["update", "openrouter", "--source", "https://:80/x"], "names no host"),
    (["record", "deepseek", "x", "--input", "1e309", "--source", "https://x.test"], "digits"),
])
def test_bad_input_is_one_sentence_and_exit_2(args, words):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert words in result.stderr and "bug" not in result.stderr and "Traceback" not in result.output


def test_a_price_announced_ahead_has_a_history_and_one_no_maker_could_announce_is_refused():
    import datetime as dt

    ahead = (dt.date.today() + dt.timedelta(days=300)).isoformat()
    ok("record", "deepseek", "far-off", "--new-model", "--input", "1", "--effective", ahead, "--source", "https://x.test")
    assert ahead in ok("history", "far-off")
    refused = run("record", "deepseek", "far-off", "--input", "1", "--effective", "9999-12-31", "--source", "https://x.test")
    assert refused.exit_code == 2 and "the days a price can have" in refused.stderr


def test_another_programs_database_is_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("create table notes (text)")
    result = run("compare", "--db", str(path))
    assert result.exit_code == 1 and "another program's SQLite database" in result.stderr
    with sqlite3.connect(path) as conn:
        assert [r[0] for r in conn.execute("select name from sqlite_master")] == ["notes"]
        assert conn.execute("pragma journal_mode").fetchone()[0] != "wal"


def test_an_update_lock_that_cannot_be_opened_is_a_sentence(tmp_path):
    db = tmp_path / "h.db"
    (tmp_path / "h.db.update-lock").mkdir()  # as good as a file owned by someone else
    result = run("update", "deepseek", "--source", str(own_fixture("deepseek-peak-en.md")), "--db", str(db))
    assert result.exit_code == 1 and "cannot open the update lock" in result.stderr and "bug" not in result.stderr


def test_csv_cells_never_run_as_spreadsheet_formulas():
    ok("record", "deepseek", "=HYPERLINK(\"http://x.test\")", "--new-model", "--input", "1", "--source", "https://x.test")
    text = ok("compare", "--provider", "deepseek", "--format", "csv").lower()  # a maker's ids are kept in lower case
    assert "'=hyperlink" in text and "\n=hyperlink" not in text and ",=hyperlink" not in text


def pricewar(*args: str, cwd: Path, db: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "pricewar", *args], capture_output=True, text=True, cwd=cwd,
                          env={**os.environ, "PRICEWAR_DB": str(db)}, timeout=120)


@pytest.mark.slow
def test_six_first_commands_at_once_all_wait_their_turn(tmp_path):
    db = tmp_path / "new.db"
    command = [sys.executable, "-m", "pricewar", "compare", "deepseek-chat"]
    runs = [subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=tmp_path,
                             env={**os.environ, "PRICEWAR_DB": str(db)}) for _ in range(6)]
    finished = [(p.wait(timeout=120), p.stderr.read().decode()) for p in runs]
    assert [code for code, _ in finished] == [0] * 6, finished
    with sqlite3.connect(db) as conn:  # the bundled record recorded once, by whichever came first
        assert conn.execute("select count(*) from runs where source = 'catalog'").fetchone()[0] == 1


def test_python_m_pricewar_runs_from_the_top_of_a_clone(tmp_path):
    done = pricewar("compare", "deepseek-chat", "--at", "2024-05-10", cwd=ROOT, db=tmp_path / "h.db")
    assert done.returncode == 0 and "Traceback" not in done.stderr and "deepseek-chat" in done.stdout


def test_an_argument_longer_than_a_line_is_cut_in_the_sentence():
    result = run("compare", "x" * 100_000)
    assert result.exit_code != 0 and "LIKE" not in result.stderr and len(result.stderr) < 300, result.stderr[:300]
    assert "unknown model" in result.stderr


def test_a_recorded_id_of_any_length_can_be_named():
    long_id = "m" * 60_000
    ok("record", "deepseek", long_id, "--new-model", "--input", "1", "--source", "https://x.test")
    assert long_id in ok("compare", long_id, "-f", "json")


@pytest.mark.parametrize("count", ["9" * 5000, "1" + "0" * 16, "9" * 20 + "M"])
def test_a_token_count_beyond_any_workload_is_one_sentence(count):
    result = run("cost", "--input-tokens", count)
    assert result.exit_code == 2 and "more tokens than any workload" in result.stderr and "bug" not in result.stderr


def test_an_update_in_csv_is_one_table_and_nothing_after_it():
    import csv
    import io

    from conftest import shared_file

    ok("compare", "deepseek-chat")
    result = run("update", "deepseek", "--source", str(shared_file("fixtures/deepseek/pricing-en-2026-08-02.md")),
                 "--observed-at", "2026-08-02", "--format", "csv")
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.stdout)))
    assert rows[0] == ["source", "status", "models", "new", "changed", "unchanged", "delisted"]
    assert len(rows) == 2 and rows[1][:2] == ["deepseek", "ok"]


@pytest.mark.parametrize("mark", [5, 13])  # another program's, and one that happens to equal pricewar's own
def test_a_database_marked_only_by_another_programs_user_version_is_refused_untouched(tmp_path, mark):
    path = tmp_path / "marked.db"
    with sqlite3.connect(path) as conn:
        conn.execute(f"pragma user_version = {mark}")
    result = run("compare", "--db", str(path))
    assert result.exit_code == 1 and "another program's SQLite database" in result.stderr
    with sqlite3.connect(path) as conn:
        assert conn.execute("pragma user_version").fetchone()[0] == mark
        assert conn.execute("select count(*) from sqlite_master").fetchone()[0] == 0


def test_a_database_in_a_read_only_directory_is_read_and_never_written(tmp_path, monkeypatch):
    path = tmp_path / "shared.db"
    ok("compare", "deepseek-chat", "--db", str(path))
    before = path.read_bytes()
    real_access = os.access
    monkeypatch.setattr(os, "access", lambda where, mode: mode != os.W_OK and real_access(where, mode))
    assert "deepseek-chat" in ok("compare", "deepseek-chat", "--db", str(path))
    assert "1.25  CNY" in ok("compare", "deepseek-chat", "--currency", "CNY", "--at", "2024-06-01", "--db", str(path))
    assert "converted at USD→EUR" in ok("compare", "gpt-4o", "--currency", "EUR", "--db", str(path))  # rates kept for the run
    for args in (("record", "deepseek", "x", "--new-model", "--input", "1", "--source", "https://x.test"),
                 ("update", "deepseek", "--source", str(own_fixture("deepseek-peak-en.md")))):
        refused = run(*args, "--db", str(path))
        assert refused.exit_code == 1 and "it or its directory is read-only" in refused.stderr, refused.output
    assert path.read_bytes() == before


def test_record_refuses_a_damaged_database(tmp_path):
    path = tmp_path / "damaged.db"
    ok("compare", "deepseek-chat", "--db", str(path))
    with sqlite3.connect(path) as conn:
        conn.execute("pragma wal_checkpoint(truncate)")
    with open(path, "r+b") as file:
        for offset in range(4096 * 50, path.stat().st_size, 4096 * 97):
            file.seek(offset + 100)
            file.write(b"\xde\xad\xbe\xef" * 200)
    refused = run("record", "deepseek", "x", "--new-model", "--input", "1", "--source", "https://x.test", "--db", str(path))
    assert refused.exit_code == 1 and "is damaged" in refused.stderr and "nothing was recorded" in refused.stderr
