"""Defaults a person keeps: the currency and the seller view, from the environment or a config file; the command
line first, then PRICEWAR_CURRENCY / PRICEWAR_VIA, then config.toml, then the command's own default."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from conftest import ok, run
from pricewar.cli import defaults
from pricewar.price import UsageError

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(autouse=True)
def home(monkeypatch):
    """Nothing kept but what a test keeps: no variables, and a config directory of the test's own (short: an
    error cuts a word longer than a line, and the file's path is one word)."""
    for variable in ("PRICEWAR_CURRENCY", "PRICEWAR_VIA", "PRICEWAR_CONFIG"):
        monkeypatch.delenv(variable, raising=False)
    config_home = Path(tempfile.mkdtemp(prefix="pw-"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(config_home))
    yield config_home
    shutil.rmtree(config_home)


def keep(home: Path, text: str | bytes) -> Path:
    """A config file where pricewar looks for one by default."""
    path = home / "pricewar" / "config.toml"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(text.encode() if isinstance(text, str) else text)
    return path


def currency_shown(*args: str) -> set[str]:
    return {row["currency"] for row in json.loads(ok("compare", "deepseek-chat", "--at", "2024-06-01", "--json", *args))}


def sellers_shown(*args: str) -> set[str]:
    return {row["seller"] for row in json.loads(ok("compare", "deepseek-chat", "--json", *args))}


def one_line(text: str) -> str:
    return " ".join(text.split())


def test_the_config_file_is_in_the_user_config_directory_unless_named(home, monkeypatch):
    assert defaults.config_path() == (home / "pricewar" / "config.toml", False)
    monkeypatch.setenv("PRICEWAR_CONFIG", "~/elsewhere.toml")
    assert defaults.config_path() == (Path("~/elsewhere.toml").expanduser(), True)


def test_the_command_line_beats_the_environment_beats_the_file_beats_usd(home, monkeypatch):
    assert currency_shown() == {"USD"}
    keep(home, 'currency = "CNY"\n')
    assert currency_shown() == {"CNY"}
    monkeypatch.setenv("PRICEWAR_CURRENCY", "EUR")
    assert currency_shown() == {"EUR"}
    assert currency_shown("--currency", "USD") == {"USD"}
    monkeypatch.setenv("PRICEWAR_CURRENCY", "")  # set but empty: as if unset
    assert currency_shown() == {"CNY"}


def test_a_kept_currency_is_checked_as_a_typed_one_is(monkeypatch):
    monkeypatch.setenv("PRICEWAR_CURRENCY", "rmb")
    assert currency_shown() == {"CNY"}


def test_a_kept_seller_view_and_makers_to_return_to_the_default(home, monkeypatch):
    makers = sellers_shown()
    assert makers == {"deepseek"}
    keep(home, 'via = "openrouter"\n')
    assert sellers_shown() == {"openrouter"}
    assert sellers_shown("--via", "makers") == makers
    monkeypatch.setenv("PRICEWAR_VIA", "all")
    assert sellers_shown() >= {"openrouter", "deepseek"}
    monkeypatch.setenv("PRICEWAR_VIA", "makers")
    assert sellers_shown() == makers


def test_only_the_reading_commands_take_kept_values(monkeypatch):
    import typer

    from pricewar.cli import app

    monkeypatch.setenv("PRICEWAR_CURRENCY", "CNY")
    monkeypatch.setenv("PRICEWAR_VIA", "all")
    mapping = defaults.default_map(typer.main.get_command(app).commands)
    assert not set(mapping) & {"record", "update", "backfill", "models", "completion"}
    assert {"compare", "changes", "history", "war", "report", "cost", "economics"} <= set(mapping)
    assert mapping["compare"] == {"currency": "CNY", "via": "all"}
    assert mapping["report"] == {"currency": "CNY"}  # report takes no --via
    assert mapping["compare"]["currency"].origin == "PRICEWAR_CURRENCY"


def test_a_recorded_price_keeps_its_own_currency(monkeypatch):
    monkeypatch.setenv("PRICEWAR_CURRENCY", "CNY")
    ok("record", "deepseek", "kept-test-model", "--new-model", "--input", "1", "--output", "2",
       "--effective", "2024-07-01", "--url", "https://example.com/announcement")
    with sqlite3.connect(os.environ["PRICEWAR_DB"]) as conn:
        rows = conn.execute("select kind, currency, published from prices where model = 'kept-test-model' "
                            "order by kind").fetchall()
    assert rows == [("input", "USD", "1 USD per 1M tokens"), ("output", "USD", "2 USD per 1M tokens")]


def test_an_error_about_a_kept_value_names_where_it_came_from(home, monkeypatch):
    monkeypatch.setenv("PRICEWAR_CURRENCY", "XYZ")
    result = run("compare", "deepseek-chat")
    assert result.exit_code == 2
    assert result.stderr.startswith("error: PRICEWAR_CURRENCY: unknown currency 'XYZ' (the ECB publishes: ")
    typed = run("compare", "deepseek-chat", "--currency", "QQQ")  # the one typed is the one blamed
    assert typed.exit_code == 2 and typed.stderr.startswith("error: --currency: unknown currency 'QQQ'")
    assert currency_shown("-c", "EUR") == {"EUR"}  # a bad kept value does not matter once one is typed
    monkeypatch.delenv("PRICEWAR_CURRENCY")
    path = keep(home, 'currency = "XYZ"\n')
    result = run("cost", "deepseek-chat")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: currency in {path}: unknown currency 'XYZ'")
    monkeypatch.setenv("PRICEWAR_VIA", "openroutr")
    result = run("compare", "deepseek-chat", "-c", "USD")
    assert (result.exit_code, result.stderr) == (2, "error: PRICEWAR_VIA: no prices sold by 'openroutr'; "
                                                    "did you mean openrouter?\n")


@pytest.mark.parametrize("text, said", [
    ('currency = "CNY"\nvia = "all"\n', {"currency": "CNY", "via": "all"}),
    ('# what I read prices in\ncurrency = " rmb "\n', {"currency": "rmb"}),
    ("", {}),
    ("currency = CNY\n", "is not TOML: invalid value (at line 1, column 12)"),
    ('curency = "CNY"\n', "has an unknown setting 'curency'; did you mean currency?"),
    ('colour = "red"\n', "has an unknown setting 'colour'; it knows currency, via"),
    ("currency = 3\n", 'needs currency as a name in quotes, like currency = "CNY"'),
    ('via = ""\n', 'needs via as a name in quotes, like via = "openrouter"'),
    ("[currency]\nname = 'CNY'\n", 'needs currency as a name in quotes'),
    (b'currency = "\xff"\n', "is not text (UTF-8)"),
])
def test_what_a_config_file_says(home, text, said):
    path = keep(home, text)
    if isinstance(said, dict):
        values = defaults.read_config(path)
        assert values == said
        assert all(value.origin == f"{key} in {path}" and value.source == str(path) for key, value in values.items())
    else:
        with pytest.raises(UsageError) as error:
            defaults.read_config(path)
        assert str(path) in str(error.value) and said in str(error.value)


def test_no_file_is_no_settings_unless_pricewar_config_names_it(tmp_path):
    assert defaults.read_config(tmp_path / "absent.toml") == {}
    with pytest.raises(UsageError, match="PRICEWAR_CONFIG: there is no file .*absent.toml"):
        defaults.read_config(tmp_path / "absent.toml", named=True)
    with pytest.raises(UsageError, match="cannot read the config file .*: Is a directory"):
        defaults.read_config(tmp_path)


@pytest.mark.parametrize("text", ["currency = CNY\n", 'curency = "CNY"\n', "via = 1\n", b"\xff\xfe"])
def test_an_unreadable_config_file_is_one_sentence_naming_it(home, text):
    path = keep(home, text)
    result = run("compare", "deepseek-chat")
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: the config file {path} ") and result.stderr.count("\n") == 1
    assert "Traceback" not in result.output and result.stdout == ""
    assert run("models", "deepseek-chat").exit_code == 0  # a command that takes no kept value never reads it
    assert run("record", "--help").exit_code == 0


def test_a_missing_file_named_by_pricewar_config(home, monkeypatch):
    monkeypatch.setenv("PRICEWAR_CONFIG", str(home / "nothere.toml"))
    result = run("war", "-n", "1")
    assert (result.exit_code, result.stderr) == (2, f"error: PRICEWAR_CONFIG: there is no file {home / 'nothere.toml'}\n")


def test_help_shows_the_default_in_effect_and_where_it_came_from(home, monkeypatch):
    assert "[default: USD]" in one_line(ok("compare", "--help"))
    assert "[default: the makers' own]" in one_line(ok("compare", "--help"))
    monkeypatch.setenv("PRICEWAR_CURRENCY", "CNY")
    path = keep(home, 'via = "openrouter"\ncurrency = "JPY"\n')
    text = one_line(ok("compare", "--help"))
    assert "(USD, CNY, EUR, ...). [default: CNY, from PRICEWAR_CURRENCY]" in text
    assert f"'makers' (their own prices). [default: openrouter, from {path}]" in text
    assert "[default: USD]" not in text and "[default: the makers' own]" not in text
    history = one_line(ok("history", "--help"))  # its own default is "as published"
    assert "Convert each price at its own date; 'published' for each as published. [default: CNY, from PRICEWAR_CURRENCY]" in history
    assert "[default: as published]" not in history
    assert "[default: USD]" in one_line(ok("record", "--help"))  # a fact about a page: never kept


def importing(*args: str) -> tuple[str, set[str]]:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    result = subprocess.run([sys.executable, "-X", "importtime", "-m", "pricewar", *args], capture_output=True,
                            text=True, env=env)
    assert result.returncode == 0, result.stderr[-500:]
    imported = {line.split("|")[-1].strip() for line in result.stderr.splitlines() if line.startswith("import time:")}
    return result.stdout, imported


def test_an_absent_config_file_costs_no_parsing(home):
    shown, imported = importing("compare", "--help")
    assert "tomllib" not in imported and "[default: USD]" in one_line(shown)
    keep(home, 'currency = "CHF"\n')
    shown, imported = importing("compare", "--help")
    assert "tomllib" in imported and "[default: CHF, from" in one_line(shown)
    _, imported = importing("--help")  # the list of commands reads no config
    assert "tomllib" not in imported
