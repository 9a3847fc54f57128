"""`pricewar models`: what each model is called, since when and by whom it is seen, found by name or pattern."""

from __future__ import annotations

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ok, run

from pricewar.history import database, queries


@pytest.fixture(scope="module")
def db(tmp_path_factory) -> str:
    """One history holding the bundled record and the shipped archives, read by every test here (none writes)."""
    path = tmp_path_factory.mktemp("models") / "pricewar.db"
    ok("models", "deepseek-chat", "--db", str(path))  # the first command loads them
    return str(path)


def rows(db: str, *args: str) -> list[dict]:
    return json.loads(ok("models", *args, "--format", "json", "--db", db))


def test_a_pattern_lists_glm_4_and_its_siblings_with_the_records_names(db):
    found = rows(db, "glm*")
    names = {(r["provider"], r["model"]): r["name"] for r in found}
    assert names[("zhipu", "glm-4")] == "GLM-4"
    assert names[("zhipu", "glm-4-flash")] == "GLM-4-Flash"
    assert names[("zhipu", "glm-4-air")] == "GLM-4-Air"
    assert names[("zhipu", "glm-4-plus")] == "GLM-4-Plus"
    assert ("zhipu", "glm-3-turbo") in names and ("zhipu", "glm-4.5") in names
    assert all(r["model"].lower().startswith("glm") for r in found)
    table = ok("models", "glm*", "--db", db)
    assert f"{len(found)} models named 'glm*'" in table
    line = next(line for line in table.splitlines() if " glm-4-flash " in line and line.startswith("Zhipu"))
    assert "GLM-4-Flash" in line and "2024-06-05" in line and "current" in line and "catalog" in line


def test_names_are_matched_in_any_case(db):
    assert [(r["provider"], r["model"]) for r in rows(db, "GLM-4-FLASH")] == [("zhipu", "glm-4-flash")]


def test_the_makers_own_ids_come_before_the_resellers(db):
    found = rows(db, "glm*")
    makers = queries.makers(database.open_reader(Path(db)))
    own = [r["provider"] in makers for r in found]
    assert own[0] and not own[-1] and own == sorted(own, reverse=True)
    zhipu = [r["model"] for r in found if r["provider"] == "zhipu"]
    assert zhipu == sorted(zhipu, key=str.casefold)
    assert "the makers' own ids first" in ok("models", "glm*", "--db", db)


def test_deepseek_chat_as_json_gives_its_aliases_first_seen_and_sources(db):
    found = {r["provider"]: r for r in rows(db, "deepseek-chat")}
    chat = found["deepseek"]
    assert chat["model"] == "deepseek-chat" and chat["name"] == "DeepSeek Chat" and chat["provider_name"] == "DeepSeek"
    assert chat["aliases"] == []  # a moving id keeps its own history: no other id is joined to it
    assert chat["first_seen"] <= "2024-05-06"  # V2's launch price; gateways listed the id before it
    assert chat["current"] is True and chat["last_seen"] is None and chat["type"] == "chat"
    assert chat["sources"][0] == "catalog" and {"openrouter", "litellm"} <= set(chat["sources"])
    assert chat["sources"].index("litellm") < chat["sources"].index("one-api")  # in the order they are trusted


def test_an_alias_finds_its_model_and_shows_every_alias(db):
    [sonnet] = rows(db, "claude-3-5-sonnet-20240620")
    assert (sonnet["provider"], sonnet["model"], sonnet["name"]) == ("anthropic", "claude-3.5-sonnet", "Claude 3.5 Sonnet")
    assert "claude-3-5-sonnet-20240620" in sonnet["aliases"] and "claude-3-5-sonnet" in sonnet["aliases"]
    assert "claude-3-5-sonnet, claude-3-5-sonnet-20240620" in ok("models", "claude-3.5-sonnet", "--db", db)


def test_a_model_no_longer_listed_says_when_it_was_last_seen(db):
    [v2] = rows(db, "deepseek-v2")  # the record's V2, until V2.5 took its place
    assert v2["current"] is False and "2024-05-06" <= v2["first_seen"] < v2["last_seen"] < "2024-09-06"
    found = rows(db, "deepseek*")
    assert any(not r["current"] for r in found) and any(r["current"] for r in found)
    assert all((r["last_seen"] is None) == r["current"] for r in found)
    assert all(r["last_seen"] is None or r["first_seen"] <= r["last_seen"] for r in found)


