"""Anthropic's pricing page: model, batch and long-context tables, as Markdown and as HTML."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import anthropic, load

REAL = "fixtures/anthropic/pricing-2025-12-20.md"
KINDS = ("input", "cache_write", "cache_write_1h", "cache_hit", "output")
SONNET_4_OUTPUT = ("claude-sonnet-4", "output", "standard")


def priced(prices: list[Price]) -> dict[tuple[str, str, str, str], Decimal]:
    """(model, kind, service_tier, context_tier) -> per_mtok; fails on a key emitted twice."""
    table = {(p.model, p.kind, p.service_tier, p.context_tier): p.per_mtok for p in prices}
    assert len(table) == len(prices)
    return table


def model_row(model: str, *amounts: str, tier: str = "standard") -> dict[tuple[str, str, str, str], Decimal]:
    """The expected prices of one row of the model table (KINDS order) or the batch table (input, output)."""
    kinds = KINDS if tier == "standard" else ("input", "output")
    assert len(amounts) == len(kinds)
    return {(model, kind, tier, ""): Decimal(amount) for kind, amount in zip(kinds, amounts) if amount}


@pytest.fixture(scope="module")
def real() -> list[Price]:
    return anthropic.parse(shared_file(REAL).read_bytes())


def test_is_a_registered_source():
    assert load("anthropic") is anthropic
    assert anthropic.URLS == ("https://platform.claude.com/docs/en/about-claude/pricing.md",)
    assert "Anthropic" in (anthropic.__doc__ or "")


def test_real_page_models_and_counts(real):
    assert {(p.model, p.display_name) for p in real} == {
        ("claude-opus-4.5", "Claude Opus 4.5"),
        ("claude-opus-4.1", "Claude Opus 4.1"),
        ("claude-opus-4", "Claude Opus 4"),
        ("claude-sonnet-4.5", "Claude Sonnet 4.5"),
        ("claude-sonnet-4", "Claude Sonnet 4"),
        ("claude-sonnet-3.7", "Claude Sonnet 3.7"),
        ("claude-haiku-4.5", "Claude Haiku 4.5"),
        ("claude-haiku-3.5", "Claude Haiku 3.5"),
        ("claude-opus-3", "Claude Opus 3"),
        ("claude-haiku-3", "Claude Haiku 3"),
    }  # "Claude Sonnet 3" is only in the tool-use token table, which prices nothing
    # 10 models x 5 standard kinds + 10 x 2 batch kinds + 2 long-context models x 2 kinds
    assert len(real) == 50 + 20 + 4
    for price in real:
        assert (price.provider, price.currency, price.unit, price.region, price.mode, price.time_window) == (
            "anthropic",
            "USD",
            MTOK,
            "",
            "",
            "",
        )
        assert price.published.endswith(" / MTok")
        assert price.effective_from is None


def test_real_page_prices(real):
    table = priced(real)
    expected = {
        **model_row("claude-haiku-3", "0.25", "0.30", "0.50", "0.03", "1.25"),
        **model_row("claude-opus-4.5", "5", "6.25", "10", "0.50", "25"),
        **model_row("claude-opus-4.1", "15", "18.75", "30", "1.50", "75"),
        **model_row("claude-sonnet-4.5", "3", "3.75", "6", "0.30", "15"),
        **model_row("claude-haiku-3.5", "0.80", "1", "1.6", "0.08", "4"),
        **model_row("claude-haiku-3", "0.125", "0.625", tier="batch"),
        **model_row("claude-opus-4.5", "2.50", "12.50", tier="batch"),
        **model_row("claude-sonnet-4.5", "1.50", "7.50", tier="batch"),
    }
    assert {key: table[key] for key in expected} == expected
    haiku = {p.kind: p.published for p in real if p.model == "claude-haiku-3" and p.service_tier == "standard"}
    assert haiku == {
        "input": "$0.25 / MTok",
        "cache_write": "$0.30 / MTok",
        "cache_write_1h": "$0.50 / MTok",
        "cache_hit": "$0.03 / MTok",
        "output": "$1.25 / MTok",
    }


def test_long_context_prices_are_the_named_models_over_200k_and_the_base_stays_untiered(real):
    tiered = {key: amount for key, amount in priced(real).items() if key[3]}
    assert tiered == {
        ("claude-sonnet-4", "input", "standard", ">200k"): Decimal(6),
        ("claude-sonnet-4", "output", "standard", ">200k"): Decimal("22.50"),
        ("claude-sonnet-4.5", "input", "standard", ">200k"): Decimal(6),
        ("claude-sonnet-4.5", "output", "standard", ">200k"): Decimal("22.50"),
    }
    assert not any(p.context_tier == "<=200k" for p in real)  # the ≤ 200K column repeats the base price
    sonnet_4_output = [p for p in real if (p.model, p.kind, p.service_tier) == SONNET_4_OUTPUT]
    assert {(p.context_tier, p.published) for p in sonnet_4_output} == {
        ("", "$15 / MTok"),
        (">200k", "$22.50 / MTok"),
    }


def test_deprecated_stays_out_of_the_id(real):
    notes = {(p.model, p.display_name, p.note) for p in real if p.note}
    assert notes == {
        ("claude-sonnet-3.7", "Claude Sonnet 3.7", "deprecated"),
        ("claude-opus-3", "Claude Opus 3", "deprecated"),
    }


def test_html_rendition_reads_the_same_tables_and_skips_token_counts():
    prices = anthropic.parse(own_fixture("anthropic-pricing.html").read_bytes())
    assert priced(prices) == {
        **model_row("claude-sonnet-4.5", "3", "3.75", "6", "0.30", "15"),
        **model_row("claude-sonnet-4", "3", "3.75", "6", "0.30", "15"),
        **model_row("claude-opus-3", "15", "18.75", "30", "1.50", "75"),
        **model_row("claude-haiku-3", "0.25", "0.30", "", "0.03", "1.25"),  # "-" is no price, never zero
        **model_row("claude-sonnet-4.5", "1.50", "7.50", tier="batch"),
        **model_row("claude-haiku-3", "0.125", "0.625", tier="batch"),
        ("claude-sonnet-4", "input", "standard", ">200k"): Decimal(6),
        ("claude-sonnet-4", "output", "standard", ">200k"): Decimal("22.50"),
        ("claude-sonnet-4.5", "input", "standard", ">200k"): Decimal(6),
        ("claude-sonnet-4.5", "output", "standard", ">200k"): Decimal("22.50"),
    }  # and nothing from the page's script ("Claude Fake 9") or its "$10 per 1,000 searches"
    assert {p.published for p in prices if p.model == "claude-haiku-3" and p.kind == "input"} == {
        "$0.25 / MTok",
        "$0.125 / MTok",
    }
    assert {p.note for p in prices if p.model == "claude-opus-3"} == {"deprecated"}


def test_html_and_markdown_renditions_agree_on_shared_rows(real):
    from_html = {p.key: p.per_mtok for p in anthropic.parse(own_fixture("anthropic-pricing.html").read_bytes())}
    from_markdown = {p.key: p.per_mtok for p in real}
    assert from_html.items() <= from_markdown.items()


def test_older_layout_with_one_cache_write_column():
    prices = anthropic.parse(own_fixture("anthropic-one-cache-write.md").read_bytes())
    assert priced(prices) == {
        ("claude-3.5-sonnet", "input", "standard", ""): Decimal(3),
        ("claude-3.5-sonnet", "cache_write", "standard", ""): Decimal("3.75"),
        ("claude-3.5-sonnet", "cache_hit", "standard", ""): Decimal("0.30"),
        ("claude-3.5-sonnet", "output", "standard", ""): Decimal(15),
        ("claude-3-haiku", "input", "standard", ""): Decimal("0.25"),
        ("claude-3-haiku", "cache_write", "standard", ""): Decimal("0.30"),
        ("claude-3-haiku", "cache_hit", "standard", ""): Decimal("0.03"),
        ("claude-3-haiku", "output", "standard", ""): Decimal("1.25"),
        ("claude-3-opus", "input", "standard", ""): Decimal(15),  # "-" and a blank cell: no price
        ("claude-3-opus", "output", "standard", ""): Decimal(75),
        ("claude-3-haiku", "input", "batch", ""): Decimal("0.125"),
        ("claude-3-haiku", "output", "batch", ""): Decimal("0.625"),
    }


MODEL_TABLE = """## Model pricing

