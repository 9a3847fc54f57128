"""The war over time and its arithmetic: changes, history, war, cost, economics, the HTML report."""

import json
import shutil
import subprocess
from decimal import Decimal

import pytest
from conftest import ok, run

from pricewar.answers import economics
from pricewar.price import UsageError


def test_may_2024_shows_the_war_biggest_cuts_first():
    rows = json.loads(ok("changes", "--since", "2024-05-01", "--until", "2024-05-31", "-f", "json"))
    seen = [(r["provider"], r["model"], r["kind"], r["old"], r["new"], r["change_pct"]) for r in rows]
    assert seen[:3] == [
        ("alibaba", "qwen-long", "input", "20", "0.5", -97.5),
        ("tencent", "hunyuan-standard-256k", "input", "120", "15", -87.5),
        ("zhipu", "glm-3-turbo", "input", "5", "1", -80.0),
    ]
    assert rows[1]["flags"] == ["DERIVED"] and rows[0]["date"] == "2024-05-21"


def test_changes_table_sorted_by_date_and_filtered():
    text = ok("changes", "--since", "2024-05-01", "--until", "2024-05-31", "--sort", "date", "--provider", "zhipu")
    assert "2024-05-11" in text and "5 → 1 CNY" in text and "-80.0%" in text and "qwen-long" not in text
    big = json.loads(ok("changes", "--min-change", "85", "--until", "2024-12-31", "--source", "catalog", "-f", "json"))
    assert {r["model"] for r in big} == {"qwen-long", "hunyuan-standard-256k", "qwen-turbo", "glm-4-flash"}


def test_changes_are_the_makers_own_unless_a_reseller_is_asked_for():
    ok("compare", "deepseek-chat")  # seeds the record and the shipped history (OpenRouter's prices among it)
    own = json.loads(ok("changes", "-f", "json"))
    assert own and all(r["source"] != "openrouter" for r in own)
    assert "resellers' price changes left out: --via all shows them" in ok("changes")
    resold = json.loads(ok("changes", "--via", "openrouter", "-f", "json"))
    assert resold and all("openrouter" in (r["source"], r["provider"]) for r in resold)  # and what others list
    everything = json.loads(ok("changes", "--via", "all", "-f", "json"))
    assert len(everything) > len(own) + len(resold) - 1  # LiteLLM's clouds (Azure, Bedrock...) besides
    assert "left out" not in ok("changes", "--via", "all")
    # each step of the makers' is among all of them (which other sellers' observations may date earlier)
    key = lambda r: (r["provider"], r["model"], r["kind"], r["old"], r["new"])  # noqa: E731
    assert {key(r) for r in own} <= {key(r) for r in everything}


def test_changes_converted_at_the_date_of_each_change():
    rows = json.loads(ok("changes", "--since", "2024-05-11", "--until", "2024-05-11", "-c", "USD", "-f", "json"))
    assert rows[0]["fx"]["date"] == "2024-05-10" and rows[0]["currency"] == "USD"
    assert rows[0]["change_pct"] == -80.0


def test_changes_since_last_update():
    ok("compare", "deepseek-chat")  # seeds the record
    ok("record", "deepseek", "deepseek-v4-flash", "--input", "0.1", "--currency", "USD", "--effective",
       "2026-11-01", "--source", "https://example.com/a")
    ok("record", "deepseek", "deepseek-v4-flash", "--input", "0.07", "--currency", "USD", "--effective",
       "2026-11-20", "--source", "https://example.com/b")
    rows = json.loads(ok("changes", "--since", "last-update", "-f", "json"))
    assert [(r["model"], r["old"], r["new"]) for r in rows] == [("deepseek-v4-flash", "0.1", "0.07")]


