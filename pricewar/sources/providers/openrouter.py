"""OpenRouter's public model list: USD per token, as decimal strings.

`GET /api/v1/models` answers `{"data": [model, ...]}`; each model's `pricing` holds USD per token
as strings ("0.0000002574"), read exactly. OpenRouter resells models made by others, and a price is
stored under the maker ("deepseek/deepseek-chat" -> provider "deepseek", model "deepseek-chat") so
one model lines up across sources; which source a price came from is recorded by the caller.

Read: `prompt`, `completion`, `input_cache_read`, `input_cache_write`, `input_cache_write_1h`, and
each `pricing.overrides[]` entry with a `min_prompt_tokens` as a long-context tier (context_tier
">128k"; the base prices have context_tier ""). Skipped rather than guessed: routers priced "-1"
(decided per request), models with neither a prompt nor a completion price, and any field that is
not a non-negative number. "0" is a real price (":free" variants); a missing field is no price.
Two ids landing on the same price key (after "~anthropic" -> "anthropic") keep the first.
"""

from __future__ import annotations

from decimal import Decimal
from functools import lru_cache

from pricewar.price import (
    Price,
    PricewarError,
    canonical_provider,
    decimal,
    format_amount,
    from_float,
    per_mtok,
    plausible,
)
from pricewar.sources.body import read_json

# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "models.json"
URLS = ("https://openrouter.ai/api/v1/models",)

SOURCE = "OpenRouter's model list"
UNIT = "per token"

# Everything else in `pricing` (request, image, audio, web_search, internal_reasoning) is not
# charged per text token, so it has no kind here.
KINDS_BY_FIELD = {
    "prompt": "input",
    "completion": "output",
    "input_cache_read": "cache_hit",
    "input_cache_write": "cache_write",
    "input_cache_write_1h": "cache_write_1h",
}

# OpenRouter's marker for a router whose price depends on the model it picks per request.
DYNAMIC = Decimal(-1)


def parse(body: bytes) -> list[Price]:
    """Every per-token text price in OpenRouter's model list; PricewarError when there are none."""
    document = read_json(body, SOURCE)
    models = document.get("data") if isinstance(document, dict) else None
    if not isinstance(models, list):
        raise PricewarError(f"{SOURCE} has no 'data' list of models — has the API changed?")
    prices: dict[tuple[str, ...], Price] = {}
    for entry in models:
        for price in _prices(entry):
            prices.setdefault(price.key, price)
    if not prices:
        raise PricewarError(f"No prices found in {SOURCE} — has its format changed?")
    return list(prices.values())


def _prices(entry: object) -> tuple[Price, ...]:
    if not isinstance(entry, dict):
        return ()
    model_id, pricing, name = entry.get("id"), entry.get("pricing"), entry.get("name")
    if not isinstance(model_id, str) or not isinstance(pricing, dict):
        return ()
    name = name if isinstance(name, str) else ""
    model_type = _model_type(entry.get("architecture"))
    try:  # the same entry in the next snapshot of an archive is read once: most of a replay is entries seen before
        # each value with its type: True, 1 and 1.0 are one key to a dict, but not one price; in the file's order
        # (the same entry comes in the same order, and another order is only another key)
        return _cached(model_id, name, model_type, tuple((k, type(v), v) for k, v in pricing.items()))
    except TypeError:  # a value that cannot be a cache key (a list of overrides): read as it is
        return _entry_prices(model_id, pricing, name, model_type)


@lru_cache(maxsize=1 << 16)
def _cached(model_id: str, name: str, model_type: str, pricing: tuple) -> tuple[Price, ...]:
    return _entry_prices(model_id, {key: value for key, _, value in pricing}, name, model_type)


def _entry_prices(model_id: str, pricing: dict, name: str, model_type: str) -> tuple[Price, ...]:
    maker, _, model = model_id.partition("/")
    # "~anthropic/claude-opus-latest" is OpenRouter's alias that follows Anthropic's newest Opus.
    provider = canonical_provider(maker.lstrip("~"))
    if not provider or not model:
        return ()
    if any(_amount(value) == DYNAMIC for value in pricing.values()):
        return ()
    if _read(pricing.get("prompt")) is None and _read(pricing.get("completion")) is None:
        return ()
    tiers: list[tuple[dict, str]] = [(pricing, "")]
    overrides = pricing.get("overrides")
    for override in overrides if isinstance(overrides, list) else []:
        tier = _context_tier(override.get("min_prompt_tokens")) if isinstance(override, dict) else None
        if tier is not None:
            tiers.append((override, tier))
    prices = []
    for fields, context_tier in tiers:
        for field, kind in KINDS_BY_FIELD.items():
            found = _read(fields.get(field))
            if found is None:
                continue
            amount, published = found
            prices.append(
                Price(
                    provider=provider,
                    model=model,
                    kind=kind,
                    per_mtok=amount,
                    currency="USD",
                    published=published,
                    unit=UNIT,
                    context_tier=context_tier,
                    display_name=name,
                    model_type=model_type,
                )
            )
    return tuple(prices)


def _model_type(architecture: object) -> str:
    """"image" or "audio" for a model whose output is not text, "chat" for one that writes text."""
    outputs = architecture.get("output_modalities") if isinstance(architecture, dict) else None
    if not isinstance(outputs, list) or not outputs:
        return ""
    if "text" in outputs:
        return "chat"
    return "image" if "image" in outputs else "audio" if "audio" in outputs else ""


def _context_tier(min_prompt_tokens: object) -> str | None:
    """">128k" for 128000; None when the threshold is not a positive whole number of tokens."""
    if not isinstance(min_prompt_tokens, int) or isinstance(min_prompt_tokens, bool) or min_prompt_tokens <= 0:
        return None
    if min_prompt_tokens % 1000:
        return f">{min_prompt_tokens}"
    return f">{min_prompt_tokens // 1000}k"


def _read(raw: object) -> tuple[Decimal, str] | None:
    """(USD per 1M tokens, the amount as published); None when `raw` is not a readable price."""
    amount = _amount(raw)
    if amount is None or amount.is_signed():  # negative, or a "-0" nobody publishes on purpose
        return None
    try:
        normalized = per_mtok(amount, UNIT)  # more digits than Decimal holds: skipped, never rounded
    except PricewarError:
        return None
    if not plausible(normalized):
        return None
    published = raw.strip() if isinstance(raw, str) else format_amount(amount)
    return normalized, f"{published} {UNIT}"


def _amount(raw: object) -> Decimal | None:
    """`raw` as an exact finite Decimal, or None; JSON numbers are tolerated beside strings."""
    try:
        if isinstance(raw, str):
            value = decimal(raw)
        elif isinstance(raw, Decimal):
            value = raw
        elif isinstance(raw, float):
            value = from_float(raw)
        elif isinstance(raw, int) and not isinstance(raw, bool):
            value = Decimal(raw)
        else:
            return None
    except (PricewarError, ArithmeticError):
        return None
    return value if value.is_finite() else None