| Model | Base Input Tokens | Output Tokens |
|---|---|---|
| Claude Sonnet 4.5 | $3 / MTok | $15 / MTok |
| Claude Haiku 4.5 | $1 / MTok | $5 / MTok |

### Long context pricing

{intro}

| ≤ 200K input tokens | > 200K input tokens |
|---|---|
| Input: {low} / MTok | Input: $6 / MTok |
| Output: $15 / MTok | Output: $22.50 / MTok |
"""


def long_context_page(intro: str = "Only for Claude Sonnet 4.5.", low: str = "$3") -> bytes:
    return MODEL_TABLE.format(intro=intro, low=low).encode()


def test_long_context_layout_fixture_reads():
    assert {(p.model, p.kind, p.context_tier, p.per_mtok) for p in anthropic.parse(long_context_page())} >= {
        ("claude-sonnet-4.5", "input", ">200k", Decimal(6)),
        ("claude-sonnet-4.5", "output", ">200k", Decimal("22.50")),
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"", "^no prices found on Anthropic's pricing page — has its layout changed\\?$", id="empty"),
        pytest.param(b"\x00\xff random bytes | not | a table", "no prices found", id="random bytes"),
        pytest.param(b"# Pricing\n\nSee claude.com/pricing.\n", "no prices found", id="no table"),
        pytest.param(
            b"## Model pricing\n\n| Model | Input |\n|---|---|\n| Claude Haiku 3 | $0.25 / MTok |\n"
            b"| Claude Opus 4 | $1",
            "cut short",
            id="cut short inside a row",
        ),
        pytest.param(
            b"## Model pricing\n\n| Model | Input |\n|---|---|\n| Claude Haiku 3 | $0.25 / MTok $0.20 / MTok |\n",
            "several prices",
            id="two prices in a cell",
        ),
        pytest.param(
            b"## Model pricing\n\n| Model | Input |\n|---|---|\n| Claude Haiku 3 | $0.25 |\n| Claude Opus 4 | $15 |\n",
            "names no unit",
            id="a price without its unit",
        ),
        pytest.param(
            b"## Model pricing\n\n| Model | Input | Output |\n|---|---|---|\n"
            b"| Claude Haiku 3 | $0.25 / MTok | soon |\n| Claude Opus 4 | $15 / MTok | $75 / MTok |\n",
            "no price in dollars",
            id="words in a price column",
        ),
        pytest.param(
            b"## Model pricing\n\n| Model | 24h Cache Writes |\n|---|---|\n| Claude Haiku 3 | $1 / MTok |\n",
            "cache write pricewar does not know",
            id="a cache write of unknown duration",
        ),
        pytest.param(
            b"## Model pricing\n\n| Model | Input |\n|---|---|\n| Claude Haiku 3 | $0.25 / MTok |\n\n"
            b"## Pricing\n\n| Model | Input |\n|---|---|\n| Claude Haiku 3 | $0.30 / MTok |\n",
            "two standard input prices",
            id="one key priced twice",
        ),
        pytest.param(
            b"## Model pricing\n\n| Model | Input |\n|---|---|\n| Claude Haiku 3 * | $0.25 / MTok |\n",
            "cannot read: 'Claude Haiku 3 \\*'",
            id="a model name that makes no id",
        ),
        pytest.param(
            long_context_page(low="$2.50"), "but its base price is \\$3 / MTok", id="≤ 200K differs from the base"
        ),
        pytest.param(long_context_page(intro="For every model."), "cannot tell", id="long context names no model"),
        pytest.param(long_context_page(intro="Only for Claude Opus 9."), "cannot tell", id="long context, unknown"),
        pytest.param(
            long_context_page(intro="Available for Claude Sonnet 4.5, not for Claude Haiku 4.5."),
            "cannot tell",
            id="long context with a negation",
        ),
        pytest.param(
            b"## Model pricing\n\n| Model | Input |\n|---|---|\n| Claude Sonnet 4.5 | $3 / MTok |\n\n"
            b"## Long context pricing\n\nFor Claude Sonnet 4.5.\n\n"
            b"| Model | > 200K |\n|---|---|\n| Claude Sonnet 4.5 | $6 / MTok |\n",
            "long-context table has columns pricewar cannot read",
            id="long context in another layout",
        ),
    ],
)
def test_unreadable_pages_raise_rather_than_guess(body: bytes, message: str):
    with pytest.raises(PricewarError, match=message):
        anthropic.parse(body)


DATED_PAGE = """## Model pricing

