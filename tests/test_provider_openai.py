"""OpenAI's pricing page: the docs page's Batch / Flex / Standard / Priority tables, each told by its own label, and
the 2024 page's prices in script data, read only where each model's pairing with its prices is plain."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import load, openai

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


# Layout 1, as other renditions and variants show it ----------------------------------------------------------

REAL_EMPTY_HEADINGS = "real/openai-pricing-empty-headings-2025-09.md"  # a converter's copy: "### " then "Text tokens"


def test_real_copy_whose_headings_are_empty_reads_its_standard_table():
    prices = openai.parse(own_fixture(REAL_EMPTY_HEADINGS).read_bytes())
    table = priced(prices)
    expected = {
        **row("gpt-5", "standard", "1.25", "0.125", "10.00"),
        **row("gpt-4o-2024-05-13", "standard", "5.00", "", "15.00"),
        **row("o1-pro", "standard", "150.00", "", "600.00"),
        **row("gpt-realtime", "standard", "4.00", "0.40", "16.00"),  # not the image-token table's $5.00
        **row("gpt-image-1", "standard", "5.00", "1.25", ""),  # not the image-token table's $10.00
    }
    assert subset(table, expected) == expected
    assert len({p.model for p in prices}) == 30 and len(prices) == 80
    assert {(p.service_tier, p.currency, p.unit, p.effective_from, p.note) for p in prices} == {
        ("standard", "USD", MTOK, None, "")
    }


def reordered(text: str) -> str:
    """The real page with its text-token tier blocks in reverse order (Priority, Standard, Flex, Batch)."""
    head, rest = text.split("\nBatch\n", 1)
    batch, rest = rest.split("\nFlex\n", 1)
    flex, rest = rest.split("\nStandard\n", 1)
    standard, rest = rest.split("\nPriority\n", 1)
    priority, after = rest.split("\n\nFor faster processing", 1)
    blocks = [("Priority", priority + "\n"), ("Standard", standard), ("Flex", flex), ("Batch", batch)]
    return head + "".join(f"\n{label}\n{block}" for label, block in blocks) + "\nFor faster processing" + after


def as_headings(text: str) -> str:
    """The real page with each tier's label line turned into a heading under its section ("#### Batch")."""
    return re.sub(r"^(Batch|Flex|Standard|Priority)$", r"#### \1", text, flags=re.MULTILINE)


@pytest.mark.parametrize("variant", [reordered, as_headings], ids=["tiers in another order", "tiers as headings"])
def test_real_pages_read_the_same_whatever_the_tiers_order_or_form(real, variant):
    name, prices = real
    text = shared_file(name).read_text(encoding="utf-8")
    changed = variant(text)
    assert changed != text
    assert priced(openai.parse(changed.encode())) == priced(prices)


def test_tiers_as_headings_or_lines_of_text_each_read_from_their_own_label():
    prices = openai.parse(own_fixture("openai-tier-headings.md").read_bytes())
    assert priced(prices) == {
        **row("gpt-5", "standard", "1.25", "0.125", "10.00"),
        **row("gpt-4o", "standard", "2.50", "1.25", "10.00"),
        **row("gpt-5", "priority", "2.50", "0.25", "20.00"),
        **row("gpt-5", "batch", "0.625", "0.0625", "5.00"),
        **row("gpt-4o", "batch", "1.25", "", "5.00"),
        **row("o3", "flex", "1.00", "0.25", "4.00"),
        ("gpt-4-turbo-2024-04-09", "input", "standard"): Decimal(10),  # "Standard tier"
        ("gpt-4-turbo-2024-04-09", "output", "standard"): Decimal(30),
        ("gpt-4-turbo-2024-04-09", "input", "batch"): Decimal(5),  # "Batch tier"
        ("gpt-4-turbo-2024-04-09", "output", "batch"): Decimal(15),
    }  # and not the image-token table under its own "Standard" heading
    assert {p.note for p in prices if p.model.startswith("gpt-4-turbo")} == {"legacy model"}


