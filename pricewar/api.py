"""pricewar for other programs: the judged price of a model at a moment, and what a usage record cost then.

    import pricewar.api

    with pricewar.api.open() as prices:
        quote = prices.price("deepseek-chat", at="2025-03-01T17:05Z", currency="CNY")
        quote.input, quote.output, quote.cache_hit   # Decimal, CNY per 1M tokens: the off-peak price then
        spent = prices.cost("deepseek-chat", at="2025-03-01T17:05Z", input_tokens=40_000, cached_tokens=80_000,
                            output_tokens=4_000)
        spent.total, spent.currency, spent.quote.source, spent.quote.rate

The answers are the CLI's (`pricewar compare MODEL --at TIME`): the same judged layer chooses the seller, the
source, the hours and the rate. Errors are pricewar.price.PricewarError (UsageError for a bad name or moment),
each one sentence. Many records in one process are judged once per model and stretch of days
(answers/moments.turning_days), converted once per day, and priced in Decimal.
"""

from __future__ import annotations

import copy
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

from pricewar.answers import moments
from pricewar.answers.asking import Asking
from pricewar.answers.market import freshness
from pricewar.answers.offers import Offer, Selection
from pricewar.history import database, fx
from pricewar.history.fx import Rate
from pricewar.price import SERVICE_TIERS, WAR_STARTS, PricewarError, UsageError

__all__ = ["open", "Prices", "Quote", "Cost", "PricewarError", "UsageError"]

MILLION = Decimal(1_000_000)
TOKENS = ("input_tokens", "cached_tokens", "cache_write_tokens", "output_tokens")


@dataclass(frozen=True)
class Quote:
    """A model's judged price at a moment: amounts per 1M tokens in `currency` (None where none is published),
    whose price it is (seller, source, the day it took effect) and the exchange rate used (None: as published)."""

    model: str
    provider: str
    provider_name: str
    model_name: str
    day: str
    hours: str | None  # the UTC time of day asked about, "17:05"; None for a whole day
    currency: str
    input: Decimal | None
    output: Decimal | None
    cache_hit: Decimal | None
    cache_write: Decimal | None
    time_window: str  # the hours this price holds ("off-peak UTC 16:30-00:30"), "" for all day
    service_tier: str
    region: str
    seller: str
    source: str
    source_url: str
    effective_from: str | None
    published_currency: str
    rate: Rate | None
    also: tuple[str, ...] = ()  # other ids of the model
    delisted: str | None = None  # the day every listing source had stopped listing it
    notes: tuple[str, ...] = ()  # what a reader should know: prices last seen long ago, a day after today
    unit: str = "per 1M tokens"

    def as_dict(self) -> dict:
        """The quote as JSON-ready values: amounts as exact decimal strings, the rate as the CLI gives it."""
        values = {name: getattr(self, name) for name in self.__dataclass_fields__}
        for kind in ("input", "output", "cache_hit", "cache_write"):
            values[kind] = None if values[kind] is None else str(values[kind])
        values["rate"] = None if self.rate is None else self.rate.as_json()
        values["also"] = list(self.also)
        values["notes"] = list(self.notes)
        return values


@dataclass(frozen=True)
class Cost:
    """What one usage record cost at its moment, part by part, in `currency` (exact: no rounding)."""

    quote: Quote | None
    input_tokens: int = 0
    cached_tokens: int = 0
    cache_write_tokens: int = 0
    output_tokens: int = 0
    input_cost: Decimal | None = None
    cached_cost: Decimal | None = None
    cache_write_cost: Decimal | None = None
    output_cost: Decimal | None = None
    notes: tuple[str, ...] = ()
    error: str | None = None  # why a record could not be priced (costs(..., strict=False) only)

    @property
    def total(self) -> Decimal | None:
        parts = (self.input_cost, self.cached_cost, self.cache_write_cost, self.output_cost)
        return None if self.error else sum(parts, Decimal(0))

    @property
    def currency(self) -> str | None:
        return None if self.quote is None else self.quote.currency


