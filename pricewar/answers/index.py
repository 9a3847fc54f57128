"""The price index: the basket of catalog/basket.json (each maker's flagship and budget model) priced every day in one
currency, blended as the basket says, and chain-linked to 100 on the window's first day, for the whole basket and
for each maker. Every member's figure names its source, effective date and rate; every replacement, slot entering
and gap is an event. The rules are the basket file's; answers/basket.py reads it."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from decimal import Decimal

from pricewar.answers import basket
from pricewar.answers.asking import Asking
from pricewar.history import fx
from pricewar.history.fx import Rate
from pricewar.price import PricewarError, UsageError

EVERY = ("day", "week", "month")
HUNDRED = Decimal(100)


@dataclass(frozen=True)
class Priced:
    """One member's blended price on a day per 1M tokens, and where it came from."""

    slot: basket.Slot
    blended_per_mtok: Decimal
    source: str
    effective_from: str | None
    source_url: str
    published_currency: str
    rate: Rate | None  # None: published in the index's currency

    def as_dict(self) -> dict:
        """JSON-ready: amounts as exact decimal strings, the rate as the CLI gives it."""
        return {"maker": self.slot.maker, "tier": self.slot.tier, "model": self.slot.model, "since": self.slot.since,
                "blended_per_mtok": str(self.blended_per_mtok), "source": self.source,
                "effective_from": self.effective_from, "source_url": self.source_url,
                "published_currency": self.published_currency,
                "rate": None if self.rate is None else self.rate.as_json()}


@dataclass(frozen=True)
class Point:
    """The basket on one day: its value (the sum of its priced members' blended prices), its chain-linked level,
    each maker's level (None on a day none of its slots is priced), its priced members and missing ones."""

    day: str
    value: Decimal
    level: Decimal
    makers: dict[str, Decimal | None]
    priced: tuple[Priced, ...]
    missing: tuple[tuple[basket.Slot, str], ...]  # (member, why it has no price that day)

    def as_dict(self) -> dict:
        """JSON-ready: the value and levels as exact decimal strings."""
        return {"day": self.day, "value": str(self.value), "level": str(self.level),
                "makers": {maker: None if level is None else str(level) for maker, level in self.makers.items()},
                "priced": [member.as_dict() for member in self.priced],
                "missing": [{"maker": slot.maker, "tier": slot.tier, "model": slot.model, "why": why}
                            for slot, why in self.missing]}


@dataclass(frozen=True)
class Event:
    """What happened to a slot: "enters" (its first member), "replaced" (a successor, `before` the member it
    replaced), "gap" (no price from `day` to `until`, `why`) or "returns" (priced again on `day`)."""

    day: str
    kind: str
    slot: basket.Slot
    before: basket.Slot | None = None
    until: str | None = None
    why: str = ""

    def as_dict(self) -> dict:
        """JSON-ready: the members by model id."""
        return {"day": self.day, "kind": self.kind, "maker": self.slot.maker, "tier": self.slot.tier,
                "model": self.slot.model, "before": None if self.before is None else self.before.model,
                "until": self.until, "why": self.why}


@dataclass(frozen=True)
class Change:
    """How the basket (or one maker, `who`) moved from `first` to `last`: the levels and the change in percent
    (negative: it cost less on `last`). A maker entering inside the window counts from its first priced day."""

    who: str
    first: str
    last: str
    level_first: Decimal
    level_last: Decimal

    @property
    def percent(self) -> Decimal:
        return (self.level_last / self.level_first - 1) * HUNDRED

    def as_dict(self) -> dict:
        """JSON-ready: levels and percent as decimal strings."""
        return {"who": self.who, "first": self.first, "last": self.last, "level_first": str(self.level_first),
                "level_last": str(self.level_last), "percent": str(self.percent)}


@dataclass(frozen=True)
class Index:
    """The index over a window: the points every `every`, the events, and the basket's terms."""

    since: str
    until: str
    currency: str
    every: str
    version: int
    blend: tuple[int, int]
    events: tuple[Event, ...]
    daily: tuple[Point, ...] = field(repr=False)  # every day of the window, for change() over any part of it

    @property
    def points(self) -> tuple[Point, ...]:
        """The window's first and last day, and between them each 7th day ("week") or each month's first day
        ("month"), or every day."""
        if self.every == "day":
            return self.daily
        first = dt.date.fromisoformat(self.since)
        kept = [point for point in self.daily
                if (self.every == "week" and (dt.date.fromisoformat(point.day) - first).days % 7 == 0)
                or (self.every == "month" and point.day.endswith("-01"))]
        if not kept or kept[0] is not self.daily[0]:
            kept.insert(0, self.daily[0])
        if kept[-1] is not self.daily[-1]:
            kept.append(self.daily[-1])
        return tuple(kept)

    @property
    def rates(self) -> tuple[Rate, ...]:
        """The exchange rates the returned points used, by date."""
        found = {member.rate for point in self.points for member in point.priced if member.rate is not None}
        return tuple(sorted(found, key=lambda rate: (rate.date, rate.base, rate.target)))

    def point(self, day: str) -> Point:
        """The point of `day`, a day of the window."""
        for point in self.daily:
            if point.day == day:
                return point
        raise UsageError(f"{day} is not a day from {self.since} to {self.until}")

    def changes(self, first: str | None = None, last: str | None = None) -> list[Change]:
        """The basket's change from `first` to `last` (default: the window's ends), then each maker's from its
        first to its last priced day between them."""
        start, end = self.point(first or self.since), self.point(last or self.until)
        if start.day > end.day:
            raise UsageError(f"the change from {start.day} to {end.day}: the first day comes after the last")
        found = [Change("basket", start.day, end.day, start.level, end.level)]
        span = [point for point in self.daily if start.day <= point.day <= end.day]
        for maker in sorted({maker for point in span for maker in point.makers}):
            levels = [(point.day, point.makers[maker]) for point in span if point.makers.get(maker) is not None]
            if levels:
                found.append(Change(maker, levels[0][0], levels[-1][0], levels[0][1], levels[-1][1]))
        return found

    def as_dict(self) -> dict:
        """JSON-ready: the returned points, the events, the window's changes and the rates used."""
        return {"since": self.since, "until": self.until, "currency": self.currency, "every": self.every,
                "basket_version": self.version, "blend": list(self.blend),
                "unit": f"{self.currency} per 1M tokens, blended {self.blend[0]}:{self.blend[1]} input:output",
                "points": [point.as_dict() for point in self.points],
                "events": [event.as_dict() for event in self.events],
                "changes": [change.as_dict() for change in self.changes()],
                "rates": [rate.as_json() for rate in self.rates]}


