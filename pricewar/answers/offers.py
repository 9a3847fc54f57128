"""What a model costs on a date, from recorded prices: offers chosen among sources, converted, ranked, and
A versus B ("cheaper by N%")."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field, replace
from decimal import Decimal
from operator import itemgetter

from pricewar.answers import moments
from pricewar.history.fx import Rate
from pricewar.history.queries import (  # aggregators copy prices late and sometimes wrong: they rank last
    AGGREGATORS,
    seller,
)
from pricewar.price import DIMENSIONS

BUNDLED_SOURCES = ("record", "catalog")
SHOWN_KINDS = ("input", "output", "cache_hit")
HUNDRED = Decimal(100)


def short_window(window: str) -> str:
    """A time-of-day tier as a label: "peak", "off-peak" (the hours go in a note under the table)."""
    return window.split(" ", 1)[0] if window else ""


def label(model: str, dimensions: tuple[str, ...], also: tuple[str, ...] = ()) -> str:
    """The model id, with any dimension that sets a price apart from the plain one (a time of day as "peak" /
    "off-peak": its hours go in a note, window_notes), and +N for the other ids folded under it."""
    service_tier, context_tier, region, mode, time_window = dimensions
    extras = [d for d in (context_tier, region, mode, short_window(time_window)) if d]
    if service_tier != "standard":
        extras.insert(0, service_tier)
    shown = f"{model} [{', '.join(extras)}]" if extras else model
    return f"{shown} +{len(also)}" if also else shown


def window_notes(items: list) -> list[str]:
    """The hours behind each short time-of-day label shown: "[peak] UTC 01:00-04:00,06:00-10:00 (deepseek)"."""
    hours: dict[str, set[str]] = {}
    for item in items:
        window = item.dimensions[4]
        if window and " " in window:
            hours.setdefault(window, set()).add(item.provider)
    return [f"[{short_window(w)}] {w.split(' ', 1)[1]} ({', '.join(sorted(p))})" for w, p in sorted(hours.items())]


def source_rank(source: str) -> int:
    """Lower is more trusted: hand-recorded, first-party pages, the bundled record, then aggregators."""
    if source == "record":
        return 0
    if source == "catalog":
        return 2
    if source in AGGREGATORS:
        return 3 + AGGREGATORS.index(source)
    return 1


@dataclass
class Offer:
    """One model's prices from one source, in one currency, under one set of dimensions."""

    provider: str
    provider_name: str
    model: str
    model_name: str
    source: str
    currency: str
    dimensions: tuple[str, ...]
    seller: str = ""  # who charges it: the provider, or a reseller such as OpenRouter
    prices: dict[str, Decimal] = field(default_factory=dict)
    effective_from: str | None = None
    source_url: str = ""
    published_currency: str = ""
    rate: Rate | None = None
    also: tuple[str, ...] = ()  # other ids of the model at the same prices, folded under this one
    delisted: str | None = None  # the day every source that observes listings had stopped listing the model

    @property
    def label(self) -> str:
        return label(self.model, self.dimensions, self.also)

    def blended(self, weights: tuple[int, int]) -> Decimal | None:
        price_in, price_out = self.prices.get("input"), self.prices.get("output")
        if price_in is None or price_out is None:
            return None
        return (price_in * weights[0] + price_out * weights[1]) / (weights[0] + weights[1])


def offers(rows: list[dict]) -> list[Offer]:
    """Group price rows into offers (one per source, model, currency and dimensions)."""
    grouped: dict[tuple, Offer] = {}
    dimensions_of = itemgetter(*DIMENSIONS)
    amounts: dict[str, Decimal] = {}  # thousands of rows share a few hundred amounts
    for row in rows:
        dims = dimensions_of(row)
        key = (row["source"], row["provider"], row["model"], row["currency"], dims)
        offer = grouped.get(key)
        if offer is None:
            offer = grouped[key] = Offer(
                row["provider"], row["provider_name"], row["model"], row["model_name"], row["source"],
                row["currency"], dims, seller(row), published_currency=row["currency"],
                source_url=row["source_url"] or "",
            )
        text = row["per_mtok"]
        amount = amounts.get(text)
        if amount is None:
            amount = amounts[text] = Decimal(text)
        offer.prices[row["kind"]] = amount
        if row["effective_from"] and (offer.effective_from is None or row["effective_from"] > offer.effective_from):
            offer.effective_from = row["effective_from"]
            offer.source_url = row["source_url"] or offer.source_url
    return list(grouped.values())


