"""A buyer's and a seller's arithmetic: what a workload costs, and what a serving node earns."""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from pricewar.answers.offers import Offer
from pricewar.price import UsageError

MILLION = Decimal(1_000_000)
SECONDS_PER_HOUR = 3600
_TOKENS = re.compile(r"^\s*(\d[\d_,]*(?:\.\d+)?)\s*([kKmMbB]?)\s*$")
_SCALE = {"": 1, "k": 1_000, "m": 1_000_000, "b": 1_000_000_000}


def parse_tokens(text: str, option: str) -> Decimal:
    """A token count as people write it: 10M, 500k, 1_000_000, 1.5M."""
    match = _TOKENS.match(text)
    if not match:
        raise UsageError(f"{option}: '{text}' is not a token count (use e.g. 10M, 500k, 1_000_000)")
    digits = match.group(1).replace("_", "").replace(",", "")
    if len(digits.partition(".")[0]) > 15:  # a quadrillion tokens and more: no workload, and past exact sums
        raise UsageError(f"{option}: {len(digits)} digits is more tokens than any workload")
    return Decimal(digits) * _SCALE[match.group(2).lower()]


def parse_fraction(text: str, option: str) -> Decimal:
    """A share between 0 and 1 ("0.3"), or a percentage ("30%"; a number above 1 up to 100 is one too: 30 is
    30%, no share can be 30)."""
    try:
        value = Decimal(text.strip().rstrip("%"))
    except InvalidOperation:
        raise UsageError(f"{option}: '{text}' is not a number between 0 and 1, nor a percentage") from None
    if value.is_finite() and (text.strip().endswith("%") or 1 < value <= 100):
        value /= 100
    if not value.is_finite() or not 0 <= value <= 1:
        raise UsageError(f"{option}: {text} is outside 0–1 (or 0–100%)")
    return value


@dataclass(frozen=True)
class WorkloadCost:
    """What one workload costs on one offer, part by part."""

    offer: Offer
    input_cost: Decimal
    cache_cost: Decimal
    output_cost: Decimal
    note: str = ""

    @property
    def total(self) -> Decimal:
        return self.input_cost + self.cache_cost + self.output_cost


def workload_cost(offer: Offer, input_tokens: Decimal, output_tokens: Decimal, cache_hit_share: Decimal) -> WorkloadCost | None:
    """The workload's cost; cached input at the published cache-hit price. None without input and output prices."""
    price_in, price_out = offer.prices.get("input"), offer.prices.get("output")
    if price_in is None or price_out is None:
        return None
    cached = input_tokens * cache_hit_share
    price_hit = offer.prices.get("cache_hit")
    note = ""
    if cached and price_hit is None:
        price_hit, note = price_in, "no cache-hit price published: cached input charged as input"
    return WorkloadCost(
        offer,
        input_cost=(input_tokens - cached) * price_in / MILLION,
        cache_cost=cached * (price_hit or 0) / MILLION,
        output_cost=output_tokens * price_out / MILLION,
        note=note,
    )


@dataclass(frozen=True)
class Serving:
    """The seed article's arithmetic: a node decoding `throughput` tokens/s, sold at `price` per 1M output tokens."""

    throughput: Decimal  # output tokens per second at full load
    node_cost: Decimal  # per node-hour
    price: Decimal  # per 1M output tokens
    utilization: Decimal = Decimal(1)

    @property
    def tokens_per_hour(self) -> Decimal:
        return self.throughput * SECONDS_PER_HOUR * self.utilization

    @property
    def revenue_per_hour(self) -> Decimal:
        return self.tokens_per_hour / MILLION * self.price

    @property
    def profit_per_hour(self) -> Decimal:
        return self.revenue_per_hour - self.node_cost

    @property
    def gross_margin_pct(self) -> Decimal | None:
        return None if self.revenue_per_hour == 0 else self.profit_per_hour / self.revenue_per_hour * 100

    @property
    def breakeven_price(self) -> Decimal | None:
        """The price per 1M output tokens at which revenue just covers the node."""
        return None if self.tokens_per_hour == 0 else self.node_cost / (self.tokens_per_hour / MILLION)

    @property
    def breakeven_utilization_pct(self) -> Decimal | None:
        """The share of full load at which revenue just covers the node, at this price."""
        full_revenue = self.throughput * SECONDS_PER_HOUR / MILLION * self.price
        return None if full_revenue == 0 else self.node_cost / full_revenue * 100