@pytest.mark.parametrize("args, message", [
    (["changes", "--since", "2999-01-01"], "--since: 2999-01-01 is in the future"),
    (["changes", "--since", "yesterday-ish"], "is not a date, a span like 30d, or last-update"),
    (["changes", "--since", "2024-06-01", "--until", "2024-05-01"], "is after --until"),
    (["history", "gpt4-turbo"], "unknown model 'gpt4-turbo'"),
    (["history", "deepseek-chat", "--kind", "reasoning"], "--kind: 'reasoning' is not one of"),
    (["cost", "--input-tokens", "-5M"], "--input-tokens: '-5M' is not a token count"),
    (["cost", "--input-tokens", "1M", "--cache-hit", "150"], "--cache-hit: 150 is outside 0–1 (or 0–100%)"),
    (["economics", "--throughput", "50000", "--node-cost", "15", "--price", "0.28", "--utilization", "120"],
     "--utilization: 120 is outside 0–1"),
    (["economics", "--throughput", "50000", "--node-cost", "15"], "give exactly one of --price or --model"),
    (["economics", "--throughput", "-1", "--node-cost", "15", "--price", "1"], "--throughput: -1 must be above 0"),
    (["economics", "--throughput", "1", "--node-cost", "15", "--model", "nope"], "unknown model 'nope'"),
    (["war", "--since", "2999-01-01"], "in the future"),
])
def test_bad_input(args, message):
    result = run(*args)
    assert result.exit_code == 2, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_history_shows_steps_and_a_chart():
    text = ok("history", "qwen-long", "-c", "CNY")
    assert "20" in text and "0.5" in text and "2024-05-21" in text
    assert "┤" in text and "catalog" in text
    rows = json.loads(ok("history", "deepseek-chat", "-f", "json"))
    usd_inputs = [(r["effective_from"], r["price"]) for r in rows
                  if r["kind"] == "input" and r["currency"] == "USD" and not r["time_window"]]
    assert ("2024-05-06", "0.14") in usd_inputs and ("2025-02-08", "0.27") in usd_inputs


def test_history_side_by_side_across_sources():
    ok("record", "deepseek", "deepseek-chat", "--input", "0.2", "--currency", "USD", "--effective", "2026-11-01",
       "--source", "https://example.com/c")
    text = ok("history", "deepseek-chat", "--currency", "USD")
    assert "record" in text and "catalog" in text


def test_war_lists_cumulative_cuts():
    rows = json.loads(ok("war", "--since", "2024-05-01", "--until", "2024-06-30", "-f", "json"))
    by_model = {r["model"]: r for r in rows}
    assert by_model["qwen-long"]["change_pct"] == -97.5 and by_model["qwen-long"]["currency"] == "CNY"
    assert by_model["glm-3-turbo"]["change_pct"] == -80.0
    # ERNIE Speed made free: its price before (4 CNY) from one-hub's table, its cut from the record
    assert (rows[0]["model"], rows[0]["first"], rows[0]["change_pct"]) == ("ernie-speed", "4", -100.0)
    named = json.loads(ok("war", "o3", "--since", "2025-01-01", "-f", "json"))
    assert [(r["model"], r["first"], r["last"], r["change_pct"]) for r in named if r["provider"] == "openai"] == [
        ("o3", "10", "2", -80.0)]


def test_cost_uses_cache_hit_and_off_peak_prices():
    args = ["cost", "deepseek-chat", "--input-tokens", "10M", "--output-tokens", "2M", "--cache-hit", "0.3",
            "--at", "2025-03-01", "-f", "json"]
    standard = json.loads(ok(*args))[0]
    assert (standard["input_cost"], standard["cache_hit_cost"], standard["output_cost"]) == ("1.89", "0.21", "2.2")
    assert Decimal(standard["total"]) == Decimal("4.30")
    cheap = json.loads(ok(*args, "--off-peak"))[0]
    assert Decimal(cheap["total"]) == Decimal("2.15") and cheap["time_window"] == "off-peak UTC 16:30-00:30"


def test_cost_ranks_models():
    rows = json.loads(ok("cost", "--input-tokens", "1M", "--output-tokens", "1M", "--at", "2024-05-10", "-c",
                         "CNY", "-f", "json"))
    totals = [Decimal(r["total"]) for r in rows]
    assert totals == sorted(totals) and len(rows) > 5
    text = ok("cost", "gpt-4-1106-preview", "--input-tokens", "1M", "--cache-hit", "50%", "--at", "2024-05-10")
    assert "†" in text  # no cache-hit price published: charged as input


@pytest.mark.parametrize("text, tokens", [
    ("10M", 10_000_000), ("500k", 500_000), ("1_000_000", 1_000_000), ("1.5M", 1_500_000), ("0", 0), ("2b", 2e9),
])
def test_token_counts(text, tokens):
    assert economics.parse_tokens(text, "--input-tokens") == Decimal(tokens)