def test_tier_headings_at_their_sections_own_level_name_its_tiers():
    body = "### Text tokens\n\nPrices per 1M tokens.\n\n### Batch\n\n" + HEADER + "| gpt-5 | $0.625 | - | $5.00 |\n"
    body += "\n### Standard\n\n" + HEADER + GPT5 + "\n### Image tokens\n\nPrices per 1M tokens.\n\n### Standard\n\n"
    body += HEADER + "| gpt-image-1 | $10.00 | $2.50 | $40.00 |\n"
    assert priced(openai.parse(body.encode())) == {
        **row("gpt-5", "batch", "0.625", "", "5.00"),
        **row("gpt-5", "standard", "1.25", "0.125", "10.00"),
    }


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param(
            "## Text tokens\n\nPrices per 1M tokens.\n\n### Batch\n\nStandard\n\n" + HEADER + GPT5,
            "says batch and standard", id="a heading and a label that disagree",
        ),
        pytest.param(
            "## Text tokens\n\nPrices per 1M tokens.\n\nStandard\n\n" + HEADER + GPT5 + "\n" + HEADER + GPT5,
            "says no service tier", id="a second table under one label",
        ),
        pytest.param(
            "## Latest models\n\nText tokens\n\nPrice per 1M tokens\n\nBatch API price\n\n" + HEADER + GPT5,
            "no prices found", id="a toggle's caption is no tier",
        ),
        pytest.param(
            "### \n\nText tokens\n\nPrices per 1M tokens.\n\nBatch API price\n\n" + HEADER + GPT5,
            "says no service tier", id="a toggle's caption under an empty heading",
        ),
    ],
)
def test_tables_whose_tier_cannot_be_told_are_refused(body: str, message: str):
    with pytest.raises(PricewarError, match=message):
        openai.parse(body.encode())


# Layout 2: the 2024 page, its prices in script data -------------------------------------------------------------

SCRIPT_DATA = "openai-script-data-2024.html"


def test_2024_script_data_reads_each_model_with_its_own_prices():
    prices = openai.parse(own_fixture(SCRIPT_DATA).read_bytes())
    assert priced(prices) == {
        ("gpt-4o", "input", "standard"): Decimal(5),
        ("gpt-4o", "output", "standard"): Decimal(15),
        ("gpt-4o-2024-05-13", "input", "standard"): Decimal(5),
        ("gpt-4o-2024-05-13", "output", "standard"): Decimal(15),
        ("gpt-4-turbo", "input", "standard"): Decimal(10),
        ("gpt-4-turbo", "output", "standard"): Decimal(30),
        ("gpt-4-turbo-2024-04-09", "input", "standard"): Decimal(10),
        ("gpt-4-turbo-2024-04-09", "output", "standard"): Decimal(30),
        ("gpt-3.5-turbo-0125", "input", "standard"): Decimal("0.5"),  # a run of text
        ("gpt-3.5-turbo-0125", "output", "standard"): Decimal("1.5"),
        ("gpt-3.5-turbo-instruct", "input", "standard"): Decimal("1.5"),
        ("gpt-3.5-turbo-instruct", "output", "standard"): Decimal(2),
    }  # not fine-tuning (a training price), embeddings or base models (one unlabelled price each)
    assert {(p.currency, p.unit, p.effective_from, p.provider) for p in prices} == {("USD", MTOK, None, "openai")}
    assert {p.published for p in prices if p.model == "gpt-3.5-turbo-0125"} == {
        "US$0.50 / 1M input tokens", "US$1.50 / 1M output tokens",
    }


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        pytest.param(
            '<p>gpt-4 $0.03 / 1K input tokens $0.06 / 1K output tokens</p>'
            '<p>gpt-4-32k: $0.06 / 1K prompt tokens, $0.12 / 1K completion tokens</p>',
            {("gpt-4", "input"): "30", ("gpt-4", "output"): "60", ("gpt-4-32k", "input"): "60",
             ("gpt-4-32k", "output"): "120"},
            id="runs of text per 1K tokens",
        ),
        pytest.param(
            '["$","tr",null,{"children":[["$","td",null,{"className":"py-2","children":"gpt-4o"}],'
            '["$","td",null,{"children":"$5.00 / 1M tokens"}],["$","td",null,{"children":"$15.00 / 1M tokens"}]]}]',
            {("gpt-4o", "input"): "5", ("gpt-4o", "output"): "15"},
            id="a table row's cells",
        ),
        pytest.param(
            '[{"input":"$5.00 / 1M tokens","output":"$15.00 / 1M tokens","model":"gpt-4o"}]',
            {("gpt-4o", "input"): "5", ("gpt-4o", "output"): "15"},
            id="the name after its prices in one object",
        ),
        pytest.param(
            '<script>x("{\\"model\\":\\"gpt-4o\\",\\"prices\\":\\"\\u00245.00 / 1M input tokens '
            '\\u00242.50 / 1M cached input tokens \\u002415.00 / 1M output tokens\\"}")</script>',
            {("gpt-4o", "input"): "5", ("gpt-4o", "cache_hit"): "2.5", ("gpt-4o", "output"): "15"},
            id="escaped strings within strings",
        ),
    ],
)
def test_2024_script_data_pairs_that_are_plain_are_read(body: str, expected: dict):
    prices = openai.parse(body.encode())
    assert {(p.model, p.kind): str(p.per_mtok) for p in prices} == expected
    assert {p.service_tier for p in prices} == {"standard"}