def priced(quote: Quote, input_tokens: int = 0, cached_tokens: int = 0, cache_write_tokens: int = 0,
           output_tokens: int = 0) -> Cost:
    """A usage record's cost at `quote`: uncached input at the input price, cache reads at the cache-hit price
    and cache writes at the cache-write price (each at the input price, said in a note, where none is
    published), output at the output price. PricewarError when tokens need a price the model does not have."""
    notes = []
    price_in = quote.input
    if (input_tokens or cached_tokens or cache_write_tokens) and price_in is None:
        raise PricewarError(f"{quote.model} has no input price on {moments.said(quote.day, quote.hours)}")
    if output_tokens and quote.output is None:
        raise PricewarError(f"{quote.model} has no output price on {moments.said(quote.day, quote.hours)}")
    hit, write = quote.cache_hit, quote.cache_write
    if cached_tokens and hit is None:
        hit = price_in
        notes.append("no cache-hit price published: cached input charged at the input price")
    if cache_write_tokens and write is None:
        write = price_in
        notes.append("no cache-write price published: cache writes charged at the input price")
    return Cost(quote, input_tokens, cached_tokens, cache_write_tokens, output_tokens,
                input_cost=input_tokens * price_in / MILLION if input_tokens else Decimal(0),
                cached_cost=cached_tokens * hit / MILLION if cached_tokens else Decimal(0),
                cache_write_cost=cache_write_tokens * write / MILLION if cache_write_tokens else Decimal(0),
                output_cost=output_tokens * quote.output / MILLION if output_tokens else Decimal(0),
                notes=tuple(notes))


def _tokens(value: object, name: str) -> int:
    if value is None:
        return 0
    if type(value) is int and value >= 0:
        return value
    if isinstance(value, bool) or not isinstance(value, int | Decimal | str) or isinstance(value, str) and \
            not value.strip().isdigit():
        raise UsageError(f"{name}: {value!r} is not a whole number of tokens")
    count = int(value)
    if count < 0 or count != Decimal(value):
        raise UsageError(f"{name}: {value!r} is not a whole number of tokens")
    return count