@pytest.mark.parametrize("text", ["-1M", "ten", "1.5.5M", ""])
def test_token_counts_refused(text):
    with pytest.raises(UsageError):
        economics.parse_tokens(text, "--input-tokens")


@pytest.mark.parametrize("args", [
    ["--price", "0.28"],
    ["--model", "deepseek-chat", "--at", "2024-05-10"],
])
def test_economics_reproduces_the_seed(args):
    data = json.loads(ok("economics", "--throughput", "50000", "--node-cost", "15", "--currency", "USD", *args,
                         "--format", "json"))
    assert Decimal(data["revenue_per_hour"]) == Decimal("50.4")
    assert Decimal(data["cost_per_hour"]) == 15
    assert Decimal(data["profit_per_hour"]) == Decimal("35.4")
    assert data["gross_margin_pct"] == pytest.approx(70.24, abs=0.01)
    assert Decimal(data["breakeven_price"]) == Decimal("0.083333")
    assert data["breakeven_utilization_pct"] == pytest.approx(29.76, abs=0.01)
    assert data["currency"] == "USD"


def test_economics_table_at_half_load():
    text = ok("economics", "--throughput", "50000", "--node-cost", "15", "--price", "0.28", "-u", "0.5")
    assert "90,000,000 at 50% load" in text and "USD 25.20" in text and "40.5%" in text


HOSTILE = '<script>document.title="pwned"</script>'


def hostile_report(tmp_path):
    ok("record", "deepseek", HOSTILE, "--new-model", "--input", "0.01", "--output", "0.02", "--effective", "2026-11-01",
       "--source", 'https://x.test/"><img src=x onerror="document.title=1">', "--name", "[bold]x[/bold]\x1b[31m")
    ok("record", "deepseek", HOSTILE, "--new-model", "--input", "0.005", "--output", "0.02", "--effective", "2026-11-02",
       "--source", "https://x.test/2")
    page = tmp_path / "report.html"
    text = ok("report", "--html", str(page), "--since", "2024-05-01", "--limit", "5000")
    assert f"Wrote {page}" in text
    return page


def test_html_report_is_self_contained_and_escaped(tmp_path):
    html = hostile_report(tmp_path).read_text()
    assert HOSTILE not in html and "&lt;script&gt;document.title=&quot;pwned&quot;&lt;/script&gt;" in html
    assert "<script" not in html.lower() and "<link" not in html.lower() and "src=" not in html
    assert "\x1b" not in html
    assert "<svg" in html and "qwen-long" in html and "Cumulative change" in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium)")
def test_html_report_in_headless_chromium(tmp_path):
    page = hostile_report(tmp_path)
    flags = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
             "--disable-background-networking", "--disable-component-update", "--disable-sync",
             f"--user-data-dir={tmp_path / 'profile'}"]
    dom = subprocess.run([CHROMIUM, *flags, "--dump-dom", page.as_uri()], capture_output=True, text=True,
                         timeout=120).stdout
    assert "<title>pricewar report" in dom and "pwned" not in dom.split("</title>")[0]
    assert "&lt;script&gt;document.title=\"pwned\"&lt;/script&gt;" in dom  # shown as text, never run
    assert "<svg" in dom and "qwen-long" in dom and "-97.5%" in dom
    shot = tmp_path / "report.png"
    subprocess.run([CHROMIUM, *flags, "--window-size=1200,1600", f"--screenshot={shot}", page.as_uri()],
                   capture_output=True, timeout=120)
    assert shot.exists() and shot.stat().st_size > 20_000


def test_hostile_names_are_text_in_every_format(tmp_path):
    name = "[bold]x[/bold]\x1b[31mred"
    ok("record", "deepseek", name, "--new-model", "--input", "0.01", "--output", "0.02", "--effective", "2026-11-01",
       "--source", "https://x.test/1")
    for fmt in ("table", "csv", "markdown"):
        text = ok("compare", "*bold*red", "--format", fmt)
        assert "\x1b" not in text and "[bold]x[/bold]" in text
    assert json.loads(ok("compare", "*bold*red", "--format", "json"))[0]["model"] == name  # data stays data in JSON
    assert "\x1b" not in ok("history", "*bold*red")
