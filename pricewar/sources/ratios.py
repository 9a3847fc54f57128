"""one-hub's price ratios, read once for every feed written in them (one-hub, Oaklight's onehub_prices).

one-hub (MartialBE/one-hub) bills in ratios of a quota unit: ratio 1 is USD 0.002 per 1K tokens (USD 2
per 1M) for a model priced in dollars, and CNY 0.014 per 1K (CNY 14 per 1M) for one priced in yuan
(`DollarRate` and `RMBRate` in its model/price.go). A row of such a feed is `{model, type,
channel_type, input, output, extra_ratios?}`; the feed never says the currency: the channel_type
(one-hub's `ChannelType` constants, common/config/constants.go) names the maker, and the maker's list
price is in yuan for the Chinese makers, in dollars for the others (CHANNELS). Channels that resell
or host other makers' models (OpenRouter, SiliconFlow, Groq, Cloudflare, Bedrock, Vertex), price
images, music or bots (Midjourney, Stability AI, Suno, Coze), or are a gateway's plumbing are not in
CHANNELS, so their rows are skipped: a reseller's listing is not a maker's price.

Dollars: USD per 1M = ratio x 2, exactly (halving a dollar price is exact in decimal, so the ratio
holds the price whole).

Yuan: the ratio is the yuan price / 14, which almost never ends, so it was rounded: by hand to 4
decimals in one-hub (0.0714 for CNY 1, 0.1429 for 2, sometimes up: 0.5715 for 8, 8.572 for 120),
by Oaklight's script kept as a float (0.07142857142857142), then to 3 decimals (2025-06-06), then
to 5 (2025-08-08). A rounded ratio times 14 is not the yuan price (0.0714 x 14 = 0.9996), so the
price is recovered (`amount`): a ratio written with 3 or more decimals stands for any ratio within
one unit of its last decimal (and never less than a millionth of a millionth of itself, the noise in
a float's last digits); the yuan price is the simplest amount in that range times 14 — a multiple
of the largest step among 1, 0.5, 0.1, 0.05, 0.01, 0.005 ... that has one there, the one nearest
ratio x 14 when several — and never 0 for a ratio that is not (`recovered`). 0.0714 -> [0.0713,
0.0715] x 14 = [0.9982, 1.001] -> CNY 1; 0.1429 -> 2; 0.0357 -> 0.5; 0.0214 / 0.0429 -> 0.3 / 0.6;
0.5715 -> 8; 8.572 -> 120; 0.07071428571428572 -> 0.99. So CNY 2 is 2 whether written 0.1429,
0.14285714285714285, 0.143 or 0.14286. A ratio with fewer than 3 decimals had nothing rounded off
(no writer rounds to 1 or 2) and is read exactly: 0.05 x 14 = 0.7. What rounding destroyed stays
lost: Oaklight's 3-decimal 0.071 reads CNY 1 for yi-lightning's 0.99, and its 0.038 reads USD 0.076
for gemini-1.5-flash's 0.075 (dollar ratios are never recovered: in every other version they are
exact, and recovering them would round exact prices such as 0.0498 to 0.05).

`extra_ratios` multiply the input price: `cached_tokens` (else `cached_read_tokens`) is the cache_hit
price, `cached_write_tokens` the cache_write price; audio, image, video, reasoning and output-text
ratios are not prices of text tokens and are skipped. Oaklight computes an extra ratio as a quotient
of two prices and rounds it like the others (to 3 decimals, later 5), so the price is recovered the
same way from input x extra within input x one unit of the extra's last decimal (CNY 3 x 0.00833 ->
0.025; USD 0.3 x 0.233 -> 0.07). With an input price of 0 there is no ratio of it (Oaklight then
writes the extra price itself), so a free model gets no cache price; a cache_hit price above the
input price is a slip of the hand-kept file (gpt-5-chat-latest's `cached_tokens: 100.0` in one
version), skipped.

Skipped rows: `type` other than "tokens" (per call), names holding "*" (a pattern for many models,
not a model), names of models priced per image, second, character or audio although typed "tokens"
(NOT_TEXT: dall-e, tts, whisper, cogview ...), and rows whose ratios are not non-negative numbers.
Model ids are the feed's, lower-cased; MODEL_IDS renames the few whose maker id differs
(SparkDesk-v1.1 is iFlytek's Spark Lite). A price key given twice keeps the first row in file order.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_FLOOR, ROUND_HALF_EVEN, Decimal
from functools import lru_cache

from pricewar.price import Price, PricewarError, normalize, plausible

USD, CNY = "USD", "CNY"
# What ratio 1 is worth, per 1M tokens, in each currency; and the sign a published text uses.
PER_MTOK = {USD: Decimal(2), CNY: Decimal(14)}
SIGNS = {USD: "$", CNY: "¥"}


@dataclass(frozen=True, slots=True)
class Maker:
    provider: str  # the canonical id prices are stored under
    currency: str  # what its list prices are in


# one-hub's ChannelType constants for makers who sell their own models, and their list currency.
CHANNELS: dict[int, Maker] = {
    1: Maker("openai", USD),
    11: Maker("google", USD),  # PaLM
    14: Maker("anthropic", USD),
    15: Maker("baidu", CNY),
    16: Maker("zhipu", CNY),
    17: Maker("alibaba", CNY),
    18: Maker("iflytek", CNY),  # Xunfei Spark
    19: Maker("360", CNY),
    23: Maker("tencent", CNY),  # Tencent's older Hunyuan API
    25: Maker("google", USD),  # Gemini
    26: Maker("baichuan", CNY),
    27: Maker("minimax", CNY),
    28: Maker("deepseek", CNY),
    29: Maker("moonshot", CNY),
    30: Maker("mistral", USD),
    33: Maker("01ai", CNY),  # Lingyi Wanwu (01.AI)
    36: Maker("cohere", USD),
    40: Maker("tencent", CNY),  # Hunyuan
    43: Maker("meta", USD),  # ChannelTypeLLAMA
    47: Maker("jina", USD),
    56: Maker("xai", USD),
}

# Cut-down names (lower case) of models the feeds type "tokens" although they are priced per image,
# video, second, minute or character: their ratios are no price per text token.
NOT_TEXT = ("dall-e", "tts", "whisper", "cogview", "cogvideo", "sd3", "stable-diffusion", "stable-image",
            "flux", "kolors", "seedream", "seedance", "wanx", "wan2", "midjourney", "mj_", "suno", "asr",
            "cosyvoice", "sensevoice", "-i2v", "-t2v", "-video")

# The feed's id (lower case) -> the maker's, where they differ.
MODEL_IDS = {"sparkdesk-v1.1": "spark-lite"}

EXTRA_KINDS = {"cached_tokens": "cache_hit", "cached_read_tokens": "cache_hit", "cached_write_tokens": "cache_write"}

# How many decimals a ratio needs before it is taken as rounded (no writer rounds to 1 or 2).
ROUNDED_FROM = 3
_FLOAT_NOISE = Decimal("1e-12")
# A float's repr has at most 17 significant digits, and a ratio of 10^9 is already no price: past either,
# the ratio is no one's, and skipped before arithmetic that could no longer be exact.
MAX_DIGITS, LARGEST_RATIO = 20, 9

# One token-priced row: (channel_type, model as written, input ratio, output ratio, extra ratios).
Row = tuple[int, str, Decimal, Decimal, tuple[tuple[str, Decimal], ...]]


def token_rows(rows: object, source: str) -> Iterator[Row]:
    """The rows of a feed priced per token, with numbers checked; PricewarError when `rows` is no list."""
    if not isinstance(rows, list):
        raise PricewarError(f"{source} holds no list of prices — has the file's format changed?")
    for row in rows:
        if not isinstance(row, dict) or row.get("type") != "tokens":
            continue
        model = row.get("model", row.get("models"))  # the feed's first version named the key "models"
        channel, given_input, given_output = row.get("channel_type"), row.get("input"), row.get("output")
        if (not isinstance(model, str) or not isinstance(channel, int) or isinstance(channel, bool)
                or "*" in model or not model.strip()):
            continue
        ratio_in, ratio_out = _ratio(given_input), _ratio(given_output)
        if ratio_in is None or ratio_out is None:
            continue
        extras = row.get("extra_ratios")
        found = ()
        if isinstance(extras, dict):
            found = tuple((key, ratio) for key, value in extras.items()
                          if key in EXTRA_KINDS and (ratio := _ratio(value)) is not None)
        yield channel, model, ratio_in, ratio_out, found


def _ratio(raw: object) -> Decimal | None:
    if isinstance(raw, Decimal):  # read_json gives every number with a fraction as written
        return raw if raw.is_finite() and not raw.is_signed() else None
    if isinstance(raw, int) and not isinstance(raw, bool) and raw >= 0:
        return Decimal(raw)
    return None


def prices(maker: Maker, model: str, ratio_in: Decimal, ratio_out: Decimal,
           extras: tuple[tuple[str, Decimal], ...] = (), currency: str | None = None) -> tuple[Price, ...]:
    """The prices of one row of `maker`'s channel, in `currency` (the maker's when None)."""
    # keyed by the digits as written: 0.50 and 0.5 are one value to a dict, but not one rounding
    return _prices(maker.provider, currency or maker.currency, model, str(ratio_in), str(ratio_out),
                   tuple((key, str(ratio)) for key, ratio in extras))


@lru_cache(maxsize=65536)  # a replay of 1,253 versions reads the same few thousand rows again and again
def _prices(provider: str, currency: str, model: str, ratio_in: str, ratio_out: str,
            extras: tuple[tuple[str, str], ...]) -> tuple[Price, ...]:
    model_id = _model_id(model)
    if model_id is None:
        return ()
    written = f"× {SIGNS[currency]}{PER_MTOK[currency]}/M"
    found: dict[str, tuple[Decimal | None, str]] = {
        "input": (amount(ratio_in, currency), f"ratio {ratio_in} {written}"),
        "output": (amount(ratio_out, currency), f"ratio {ratio_out} {written}"),
    }
    base = found["input"][0]
    for key, extra in extras:
        kind = EXTRA_KINDS[key]
        if not base or kind in found:  # cached_tokens is listed before cached_read_tokens: it wins
            continue
        value = _times(base, extra)
        if kind == "cache_hit" and value is not None and value > base:  # a cache read never costs more than
            continue  # the input it saves
        found[kind] = (value, f"ratio {ratio_in} {written} × {extra} ({key})")
    return tuple(Price(provider=provider, model=model_id, kind=kind, per_mtok=value, currency=currency,
                       published=published)
                 for kind, (value, published) in found.items() if value is not None and plausible(value))


@lru_cache(maxsize=8192)
def _model_id(model: str) -> str | None:
    """The maker's id for a name of the feed; None for a model not priced per text token."""
    lowered = model.strip().lower()
    if any(marker in lowered for marker in NOT_TEXT):
        return None
    return MODEL_IDS.get(lowered, lowered)


