"""tokencost's copy of LiteLLM's price map (AgentOps-AI/tokencost, MIT): USD per token, as JSON floats.

`tokencost/model_prices.json` is LiteLLM's `model_prices_and_context_window.json` as tokencost ships
it, `{model: {input_cost_per_token, output_cost_per_token, litellm_provider, mode, ...}}`, and is read
by pricewar's LiteLLM adapter (pricewar.sources.providers.litellm.parse): the same fields, units,
tiers, skips and provider prefixes, and the same rule for a model listed under two keys (the first in
file order is kept). What differs:

- Error sentences name tokencost's price list instead of LiteLLM's.
- Its first versions (2024-01-30 21:24 -08:00 and 2024-02-05) name no `litellm_provider` at all. For a
  file with none, the seller is the key's "<seller>/" prefix, as LiteLLM's keys write it (and as the
  next version's `litellm_provider` confirms: "azure/gpt-4" -> azure, "gemini/gemini-pro" -> google);
  a key without one ("gpt-4", "claude-2") names no seller and is skipped, not guessed.
- The copy lags LiteLLM and keeps entries LiteLLM has since corrected under another key: its bare
  "deepseek-chat" stays at 0.14 / 0.28 into 2025-09, listed before "deepseek/deepseek-chat" (0.27 /
  1.1), so the first-key rule keeps the stale price, exactly as the file lists it first.
- Its very first version (2024-01-30 20:13 -08:00) is not valid JSON (a trailing comma): refused.
"""

from __future__ import annotations

from pricewar.price import Price, PricewarError
from pricewar.sources.body import read_json
from pricewar.sources.providers import litellm

# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "model_prices.json"
URLS = ("https://raw.githubusercontent.com/AgentOps-AI/tokencost/main/tokencost/model_prices.json",)

SOURCE = "tokencost's price list"


def parse(body: bytes) -> list[Price]:
    """Every per-token text price in tokencost's list, read as LiteLLM's; PricewarError when there are none."""
    try:
        return litellm.parse(body)
    except PricewarError as error:
        message = str(error).replace(litellm.SOURCE, SOURCE)
        if not message.startswith("No prices found"):
            raise PricewarError(message) from None
    prices = _sellers_from_prefixes(body)
    if not prices:
        raise PricewarError(message)
    return prices


def _sellers_from_prefixes(body: bytes) -> list[Price]:
    """A file that names no seller anywhere, read with each key's "<seller>/" prefix as its seller."""
    document = read_json(body, SOURCE)  # LiteLLM's reading found no price: rare, and a small early file
    if not isinstance(document, dict) or any(isinstance(entry, dict) and "litellm_provider" in entry
                                             for entry in document.values()):
        return []
    prices: dict[tuple[str, ...], Price] = {}
    for key, entry in document.items():
        seller, slash, rest = key.partition("/")
        if not (isinstance(entry, dict) and slash and seller and rest):
            continue
        for price in litellm._prices(key, {**entry, "litellm_provider": seller}):
            prices.setdefault(price.key, price)
    return list(prices.values())
