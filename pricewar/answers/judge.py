"""The rules that judge an observation before anyone sees it: whether a zero is a price, whether a step is a
price move or a correction, which ids are one model, what kind of model an id is, how a tier is labelled.

Pure functions over ids, prices and recorded changes; answers/market.py applies them for every report.
"""

from __future__ import annotations

import functools
import re
from decimal import Decimal

from pricewar.history.queries import AGGREGATORS

# What an id says about its model when no source typed it: families of ids that generate no text, by a word of
# the id (split at - _ . / : @ and digits). A source's own mode field, where it gives one, comes first.
_FAMILIES = {
    "embedding": ("embed", "embedding", "embeddings", "bge", "gte"),
    "image": ("image", "images", "dall", "imagen", "flux", "sdxl", "diffusion", "seedream", "cogview", "wanx",
              "kolors", "midjourney", "recraft", "ideogram"),
    "audio": ("audio", "tts", "whisper", "speech", "transcribe", "transcription", "voice", "lyria", "music",
              "cosyvoice", "paraformer", "sambert", "asr", "sensevoice"),
    "moderation": ("moderation", "moderations", "guard"),
    "rerank": ("rerank", "reranker"),
    "video": ("video", "veo", "sora", "kling", "seedance", "hailuo", "vidu"),
}
_WORD = {word: family for family, words in _FAMILIES.items() for word in words}
_WORDS = re.compile(r"[a-z]+")


@functools.lru_cache(maxsize=4096)  # a ranking asks of every offer, a few hundred distinct ids
def model_type(model: str, stated: str = "") -> str:
    """What a model is for: a type other than chat that a source stated (LiteLLM's mode, ...), else what its id
    says, else chat. "chat" is what sources say of nearly everything (OpenRouter lists gpt-image-1-mini and
    text-embedding-3-large as chat models), so an id naming a family that generates no text overrides it."""
    if stated and stated != "chat":
        return stated
    for word in _WORDS.findall(model.lower().rpartition("/")[2]):
        family = _WORD.get(word)
        if family is not None:
            return family
    return "chat"


# A snapshot's date in its id (-20241022, -2024-05-13, -0125, @20240620) or a moving -latest: the same model.
_SNAPSHOT = re.compile(r"(?:[-@](?:20\d{2}-?\d{2}-?\d{2}|\d{4})|-latest)$")


def base_id(model: str) -> str:
    """The model's own id under a dated snapshot or -latest id: qwen-turbo for qwen-turbo-2024-11-01."""
    return _SNAPSHOT.sub("", model) or model


def placeholder(source: str, amount: Decimal) -> bool:
    """An aggregator's zero is a blank in its table (an unpriced entry, a price going away), not a free offer:
    only the record or the maker's own page says a model is free."""
    return amount == 0 and source in AGGREGATORS


# --- changes -----------------------------------------------------------------------------------------

# A step by this factor or more, seen only in an aggregator, reads as a unit fix or a re-pointed entry unless a
# maker's own price confirms it; the maker's own steps are taken as said (Qwen-Long's May 2024 cut was 97%).
UNIT_FIX = Decimal(20)
# A price back where it was within this many days was a slip and its repair, not two price moves.
RETURNS_WITHIN = 14
# Steps of one model by the same size within this many days, whoever saw them, are one event.
SAME_EVENT_DAYS = 14


def days_between(first: str, second: str) -> int:
    import datetime as dt

    return abs((dt.date.fromisoformat(second[:10]) - dt.date.fromisoformat(first[:10])).days)


def aggregator_correction(source: str, old: Decimal, new: Decimal, maker_price: Decimal | None) -> str:
    """Why an aggregator's step is a correction rather than a price move ('' when it is a move): a blank filled
    or made (0), a jump of orders of magnitude the maker's price does not confirm, or a new price the maker's own
    price on that day contradicts. `maker_price` is the maker's price for the same key that day, if known."""
    if source not in AGGREGATORS:
        return ""
    if old == 0 or new == 0:
        return "placeholder"
    if maker_price is not None:
        return "" if maker_price == new else "the maker's price differs"
    ratio = max(old, new) / min(old, new)
    return "unit fix" if ratio >= UNIT_FIX else ""


def same_factor(first: Decimal | None, second: Decimal | None) -> bool:
    """Whether two steps moved a price by the same factor, give or take the rounding of a price published in
    another currency (DeepSeek's 1 → 2 CNY is its 0.14 → 0.27 USD)."""
    if first is None or second is None:
        return first is second
    if not first or not second:  # a step to zero (a model made free) is a factor of nothing but itself
        return first == second
    return abs(first / second - 1) <= Decimal("0.05")
