"""Mistral's pricing page: EUR (and USD) per 1M tokens, endpoint ids, and the January → February 2024 renaming."""

from __future__ import annotations

from decimal import Decimal

import pytest
from conftest import own_fixture, shared_file  # tests/ is on sys.path (rootdir-relative, no __init__.py)

from pricewar.history import collect, database
from pricewar.price import MTOK, Price, PricewarError
from pricewar.sources.providers import load, mistral

JANUARY = "fixtures/mistral/pricing-2024-01-03.md"
FEBRUARY = "fixtures/mistral/pricing-2024-02-23.md"
CUT_SHORT = "ends inside a table — was the download cut short"
TABLE = "| Model | Endpoint | Input | Output |\n|---|---|---|---|\n"


def priced(prices: list[Price]) -> dict[tuple[str, str, str], Decimal]:
    """(model, kind, currency) -> per_mtok; fails on a key emitted twice."""
    table = {(p.model, p.kind, p.currency): p.per_mtok for p in prices}
    assert len(table) == len(prices)
    return table


def prices_of(currency: str, **models: tuple[str, ...]) -> dict[tuple[str, str, str], Decimal]:
    """The expected table from {model_id: (input, output)} or {model_id: (input,)}; "_" in names reads as "-"."""
    return {
        (model.replace("_", "-"), kind, currency): Decimal(amount)
        for model, amounts in models.items()
        for kind, amount in zip(("input", "output"), amounts)
    }


JANUARY_EUR = prices_of(
    "EUR", mistral_tiny=("0.14", "0.42"), mistral_small=("0.6", "1.8"), mistral_medium=("2.5", "7.5"),
    mistral_embed=("0.1",),
)
FEBRUARY_EUR = prices_of(
    "EUR", open_mistral_7b=("0.25", "0.25"), open_mixtral_8x7b=("0.7", "0.7"), mistral_small_latest=("2", "6"),
    mistral_medium_latest=("2.5", "7.5"), mistral_large_latest=("8", "24"), mistral_embed=("0.1",),
)


def parse_shared(relative: str) -> list[Price]:
    return mistral.parse(shared_file(relative).read_bytes())


def test_is_a_registered_source():
    assert load("mistral") is mistral
    assert mistral.URLS == ("https://mistral.ai/pricing",)
    assert "Mistral" in (mistral.__doc__ or "")


def test_january_2024_page():
    prices = parse_shared(JANUARY)
    assert priced(prices) == JANUARY_EUR
    assert {p.model: p.published for p in prices if p.kind == "output"} == {
        "mistral-tiny": "0.42€ / 1M tokens",
        "mistral-small": "1.8€ / 1M tokens",
        "mistral-medium": "7.5€ / 1M tokens",
    }


def test_february_2024_page_uses_endpoint_ids():
    prices = parse_shared(FEBRUARY)
    assert priced(prices) == FEBRUARY_EUR
    assert {p.model: p.display_name for p in prices} == {
        "open-mistral-7b": "Mistral 7B",
        "open-mixtral-8x7b": "Mixtral 8x7B",
        "mistral-small-latest": "Mistral-small",
        "mistral-medium-latest": "Mistral-medium",
        "mistral-large-latest": "Mistral-large",
        "mistral-embed": "mistral-embed",
    }


@pytest.mark.parametrize("relative", [JANUARY, FEBRUARY])
def test_every_real_price_is_a_plain_eur_price_per_mtok(relative: str):
    for price in parse_shared(relative):
        assert (price.provider, price.currency, price.unit, price.service_tier, price.context_tier, price.note) == (
            "mistral", "EUR", MTOK, "standard", "", ""
        )
        assert price.effective_from is None


def test_usd_and_eur_columns_record_both_currencies():
    prices = mistral.parse(own_fixture("mistral-usd-and-eur-columns.md").read_bytes())
    assert priced(prices) == {
        **prices_of(
            "USD", open_mistral_7b=("0.25", "0.25"), open_mixtral_8x7b=("0.7", "0.7"),
            mistral_small_latest=("2", "6"), mistral_medium_latest=("2.7", "8.1"), mistral_large_latest=("8", "24"),
            mistral_embed=("0.1",),
        ),
        **prices_of(
            "EUR", open_mistral_7b=("0.2", "0.2"), open_mixtral_8x7b=("0.65", "0.65"),
            mistral_small_latest=("1.85", "5.55"), mistral_medium_latest=("2.5", "7.5"),
            mistral_large_latest=("7.3", "22"), mistral_embed=("0.1",),
        ),
    }
    large = {(p.kind, p.currency): p.published for p in prices if p.model == "mistral-large-latest"}
    assert large[("output", "USD")] == "24$ / 1M tokens" and large[("output", "EUR")] == "22€ / 1M tokens"


