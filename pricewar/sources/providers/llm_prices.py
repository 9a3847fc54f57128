"""simonw/llm-prices' vendor files: USD per 1M tokens, each model with a dated price history.

`data/<vendor>.json` is `{"vendor": "openai", "models": [{"id", "name", "price_history": [{"input",
"output", "input_cached", "from_date", "to_date"}]}]}`. The archive combines the vendor files of one
commit into one file (`llm-prices.json`): `{"<vendor>": <that vendor's file>}`; both are read. The
vendor names the maker (canonical_provider: "moonshot-ai" -> moonshot, "meta-ai" -> meta, "qwen" ->
alibaba, as the bundled record spells them); the model id and display name are kept as written.

Each price_history entry is one period: `input` -> input, `output` -> output, `input_cached` ->
cache_hit, in USD per 1M tokens; `from_date` is its effective_from and `to_date` its effective_to
(exclusive), as the file states them; null is an open end (an entry without from_date has
effective_from None: the file does not say since when). Skipped: null or non-numeric amounts, a
negative one, an entry whose dates are not YYYY-MM-DD or do not run forward. Two entries giving one
price key and start date keep the first in file order (xai's file lists grok-4-fast twice, with the
same prices).
"""

from __future__ import annotations

from datetime import date

from pricewar.price import Price, PricewarError, canonical_provider
from pricewar.sources.body import json_price, read_json

# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "llm-prices.json"
VENDORS = ("amazon", "anthropic", "deepseek", "google", "meta-ai", "minimax", "mistral", "moonshot-ai", "openai",
           "qwen", "xai")
URLS = tuple(f"https://raw.githubusercontent.com/simonw/llm-prices/main/data/{vendor}.json" for vendor in VENDORS)

SOURCE = "llm-prices' price data"

KINDS_BY_FIELD = {"input": "input", "output": "output", "input_cached": "cache_hit"}


def parse(body: bytes) -> list[Price]:
    """Every price, with its dates, in one vendor file or the combined file; PricewarError when none."""
    document = read_json(body, SOURCE)
    if not isinstance(document, dict):
        raise PricewarError(f"{SOURCE} is not a JSON object — has its format changed?")
    if "models" in document:
        files = [document]
    elif document and all(isinstance(file, dict) and "models" in file for file in document.values()):
        files = list(document.values())
    else:
        raise PricewarError(f"{SOURCE} is neither a vendor file nor a set of them — has its format changed?")
    prices: dict[tuple, Price] = {}
    for file in files:
        vendor, models = file.get("vendor"), file.get("models")
        if not isinstance(vendor, str) or not vendor.strip() or not isinstance(models, list):
            continue
        provider = canonical_provider(vendor)
        for model in models:
            for price in _prices(provider, model):
                # A price that changed on a date appears twice under one key: the date tells them apart.
                prices.setdefault((*price.key, price.effective_from), price)
    if not prices:
        raise PricewarError(f"No prices found in {SOURCE} — has its format changed?")
    return list(prices.values())


def _prices(provider: str, model: object) -> list[Price]:
    if not isinstance(model, dict) or not isinstance(model.get("id"), str) or not model["id"].strip():
        return []
    history, name = model.get("price_history"), model.get("name")
    found = []
    for entry in history if isinstance(history, list) else []:
        period = _period(entry) if isinstance(entry, dict) else None
        if period is None:
            continue
        for field, kind in KINDS_BY_FIELD.items():
            amount = json_price(entry.get(field))
            if amount is not None:
                found.append(Price(provider=provider, model=model["id"], kind=kind, per_mtok=amount, currency="USD",
                                   effective_from=period[0], effective_to=period[1],
                                   display_name=name if isinstance(name, str) else ""))
    return found


def _period(entry: dict) -> tuple[str | None, str | None] | None:
    """(effective_from, effective_to) of a price_history entry; None when its dates cannot be read."""
    start, end = entry.get("from_date"), entry.get("to_date")
    days = [_day(day) if day is not None else "" for day in (start, end)]
    if None in days or (days[0] and days[1] and days[0] >= days[1]):
        return None
    return days[0] or None, days[1] or None


def _day(raw: object) -> str | None:
    try:
        return date.fromisoformat(raw).isoformat() if isinstance(raw, str) and len(raw) == 10 else None
    except ValueError:
        return None


