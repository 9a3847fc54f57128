"""`pricewar compare` and `pricewar record` on the bundled record, as a user runs them."""

import json
import os
from decimal import Decimal

import pytest
from conftest import ok, run

from pricewar.cli import app


def test_seed_table_in_cny_on_2024_05_10():
    rows = json.loads(ok("compare", "--at", "2024-05-10", "--currency", "CNY", "--format", "json",
                         "deepseek-chat", "gpt-4-1106-preview", "claude-3-haiku", "moonshot-v1-32k",
                         "sensechat-32k", "qwen1.5-72b-chat"))
    by_model = {row["model"]: row for row in rows}
    assert [row["model"] for row in rows] == [
        "deepseek-chat", "claude-3-haiku-20240307", "qwen1.5-72b-chat", "moonshot-v1-32k", "sensechat-32k",
        "gpt-4-1106-preview",
    ]
    deepseek = by_model["deepseek-chat"]
    assert (deepseek["input"], deepseek["output"], deepseek["currency"], deepseek["fx"]) == ("1", "2", "CNY", None)
    gpt4 = by_model["gpt-4-1106-preview"]
    assert gpt4["fx"] == {"from": "USD", "to": "CNY", "rate": "7.22488", "date": "2024-05-10",
                          "origin": "ECB reference rates"}
    assert Decimal(gpt4["input"]) == Decimal("72.2488") and Decimal(gpt4["output"]) == Decimal("216.7464")
    assert by_model["moonshot-v1-32k"]["input"] == "24" and by_model["sensechat-32k"]["output"] == "36"
    assert {"provider", "model", "input", "output", "cache_hit", "currency", "unit", "effective_from",
            "source"} <= set(gpt4)


def test_seed_check_versus_gpt4_turbo_in_cny():
    report = json.loads(ok("compare", "deepseek-chat", "--vs", "gpt-4-1106-preview", "--at", "2024-05-10",
                           "--currency", "CNY", "--format", "json"))
    assert set(report) >= {"a", "b", "at", "currency", "fx", "kinds"}
    assert report["at"] == "2024-05-10" and report["currency"] == "CNY"
    assert report["fx"]["rate"] == "7.22488" and report["fx"]["date"] == "2024-05-10"
    kinds = {k["kind"]: k for k in report["kinds"]}
    assert kinds["input"]["a_cheaper_by_pct"] == pytest.approx(98.6, abs=0.05)
    assert kinds["output"]["a_cheaper_by_pct"] == pytest.approx(99.1, abs=0.05)
    assert kinds["input"]["a_price"] == "1" and round(Decimal(kinds["input"]["b_price"])) == 72
    assert round(Decimal(kinds["output"]["b_price"])) == 217


def test_seed_check_versus_claude_3_haiku_table():
    text = ok("compare", "deepseek-chat", "--vs", "claude-3-haiku", "--at", "2024-05-10", "--currency", "CNY")
    assert "USD→CNY 7.22488 (ECB reference rates, 2024-05-10)" in text
    assert "55.4%" in text and "22.1%" in text
    assert ("DeepSeek deepseek-chat is cheaper than Anthropic claude-3-haiku-20240307 by 44.6% on input "
            "and 77.9% on output.") in text


def test_dearer_is_a_negative_cheaper_by():
    report = json.loads(ok("compare", "gpt-4-1106-preview", "--vs", "deepseek-chat", "--at", "2024-05-10",
                           "--format", "json"))
    assert report["currency"] == "USD"
    assert report["kinds"][0]["a_cheaper_by_pct"] < 0


def test_native_currency_is_preferred_over_conversion():
    rows = json.loads(ok("compare", "deepseek-chat", "--at", "2024-05-10", "--currency", "USD", "-f", "json"))
    assert (rows[0]["input"], rows[0]["output"], rows[0]["fx"]) == ("0.14", "0.28", None)


def test_the_war_moves_prices_over_time():
    before = json.loads(ok("compare", "qwen-long", "--at", "2024-05-20", "-c", "CNY", "-f", "json"))
    after = json.loads(ok("compare", "qwen-long", "--at", "2024-05-21", "-c", "CNY", "-f", "json"))
    assert before[0]["input"] == "20" and after[0]["input"] == "0.5"


def test_names_match_any_case_aliases_and_patterns():
    rows = json.loads(ok("compare", "CLAUDE-3-HAIKU", "--at", "2024-05-10", "-f", "json"))
    assert [r["model"] for r in rows] == ["claude-3-haiku-20240307"]
    rows = json.loads(ok("compare", "deepseek-*", "--at", "2025-03-01", "--source", "catalog", "-f", "json"))
    assert {r["model"] for r in rows} == {"deepseek-chat", "deepseek-reasoner", "deepseek-v3", "deepseek-r1"}


