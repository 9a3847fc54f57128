"""Anthropic's pricing page: model, batch and long-context tables, as Markdown and as HTML."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.providers import anthropic, load

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
    from pricewar import collect, store

    db = store.open_db(tmp_path / "h.db")
    collect.record_source(db, "anthropic", [("page", DATED_PAGE.encode())])
    rows = list(db.query("select per_mtok, effective_from, effective_to from prices "
                         "where model = 'claude-sonnet-5' and kind = 'input' order by effective_from"))
    assert rows == [{"per_mtok": "3", "effective_from": "2026-09-01", "effective_to": None}]  # Aug 31 has passed