@dataclass
class Prices:
    """A history opened for asking: price(), cost(), costs(). Defaults for every question: `currency` (USD) and
    `via` (None: the makers' own prices; a reseller such as "openrouter", or "all")."""

    db: object
    currency: str = "USD"
    via: str | None = None
    _quotes: dict = field(default_factory=dict, repr=False)
    _currencies: dict = field(default_factory=dict, repr=False)

    def __post_init__(self):
        self.currency = self._currency(self.currency)
        self._asking = Asking(self.db)

    def __enter__(self) -> Prices:
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def close(self) -> None:
        conn = getattr(self.db, "conn", None)
        if conn is not None:
            conn.close()

    def price(self, model: str, at: object = None, *, currency: str | None = None, via: str | None = None,
              tier: str = "standard", region: str | None = None, context: str | None = None,
              mode: str | None = None) -> Quote:
        """The judged price of `model` (an id or alias, one model) at `at`: a day ("2025-03-01", a date), or a
        time ("2025-03-01T17:05Z", a datetime; naive is UTC) whose hours choose among peak and off-peak prices;
        today when None. PricewarError when nothing prices it then, saying when it had prices."""
        day, hours = moments.when(database.today() if at is None else at)
        if tier not in SERVICE_TIERS:
            raise UsageError(f"tier: '{tier}' is not one of {', '.join(SERVICE_TIERS)}")
        selection = Selection(service_tier=tier, context_tier=context, region=region, mode=mode)
        return self._quote(model, day, hours, self._currency(currency), self.via if via is None else via,
                           selection)

    def cost(self, model: str, at: object = None, *, input_tokens: int = 0, cached_tokens: int = 0,
             cache_write_tokens: int = 0, output_tokens: int = 0, currency: str | None = None,
             via: str | None = None) -> Cost:
        """What a usage record cost at `at` (as price() reads it). `input_tokens` are the input tokens not read
        from the cache; `cached_tokens` those that were (cache hits), `cache_write_tokens` those written to it."""
        counts = [_tokens(value, name) for value, name in
                  zip((input_tokens, cached_tokens, cache_write_tokens, output_tokens), TOKENS)]
        return priced(self.price(model, at, currency=currency, via=via), *counts)

    def costs(self, records: Iterable[Mapping], *, currency: str | None = None, via: str | None = None,
              strict: bool = True) -> list[Cost]:
        """Each usage record's cost: a mapping with "model" and "at", and any of "input_tokens",
        "cached_tokens", "cache_write_tokens", "output_tokens". With strict=False, a record that cannot be
        priced gives a Cost with its `error` sentence (and no total) instead of raising."""
        found = []
        for number, record in enumerate(records, start=1):
            try:
                if not isinstance(record, Mapping) or "model" not in record:
                    raise UsageError(f"record {number}: give a mapping with 'model' and 'at'")
                counts = [_tokens(record.get(name), name) for name in TOKENS]
                found.append(priced(self.price(record["model"], record.get("at"), currency=currency, via=via),
                                    *counts))
            except PricewarError as error:
                if strict:
                    raise
                found.append(Cost(None, error=str(error)))
        return found

    def moves(self, since: object = WAR_STARTS, until: object = None, *, provider: str | None = None) -> list:
        """The war move by move (answers/moves.py's Move: date, maker, what, tier, models, the move it answers
        and the lag, sources; sentence(), as_dict()), as `pricewar moves` lists them."""
        from pricewar.answers import moves

        first, last = moments.when(since)[0], moments.when(database.today() if until is None else until)[0]
        return moves.moves(self.db, first, last, provider=provider)

    def index(self, since: object = WAR_STARTS, until: object = None, *, currency: str | None = None,
              every: str = "day"):
        """The price index of the basket (answers/index.py's Index: points, events, changes(), as_dict()), as
        `pricewar index` gives it."""
        from pricewar.answers import index

        first, last = moments.when(since)[0], moments.when(database.today() if until is None else until)[0]
        return index.index(self.db, first, last, self._currency(currency), every=every)

    # --- judged once per model and stretch of days, converted once per day ---------------------------------

    def _currency(self, currency: str | None) -> str:
        if currency is None:
            return self.currency
        if currency not in self._currencies:
            self._currencies[currency] = fx.check_currency(self.db, currency)
        return self._currencies[currency]

    def _quote(self, model: str, day: str, hours: str | None, currency: str, via: str | None,
               selection: Selection) -> Quote:
        stretch, offer = self._asking.offer(model, day, hours, currency, via, selection)
        quote = self._quotes.get((stretch, day))
        if quote is None:
            quote = self._quotes[(stretch, day)] = _quote(offer, day, hours, self._notes(offer, day))
        return quote if quote.hours == hours else _at(quote, hours)

    def _notes(self, offer: Offer, day: str) -> tuple[str, ...]:
        today = database.today()
        if day < today:
            return ()
        after = [f"{day} is after today ({today}): the prices known today"] if day > today else []
        return tuple(after + freshness(self.db, [offer], day, today))


def _quote(offer: Offer, day: str, hours: str | None, notes: tuple[str, ...]) -> Quote:
    service_tier, _context, region, _mode, window = offer.dimensions
    prices = offer.prices
    return Quote(offer.model, offer.provider, offer.provider_name, offer.model_name, day, hours, offer.currency,
                 prices.get("input"), prices.get("output"), prices.get("cache_hit"), prices.get("cache_write"),
                 window, service_tier, region, offer.seller, offer.source, offer.source_url, offer.effective_from,
                 offer.published_currency or offer.currency, offer.rate, offer.also, offer.delisted, notes)


def _at(quote: Quote, hours: str | None) -> Quote:
    """The same quote, asked at other hours of the same windows (a copy: replace() costs ten times more)."""
    moved = copy.copy(quote)
    object.__setattr__(moved, "hours", hours)
    return moved


def open(path: str | Path | None = None, *, currency: str = "USD", via: str | None = None) -> Prices:
    """The history at `path` (default: $PRICEWAR_DB, else pricewar.db in the user data directory), holding at
    least the bundled record (loaded on first use, as the CLI does), ready for asking."""
    import os

    from pricewar.history import opening

    named = path if path is not None else os.environ.get("PRICEWAR_DB") or None
    db, _loaded = opening.opened(database.db_path_from_env(str(named) if named else None), given=named is not None)
    return Prices(db, currency, via)