def test_sort_limit_and_provider():
    rows = json.loads(ok("compare", "--at", "2024-05-10", "-c", "CNY", "--sort", "output", "--limit", "2",
                         "-f", "json"))
    assert len(rows) == 2 and Decimal(rows[0]["output"]) <= Decimal(rows[1]["output"])
    rows = json.loads(ok("compare", "--provider", "Zhipu", "--at", "2024-05-12", "-f", "json", "-c", "CNY"))
    assert {r["provider"] for r in rows} == {"zhipu"} and rows


def test_markdown():
    text = ok("compare", "deepseek-chat", "--at", "2024-05-10", "-c", "CNY", "--format", "markdown")
    assert text.splitlines()[0] == "**CNY per 1M tokens on 2024-05-10**" and "deepseek-chat" in text


PRICE_COLUMNS = {"input", "output", "cache_hit", "blended", "fx_rate", "a_price", "b_price", "a_pct_of_b",
                 "a_cheaper_by_pct", "old", "new", "change_pct", "first", "last", "price", "total", "input_cost",
                 "cache_hit_cost", "output_cost", "prices_input", "prices_output", "prices_cache_hit", "revenue_per_hour",
                 "cost_per_hour", "profit_per_hour", "gross_margin_pct", "breakeven_price", "tokens_per_hour"}


@pytest.mark.parametrize("args", [
    ["compare", "--at", "2025-03-01", "-c", "CNY"],
    ["compare", "deepseek-chat", "--vs", "gpt-4-1106-preview", "--at", "2024-05-10", "-c", "CNY"],
    ["changes", "--since", "2024-05-01", "-c", "USD"],
    ["history", "deepseek-chat"],
    ["war"],
    ["cost", "--input-tokens", "10M", "--output-tokens", "2M", "--cache-hit", "0.3"],
    ["economics", "--throughput", "50000", "--node-cost", "15", "--price", "0.28"],
])
def test_csv_is_data_a_spreadsheet_reads(args):
    import csv
    import datetime as dt
    import io

    rows = list(csv.DictReader(io.StringIO(ok(*args, "--format", "csv"))))
    assert rows
    for row in rows:
        for column, value in row.items():
            if column in PRICE_COLUMNS and value != "":
                float(value)  # a plain number: no unit, no symbol, no mark
            if column in ("at", "date", "effective_from", "effective_to", "first_date", "last_date") and value:
                dt.date.fromisoformat(value)


def test_record_then_compare_and_recording_twice_keeps_one_row(tmp_path):
    args = ["record", "deepseek", "deepseek-chat", "--input", "0.5", "--output", "1.5", "--currency", "CNY",
            "--effective", "2026-11-01", "--source", "https://example.com/news"]
    assert "Recorded deepseek deepseek-chat" in ok(*args)
    assert "nothing changed" in ok(*args)
    from pricewar.history import database

    db = database.open_db(os.environ["PRICEWAR_DB"])
    assert db.execute("select count(*) from prices where source = 'record'").fetchone()[0] == 2
    rows = json.loads(ok("compare", "deepseek-chat", "-c", "CNY", "--at", "2026-11-02", "-f", "json"))
    assert (rows[0]["input"], rows[0]["source"], rows[0]["source_url"]) == ("0.5", "record", "https://example.com/news")


def test_record_per_1k_tokens_is_normalised():
    ok("record", "bytedance", "doubao-pro-32k", "--input", "0.0008", "--per", "1K", "--currency", "CNY",
       "--effective", "2024-05-15", "--source", "https://example.com/doubao")
    rows = json.loads(ok("compare", "doubao-pro-32k", "-c", "CNY", "--at", "2024-06-01", "-f", "json",
                         "--source", "record"))
    assert rows[0]["input"] == "0.8"