def index(db, since: str, until: str, currency: str, *, every: str = "day") -> Index:
    """The basket priced on every day from `since` to `until` (both included) in `currency`, its level and each
    maker's chain-linked to 100 on `since`; the points returned every `every` ("day", "week", "month")."""
    first, last = _day(since, "since"), _day(until, "until")
    if first > last:
        raise UsageError(f"the index from {since} to {until}: the first day comes after the last")
    if every not in EVERY:
        raise UsageError(f"every: one of {', '.join(EVERY)}, not {every!r}")
    currency = fx.check_currency(db, currency)
    asking, weights = Asking(db), basket.blend()
    daily: list[Point] = []
    before: dict[tuple[str, str], Decimal] = {}  # the day before's price of each slot priced then
    level, makers = HUNDRED, {}
    gaps: dict[tuple[str, str], list] = {}  # an open gap: [first day, last day, member, why]
    events: list[Event] = []
    day = first
    while day <= last:
        text = day.isoformat()
        priced, missing, today = _price(asking, basket.slots_on(text), text, currency, weights)
        level = level * _link(before, today, lambda key: True)
        for maker in sorted({key[0] for key in today} | set(makers)):
            makers[maker] = makers.get(maker, HUNDRED) * _link(before, today, lambda key: key[0] == maker)
        shown = {maker: (value if any(key[0] == maker for key in today) else None) for maker, value in makers.items()}
        daily.append(Point(text, sum(today.values(), Decimal(0)), level, shown, tuple(priced), tuple(missing)))
        _gaps(gaps, events, missing, priced, text)
        before = today
        day += dt.timedelta(days=1)
    for start, end, slot, why in gaps.values():
        events.append(Event(start, "gap", slot, until=end, why=why))
    events.extend(Event(day, "enters" if old is None else "replaced", new, old)
                  for day, new, old in basket.changes_of_members(since, until))
    order = {"enters": 0, "replaced": 1, "returns": 2, "gap": 3}
    events.sort(key=lambda event: (event.day, event.slot.maker, event.slot.tier, order[event.kind]))
    return Index(since, until, currency, every, basket.version(), weights, tuple(events), tuple(daily))


def _price(asking: Asking, slots: list[basket.Slot], day: str, currency: str, weights: tuple[int, int]):
    """The day's priced members, missing members (with why) and each priced slot's blended price."""
    priced, missing, today = [], [], {}
    for slot in slots:
        try:
            _stretch, offer = asking.offer(f"{slot.maker}/{slot.model}", day, None, currency)
        except PricewarError as error:
            missing.append((slot, str(error)))
            continue
        blended = offer.blended(weights)
        if blended is None:
            missing.append((slot, f"'{slot.model}': {offer.source} gives no input or output price"))
            continue
        priced.append(Priced(slot, blended, offer.source, offer.effective_from, offer.source_url,
                             offer.published_currency, offer.rate))
        today[(slot.maker, slot.tier)] = blended
    return priced, missing, today


def _link(before: dict, today: dict, counts) -> Decimal:
    """Today's sum over the day before's, over the slots `counts` keeps that are priced on both days (1 for
    none): a slot entering, leaving or coming back moves nothing."""
    both = [key for key in today if key in before and counts(key)]
    then = sum((before[key] for key in both), Decimal(0))
    now = sum((today[key] for key in both), Decimal(0))
    if then == 0:
        if now == 0:
            return Decimal(1)
        raise PricewarError(f"the index cannot link {', '.join(f'{m} {t}' for m, t in both)}: priced at zero the "
                            f"day before and not today (the basket's rules keep free models out)")
    return now / then


def _gaps(gaps: dict, events: list, missing: list, priced: list[Priced], day: str) -> None:
    """Open or extend a gap for each missing member; close a slot's gap, as a "returns" event, when it is priced."""
    for slot, why in missing:
        key = (slot.maker, slot.tier)
        if key in gaps and gaps[key][2].model == slot.model:
            gaps[key][1] = day
            continue
        if key in gaps:  # its successor has no price either: the old member's gap ends, the new one's begins
            start, end, old, old_why = gaps.pop(key)
            events.append(Event(start, "gap", old, until=end, why=old_why))
        gaps[key] = [day, day, slot, why]
    for member in priced:
        key = (member.slot.maker, member.slot.tier)
        if key in gaps:
            start, end, slot, why = gaps.pop(key)
            events.append(Event(start, "gap", slot, until=end, why=why))
            events.append(Event(day, "returns", member.slot))


def _day(value: str, name: str) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except (TypeError, ValueError):
        raise UsageError(f"{name}: a day YYYY-MM-DD, not {value!r}") from None
