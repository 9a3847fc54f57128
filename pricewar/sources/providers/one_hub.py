"""one-hub's published price list: one-hub ratios, USD or CNY by the maker's channel.

`prices.json` on the `prices` branch of MartialBE/one-hub is the gateway's built-in price table,
a JSON list of `{model, type, channel_type, input, output}` (the first version, 2024-03-28, named
the key `models`). It is read by pricewar.sources.ratios, shared with Oaklight's onehub_prices: ratio
1 = USD 2 per 1M, or CNY 14 per 1M for the Chinese makers, told apart by channel_type; the yuan
price is recovered from its 4-decimal ratio (0.0714 -> CNY 1, not 0.9996); `type: times` (per call),
models priced per image or character, and channels that resell, host or are not a maker are skipped.

Placeholder: until 2024-05-09 the list gave deepseek-chat and deepseek-coder 0.75 / 0.75, which
one-hub's own code marks as tentative ("暂定 $0.0015 / 1K tokens") and DeepSeek never charged (it
would read CNY 10.5 / 10.5). A DeepSeek row at exactly 0.75 / 0.75 (PLACEHOLDERS) is skipped; the
real CNY 1 / 2 (0.0714 / 0.1429) replaced it. Other one-hub defaults (PaLM-2 and
gemini-1.0-ultra-latest at 1 / 1) are read as written.
"""

from __future__ import annotations

from decimal import Decimal

from pricewar.price import Price
from pricewar.sources import ratios
from pricewar.sources.body import read_json

# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "prices.json"
URLS = ("https://raw.githubusercontent.com/MartialBE/one-hub/prices/prices.json",)

SOURCE = "MartialBE's one-hub price list"

# (channel_type, input ratio, output ratio) of a default that stands in for a price not yet known.
PLACEHOLDERS = {(28, Decimal("0.75"), Decimal("0.75"))}


def parse(body: bytes) -> list[Price]:
    """Every per-token text price in one-hub's list; PricewarError when there are none."""
    found: list[Price] = []
    for channel, model, ratio_in, ratio_out, extras in ratios.token_rows(read_json(body, SOURCE), SOURCE):
        maker = ratios.CHANNELS.get(channel)
        if maker is None or (channel, ratio_in, ratio_out) in PLACEHOLDERS:
            continue
        found.extend(ratios.prices(maker, model, ratio_in, ratio_out, extras))
    return ratios.unique(found, SOURCE)
