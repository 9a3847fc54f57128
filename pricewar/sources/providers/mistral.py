"""Mistral AI's API pricing: per 1M tokens, in EUR as published (and USD where the page adds it).

Until mid-2024 the prices were on docs.mistral.ai/platform/pricing, built from Mistral's own docs
source (docs/platform/05-pricing.md, the layout the recorded fixtures keep): Markdown tables under
"Chat Completions API" and "Embeddings API" with a Model column, from February 2024 an Endpoint
column, and Input / Output columns of cells such as "0.14€ / 1M tokens" or "2.5€ /1M tokens". A
later revision split each price into "Input (USD)" / "Input (EUR)" columns ("0.25$ / 1M tokens"):
both currencies are recorded, each under its own key. That docs page now gives way to
mistral.ai/pricing, which is what `pricewar update` fetches; should that page not hold tables of
this shape, parse() refuses ("no prices found") and nothing is recorded.

The model id is the Endpoint cell (the API id: open-mistral-7b) or, without that column, the Model
cell (mistral-tiny); a name that is no id ("Mistral 7B") becomes a slug. The embeddings endpoint
has an input price only. The currency is the cell's own sign (€ / $) or its column's "(EUR)" /
"(USD)"; the unit must be stated ("/ 1M tokens"). Tables of fine-tuning prices (training, storage,
fine-tuned models) are not the endpoints' prices and are skipped. A struck-through price is not
charged: the other one in its cell is recorded, the struck one in `note`. Refused rather than
guessed: a cell with a number but no currency or unit, a cell whose currency contradicts its
column, two prices in one currency in a cell, one key priced twice, a page cut off inside a table.

A page without such tables is read as runs of text, as Anthropic's 2024 page is (`paired_prices`):
the Next.js pages of mistral.ai keep their text in script data (flight chunks, `__NEXT_DATA__`), each
model an object such as {"name": "Mistral Large", "endpoint": "mistral-large-latest", "input":
"$8 /1M tokens", "output": "$24 /1M tokens"}, read as the run "Mistral Large", "mistral-large-latest",
"input", "$8 /1M tokens", ... A display name beside its endpoint names one model (the endpoint is the
id); a name alone becomes a slug ("Mistral Large" -> mistral-large). A label may carry one price per
currency ({"input": {"usd": "$8 /1M tokens", "eur": "8€ /1M tokens"}}); each price states its own
currency and unit. Refused: prices and labels that do not pair one to one, a price before any model's
name, a price in running text.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pricewar.price import MTOK, Price, PricewarError, decimal, parse_money
from pricewar.sources.body import LAYOUT_CHANGED, check_complete, read_text, unique_prices
from pricewar.sources.cards import Name, page_strings, paired_prices
from pricewar.sources.tables import STRUCK_TEXT, Table, tables

URLS = ("https://mistral.ai/pricing",)
# Words the provider's own page always carries: a page without any of them is some other page.
MENTIONS = ("mistral",)

PROVIDER = "mistral"
PAGE = "Mistral's pricing page"

_MODEL = re.compile(r"^models?\b", re.IGNORECASE)
_ENDPOINT = re.compile(r"endpoint|api\s*(name|id)", re.IGNORECASE)
_INPUT = re.compile(r"\binput\b|\bprompt\b", re.IGNORECASE)
_OUTPUT = re.compile(r"\boutput\b|\bcompletion\b", re.IGNORECASE)
_FINE_TUNING = re.compile(r"fine[- ]?tun|training", re.IGNORECASE)
_BATCH = re.compile(r"\bbatch\b", re.IGNORECASE)
_COLUMN_CURRENCY = ((re.compile(r"\bEUR\b|€"), "EUR"), (re.compile(r"\bUSD\b|\$"), "USD"))
_ID = re.compile(r"^[a-z0-9][a-z0-9._:-]*[a-z0-9]$")
_AMOUNT = re.compile(r"\d[\d,]*(?:\.\d+)?|\.\d+")
_UNIT = re.compile(r"1\s*M\s*tokens?|1M\b|million|MTok|1,000,000|1\s*K\s*tokens?|1K\b", re.IGNORECASE)


def parse(body: bytes) -> list[Price]:
    """Every price in Mistral's pricing tables, else in its page data; PricewarError when there are none."""
    text = read_text(body)
    check_complete(text, PAGE)
    found = [price for table in tables(text) for price in _read_table(table)]
    return unique_prices(found or _read_page_data(text), PAGE)


def _read_page_data(text: str) -> list[Price]:
    """The prices of a page whose models and prices are runs of text in its HTML or script data."""
    return [
        Price(provider=PROVIDER, model=str(model), kind=kind, per_mtok=money.per_mtok, currency=str(money.currency),
              published=published, unit=str(money.unit), display_name=display)
        for strings in page_strings(text)
        for (model, display, _), kind, money, published in paired_prices(strings, _model_name, PAGE)
    ]


_NAMED = re.compile(r"^(?:Mistral|Mixtral|Codestral|Pixtral|Ministral|Magistral|Devstral)(?:\s+[A-Za-z0-9][\w.]*){0,3}$")
_API_ID = re.compile(r"^(?:open-)?(?:mistral|mixtral|codestral|pixtral|ministral|magistral|devstral)(?:-[a-z0-9.]+)+$")
_NOT_A_MODEL = frozenset({"ai", "api", "platform", "pricing", "prices", "models", "model", "le", "la", "cloud"})