KEPT_FIELDS = ("provider", "provider_name", "model", "model_name", "source", "currency", "dimensions", "seller",
               "prices", "effective_from", "source_url", "published_currency", "rate", "also", "delisted")


def kept(items: list[Offer]) -> list[list]:
    """Offers as JSON for answers/memo.py, field by field in KEPT_FIELDS' order: every amount as its exact
    decimal text."""
    rows = []
    for o in items:
        row = [getattr(o, name) for name in KEPT_FIELDS]
        row[8] = {kind: str(amount) for kind, amount in o.prices.items()}
        row[12] = None if o.rate is None else [o.rate.base, o.rate.target, str(o.rate.value), o.rate.date]
        rows.append(row)
    return rows


def from_kept(rows: list[list]) -> list[Offer]:
    """kept()'s offers back, equal to those it was given."""
    amounts: dict[str, Decimal] = {}  # hundreds of offers share a few hundred amounts
    rates: dict[tuple, Rate] = {}
    found = []
    for (provider, provider_name, model, model_name, source, currency, dimensions, sold_by, prices, effective_from,
         source_url, published_currency, rate, also, delisted) in rows:
        prices = {kind: amounts.get(text) or amounts.setdefault(text, Decimal(text)) for kind, text in prices.items()}
        if rate is not None:
            rate = rates.get(tuple(rate)) or rates.setdefault(tuple(rate), Rate(rate[0], rate[1], Decimal(rate[2]),
                                                                                 rate[3]))
        found.append(Offer(provider, provider_name, model, model_name, source, currency, tuple(dimensions), sold_by,
                           prices, effective_from, source_url, published_currency, rate, tuple(also), delisted))
    return found


@dataclass(frozen=True)
class Selection:
    """Which prices a report reads: one source or all, a service tier, off-peak or not, the hours of a UTC time of
    day ("17:05": the time-of-day price whose window holds it); None is any."""

    source: str | None = None
    service_tier: str = "standard"
    off_peak: bool = False
    context_tier: str | None = None
    region: str | None = None
    mode: str | None = None
    hours: str | None = None

    def fixed(self) -> dict[str, str]:
        """The dimensions this selection holds to one value (store.prices_at reads only those prices)."""
        wanted = {"service_tier": self.service_tier, "context_tier": self.context_tier, "region": self.region,
                  "mode": self.mode}
        return {column: value for column, value in wanted.items() if value is not None}

    def admits(self, offer: Offer) -> bool:
        tier, context_tier, region, mode, window = offer.dimensions
        return (
            tier == self.service_tier
            and (self.source is None or offer.source == self.source)
            and (self.off_peak or not window.startswith("off-peak")
                 or self.hours is not None and moments.in_window(window, self.hours))
            and (self.context_tier is None or self.context_tier == context_tier)
            and (self.region is None or self.region == region)
            and (self.mode is None or self.mode == mode)
        )


STANDARD = Selection()


def choose(candidates: list[Offer], currency: str, selection: Selection = STANDARD) -> list[Offer]:
    """One offer per model and dimensions: the one in `currency` if published, else the most trusted source;
    of that source's, the all-day price, else the peak one.

    Off-peak prices stand in for all-day prices only when asked for (window_rank); other
    service tiers (batch, flex, priority) only when asked for by name.
    """
    best: dict[tuple, tuple[tuple, Offer]] = {}
    for offer in candidates:
        if not selection.admits(offer):
            continue
        tier, context_tier, region, mode, window = offer.dimensions
        key = (offer.seller, offer.provider, offer.model, context_tier, region, mode)
        # the most trusted source's own hours first: a maker gone over to peak / off-peak pricing is not
        # answered for by an aggregator still listing its old all-day price
        rank = (offer.currency != currency, source_rank(offer.source),
                window_rank(window, selection.off_peak, selection.hours))
        current = best.get(key)
        if current is None or rank < current[0]:
            best[key] = (rank, offer)
    return [offer for _, offer in best.values()]


