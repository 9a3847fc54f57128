"""Reading is cheap: an everyday command opens the database with sqlite3 alone and imports neither
sqlite-utils (writing) nor pydantic (Typer's per-option coercion, bypassed for plain types)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import ok

from pricewar.history import database, queries
from pricewar.history.schema import migrations


def test_schema_version_counts_the_migration_steps():
    assert database.SCHEMA_VERSION == len(migrations._migrations)


def test_a_migrated_database_is_read_with_sqlite3_alone(tmp_path):
    path = tmp_path / "new.db"
    assert database.open_reader(path) is None  # nothing there yet: open_db creates it
    database.open_db(path)
    reader = database.open_reader(path)
    assert isinstance(reader, database.Reader)
    assert reader.execute("pragma user_version").fetchone()[0] == database.SCHEMA_VERSION
    other = tmp_path / "other.db"
    other.write_bytes(b"not a database at all")
    assert database.open_reader(other) is None  # open_db is the one to say what is wrong with it


def test_an_everyday_command_imports_no_write_machinery():
    ok("compare", "deepseek-chat")  # creates and seeds the database
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "pricewar", "compare", "deepseek-chat",
                             "--vs", "gpt-4o", "--limit", "3"], capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-500:]
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert not imported & {"sqlite_utils", "pydantic", "httpx", "pricewar.sources.fetch", "pricewar.history.collect"}


def test_plain_options_are_still_converted():
    assert len(ok("compare", "--limit", "2", "-f", "json").split('"provider":')) == 3
    ok("changes", "--min-change", "50")
    result = ok("compare", "deepseek-chat", "--db", os.environ["PRICEWAR_DB"])
    assert "deepseek-chat" in result


def test_every_command_is_found_in_its_module():
    from pricewar import cli
    from pricewar.cli import common

    cli.load()
    registered = {cli.command_name(command): command.callback.__module__ for command in common.app.registered_commands}
    assert registered == {name: f"pricewar.cli.{module}" for name, module in cli.MODULES.items()}
    assert list(cli.MODULES) == list(registered)


def test_a_run_builds_only_its_command():
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    ok("compare", "deepseek-chat")
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "pricewar", "history", "deepseek-chat"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-500:]
    assert "pricewar.cli.update" not in result.stderr and "pricewar.cli.money" not in result.stderr
    help_text = subprocess.run([sys.executable, "-m", "pricewar", "--help"], capture_output=True, text=True,
                               env=env).stdout
    assert all(name in help_text for name in ("update", "compare", "record", "economics", "backfill"))


def test_the_list_of_commands_is_the_full_apps():
    """`pricewar --help` lists each command from its name and help alone: every command, in order, each with
    the start of its own help."""
    from pricewar import cli
    from pricewar.cli import common

    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent)}
    listed = subprocess.run([sys.executable, "-m", "pricewar", "--help"], capture_output=True, text=True, env=env)
    assert listed.returncode == 0, listed.stderr
    lines = []  # (name, summary), a summary wrapped onto lines of its own joined again
    for line in listed.stdout.split("Commands:")[1].splitlines():
        if line.startswith("  ") and not line.startswith("   "):
            lines.append(line.split(None, 1))
        elif line.strip():
            lines[-1][1] += " " + line.strip()
    assert [name for name, _ in lines] == list(cli.MODULES)
    cli.load()
    helps = {cli.command_name(c): " ".join(c.callback.__doc__.split()) for c in common.app.registered_commands}
    for name, text in lines:
        assert helps[name].replace(" ", "").startswith(text.replace(" ", "")) and not text.endswith("..."), name  # wrapped


def test_naming_a_model_is_a_lookup_not_a_scan(tmp_path):
    db = database.open_db(tmp_path / "plans.db")
    plans = []
    db.conn.set_trace_callback(lambda sql: plans.append(sql) if sql.startswith("select * from models where") else None)
    found = queries.named_models(db, ["openai/GPT-4o"])
    db.conn.set_trace_callback(None)
    assert plans and found == []  # a new database: nothing found, every lookup asked
    for sql in plans:
        detail = " ".join(row[3] for row in db.execute("explain query plan " + sql.replace(":", "@"),
                                                       {"name": "x", "alias": "%x%", "provider": "p", "model": "m"}))
        assert "USING INDEX" in detail and ("SEARCH" in detail or "models_aliased" in detail), (sql, detail)