def _model_name(text: str) -> Name | None:
    """(id, display name, is an API id) for a string that names a Mistral model: an endpoint
    ("open-mixtral-8x7b") or a display name ("Mixtral 8x7B", "Codestral"), not "Mistral AI"."""
    if _API_ID.match(text):
        return text, text, True
    words = text.split()
    if _NAMED.match(text) and (len(words) > 1 or text == "Codestral") and not _NOT_A_MODEL & {w.lower() for w in words}:
        return _model_ids("", text)[0], text, False
    return None


def _read_table(table: Table) -> list[Price]:
    """The prices of one table with a Model (or Endpoint) column and Input / Output columns."""
    header = table.rows[0]
    if _FINE_TUNING.search(table.heading) or any(_FINE_TUNING.search(cell) for cell in header):
        return []
    model = next((index for index, cell in enumerate(header) if _MODEL.match(cell)), None)
    endpoint = next((index for index, cell in enumerate(header) if _ENDPOINT.search(cell)), None)
    kinds = {
        index: "output" if _OUTPUT.search(cell) else "input"
        for index, cell in enumerate(header)
        if _INPUT.search(cell) or _OUTPUT.search(cell)
    }
    named = endpoint if endpoint is not None else model
    if named is None or not kinds:
        return []
    service_tier = "batch" if _BATCH.search(table.heading) else "standard"
    prices: list[Price] = []
    for row in table.rows[1:]:
        display = row[model] if model is not None else row[named]
        ids = _model_ids(row[named], display)
        if not ids and any(re.search(r"\d", row[index]) for index in kinds if index < len(row)):
            raise PricewarError(f"{PAGE} has a price row naming no model ({' | '.join(row)}) — {LAYOUT_CHANGED}")
        for index, kind in kinds.items():
            if index >= len(row):
                continue
            for amount, currency, unit, published, note in _read_cell(row[index], header[index], f"{display} {kind}"):
                prices += [
                    Price(
                        provider=PROVIDER,
                        model=model_id,
                        kind=kind,
                        per_mtok=amount,
                        currency=currency,
                        published=published,
                        unit=unit,
                        service_tier=service_tier,
                        display_name=display,
                        note=note,
                    )
                    for model_id in ids
                ]
    return prices


def _model_ids(cell: str, display: str) -> list[str]:
    """The API ids a row names ("open-mistral-7b"; several when a cell lists aliases), else a slug of the name."""
    names = [name for name in re.split(r"\s*,\s*", cell.strip()) if name]  # ids are lower-case, without spaces
    if names and all(_ID.match(name) for name in names):
        return names
    slug = re.sub(r"[^a-z0-9.]+", "-", (display or cell).lower()).strip("-.")
    return [slug] if slug else []


def _read_cell(cell: str, column: str, where: str) -> list[tuple]:
    """(per_mtok, currency, unit, published, note) for each price in a cell; [] when it has none."""
    struck = [" ".join(found.split()) for found in STRUCK_TEXT.findall(cell) if found.strip()]
    charged = STRUCK_TEXT.sub("\n", cell)
    column_currency = next((code for pattern, code in _COLUMN_CURRENCY if pattern.search(column)), None)
    column_unit = MTOK if re.search(r"1\s*M\b|million|MTok", column, re.IGNORECASE) else None
    found: list[tuple] = []
    for line in charged.split("\n"):
        line = " ".join(line.split())
        amounts = _AMOUNT.findall(_UNIT.sub(" ", line))
        if not amounts:
            continue
        if len(amounts) > 1:
            raise PricewarError(f"{PAGE}: the {where} cell '{line}' holds several numbers — {LAYOUT_CHANGED}")
        money = parse_money(line, currency=column_currency, unit=column_unit if not _UNIT.search(line) else None)
        if money.currency is None or money.unit is None:
            missing = "currency" if money.currency is None else "unit"
            raise PricewarError(f"{PAGE}: the {where} price '{line}' names no {missing} — {LAYOUT_CHANGED}")
        if column_currency and money.currency != column_currency:
            raise PricewarError(
                f"{PAGE}: the {where} price '{line}' is in {money.currency} under a {column_currency} column "
                f"— {LAYOUT_CHANGED}"
            )
        if any(currency == money.currency for _, currency, *_ in found):
            raise PricewarError(
                f"{PAGE}: the {where} cell '{' '.join(cell.split())}' gives two {money.currency} prices "
                f"and strikes out neither — which one is charged? ({LAYOUT_CHANGED})"
            )
        note = _struck_note(struck, money.amount)
        found.append((money.per_mtok, money.currency, money.unit, line, note))
    return found


def _struck_note(struck: list[str], charged: Decimal) -> str:
    """What a struck-out price beside the charged one says: usually the price before a discount."""
    if not struck:
        return ""
    was = " ".join(struck)
    before = _AMOUNT.findall(_UNIT.sub(" ", was))
    return f"discounted from {was}" if len(before) == 1 and decimal(before[0]) > charged else f"struck out: {was}"