@pytest.mark.parametrize(
    ("body", "message"),
    [
        pytest.param('{"model":"gpt-4o","batch":{"input":"$2.50 / 1M tokens","output":"$7.50 / 1M tokens"}}',
                     "names a service tier", id="a tier's prices"),
        pytest.param('{"model":"gpt-4o","a":"$2.50 / 1M input tokens","b":"$10.00 / 1M output tokens",'
                     '"c":"$1.25 / 1M input tokens","d":"$5.00 / 1M output tokens"}',
                     "two prices of one kind", id="a Batch column beside the standard one"),
        pytest.param('{"model":"gpt-4o","prices":["$5.00 / 1M tokens","$15.00 / 1M tokens","$2.50 / 1M tokens"]}',
                     "3 prices without saying which is which", id="three unlabelled prices"),
        pytest.param('{"model":"gpt-4o","input":"$5.00 / 1M tokens","snapshot":"gpt-4o-2024-05-13"}',
                     "prices gpt-4o, gpt-4o-2024-05-13 together", id="two models in one object"),
        pytest.param('{"rows":[{"model":"gpt-4o"},{"name":"GPT-4o mini","input":"$0.15 / 1M tokens",'
                     '"output":"$0.60 / 1M tokens"}]}', "names gpt-4o-mini beside gpt-4o", id="another model's name"),
        pytest.param("$5.00 / 1M input tokens $15.00 / 1M output tokens gpt-4o", "prices before the model",
                     id="prices before their model in a run"),
        pytest.param('{"model":"gpt-4o-realtime-preview","audio":"$100.00 / 1M audio input tokens"}',
                     "prices 'audio input tokens'", id="audio tokens"),
        pytest.param('{"model":"gpt-4o","input":"$5.00 / 1M tokens","output":"$15.00 / 1M tokens",'
                     '"batchInput":"$2.50 / 1M tokens"}', "labels some prices and not others", id="an unlabelled extra"),
        pytest.param('{"model":"ft:gpt-3.5-turbo-0125:acme","input":"$3.00 / 1M tokens"}', "no prices found",
                     id="a fine-tuned model id is no model"),
        pytest.param('<div>gpt-4o</div><div>$5.00 / 1M input tokens</div>', "no prices found",
                     id="a model and a price in separate runs"),
    ],
)
def test_2024_script_data_that_is_ambiguous_is_refused(body: str, message: str):
    with pytest.raises(PricewarError, match=message):
        openai.parse(body.encode())


# Recording -------------------------------------------------------------------------------------------------------


def test_update_dry_run_shows_the_2024_page_and_records_nothing(no_shipped_history):
    from conftest import run

    result = run("update", "openai", "--source", str(own_fixture(SCRIPT_DATA)), "--dry-run")
    assert result.exit_code == 0, result.output
    assert "gpt-3.5-turbo-0125" in result.output
    again = run("update", "openai", "--source", str(own_fixture(SCRIPT_DATA)), "--dry-run")
    assert again.exit_code == 0 and "gpt-3.5-turbo-0125" in again.output  # the dry run recorded nothing