def test_html_rendition_with_a_struck_price_and_a_fine_tuning_table():
    prices = mistral.parse(own_fixture("mistral-pricing.html").read_bytes())
    # the fine-tuned open-mistral-7b at 0.75€ is not the endpoint's price
    assert priced(prices) == FEBRUARY_EUR
    assert {(p.model, p.kind): p.note for p in prices if p.note} == {
        ("mistral-small-latest", "input"): "discounted from 2.5€ / 1M tokens"
    }


def test_recording_january_then_february_gives_exactly_the_renaming(tmp_path):
    db = database.open_db(tmp_path / "h.db")
    pages = {relative: [(relative, shared_file(relative).read_bytes())] for relative in (JANUARY, FEBRUARY)}
    january = collect.record_source(db, "mistral", pages[JANUARY])
    assert (january.status, january.error, january.models) == ("ok", "", 4)
    assert {(p.model, p.kind) for p in january.changes.new} == {key[:2] for key in JANUARY_EUR}

    february = collect.record_source(db, "mistral", pages[FEBRUARY])
    assert (february.status, february.error, february.models) == ("ok", "", 6)
    assert {(p.model, p.kind, p.per_mtok) for p in february.changes.new} == {
        (model, kind, amount) for (model, kind, _), amount in FEBRUARY_EUR.items() if model != "mistral-embed"
    }
    # mistral-embed (0.1€) is the one key both pages share, at the same price: nothing changed, it carries over
    assert february.changes.changed == []
    assert february.changes.unchanged == 1
    assert {(row["model"], row["kind"], row["per_mtok"]) for row in february.changes.delisted} == {
        ("mistral-tiny", "input", "0.14"),
        ("mistral-tiny", "output", "0.42"),
        ("mistral-small", "input", "0.6"),
        ("mistral-small", "output", "1.8"),
        ("mistral-medium", "input", "2.5"),
        ("mistral-medium", "output", "7.5"),
    }


def test_price_written_without_a_space_before_the_unit():
    page = "| Model | Input | Output |\n|---|---|---|\n| `mistral-small` | 2€ /1M tokens | 6€ /1M tokens |\n"
    assert priced(mistral.parse(page.encode())) == prices_of("EUR", mistral_small=("2", "6"))


def test_a_name_that_is_no_api_id_becomes_a_slug_and_blank_cells_are_no_price():
    page = "| Model | Input | Output |\n|---|---|---|\n| Mistral Large | 8€ / 1M tokens | - |\n| `mistral-x` | | |\n"
    prices = mistral.parse(page.encode())
    assert priced(prices) == {("mistral-large", "input", "EUR"): Decimal(8)}
    assert prices[0].display_name == "Mistral Large"


def test_an_endpoint_cell_listing_aliases_prices_each_of_them():
    aliases = "`mistral-small-2402`, `mistral-small-latest`"
    page = TABLE + f"| Mistral Small | {aliases} | 2€ / 1M tokens | 6€ / 1M tokens |\n"
    assert priced(mistral.parse(page.encode())) == prices_of(
        "EUR", mistral_small_2402=("2", "6"), mistral_small_latest=("2", "6")
    )


def test_a_page_cut_short_inside_a_price_cell_is_refused_not_misread():
    body = shared_file(FEBRUARY).read_bytes()
    with pytest.raises(PricewarError, match=CUT_SHORT):
        mistral.parse(body[: body.index(b"24\xe2\x82\xac") + 1])  # "2" must never be read as large's 24€


@pytest.mark.parametrize(
    ("page", "message"),
    [
        pytest.param("", "no prices found on Mistral's pricing page", id="empty"),
        pytest.param("# Pricing\n\nSee our website.\n", "no prices found", id="no table"),
        pytest.param("| Requests per second | Tokens per minute |\n|---|---|\n| 2 | 2,000,000 |\n",
                     "no prices found", id="a rate-limit table"),
        pytest.param(TABLE + "| Mistral 7B | `open-mistral-7b` | 0.25 / 1M tokens | |\n", "names no currency",
                     id="a price without a currency"),
        pytest.param(TABLE + "| Mistral 7B | `open-mistral-7b` | 0.25€ | |\n", "names no unit",
                     id="a price without a unit"),
        pytest.param("| Model | Input (USD) |\n|---|---|\n| `open-mistral-7b` | 0.2€ / 1M tokens |\n",
                     "in EUR under a USD column", id="a currency contradicting its column"),
        pytest.param(TABLE + "| Mistral 7B | `open-mistral-7b` | 0.25€ / 1M tokens<br>0.2€ / 1M tokens | |\n",
                     "two EUR prices", id="two prices in one currency"),
        pytest.param(TABLE + "| Mistral 7B | `open-mistral-7b` | 0.25€ / 1M tokens | |\n"
                     "| Mistral 7B | `open-mistral-7b` | 0.2€ / 1M tokens | |\n",
                     "gives open-mistral-7b two input prices", id="one key priced twice"),
        pytest.param(TABLE + "| | | 0.25€ / 1M tokens | |\n", "naming no model", id="a price row naming no model"),
        pytest.param(TABLE + "| Mistral 7B | `open-mistral-7b` | 0.25€ / 1M tokens | 2", CUT_SHORT,
                     id="cut inside the last row"),
    ],
)
def test_unclear_pages_are_refused_rather_than_guessed(page: str, message: str):
    with pytest.raises(PricewarError, match=message):
        mistral.parse(page.encode())