def window_rank(window: str, off_peak: bool, hours: str | None = None) -> int:
    """Which hours' price stands for a model: all-day first; with off_peak, off-peak hours first; at a time of
    day, the price whose hours hold it, then the all-day price.

    A model priced only by peak and off-peak hours is shown at its peak price unless off-peak
    is asked for: the label says which, and the dearer one is the safe figure to budget on.
    """
    if hours is not None:
        return 0 if window and moments.in_window(window, hours) else 1 if not window else 2
    if off_peak:
        return 0 if window.startswith("off-peak") else 1 if not window else 2
    return 0 if not window else 1


def convert(offer: Offer, rate: Rate | None) -> Offer:
    """The offer in `rate.target`; unchanged when no rate is needed."""
    if rate is None:
        return offer
    prices = {kind: amount * rate.value for kind, amount in offer.prices.items()}
    return replace(offer, prices=prices, currency=rate.target, rate=rate)


def sort_offers(items: list[Offer], by: str, weights: tuple[int, int]) -> list[Offer]:
    def value(offer: Offer) -> tuple:
        amount = offer.blended(weights) if by == "blended" else offer.prices.get(by)
        return (amount is None, amount if amount is not None else Decimal(0), offer.provider, offer.label)

    return sorted(items, key=value)


# --- A versus B ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class KindComparison:
    kind: str
    a_price: Decimal
    b_price: Decimal

    @property
    def a_pct_of_b(self) -> Decimal | None:
        return None if self.b_price == 0 else self.a_price / self.b_price * HUNDRED

    @property
    def a_cheaper_by_pct(self) -> Decimal | None:
        pct = self.a_pct_of_b
        return None if pct is None else HUNDRED - pct


def versus(a: Offer, b: Offer, weights: tuple[int, int]) -> list[KindComparison]:
    """Kind by kind where both publish a price, then the blend of input and output."""
    rows = [KindComparison(kind, a.prices[kind], b.prices[kind])
            for kind in SHOWN_KINDS if kind in a.prices and kind in b.prices]
    a_blend, b_blend = a.blended(weights), b.blended(weights)
    if a_blend is not None and b_blend is not None:
        rows.append(KindComparison("blended", a_blend, b_blend))
    return rows


def pick_one(candidates: list[Offer], currency: str) -> Offer | None:
    """The single offer to stand for a model in a one-to-one comparison: no context tier, region or mode first
    (the hours were chosen by `choose`), then the price published in `currency` (not one converted to it), then
    the most trusted source."""
    ranked = sorted(
        candidates,
        key=lambda o: (any(o.dimensions[1:4]), (o.published_currency or o.currency) != currency,
                       source_rank(o.source), o.provider, o.dimensions),
    )
    return ranked[0] if ranked else None


def percent(value: Decimal | None, places: int = 1) -> str:
    return "—" if value is None else f"{value:.{places}f}%"


def cheaper_text(comparison: KindComparison) -> str:
    """How much cheaper A is, as people say it: "98.6%", "-40.0%", or "16.7× dearer" once A costs twice B or
    more (a cut below -100% reads badly)."""
    pct = comparison.a_pct_of_b
    if pct is not None and pct >= 200:
        return f"{pct / HUNDRED:.1f}× dearer"
    return percent(comparison.a_cheaper_by_pct)


def quantize_pct(value: Decimal | None) -> float | None:
    return None if value is None else float(round(value, 2))


RateLookup = Callable[[str, str], Rate]