def test_provider_lists_only_that_providers_models(db):
    found = rows(db, "-p", "deepseek")
    assert {r["provider"] for r in found} == {"deepseek"}
    assert {"deepseek-chat", "deepseek-reasoner", "deepseek-v2"} <= {r["model"] for r in found}
    assert rows(db, "--provider", "DeepSeek") == found  # by name too
    assert [r["provider"] for r in rows(db, "deepseek-chat", "-p", "deepseek")] == ["deepseek"]
    assert rows(db, "deepseek-chat", "-p", "zhipu") == []
    assert "no model of zhipu answers to that name" in ok("models", "deepseek-chat", "-p", "zhipu", "--db", db)


def test_type_is_all_unless_asked(db):
    kinds = {r["model"]: r["type"] for r in rows(db, "text-embedding-3*", "-p", "openai")}
    assert kinds == {"text-embedding-3-large": "embedding", "text-embedding-3-small": "embedding"}
    assert rows(db, "text-embedding-3*", "--type", "chat") == []
    assert "--type all lists every kind" in ok("models", "text-embedding-3*", "--type", "chat", "--db", db)
    assert {r["type"] for r in rows(db, "glm*", "--type", "chat")} == {"chat"}
    assert "audio" in {r["type"] for r in rows(db, "glm*")}  # glm-4-voice


@pytest.mark.parametrize("pattern", ["gpt4-turboo", "zzz-no-such*"])
def test_an_unknown_pattern_is_one_sentence_and_a_usage_error(db, pattern):
    result = run("models", pattern, "--db", db)
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.startswith(f"error: unknown model '{pattern}'")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr


@pytest.mark.parametrize("args", [["--type", "text"], ["--limit", "0"], ["--format", "xml"], ["-p", "no-such-maker"]])
def test_bad_options_are_usage_errors(db, args):
    result = run("models", *args, "--db", db)
    assert result.exit_code == 2 and result.stderr.startswith("error: ") and "Traceback" not in result.stderr


def test_csv_has_a_header_and_one_row_per_model(db):
    text = ok("models", "deepseek*", "--format", "csv", "--db", db)
    table = list(csv.reader(io.StringIO(text)))
    assert table[0] == ["provider", "provider_name", "model", "name", "aliases", "type", "first_seen", "last_seen",
                        "current", "sources"]
    keys = [(row[0], row[2]) for row in table[1:]]
    assert len(keys) == len(set(keys)) == len(rows(db, "deepseek*"))
    chat = next(row for row in table[1:] if row[:3] == ["deepseek", "DeepSeek", "deepseek-chat"])
    assert chat[8] == "true" and chat[7] == "" and chat[9].startswith("catalog;")


def test_limit_cuts_the_list_and_says_so(db):
    assert len(rows(db, "glm*", "-n", "3")) == 3
    table = ok("models", "glm*", "-n", "3", "--db", db)
    assert "the first 3 of" in table and len([line for line in table.splitlines() if "  glm" in line]) == 3


def test_markdown_is_a_table(db):
    text = ok("models", "glm-4-flash", "--format", "markdown", "--db", db)
    assert "| provider | model | name | aliases | type | first seen | last seen | sources |" in text
    assert "| Zhipu" in text and "GLM-4-Flash" in text


def test_every_model_costs_two_queries_however_many_are_named(db):
    from pricewar.cli.models import known

    reader = database.open_reader(Path(db))
    asked = []
    reader.conn.set_trace_callback(asked.append)
    everything = known(reader, None, None)
    few = known(reader, {("zhipu", "glm-4"), ("deepseek", "deepseek-chat")}, None)
    reader.conn.set_trace_callback(None)
    assert len(asked) == 4 and len(everything) > 1000 and len(few) == 2


def test_help_says_what_goes_where():
    """Its metavars and example are the shared ones (cli/common.py: METAVARS, EXAMPLES)."""
    result = run("models", "--help")
    assert result.exit_code == 0
    for text in ("List models: id, name, aliases", "[PATTERN]...", "--provider PROVIDER", "--limit N",
                 "--db PATH", "--type chat|embedding|image|audio|all", "[default: all]", "pricewar models 'glm*'"):
        assert text in result.stdout, text
    assert "<str>" not in result.stdout and "<list[str]>" not in result.stdout


def test_the_command_imports_no_write_or_fetch_machinery(db):
    env = {**os.environ, "PYTHONPATH": str(Path(__file__).resolve().parent.parent), "PRICEWAR_DB": db}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "pricewar", "models", "glm*"],
                            capture_output=True, text=True, env=env)
    assert result.returncode == 0, result.stderr[-500:]
    assert "GLM-4-Flash" in result.stdout
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    assert "pricewar.answers.names" in imported  # (the command's own module is not listed: it is imported by name)
    assert not imported & {"sqlite_utils", "pydantic", "httpx", "pricewar.sources.fetch", "pricewar.history.collect"}