| Model | Base Input Tokens | 5m Cache Writes | 1h Cache Writes | Cache Hits & Refreshes | Output Tokens |
| --- | --- | --- | --- | --- | --- |
| Claude Sonnet 5 (through August 31, 2026) | $2 / MTok | $2.50 / MTok | $4 / MTok | $0.20 / MTok | $10 / MTok |
| Claude Sonnet 5 (starting September 1, 2026) | $3 / MTok | $3.75 / MTok | $6 / MTok | $0.30 / MTok | $15 / MTok |
| Claude Fable 5.1<br/>Introductory pricing through December 31, 2026 | $10 / MTok | $12.50 / MTok | $20 / MTok | $0.25 / MTok<sup>1</sup> | $50 / MTok |
| Claude Opus 4.1 ([deprecated](/docs/en/about-claude/model-deprecations)) | $15 / MTok | $18.75 / MTok | $30 / MTok | $1.50 / MTok | $75 / MTok |

<sup>1</sup> A footnote.
"""


def test_a_price_dated_on_the_page_takes_those_dates():
    prices = {(p.model, p.kind, p.effective_from, p.effective_to): p.per_mtok
              for p in anthropic.parse(DATED_PAGE.encode())}
    assert prices[("claude-sonnet-5", "input", None, "2026-09-01")] == Decimal("2")
    assert prices[("claude-sonnet-5", "input", "2026-09-01", None)] == Decimal("3")
    assert prices[("claude-fable-5.1", "cache_hit", None, "2027-01-01")] == Decimal("0.25")
    assert prices[("claude-opus-4.1", "output", None, None)] == Decimal("75")


def test_dated_prices_go_into_the_history_in_order(tmp_path):
    from pricewar.history import collect, database

    db = database.open_db(tmp_path / "h.db")
    collect.record_source(db, "anthropic", [("page", DATED_PAGE.encode())])
    rows = list(db.query("select per_mtok, effective_from, effective_to from prices "
                         "where model = 'claude-sonnet-5' and kind = 'input' order by effective_from"))
    assert rows == [{"per_mtok": "3", "effective_from": "2026-09-01", "effective_to": None}]  # Aug 31 has passed


# --- 2024: anthropic.com/pricing, a card per model, its text in the HTML or in the Next.js script data ---

REAL_TEXT_2024 = "real/anthropic-pricing-text-2024-03.js"  # the page's text, as a JS module kept it
REAL_CARDS_2024 = "real/anthropic-pricing-cards-2024-11.html"  # the page's rendered pricing cards
CLAUDE_3 = {
    ("claude-3-haiku", "input"): Decimal("0.25"), ("claude-3-haiku", "output"): Decimal("1.25"),
    ("claude-3-sonnet", "input"): Decimal(3), ("claude-3-sonnet", "output"): Decimal(15),
    ("claude-3-opus", "input"): Decimal(15), ("claude-3-opus", "output"): Decimal(75),
}


def plain(prices: list[Price]) -> dict[tuple[str, str], Decimal]:
    """(model, kind) -> per_mtok for a page of standard USD prices per 1M tokens; fails on anything else."""
    for price in prices:
        assert (price.provider, price.currency, price.unit, price.service_tier, price.context_tier) == (
            "anthropic", "USD", MTOK, "standard", "")
        assert price.published.startswith("$") and price.published.endswith("/ MTok")
        assert price.effective_from is None and price.effective_to is None
    table = {(p.model, p.kind): p.per_mtok for p in prices}
    assert len(table) == len(prices)
    return table


def test_real_march_2024_page_reads_family_names_under_claude_3_pricing():
    prices = anthropic.parse(own_fixture(REAL_TEXT_2024).read_bytes())
    assert plain(prices) == {
        **CLAUDE_3,
        ("claude-2.1", "input"): Decimal(8), ("claude-2.1", "output"): Decimal(24),
        ("claude-2.0", "input"): Decimal(8), ("claude-2.0", "output"): Decimal(24),
        ("claude-instant", "input"): Decimal("0.80"), ("claude-instant", "output"): Decimal("2.40"),
    }
    assert {p.model: p.display_name for p in prices}["claude-3-haiku"] == "Claude 3 Haiku"
    assert {p.published for p in prices if p.model == "claude-instant"} == {"$0.80 / MTok", "$2.40 / MTok"}


def test_real_late_2024_cards_pair_each_price_with_the_caption_under_it():
    prices = anthropic.parse(own_fixture(REAL_CARDS_2024).read_bytes())
    cards = {
        "claude-3.5-sonnet": ("3", "3.75", "0.30", "15"), "claude-3.5-haiku": ("1", "1.25", "0.10", "5"),
        "claude-3-opus": ("15", "18.75", "1.50", "75"), "claude-3-haiku": ("0.25", "0.30", "0.03", "1.25"),
    }
    assert plain(prices) == {
        **{(model, kind): Decimal(amount) for model, amounts in cards.items()
           for kind, amount in zip(("input", "cache_write", "cache_hit", "output"), amounts)},
        ("claude-3-sonnet", "input"): Decimal(3), ("claude-3-sonnet", "output"): Decimal(15),
    }  # nothing from the Free, Pro and Team plans ($0, $18, $25 a month)
    assert {p.display_name for p in prices} == {
        "Claude 3.5 Sonnet", "Claude 3.5 Haiku", "Claude 3 Opus", "Claude 3 Haiku", "Claude 3 Sonnet"}


def test_nextjs_flight_data_june_2024():
    prices = anthropic.parse(own_fixture("anthropic-nextjs-flight.html").read_bytes())
    assert plain(prices) == {
        ("claude-3.5-sonnet", "input"): Decimal(3), ("claude-3.5-sonnet", "output"): Decimal(15), **CLAUDE_3}
    assert {p.published for p in prices if p.model == "claude-3-haiku"} == {"$0.25 / MTok", "$1.25 / MTok"}


def test_next_data_march_2024():
    prices = anthropic.parse(own_fixture("anthropic-next-data.html").read_bytes())
    assert plain(prices) == {
        **CLAUDE_3,
        ("claude-2.1", "input"): Decimal(8), ("claude-2.1", "output"): Decimal(24),
        ("claude-instant", "input"): Decimal("0.80"), ("claude-instant", "output"): Decimal("2.40"),
    }


def flight_page(*strings: str, body: str = "") -> bytes:
    """A Next.js page whose flight data holds `strings` as one element's children, "$" escaped as React does."""
    import json

    children = [["$", "p", None, {"children": text.replace("$", "$$", 1) if text.startswith("$") else text}]
                for text in strings]
    payload = "0:" + json.dumps(["$", "div", None, {"children": children}]) + "\n"
    return f"<html><body>{body}<script>self.__next_f.push({json.dumps([1, payload])})</script></body></html>".encode()


