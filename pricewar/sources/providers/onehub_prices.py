"""Oaklight's onehub_prices: a price list for one-hub, rebuilt every few hours from hand-kept files.

`oneapi_prices.json` on the `prices` branch of Oaklight/onehub_prices is `{data: [{model, type,
channel_type, input, output, extra_ratios?}], updated_at?}` in one-hub ratios, read by
pricewar.sources.ratios like one-hub's own list: ratio 1 = USD 2 per 1M, or CNY 14 per 1M for
the Chinese makers (whose prices Oaklight keeps in `rmb / M`), the yuan price recovered from the
rounded ratio; `extra_ratios.cached_tokens` times the input price is the cache_hit price.

Channels: one-hub's makers (ratios.CHANNELS) plus Oaklight's own ids for makers one-hub has none
for (its ownedby.json: 1001 InternLM, 1002 ByteDance Doubao, 1005 StepFun, 1009 xAI before it moved
to 56, 1011 AI21, 1013 Kwaipilot, 1014 LongCat, 1015 Xiaomi MiMo, 1016 InclusionAI). Skipped: the
merged OpenRouter (20, 1006 until 2025-05) and SiliconFlow (45) listings — a reseller's listing of
other makers' models, already read first-hand by pricewar's openrouter source — and the hosts,
proxies and self-hosted servers (1004 Together, 1007 Pollinations, 1008 Coreshub, 1010, 1012 PPIO,
2001-2007), whose ids (`argo:*`, `chutes:*`) are no maker's.

Zhipu's list (channel 16) mixes currencies: from 2026-04-19 some GLM models are kept at z.ai's
dollar prices (glm-4.5 0.6 / 2.2 usd / M) while the others stay in yuan, and the feed does not say
which. A yuan price over 14 almost never ends, so in a file that writes its ratios to 5 or more
decimals (every version but those of 2025-06-06 to 2025-08-08, which round to 3) a Zhipu row whose
every non-zero ratio is a whole number of US cents when doubled (0.3 / 1.1 -> $0.6 / $2.2) is read
in dollars (ZHIPU_USD); a yuan price a multiple of CNY 0.07 on both sides would be misread, and none
is in the archive. The rounding changed over time (full floats, 3 decimals from 2025-06-06, 5 from
2025-08-08): the recovery gives one price for one yuan amount across them.
"""

from __future__ import annotations

import re
from decimal import Decimal

from pricewar.price import Price, PricewarError
from pricewar.sources import ratios
from pricewar.sources.body import read_json
from pricewar.sources.ratios import CNY, USD, Maker

# The file that holds a snapshot in each commit of an archive (`pricewar backfill`).
ARCHIVE_FILE = "oneapi_prices.json"
URLS = ("https://raw.githubusercontent.com/Oaklight/onehub_prices/prices/oneapi_prices.json",)

SOURCE = "Oaklight's onehub_prices"

CHANNELS: dict[int, Maker] = {
    **ratios.CHANNELS,
    1001: Maker("internlm", CNY),
    1002: Maker("bytedance", CNY),
    1005: Maker("stepfun", CNY),
    1009: Maker("xai", USD),
    1011: Maker("ai21", USD),
    1013: Maker("kwaipilot", CNY),
    1014: Maker("longcat", CNY),
    1015: Maker("xiaomi", CNY),
    1016: Maker("inclusionai", CNY),
}

ZHIPU_USD = 16  # the channel whose rows may be in either currency (see above)
# A ratio with 5 decimals somewhere in the file: one search of the body, not one per row.
_FIVE_DECIMALS = re.compile(rb'"(?:input|output)":\s*\d+\.\d{5}')
_CENT = Decimal("0.01")


def parse(body: bytes) -> list[Price]:
    """Every per-token text price of the makers in Oaklight's list; PricewarError when there are none."""
    document = read_json(body, SOURCE)
    if not isinstance(document, dict) or not isinstance(document.get("data"), list):
        raise PricewarError(f"{SOURCE} has no 'data' list of prices — has the file's format changed?")
    fine = _FIVE_DECIMALS.search(body) is not None
    found: list[Price] = []
    for channel, model, ratio_in, ratio_out, extras in ratios.token_rows(document["data"], SOURCE):
        maker = CHANNELS.get(channel)
        if maker is None:
            continue
        currency = USD if channel == ZHIPU_USD and fine and _in_cents(ratio_in, ratio_out) else None
        found.extend(ratios.prices(maker, model, ratio_in, ratio_out, extras, currency))
    return ratios.unique(found, SOURCE)


def _in_cents(*given: Decimal) -> bool:
    """True when every ratio doubled is whole US cents, and one of them is not zero."""
    return any(given) and all((ratio * 2) % _CENT == 0 for ratio in given)
