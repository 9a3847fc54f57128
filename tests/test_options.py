"""One set of options on every command, help that says what goes where, and errors that guess the intent."""

from __future__ import annotations

import json
import re

import pytest

from conftest import ok, run
from pricewar.cli import MODULES

COMMANDS = list(MODULES)


def test_h_is_help_and_V_the_version():
    assert ok("-h") == ok("--help")
    assert re.fullmatch(r"pricewar \d+\.\d+\.\d+\n", ok("-V"))
    for command in COMMANDS:
        assert ok(command, "-h") == ok(command, "--help")


@pytest.mark.parametrize("command", COMMANDS)
def test_help_says_what_goes_where_and_shows_an_example(command):
    text = ok(command, "--help")
    assert "<str>" not in text and "<int>" not in text and "<list" not in text and "<float>" not in text, text
    assert "Example:" in text and f"pricewar {command}" in text.split("Example:")[1]


def test_the_command_list_never_cuts_a_summary():
    text = ok("--help").split("Commands:")[1]
    assert "..." not in text
    assert all(command in text for command in COMMANDS)


def test_json_is_format_json_everywhere():
    assert json.loads(ok("compare", "deepseek-chat", "--json")) == json.loads(
        ok("compare", "deepseek-chat", "--format", "json"))
    assert json.loads(ok("war", "-n", "2", "--json"))


@pytest.mark.parametrize("named", ["RMB", "rmb", "¥", "元", "人民币", "CNH", "yuan"])
def test_rmb_yuan_and_their_signs_are_cny(named):
    assert json.loads(ok("compare", "deepseek-chat", "--at", "2024-06-01", "-c", named, "--json"))[0]["currency"] == "CNY"


def test_an_unknown_currency_lists_those_published_now():
    result = run("compare", "deepseek-chat", "-c", "XYZ")
    assert result.exit_code == 2 and "RMB, ¥ and 元 are CNY" in result.stderr
    assert "CNY" in result.stderr and "EEK" not in result.stderr and "CYP" not in result.stderr


def test_a_share_above_one_is_a_percentage():
    as_share = json.loads(ok("cost", "deepseek-chat", "--input-tokens", "10M", "--cache-hit", "0.3", "--json"))
    assert json.loads(ok("cost", "deepseek-chat", "--input-tokens", "10M", "--cache-hit", "30", "--json")) == as_share
    assert json.loads(ok("cost", "deepseek-chat", "--input-tokens", "10M", "--cache-hit", "30%", "--json")) == as_share


def test_a_month_is_its_first_day():
    assert ok("compare", "deepseek-chat", "--at", "2024-06") == ok("compare", "deepseek-chat", "--at", "2024-06-01")
    assert ok("war", "--since", "2024-05", "-n", "3") == ok("war", "--since", "2024-05-01", "-n", "3")


def test_sellers_and_sources_are_suggested():
    via = run("compare", "--via", "openroute")
    assert via.exit_code == 2 and "did you mean openrouter?" in via.stderr and "open-r1" not in via.stderr
    source = run("compare", "--source", "openroutr")
    assert source.exit_code == 2 and "did you mean openrouter?" in source.stderr


def test_war_takes_the_listing_options():
    rows = json.loads(ok("war", "-n", "3", "--json"))
    assert len(rows) == 3
    assert json.loads(ok("war", "--type", "embedding", "--json")) == []
    assert {row["provider"] for row in json.loads(ok("war", "-p", "zhipu", "--json"))} == {"zhipu"}


def test_update_reads_a_page_with_page_and_record_takes_url(tmp_path):
    from conftest import own_fixture

    page = own_fixture("deepseek-peak-en.md")
    assert run("update", "deepseek", "--page", str(page)).exit_code == 0
    assert "--page" in ok("update", "--help") and "--url" in ok("record", "--help")
    recorded = run("record", "deepseek", "x-test", "--new-model", "--input", "1", "--url", "https://x.test")
    assert recorded.exit_code == 0, recorded.output


def test_cuts_and_rises_are_coloured_on_a_terminal(monkeypatch):
    monkeypatch.delenv("NO_COLOR")
    monkeypatch.setenv("FORCE_COLOR", "1")
    monkeypatch.setenv("PAGER", "")
    text = ok("war", "-n", "3")
    assert "\x1b[32m" in text  # the biggest cuts, green
    monkeypatch.setenv("NO_COLOR", "1")
    assert "\x1b[" not in ok("war", "-n", "3")
