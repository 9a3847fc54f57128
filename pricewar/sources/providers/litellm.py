"""LiteLLM's community-kept price list: USD per token, as JSON floats.

`model_prices_and_context_window.json` in BerriAI/litellm maps a model key to its limits and
prices; `litellm_provider` names who sells it (provider = canonical_provider of that). Floats are
read through their shortest repr, so 1.4e-07 is exactly 0.14 per 1M tokens.

The model is the key with a leading "<provider>/" dropped ("deepseek/deepseek-chat" ->
"deepseek-chat"); any other prefix and every other slash stays, so
"bedrock/us-east-1/anthropic.claude-v2" is model "us-east-1/anthropic.claude-v2" of "bedrock".

Read: input/output per token, cache read (`cache_read_input_token_cost`, else the older
`input_cost_per_token_cache_hit`) and cache creation (5 minute, and `..._above_1hr`), each also as
`..._above_<N>k_tokens` (context_tier ">Nk"; the base has context_tier "") and with a
`_batches`, `_flex` or `_priority` suffix (that service tier). Skipped: `sample_spec`, values that
are not entries, entries without a per-token text price (images, audio, seconds, characters), and
any value that is not a non-negative number. A literal 0.0 is a price of zero.

Duplicates: LiteLLM lists some models under two keys ("deepseek-chat" and
"deepseek/deepseek-chat"). When two keys give the same price key, the first in file order is
kept and the other dropped, even if its amount differs; an entry's canonical field beats its
legacy alias the same way.
"""

from __future__ import annotations

import re
from decimal import Decimal
from functools import lru_cache

from pricewar.price import Price, PricewarError, canonical_provider, format_amount, from_float, per_mtok, plausible
from pricewar.sources.body import json_entries

# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "model_prices_and_context_window.json"
URLS = ("https://raw.githubusercontent.com/BerriAI/litellm/main/model_prices_and_context_window.json",)

SOURCE = "LiteLLM's price list"
UNIT = "per token"

# Field names before any tier suffix -> kind. Order is precedence: the first field read for a
# kind wins, so the canonical cache field is listed before its legacy alias.
KINDS_BY_FIELD = {
    "input_cost_per_token": "input",
    "output_cost_per_token": "output",
    "cache_read_input_token_cost": "cache_hit",
    "input_cost_per_token_cache_hit": "cache_hit",
    "cache_creation_input_token_cost": "cache_write",
    "cache_creation_input_token_cost_above_1hr": "cache_write_1h",
}
SERVICE_TIERS_BY_SUFFIX = {"batches": "batch", "flex": "flex", "priority": "priority"}

_FIELD = re.compile(
    "(?P<field>{})(?:_above_(?P<thousands>[0-9]+)k_tokens)?(?:_(?P<suffix>{}))?".format(
        "|".join(sorted(map(re.escape, KINDS_BY_FIELD), key=len, reverse=True)),
        "|".join(SERVICE_TIERS_BY_SUFFIX),
    )
)

_PRECEDENCE = {field: rank for rank, field in enumerate(KINDS_BY_FIELD)}


def parse(body: bytes) -> list[Price]:
    """Every per-token text price in LiteLLM's list; PricewarError when there are none."""
    prices: dict[tuple[str, ...], Price] = {}
    # an entry at a time: a file of 100,000 models is never whole in memory as Python objects
    for key, entry in json_entries(body, SOURCE, f"{SOURCE} is not a JSON object of models — has the file's "
                                                 "format changed?"):
        if key == "sample_spec" or not isinstance(entry, dict):
            continue
        for price in _prices(key, entry):
            prices.setdefault(price.key, price)
    if not prices:
        raise PricewarError(f"No prices found in {SOURCE} — has the file's format changed?")
    return list(prices.values())


# Rerank and moderation entries carry per-token fields at 0 while being priced per query, or not at
# all: those zeros are no price. Every other entry's per-token prices are read as LiteLLM states them.
NOT_PRICED_PER_TOKEN = {"rerank", "moderation"}
# LiteLLM's `mode` -> what kind of model it is.
TYPES_BY_MODE = {"chat": "chat", "completion": "chat", "responses": "chat", "embedding": "embedding",
                 "image_generation": "image", "audio_transcription": "audio", "audio_speech": "audio"}


def _prices(key: str, entry: dict) -> list[Price]:
    seller = entry.get("litellm_provider")
    if not isinstance(seller, str) or not seller.strip() or entry.get("mode") in NOT_PRICED_PER_TOKEN:
        return []
    found = [(kind_and_tiers, read) for name, kind_and_tiers in _price_fields(tuple(entry))
             if (read := _read(entry[name])) is not None]
    if not found:
        return []
    provider = _provider(seller)
    prefix, slash, rest = key.partition("/")
    model = rest if slash and rest and _provider(prefix) == provider else key
    mode = entry.get("mode")
    model_type = TYPES_BY_MODE.get(mode, "") if isinstance(mode, str) else ""
    return [Price(provider=provider, model=model, kind=kind, per_mtok=amount, currency="USD", published=published,
                  unit=UNIT, service_tier=service_tier, context_tier=context_tier, model_type=model_type)
            for (kind, service_tier, context_tier), (amount, published) in found]


_provider = lru_cache(maxsize=1024)(canonical_provider)


@lru_cache(maxsize=1024)
def _price_fields(names: tuple[str, ...]) -> tuple[tuple[str, tuple[str, str, str]], ...]:
    """(name, (kind, service tier, context tier)) of the price fields among an entry's field names, by
    precedence then file order. Entries come in a few dozen layouts: each is worked out once."""
    found = sorted((field[3], order, name, field[:3]) for order, name in enumerate(names)
                   if (field := _field(name)) is not None)
    return tuple((name, kind_and_tiers) for _, _, name, kind_and_tiers in found)


# A file of 100,000 models names a few dozen fields and a few hundred amounts: each is worked out once.
@lru_cache(maxsize=1024)
def _field(name: str) -> tuple[str, str, str, int] | None:
    """(kind, service tier, context tier, precedence) of a price field's name; None for any other field."""
    match = _FIELD.fullmatch(name)
    if match is None:
        return None
    thousands, suffix = match["thousands"], match["suffix"]
    return (KINDS_BY_FIELD[match["field"]], SERVICE_TIERS_BY_SUFFIX[suffix] if suffix else "standard",
            f">{int(thousands)}k" if thousands else "", _PRECEDENCE[match["field"]])


def _read(raw: object) -> tuple[Decimal, str] | None:
    """(USD per 1M tokens, the amount as published) for a JSON number; None when it is no usable price."""
    if isinstance(raw, Decimal):  # read_json gives every number with a fraction or exponent as written
        amount = raw
    elif isinstance(raw, float):
        amount = from_float(raw)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        amount = Decimal(raw)
    else:
        return None
    if not amount.is_finite() or amount.is_signed():  # negative, or a -0.0 nobody means
        return None
    # keyed by the amount's digits, not its value: 1.5E-7 passes where 1.5 followed by 30 zeros (equal) is refused
    return _per_mtok(str(amount))


@lru_cache(maxsize=4096)
def _per_mtok(written: str) -> tuple[Decimal, str] | None:
    """_read's answer for a finite amount that is not negative, written as Decimal writes it."""
    amount = Decimal(written)
    try:
        normalized = per_mtok(amount, UNIT)
    except PricewarError:  # more digits than Decimal's 28 hold exactly
        return None
    return (normalized, f"{format_amount(amount)} {UNIT}") if plausible(normalized) else None