def test_a_label_pricewar_does_not_read_drops_its_price_only():
    prices = anthropic.parse(flight_page("Claude 3 Haiku", "$0.25 / MTok", "Input", "$0.125 / MTok", "Batch input",
                                         "$1.25 / MTok", "Output"))
    assert plain(prices) == {("claude-3-haiku", "input"): Decimal("0.25"), ("claude-3-haiku", "output"): Decimal("1.25")}


def test_html_and_script_data_that_agree_are_one_reading():
    cards = "<h3>Claude 3 Haiku</h3><p>$0.25 / MTok</p><p>Input</p><p>$1.25 / MTok</p><p>Output</p>"
    prices = anthropic.parse(flight_page("Claude 3 Haiku", "$0.25 / MTok", "Input", "$1.25 / MTok", "Output", body=cards))
    assert plain(prices) == {("claude-3-haiku", "input"): Decimal("0.25"), ("claude-3-haiku", "output"): Decimal("1.25")}


PAIRED = "where model and price cannot be paired"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(flight_page("Claude 3 Haiku", "$0.25 / MTok", "$1.25 / MTok", "Input", "Output"),
                     f"{PAIRED}: Claude 3 Haiku's prices and labels do not pair", id="two prices, then two labels"),
        pytest.param(flight_page("Claude 3 Haiku", "$0.25 / MTok", "Input", "$1.25 / MTok"),
                     "do not pair one to one", id="a price with no label"),
        pytest.param(flight_page("Claude 3 Haiku", "Input", "$0.25 / MTok", "Output"),
                     "do not pair one to one", id="a label with no price"),
        pytest.param(flight_page("Claude 3 Haiku", "Cached input", "$0.25 / MTok", "Input", "$1.25 / MTok", "Output"),
                     "do not pair one to one", id="a stray label turns the order round"),
        pytest.param(flight_page("Haiku", "Input: $0.25 / MTok", "Output: $1.25 / MTok"),
                     f"{PAIRED}: it names a model only as 'Haiku'", id="a family name with no generation"),
        pytest.param(flight_page("$0.25 / MTok", "Input", "Claude 3 Haiku"),
                     "'\\$0.25 / MTok' comes before any model's name", id="a price before any model"),
        pytest.param(flight_page("Claude 3 Haiku", "Input: $0.25 / MTok", "Output: $1.25 per million output tokens"),
                     "is in running text", id="a price in a sentence"),
        pytest.param(flight_page("Claude 3 Haiku", "Input: $0.25 / MTok", "$1.25 / MTok", "Output"),
                     "labelled in two ways", id="labelled and side by side"),
        pytest.param(flight_page("Claude 3 Haiku", "Output: $1.25 / MTok"), "has no input price", id="no input"),
        pytest.param(flight_page("Claude 3 Haiku", "Input: $0.25 / MTok", "Input: $0.30 / MTok"),
                     "one kind of price twice", id="one kind twice in a run"),
        pytest.param(flight_page("Claude 3 Haiku", "Input: $0.25 / MTok", "Output: $1.25 / MTok",
                                 body="<h3>Claude 3 Haiku</h3><p>Input: $0.30 / MTok</p>"),
                     "gives Claude 3 Haiku two standard input prices", id="page text and script data disagree"),
        pytest.param(flight_page("Claude 3 Haiku", "Input: $0.25"), "no prices found", id="a price with no unit"),
        pytest.param(b"<html><body><script>self.__next_f.push([1,\"0:[\\\"$\\\",\\\"p\\\"", "no prices found",
                     id="flight data cut short"),
    ],
)
def test_page_data_that_cannot_be_paired_is_refused_in_one_sentence(body: bytes, message: str):
    with pytest.raises(PricewarError, match=message) as refused:
        anthropic.parse(body)
    assert str(refused.value).count("—") == 1 and "Anthropic's pricing page" in str(refused.value)


def test_update_dry_run_shows_a_2024_page(tmp_path, no_shipped_history):
    from conftest import run

    result = run("update", "anthropic", "--source", str(own_fixture(REAL_TEXT_2024)), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "claude-3-opus" in result.output or "Claude 3 Opus" in result.output
