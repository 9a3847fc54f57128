"""Answers that fit the screen they are read on: the width, the pager, colour, the parser's own errors,
and --vs choosing each side on its own."""

from __future__ import annotations

import io
import json

import pytest
from conftest import ok, run, shared_file
from rich.cells import cell_len

from pricewar.cli import common
from pricewar.output.screen import Screen

EVERYDAY = [
    ["compare"],
    ["compare", "--max-output", "1"],
    ["compare", "qwen-max", "--vs", "deepseek-chat", "--currency", "CNY"],
    ["changes", "--since", "1y"],
    ["history", "gpt-4o"],
    ["history", "deepseek-*"],
    ["cost", "--input-tokens", "10M", "--output-tokens", "2M", "--cache-hit", "0.3"],
    ["war"],
]


@pytest.fixture
def terminal(monkeypatch):
    """Standard output taken for an 80-column terminal, with no pager."""
    monkeypatch.setattr(common, "terminal_width", lambda: 80)
    monkeypatch.setenv("PAGER", "")


@pytest.mark.parametrize("args", EVERYDAY)
def test_every_table_fits_80_columns(terminal, args):
    text = ok(*args)
    too_wide = [line for line in text.splitlines() if cell_len(line) > 80]
    assert not too_wide, too_wide[:3]


def test_a_narrow_table_says_what_it_hid_and_wide_shows_it(terminal):
    narrow = ok("compare", "-n", "5")
    assert "hidden to fit 80 columns: source" in narrow and "--wide shows everything" in narrow
    assert "source" not in narrow.splitlines()[1]
    wide = ok("compare", "-n", "5", "--wide")
    assert "source" in wide.splitlines()[1] and "hidden" not in wide


def test_a_pipe_gets_whole_lines():
    assert "source" in ok("compare", "-n", "5").splitlines()[1]


def test_a_long_table_goes_through_the_pager_on_a_terminal_only(monkeypatch, tmp_path):
    paged = tmp_path / "paged.txt"
    monkeypatch.setenv("PAGER", f"cat > {paged}")
    ok("changes")  # a pipe: no pager
    assert not paged.exists()
    monkeypatch.setattr(common, "terminal_width", lambda: 80)
    assert ok("changes") == ""
    assert "Price changes" in paged.read_text()
    paged.unlink()
    ok("compare", "deepseek-chat")  # shorter than the screen: printed as it is
    assert not paged.exists()


def test_no_color_means_no_bold_or_dim_either(monkeypatch):
    def styled(**env) -> str:
        for name in ("NO_COLOR", "FORCE_COLOR"):
            monkeypatch.delenv(name, raising=False)
        for name, value in env.items():
            monkeypatch.setenv(name, value)
        captured = io.StringIO()
        Screen(file=captured, force_terminal=True).print("title", style="bold")
        return captured.getvalue()

    assert "\x1b[" not in styled(NO_COLOR="1")
    assert "\x1b[1m" in styled()
    assert "\x1b[" not in styled(NO_COLOR="1", FORCE_COLOR="1")  # the user's no beats a tool's force
    assert "\x1b[1m" in styled(FORCE_COLOR="1")


@pytest.mark.parametrize("args, said", [
    (["changes", "--min-change", "abc"], "error: --min-change: give a number (see 'pricewar changes --help')"),
    (["compare", "--limit", "x"], "error: --limit: give a whole number"),
    (["compare", "--sortt", "input"], "error: no option --sortt; did you mean --sort"),
    (["history"], "error: missing model (see 'pricewar history --help')"),
    (["nope"], "error: no such command 'nope'"),
])
def test_the_parsers_own_errors_are_one_sentence(args, said):
    result = run(*args)
    assert result.exit_code == 2
    assert result.stderr.startswith(said) and len(result.stderr.strip().splitlines()) == 1
    assert "Usage:" not in result.stderr and "Traceback" not in result.output


def alibaba_page():
    page = shared_file("fixtures/alibaba/model-pricing-zh-2026-02-24.md")
    ok("update", "alibaba", "--source", str(page), "--observed-at", "2026-02-24", "-q")


