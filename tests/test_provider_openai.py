"""OpenAI's pricing page: Batch / Flex / Standard / Priority text-token tables, told apart by their labels."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.providers import load, openai

DECEMBER = "fixtures/openai/pricing-2025-12-20.md"
OCTOBER = "fixtures/openai/pricing-2025-10-15.md"  # a reader-service copy: "Title / URL Source / Markdown Content"

# The Standard "Text tokens" table, row for row.
STANDARD_OCTOBER = {
    "gpt-5", "gpt-5-mini", "gpt-5-nano", "gpt-5-chat-latest", "gpt-5-codex", "gpt-5-pro",
    "gpt-4.1", "gpt-4.1-mini", "gpt-4.1-nano", "gpt-4o", "gpt-4o-2024-05-13", "gpt-4o-mini",
    "gpt-realtime", "gpt-realtime-mini", "gpt-4o-realtime-preview", "gpt-4o-mini-realtime-preview",
    "gpt-audio", "gpt-audio-mini", "gpt-4o-audio-preview", "gpt-4o-mini-audio-preview",
    "o1", "o1-pro", "o3-pro", "o3", "o3-deep-research", "o4-mini", "o4-mini-deep-research", "o3-mini", "o1-mini",
    "codex-mini-latest", "gpt-4o-mini-search-preview", "gpt-4o-search-preview", "computer-use-preview",
    "gpt-image-1", "gpt-image-1-mini",
}  # fmt: skip
STANDARD_DECEMBER = STANDARD_OCTOBER | {
    "gpt-5.2", "gpt-5.1", "gpt-5.2-chat-latest", "gpt-5.1-chat-latest", "gpt-5.1-codex-max", "gpt-5.1-codex",
    "gpt-5.2-pro", "gpt-5.1-codex-mini", "gpt-5-search-api", "gpt-image-1.5", "chatgpt-image-latest",
}  # fmt: skip


def priced(prices: list[Price]) -> dict[tuple[str, str, str], Decimal]:
    """(model, kind, service_tier) -> per_mtok; fails on a key emitted twice."""
    table = {(p.model, p.kind, p.service_tier): p.per_mtok for p in prices}
    assert len(table) == len(prices)
    return table


def row(model: str, tier: str, input_: str, cached: str, output: str) -> dict[tuple[str, str, str], Decimal]:
    """The expected prices of one table row; "" where the page shows "-"."""
    amounts = {"input": input_, "cache_hit": cached, "output": output}
    return {(model, kind, tier): Decimal(amount) for kind, amount in amounts.items() if amount}


def subset(table: dict, expected: dict) -> dict:
    return {key: table.get(key) for key in expected}


@pytest.fixture(scope="module", params=[DECEMBER, OCTOBER], ids=["2025-12-20", "2025-10-15"])
def real(request) -> tuple[str, list[Price]]:
    return request.param, openai.parse(shared_file(request.param).read_bytes())


def test_is_a_registered_source():
    assert load("openai") is openai
    assert openai.URLS == ("https://developers.openai.com/api/docs/pricing.md",)
    assert "OpenAI" in (openai.__doc__ or "")


def test_gpt_5_standard_and_batch_prices_are_not_confused(real):
    _, prices = real
    expected = {
        **row("gpt-5", "standard", "1.25", "0.125", "10"),
        **row("gpt-5", "batch", "0.625", "0.0625", "5"),  # the page's FIRST text-token table
        **row("gpt-5", "flex", "0.625", "0.0625", "5"),
        **row("gpt-5", "priority", "2.50", "0.25", "20"),
    }
    assert subset(priced(prices), expected) == expected
    assert {(p.service_tier, p.kind): p.published for p in prices if p.model == "gpt-5"} == {
        ("batch", "input"): "$0.625",
        ("batch", "cache_hit"): "$0.0625",
        ("batch", "output"): "$5.00",
        ("flex", "input"): "$0.625",
        ("flex", "cache_hit"): "$0.0625",
        ("flex", "output"): "$5.00",
        ("standard", "input"): "$1.25",
        ("standard", "cache_hit"): "$0.125",
        ("standard", "output"): "$10.00",
        ("priority", "input"): "$2.50",
        ("priority", "cache_hit"): "$0.25",
        ("priority", "output"): "$20.00",
    }


def test_flex_and_priority_examples(real):
    _, prices = real
    expected = {
        **row("o4-mini", "flex", "0.55", "0.138", "2.20"),
        **row("o3", "flex", "1.00", "0.25", "4.00"),
        **row("gpt-4o", "priority", "4.25", "2.125", "17.00"),
        **row("gpt-4o-2024-05-13", "priority", "8.75", "", "26.25"),
        **row("computer-use-preview", "batch", "1.50", "", "6.00"),
        **row("computer-use-preview", "standard", "3.00", "", "12.00"),
    }
    assert subset(priced(prices), expected) == expected


def test_exact_model_set_of_the_standard_text_token_table(real):
    name, prices = real
    standard = {p.model for p in prices if p.service_tier == "standard" and p.note != "legacy model"}
    assert standard == (STANDARD_DECEMBER if name == DECEMBER else STANDARD_OCTOBER)
    assert len(standard) == (46 if name == DECEMBER else 35)


def test_counts_per_tier(real):
    name, prices = real
    tiers = {
        tier: len({p.model for p in prices if p.service_tier == tier and p.note != "legacy model"})
        for tier in ("batch", "flex", "standard", "priority")
    }
    assert tiers == (
        {"batch": 23, "flex": 7, "standard": 46, "priority": 15}
        if name == DECEMBER
        else {"batch": 20, "flex": 5, "standard": 35, "priority": 10}
    )
    assert len(prices) == (302 if name == DECEMBER else 241)


def test_dashes_are_no_price_never_zero(real):
    _, prices = real
    assert not any(p.per_mtok == 0 for p in prices)
    assert {p.kind for p in prices if p.model == "gpt-5-pro"} == {"input", "output"}
    assert {p.kind for p in prices if p.model == "gpt-image-1"} == {"input", "cache_hit"}


def test_only_text_token_tables_are_read(real):
    _, prices = real
    table = priced(prices)
    # Text-token rows of realtime and image models, never their image- or audio-token prices.
    assert subset(table, row("gpt-realtime", "standard", "4.00", "0.40", "16.00")) == row(
        "gpt-realtime", "standard", "4.00", "0.40", "16.00"
    )
    assert table[("gpt-image-1", "input", "standard")] == Decimal("5.00")
    models = {p.model for p in prices}
    assert not models & {"gpt-4.1-2025-04-14", "gpt-4o-2024-08-06", "o4-mini-2025-04-16"}  # fine-tuning
    assert not models & {"gpt-4o-transcribe", "gpt-4o-mini-tts", "whisper", "text-embedding-3-small", "sora-2"}


def test_legacy_models_are_read_with_their_tiers(real):
    _, prices = real
    table = priced(prices)
    expected = {
        ("chatgpt-4o-latest", "input", "standard"): Decimal("5.00"),
        ("chatgpt-4o-latest", "output", "standard"): Decimal("15.00"),
        ("gpt-3.5-turbo", "input", "standard"): Decimal("0.50"),  # not fine-tuning's $3.00
        ("davinci-002", "input", "batch"): Decimal("1.00"),
        ("gpt-4-32k", "output", "standard"): Decimal("120.00"),
    }
    assert subset(table, expected) == expected
    assert {p.note for p in prices if p.model == "gpt-4-32k"} == {"legacy model"}
    assert len({p.model for p in prices if p.note == "legacy model"}) == 17


def test_every_price_is_usd_per_1m_text_tokens(real):
    _, prices = real
    for price in prices:
        assert (price.provider, price.currency, price.unit, price.context_tier, price.region) == (
            "openai",
            "USD",
            MTOK,
            "",
            "",
        )
        assert price.display_name == price.model
        assert price.published.startswith("$")


def test_html_rendition_labels_tiers_with_block_elements():
    prices = openai.parse(own_fixture("openai-pricing.html").read_bytes())
    assert priced(prices) == {
        **row("gpt-5", "batch", "0.625", "0.0625", "5.00"),
        **row("gpt-4o", "batch", "1.25", "", "5.00"),
        **row("o3", "flex", "1.00", "0.25", "4.00"),
        **row("gpt-5", "standard", "1.25", "0.125", "10.00"),
        **row("gpt-4o", "standard", "2.50", "1.25", "10.00"),
        **row("o3", "standard", "2.00", "0.50", "8.00"),
        **row("gpt-image-1", "standard", "5.00", "1.25", ""),  # not the image-token table's $10.00
        **row("gpt-5", "priority", "2.50", "0.25", "20.00"),
    }  # and no transcription ("Estimated cost") or embeddings rows


def test_a_section_priced_per_1k_tokens_is_normalised():
    prices = openai.parse(own_fixture("openai-per-1k-tokens.md").read_bytes())
    assert priced(prices) == {
        ("gpt-4-turbo", "input", "batch"): Decimal(5),
        ("gpt-4-turbo", "output", "batch"): Decimal(15),
        ("gpt-4-turbo", "input", "standard"): Decimal(10),
        ("gpt-4-turbo", "output", "standard"): Decimal(30),
        ("gpt-3.5-turbo-0125", "input", "standard"): Decimal("0.5"),
        ("gpt-3.5-turbo-0125", "output", "standard"): Decimal("1.5"),
    }
    assert {(p.unit, p.published) for p in prices if p.model == "gpt-3.5-turbo-0125"} == {
        ("per 1K tokens", "$0.0005"),
        ("per 1K tokens", "$0.0015"),
    }


HEADER = "| Model | Input | Cached input | Output |\n| --- | --- | --- | --- |\n"


def page(*tiers: tuple[str, str], intro: str = "Prices per 1M tokens.", header: str = HEADER) -> bytes:
    """A "Text tokens" section with one labelled table per (label, rows)."""
    parts = [f"### Text tokens\n\n{intro}\n"]
    parts += [f"\n{label}\n\n{header}{rows}" for label, rows in tiers]
    return "".join(parts).encode()


GPT5 = "| gpt-5 | $1.25 | $0.125 | $10.00 |\n"


def test_the_page_helper_reads():
    assert priced(openai.parse(page(("Standard", GPT5)))) == row("gpt-5", "standard", "1.25", "0.125", "10.00")


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(b"", "^no prices found on OpenAI's pricing page — has its layout changed\\?$", id="empty"),
        pytest.param(b"\xff\xfe\x00 | random | bytes", "no prices found", id="random bytes"),
        pytest.param(b"# Pricing\n\nSee the website.\n", "no prices found", id="no table"),
        pytest.param(page(("BatchFlexStandardPriority", GPT5)), "says no service tier", id="only the tab bar"),
        pytest.param(page(("", GPT5)), "says no service tier", id="no label at all"),
        pytest.param(page(("Scale", GPT5)), "says no service tier", id="an unknown tier"),
        pytest.param(page(("Standard", GPT5), intro="Prices below."), "states its unit as nothing", id="no unit"),
        pytest.param(
            page(("Standard", GPT5), intro="Prices per 1M tokens (per 1K tokens for legacy)."),
            "states its unit as per 1K tokens and per 1M tokens",
            id="two units",
        ),
        pytest.param(
            page(("Standard", "| gpt-5 | $1.25 | $0.125 | $10.00 | $1.50 |\n"),
                 header="| Model | Input | Cached input | Output | Cache write |\n| --- | --- | --- | --- | --- |\n"),
            "columns pricewar cannot read",
            id="an unknown column in a tier table",
        ),
        pytest.param(page(("Batch", GPT5)), "no Standard text-token prices", id="no Standard table"),
        pytest.param(
            page(("Standard", "| gpt-5 | $1.25 $1.00 | $0.125 | $10.00 |\n")),
            "not one price in dollars",
            id="two prices in a cell",
        ),
        pytest.param(page(("Standard", "| gpt-5 | 1.25 | - | - |\n")), "not one price in dollars", id="no dollars"),
        pytest.param(page(("Standard", "| gpt 5 (new) | $1.25 | - | $10 |\n")), "cannot read: 'gpt 5", id="bad id"),
        pytest.param(
            page(("Standard", GPT5), ("Standard", "| gpt-5 | $2.50 | $0.25 | $20.00 |\n")),
            "gives gpt-5 two input prices \\(\\$1.25 and \\$2.50\\)",
            id="one key priced twice",
        ),
        pytest.param(page(("Standard", GPT5 + "| gpt-5-mini | $0.2")), "cut short", id="cut short inside a row"),
    ],
)
def test_unreadable_pages_raise_rather_than_guess(body: bytes, message: str):
    with pytest.raises(PricewarError, match=message):
        openai.parse(body)