# --- Pages whose prices sit in Next.js script data (mistral.ai, 2024): no real copy found; hand-made ---

FEBRUARY_2024 = {"open-mistral-7b": ("0.25", "0.25"), "open-mixtral-8x7b": ("0.7", "0.7"),
                 "mistral-small-latest": ("2", "6"), "mistral-large-latest": ("8", "24")}


def in_currency(currency: str, models: dict[str, tuple[str, ...]]) -> dict[tuple[str, str, str], Decimal]:
    return {(model, kind, currency): Decimal(amount) for model, amounts in models.items()
            for kind, amount in zip(("input", "output"), amounts)}


def test_flight_data_one_object_per_model_usd():
    prices = mistral.parse(own_fixture("mistral-nextjs-flight.html").read_bytes())
    assert priced(prices) == {**in_currency("USD", FEBRUARY_2024), ("mistral-embed", "input", "USD"): Decimal("0.1")}
    assert {p.model: p.display_name for p in prices}["open-mixtral-8x7b"] == "Mixtral 8x7B"
    assert {p.published for p in prices if p.model == "mistral-large-latest"} == {"$8 /1M tokens", "$24 /1M tokens"}
    assert all((p.unit, p.service_tier, p.effective_from) == (MTOK, "standard", None) for p in prices)


def test_next_data_label_then_price_eur():
    prices = mistral.parse(own_fixture("mistral-next-data-eur.html").read_bytes())
    assert priced(prices) == in_currency("EUR", FEBRUARY_2024)
    assert {p.published for p in prices if p.model == "open-mistral-7b"} == {"€0.25 / 1M tokens"}


def next_data(models: list) -> bytes:
    import json

    document = json.dumps({"props": {"pageProps": {"models": models}}}, ensure_ascii=False)
    return f'<html><body><script id="__NEXT_DATA__" type="application/json">{document}</script></body></html>'.encode()


def test_a_label_may_carry_one_price_per_currency():
    page = next_data([{"name": "Mistral Large", "endpoint": "mistral-large-latest",
                       "input": {"usd": "$8 /1M tokens", "eur": "8€ /1M tokens"},
                       "output": {"usd": "$24 /1M tokens", "eur": "24€ /1M tokens"}}])
    assert priced(mistral.parse(page)) == {**in_currency("USD", {"mistral-large-latest": ("8", "24")}),
                                           **in_currency("EUR", {"mistral-large-latest": ("8", "24")})}


def test_a_display_name_alone_becomes_a_slug():
    page = next_data([{"name": "Mistral Large", "input": "$8 /1M tokens", "output": "$24 /1M tokens"}])
    assert priced(mistral.parse(page)) == in_currency("USD", {"mistral-large": ("8", "24")})


PAIRED = "Mistral's pricing page keeps its prices in page data where model and price cannot be paired"


@pytest.mark.parametrize(
    ("models", "message"),
    [
        pytest.param([{"name": "Mistral Large", "prices": ["$8 /1M tokens", "$24 /1M tokens"]}],
                     f"{PAIRED}: Mistral Large's prices and labels do not pair", id="prices with no labels"),
        pytest.param([{"input": "$8 /1M tokens", "output": "$24 /1M tokens", "name": "Mistral Large"}],
                     "comes before any model's name", id="the name after its prices"),
        pytest.param([{"name": "Mistral Large", "input": {"a": "$8 /1M tokens", "b": "$7 /1M tokens"},
                       "output": "$24 /1M tokens"}], "do not pair one to one", id="two prices in one currency"),
        pytest.param([{"name": "Mistral Large", "input": "8 /1M tokens", "output": "24 /1M tokens"}],
                     "no prices found", id="no currency"),
        pytest.param([{"name": "Mistral Large", "note": "from $8 per 1M input tokens", "input": "$8 /1M tokens"}],
                     "is in running text", id="a price in a sentence"),
    ],
)
def test_page_data_that_cannot_be_paired_is_refused(models: list, message: str):
    with pytest.raises(PricewarError, match=message):
        mistral.parse(next_data(models))