def test_unknown_region_context_or_mode_is_a_usage_error():
    alibaba_page()
    for option, value in (("--region", "mars"), ("--context", "9000k"), ("--mode", "dreaming")):
        result = run("compare", option, value)
        assert result.exit_code == 2 and f"{option}: no price has '{value}'" in result.stderr
    assert run("compare", "--region", "CN", "-n", "1").exit_code == 0
    result = run("compare", "--region-a", "cn")
    assert result.exit_code == 2 and "--vs" in result.stderr


def test_a_missing_db_directory_is_refused_not_created(tmp_path):
    where = tmp_path / "typo" / "pricewar.db"
    result = run("compare", "--db", str(where))
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not where.parent.exists()


def test_vs_uses_each_sides_own_published_currency_and_region():
    alibaba_page()
    versus = json.loads(ok("compare", "qwen-max", "--vs", "deepseek-chat", "--currency", "CNY", "-f", "json"))
    assert versus["a"]["published_currency"] == "CNY" and versus["fx"] is None  # Alibaba's yuan, not converted
    result = run("compare", "qwen-max", "--vs", "deepseek-chat", "--currency", "CNY", "--region", "cn")
    assert result.exit_code == 0, result.output
    assert "deepseek-chat has one price for every region" in result.stdout
    versus = json.loads(ok("compare", "qwen-max", "--vs", "deepseek-chat", "--currency", "CNY", "--region", "cn",
                           "-f", "json"))
    assert versus["a"]["region"] == "cn" and versus["b"]["region"] == ""


def test_a_price_many_times_the_other_is_said_as_a_multiple():
    text = ok("compare", "gpt-4o", "--vs", "deepseek-chat", "--at", "2025-03-01")
    assert "× dearer" in text and "-1" not in text.split("\n", 2)[2].split("OpenAI")[0]
    assert "× DeepSeek deepseek-chat's price on input" in text
    assert "cheaper than OpenAI gpt-4o by" in ok("compare", "deepseek-chat", "--vs", "gpt-4o", "--at", "2025-03-01")


def test_history_shows_a_period_sources_agree_on_once():
    from pricewar.history import collect, database
    from pricewar.price import Price

    db = database.open_db(database.db_path_from_env(__import__("os").environ["PRICEWAR_DB"]))
    collect.seed(db)
    price = Price(provider="openai", model="gpt-4o", kind="input", per_mtok=__import__("decimal").Decimal("2.5"),
                  currency="USD", published="$2.50", unit="per 1M tokens", source_url="https://openai.com/api/pricing")
    collect.record_prices(db, "openai", [price], "https://openai.com/api/pricing", observed_at="2025-10-15T00:00:00Z")
    rows = json.loads(ok("history", "gpt-4o", "-f", "json"))
    current = [r for r in rows if r["kind"] == "input" and r["service_tier"] == "standard" and not r["effective_to"]]
    assert len(current) == 1 and {"openai", "catalog"} <= set(current[0]["sources"])
    assert current[0]["effective_from"] < "2025-10-15"  # the period began before OpenAI's page was read
    assert all(r["provider"] == "openai" for r in rows)  # the maker's, not Azure's or OpenRouter's
    assert {r["provider"] for r in json.loads(ok("history", "gpt-4o", "--via", "all", "-f", "json"))} > {"openai"}
    only = json.loads(ok("history", "gpt-4o", "--source", "openai", "-f", "json"))
    assert only and all(r["sources"] == ["openai"] for r in only)
    result = run("history", "gpt-4o", "--source", "nobody")
    assert result.exit_code == 2 and "its sources" in result.stderr


@pytest.mark.parametrize("column", [
    ["0.5", "—", "12"],  # one column each, though not ASCII
    ["通义千问", "qwen", "—"],  # wide characters: two columns each
    ["e\u0301te\u0301", "plain", "x"],  # combining accents: none
    ["ok", "bell\x07", "tab\there"],  # control characters: replaced, then measured
])
def test_columns_line_up_whatever_their_characters(column):
    from pricewar.output import render

    file = io.StringIO()
    grid = render.Grid(["name", "n"], rows=[[cell, str(number)] for number, cell in enumerate(column)],
                       right={"n"})
    render.print_aligned(Screen(file=file), grid)
    lines = file.getvalue().splitlines()
    assert len({cell_len(line) for line in lines}) == 1, lines  # every "n" ends in the same column
    assert "\x07" not in file.getvalue()