@pytest.mark.parametrize("args, message, code", [
    (["compare", "gpt4-turbo"], "unknown model 'gpt4-turbo'; did you mean", 2),
    (["compare", "--at", "2024-13-40"], "--at: '2024-13-40' is not a date (use YYYY-MM-DD)", 2),
    (["compare", "--currency", "XYZ"], "unknown currency 'XYZ'", 2),
    (["compare", "--provider", "nobody"], "unknown provider 'nobody'", 2),
    (["compare", "--format", "yaml"], "--format: 'yaml' is not one of", 2),
    (["compare", "a", "b", "--vs", "c"], "name exactly one model before --vs", 2),
    (["record", "deepseek", "x", "--input", "-1", "--source", "u"], "cannot be negative", 2),
    (["record", "deepseek", "x", "--input", "abc", "--source", "u"], "'abc' is not a number", 2),
    (["record", "deepsek", "x", "--input", "1", "--source", "u"], "did you mean deepseek?", 2),
    (["record", "deepseek", "x", "--input", "1", "--currency", "XYZ", "--source", "u"], "unknown currency", 2),
    (["record", "deepseek", "x", "--input", "1", "--effective", "tomorrow", "--source", "u"], "not a date", 2),
    (["compare", "--db", "/etc/passwd/x.db"], "the directory /etc/passwd does not exist", 2),
])
def test_bad_input_is_one_sentence_and_an_exit_code(args, message, code):
    result = run(*args)
    assert result.exit_code == code
    assert message in result.stderr
    assert "Traceback" not in result.output and result.stdout == ""


def test_bad_record_input_writes_nothing(tmp_path):
    path = tmp_path / "untouched.db"
    result = run("record", "deepseek", "x", "--input", "-1", "--source", "u", "--db", str(path))
    assert result.exit_code == 2 and not path.exists()


def test_a_newer_database_is_an_error_not_a_traceback(tmp_path):
    from pricewar.history import database

    path = tmp_path / "future.db"
    database.open_db(path)["_sqlite_migrations"].insert(
        {"migration_set": "pricewar", "name": "m999_future", "applied_at": "2030-01-01"})
    result = run("compare", "--db", str(path))
    assert result.exit_code == 1
    assert "written by a newer pricewar" in result.stderr


def test_every_command_has_help_and_is_in_the_readme():
    from pathlib import Path

    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text()
    for command in app.registered_commands:
        name = command.name or command.callback.__name__
        assert command.callback.__doc__, name
        assert f"pricewar {name}" in readme, name
        assert run(name, "--help").exit_code == 0


def test_tiers_are_selected_never_merged():
    from conftest import shared_file

    page = shared_file("fixtures/anthropic/pricing-2025-12-20.md")
    assert run("update", "anthropic", "--source", str(page)).exit_code == 0
    rows = json.loads(ok("compare", "claude-sonnet-4.5", "--source", "anthropic", "-f", "json"))
    assert {(r["context_tier"], r["input"], r["output"]) for r in rows} == {("", "3", "15"), (">200k", "6", "22.5")}
    rows = json.loads(ok("compare", "claude-sonnet-4.5", "--source", "anthropic", "--context", ">200k", "-f", "json"))
    assert [(r["input"], r["output"]) for r in rows] == [("6", "22.5")]
    batch = json.loads(ok("compare", "claude-haiku-3", "--tier", "batch", "-f", "json"))
    assert [(r["input"], r["output"], r["service_tier"]) for r in batch] == [("0.125", "0.625", "batch")]


def test_peak_hours_stand_in_when_a_model_has_no_all_day_price():
    from pricewar.answers.offers import window_rank

    windows = ["", "peak UTC 01:00-04:00,06:00-10:00", "off-peak outside peak UTC 01:00-04:00,06:00-10:00",
               "off-peak UTC 16:30-00:30"]
    assert sorted(windows, key=lambda w: window_rank(w, False))[:2] == windows[:2]
    assert [window_rank(w, True) for w in windows] == [1, 2, 0, 0]


def test_a_page_spelling_a_model_by_an_alias_lines_up_with_the_record():
    from conftest import shared_file

    ok("compare", "deepseek-chat")  # seeds the bundled record and its aliases
    assert run("update", "anthropic", "--source", str(shared_file("fixtures/anthropic/pricing-2025-12-20.md"))
               ).exit_code == 0
    rows = json.loads(ok("compare", "claude-opus-4.5", "-f", "json"))
    assert [(r["model"], r["source"], r["input"]) for r in rows] == [("claude-opus-4-5", "anthropic", "5")]
    haiku = json.loads(ok("compare", "claude-3-haiku", "-f", "json"))
    assert [(r["model"], r["source"]) for r in haiku] == [("claude-3-haiku-20240307", "anthropic")]


def test_a_date_after_today_says_it_answers_with_what_is_known_today():
    import datetime as dt

    day = (dt.date.today() + dt.timedelta(days=200)).isoformat()
    ahead = ok("compare", "deepseek-chat", "--at", day)
    assert f"{day} is after today" in ahead and "announced ones included" in ahead
    versus = ok("compare", "deepseek-chat", "--vs", "gpt-4o", "--at", day)
    assert f"{day} is after today" in versus
    assert "after today" not in ok("compare", "deepseek-chat")