@lru_cache(maxsize=16384)
def amount(ratio: str, currency: str) -> Decimal | None:
    """The price per 1M tokens a ratio (as written) stands for in `currency`, as the module says; None
    for a ratio of more digits than a float has, or beyond any price."""
    value = Decimal(ratio)
    if len(value.as_tuple().digits) > MAX_DIGITS or value.adjusted() > LARGEST_RATIO:
        return None
    product = value * PER_MTOK[currency]
    if currency == USD:
        return normalize(product)
    return recovered(product, PER_MTOK[currency] * _uncertainty(value))


def _times(base: Decimal, extra: str) -> Decimal | None:
    value = Decimal(extra)
    if len(value.as_tuple().digits) > MAX_DIGITS or value.adjusted() > LARGEST_RATIO:
        return None
    return recovered(base * value, base * _uncertainty(value))


def _uncertainty(ratio: Decimal) -> Decimal:
    """How far the ratio a writer rounded to `ratio` may lie from it: one unit of its last decimal."""
    decimals = -ratio.as_tuple().exponent
    if decimals < ROUNDED_FROM:
        return Decimal(0)
    return max(Decimal(1).scaleb(-decimals), ratio * _FLOAT_NOISE)


def recovered(product: Decimal, within: Decimal) -> Decimal:
    """The simplest decimal within `within` of `product`: a multiple of the largest step among 1, 0.5,
    0.1, 0.05, 0.01, ... that has one in range, the one nearest `product` when several; never 0 for a
    product that is not. Exact Decimal arithmetic."""
    if not within or not product:
        return normalize(product)
    low, high = product - within, product + within
    for digits in range(max(-product.as_tuple().exponent, 0) + 1):
        for step in (Decimal(1).scaleb(-digits), Decimal(5).scaleb(-digits - 1)):
            first = max((low / step).to_integral_value(ROUND_CEILING), Decimal(1))  # not free unless it is
            last = (high / step).to_integral_value(ROUND_FLOOR)
            if first <= last:
                nearest = min(max((product / step).to_integral_value(ROUND_HALF_EVEN), first), last)
                return normalize(nearest * step)
    return normalize(product)  # not reached: the product is a multiple of its own last digit


def unique(found: Iterable[Price], source: str) -> list[Price]:
    """One price per key, the first in file order; PricewarError when there is none."""
    kept: dict[tuple[str, ...], Price] = {}
    for price in found:
        kept.setdefault(price.key, price)
    if not kept:
        raise PricewarError(f"No prices found in {source} — has the file's format changed?")
    return list(kept.values())
