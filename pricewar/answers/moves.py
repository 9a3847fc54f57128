"""The war as moves: each maker's judged price events in a window (a cut, a rise, a launch below the market, a
model made free), one move per maker, day and tier, each with the earlier move it answers and the lag in days.

Inputs are judged events, never raw rows: market.changes() (makers' prices, corrections left out) and each chat
model's first price in the record or on the maker's own page (a launch's date is the maker's claim). A change only
copies saw is no move: a copy says a price was in effect by the day it saw it, not when the maker moved.
Tiers come from the basket (answers/basket.py): a member's tier is its slot's; another model of a maker with two
members that day takes the tier of the member nearer its blended 3:1 CNY price in log scale (its price the day
before a cut or rise, its launch price); any other model (or one member serving both slots) the tier whose median
over the other makers' members is nearer. A free model is budget. tier_reason says which rule placed it. A launch
is a move when below the market: under the median of the other makers' members of its tier that day (at 0 always).
A move answers the latest earlier move of another maker in its tier within ANSWER_DAYS. The history keeps days,
not hours: moves of one day are ordered by provider id, flagship first (Alibaba's cut before Baidu's).
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, replace
from decimal import Decimal
from types import SimpleNamespace

from pricewar.answers import basket, hours, judge
from pricewar.answers.asking import Asking
from pricewar.answers.offers import source_rank
from pricewar.history import queries
from pricewar.price import PricewarError

ANSWER_DAYS = 31
BLEND = (3, 1)
CURRENCY = "CNY"  # where tiers and the market are compared; moves are shown as published
COPIES = queries.AGGREGATORS  # every source that copies others' prices: the gateways and resellers among them
MARKS = ", ".join("?" for _ in COPIES)
PLAIN = ("standard", "", "", "", "")
UNSTATED_START = ("LISTING", "start not published", "start date not published")
VERBS = {"cut": "cut", "rise": "raised"}


@dataclass(frozen=True)
class Step:
    """One kind of one model's price moved: old → new (old None for a launch), in its published currency."""

    kind: str
    dimensions: tuple[str, ...]
    currency: str
    old: Decimal | None
    new: Decimal

    @property
    def change_pct(self) -> Decimal | None:
        return None if self.old is None or self.old == 0 else (self.new - self.old) / self.old * 100

    def text(self) -> str:
        where = "" if self.dimensions == PLAIN else f" ({', '.join(d for d in self.dimensions[1:] if d)})"
        amounts = _num(self.new) if self.old is None else f"{_num(self.old)} → {_num(self.new)}"
        return f"{self.kind}{where} {amounts} {self.currency}"


@dataclass(frozen=True)
class Moved:
    """One model of a move: what happened to it and each kind's step."""

    model: str
    ids: tuple[str, ...]
    what: str  # cut | rise | launch | free
    steps: tuple[Step, ...]
    tier_reason: str

    @property
    def biggest(self) -> Step | None:
        """The step of the largest change (biggest()); None for a launch."""
        return biggest(self.steps)

    def price(self) -> str:
        """A launch's price: input / output in its currency."""
        plain = {s.kind: s for s in self.steps if s.dimensions == PLAIN}
        shown = [plain[k] for k in ("input", "output") if k in plain] or list(self.steps[:1])
        return " / ".join(_num(s.new) for s in shown) + f" {shown[0].currency}" if shown else ""

    def phrase(self, with_amounts: bool = True) -> str:
        """'cut qwen-long by 97.5% (input 20 → 0.5 CNY)', 'made ernie-speed free', 'launched x at 1 / 2 CNY'."""
        if self.what == "free":
            return f"made {self.model} free"
        if self.what == "launch":
            return f"launched {self.model} at {self.price()}"
        return f"{VERBS[self.what]} {self.by(with_amounts)}"

    def by(self, with_amounts: bool = True) -> str:
        step = self.biggest
        return f"{self.model} by {abs(step.change_pct):.1f}%" + (f" ({step.text()})" if with_amounts else "")


@dataclass(frozen=True)
class Move:
    """One maker's move of one tier on one day, the move it answers and the sources that prove it."""

    date: str
    provider: str
    provider_name: str
    what: str  # cut | rise | launch | free
    tier: str
    tier_reason: str
    models: tuple[Moved, ...]
    sources: tuple[str, ...]
    source_url: str
    flags: tuple[str, ...] = ()
    answers: Move | None = None
    lag_days: int | None = None

    @property
    def size(self) -> Step | None:
        """The biggest change of the move (None for a launch: its price is price())."""
        steps = [m.biggest for m in self.models if m.biggest is not None]
        return max(steps, key=lambda s: abs(s.change_pct), default=None)

    @property
    def lead(self) -> Moved:
        size = self.size
        return next((m for m in self.models if size is not None and size in m.steps), self.models[0])

    def headline(self) -> str:
        """The move in a clause, its lead model only: 'Alibaba cut qwen-long by 97.5%'."""
        return f"{self.provider_name} {self.lead.phrase(with_amounts=False)}"

    def sentence(self) -> str:
        """The move in plain English, with the move it answers."""
        free = [m.model for m in self.models if m.what == "free"]
        parts = [f"made {_and(free)} free"] if free else []
        launched = [m for m in self.models if m.what == "launch"]
        parts += ["launched " + _and([f"{_and([m.model for m in launched if m.price() == price])} at {price}"
                                       for price in dict.fromkeys(m.price() for m in launched)])] if launched else []
        for what, verb in VERBS.items():
            rest = [m for m in self.models if m.what == what]
            shown = rest if len(rest) <= 4 else rest[:3]
            more = [f"{len(rest) - len(shown)} more"] if len(rest) > len(shown) else []
            if shown:
                parts.append(f"{verb} {_and([m.by() for m in shown] + more)}")
        text = f"{self.provider_name} {_and(parts)}"
        if self.answers is not None:
            when = f"{self.lag_days} day{'s' * (self.lag_days != 1)} after" if self.lag_days else "the same day as"
            text += f" {when} {self.answers.headline()}"
        return text

    def as_dict(self) -> dict:
        """JSON-ready: amounts as exact decimal strings."""
        size = self.size
        return {
            "date": self.date, "provider": self.provider, "provider_name": self.provider_name, "what": self.what,
            "tier": self.tier, "tier_reason": self.tier_reason,
            "models": [{"model": m.model, "ids": list(m.ids), "what": m.what, "tier_reason": m.tier_reason,
                        "steps": [_step_dict(s) for s in m.steps]} for m in self.models],
            "size": None if size is None else _step_dict(size),
            "price": self.lead.price() if self.what in ("launch", "free") and size is None else None,
            "answers": None if self.answers is None else {
                "date": self.answers.date, "provider": self.answers.provider, "what": self.answers.what,
                "tier": self.answers.tier, "models": [m.model for m in self.answers.models],
                "headline": self.answers.headline()},
            "lag_days": self.lag_days, "sources": list(self.sources), "source_url": self.source_url,
            "effective": self.date, "flags": list(self.flags), "sentence": self.sentence(),
        }


def moves(db, since: str, until: str, *, provider: str | set[str] | None = None) -> list[Move]:
    """The moves of every maker (or of `provider`) that took effect in [since, until], in date order (then by
    provider id, then flagship before budget), each with the move it answers. Moves up to ANSWER_DAYS before
    `since` are judged too, so that the first moves of the window may answer them."""
    start = _shift(since, -ANSWER_DAYS)
    market = Market(db)
    grouped = _changed(db, start, until, market)
    for key, items in _launched(db, start, until, market).items():
        grouped.setdefault(key, []).extend(items)  # a launch and a cut of one tier the same day: one move
    found = [_move(date, who, tier, items, market.names) for (date, who, tier), items in grouped.items()]
    found.sort(key=lambda m: (m.date, m.provider, m.tier != "flagship"))
    answered: list[Move] = []
    for move in found:
        earlier = next((m for m in reversed(answered) if m.provider != move.provider and m.tier == move.tier
                        and judge.days_between(m.date, move.date) <= ANSWER_DAYS), None)
        if earlier is not None:
            move = replace(move, answers=earlier, lag_days=judge.days_between(earlier.date, move.date))
        answered.append(move)
    wanted = {provider} if isinstance(provider, str) else provider
    return [m for m in answered if m.date >= since and (not wanted or m.provider in wanted)]


class Market:
    """The basket's members priced in CNY, day by day, and the tier rules over them."""

    def __init__(self, db):
        self.asking = Asking(db)
        self.names = dict(db.execute("select id, name from providers").fetchall())
        self._members: dict[str, list[tuple[basket.Slot, Decimal]]] = {}

    def level(self, provider: str, model: str, day: str) -> Decimal | None:
        """A model's blended 3:1 price in CNY on `day` (its input or output price alone when it has one only)."""
        try:
            _, offer = self.asking.offer(f"{provider}/{model}", day, None, CURRENCY)
        except PricewarError:
            return None
        return level_of(offer.prices)

    def members(self, day: str) -> list[tuple[basket.Slot, Decimal]]:
        """The basket's priced members on `day`."""
        if day not in self._members:
            priced = [(slot, self.level(slot.maker, slot.model, day)) for slot in basket.slots_on(day)]
            self._members[day] = [(slot, amount) for slot, amount in priced if amount]
        return self._members[day]

    def median(self, tier: str, day: str, besides: str) -> Decimal | None:
        """The median level of the other makers' members of `tier` on `day`."""
        levels = [amount for slot, amount in self.members(day) if slot.tier == tier and slot.maker != besides]
        return statistics.median(levels) if levels else None

    def tier(self, provider: str, model: str, day: str, level: Decimal | None) -> tuple[str, str]:
        """(tier, the reason) of `model` of `provider` on `day`, priced `level` (CNY)."""
        own = [(slot, amount) for slot, amount in self.members(day) if slot.maker == provider]
        serving = {slot.tier for slot, _ in own if judge.base_id(slot.model) == judge.base_id(model)}
        if len(serving) == 1:
            tier = serving.pop()
            return tier, f"basket member: {model} is {provider}'s {tier} slot"
        if level == 0:
            return "budget", f"free: {model} at 0 is of the budget tier"
        if level is None:
            return "budget", f"no CNY price of {model} to place it: budget by default"
        distinct = {slot.tier: amount for slot, amount in own}
        if not serving and len(distinct) == 2 and len({slot.model for slot, _ in own}) == 2:
            tier = nearer(level, distinct)
            member = ", ".join(slot.model for slot, _ in own if slot.tier == tier)
            other = next(amount for t, amount in distinct.items() if t != tier)
            return tier, (f"{model} at {_num(level)} CNY (blended 3:1) is nearer {provider}'s {tier} member "
                          f"({member}, {_num(distinct[tier])}) than its other ({_num(other)}) in log scale")
        medians = {t: m for t in basket.TIERS if (m := self.median(t, day, provider))}
        if not medians:
            return "budget", f"no basket priced on {day}: budget by default"
        tier = nearer(level, medians)
        why = f"serves both of {provider}'s slots; " if serving else ""
        others = "; ".join(f"{t} {_num(m)}" for t, m in medians.items())
        return tier, (f"{why}{model} at {_num(level)} CNY (blended 3:1) is nearest in log scale to the median of the "
                      f"other makers' {tier} members ({others})")

    def below(self, provider: str, tier: str, day: str, level: Decimal | None) -> tuple[bool, str]:
        """Whether a launch at `level` is below the market of its tier on `day`, and the median it was held to."""
        if level == 0:
            return True, "free"
        median = self.median(tier, day, provider)
        if level is None or median is None:
            return False, "no market to compare"
        return level < median, f"{_num(level)} CNY vs the other makers' {tier} median {_num(median)}"


def biggest(steps) -> Step | None:
    """The step of the largest change of an input or output price (of a cache price when only it moved)."""
    moved = [s for s in steps if s.change_pct is not None]
    main = [s for s in moved if s.kind in ("input", "output")] or moved
    return max(main, key=lambda s: (abs(s.change_pct), s.kind == "input"), default=None)


def level_of(prices: dict[str, Decimal]) -> Decimal | None:
    price_in, price_out = prices.get("input"), prices.get("output")
    if price_in is not None and price_out is not None:
        return (price_in * BLEND[0] + price_out * BLEND[1]) / sum(BLEND)
    return price_in if price_in is not None else price_out


def nearer(level: Decimal, references: dict[str, Decimal]) -> str:
    """The tier whose reference is nearest `level` in log scale (a ratio of 2 up or down is as far)."""
    if level <= 0:
        return "budget"
    return min(references, key=lambda t: (abs((level / references[t]).ln()), t))


def _changed(db, since: str, until: str, market: Market) -> dict[tuple, list]:
    """{(day, provider, tier): [(Moved, its changes)]} of the judged changes."""
    from pricewar.answers import market as judged

    found = [*judged.changes(db, since, until, currency=CURRENCY, by="date"), *hours.window_steps(db, since, until)]
    by_model: dict[tuple, list] = {}
    for change in found:
        if set(change.sources) <= set(COPIES):
            continue  # a copy says a price was in effect by the day it was seen: never a maker's dated move
        if judge.model_type(change.model) != "chat":
            continue
        by_model.setdefault((change.date, change.provider, judge.base_id(change.model)), []).append(change)
    moved: dict[tuple, list] = {}
    for (date, provider, base), changes in by_model.items():
        steps = tuple(sorted({Step(c.kind, c.dimensions, c.currency, c.old, c.new) for c in changes},
                             key=lambda s: (s.dimensions != PLAIN, s.kind)))
        main = [s for s in steps if s.kind in ("input", "output")]
        if main and all(s.new == 0 for s in main):
            what = "free"
        else:
            step = biggest(steps)
            what = "cut" if step.new < step.old else "rise"
        before = _shift(date, -1)  # placed by its price before the move, among the members' prices then
        tier, reason = market.tier(provider, base, before, market.level(provider, base, before))
        ids = tuple(sorted(({c.model for c in changes} | {i for c in changes for i in c.ids}) - {base}))
        moved.setdefault((date, provider, tier), []).append((Moved(base, ids, what, steps, reason), changes))
    return moved


def _launched(db, since: str, until: str, market: Market) -> dict[tuple, list]:
    """{(day, provider, tier): [(Moved, its rows' sources)]} of the launches below the market."""
    makers = queries.makers(db)
    rows = db.execute(
        "select provider, model, kind, service_tier, context_tier, region, mode, time_window, currency, per_mtok, "
        f"effective_from, effective_to, source, source_url, note from prices where source not in ({MARKS}) "
        "and effective_from is not null", list(COPIES)).fetchall()
    first: dict[tuple, str] = {}
    for row in rows:
        key = (row[0], judge.base_id(row[1]))
        first[key] = min(first.get(key, row[10]), row[10])
    launched: dict[tuple, list] = {}
    for row in rows:
        provider, model, kind, *dims = row[:8]
        start = first[(provider, judge.base_id(model))]
        if row[10] == start and since <= start <= until and provider in makers and tuple(dims) == PLAIN:
            launched.setdefault((start, provider, judge.base_id(model)), []).append(row)
    types = {(p, m): t for p, m, t in _of_pairs(db, {(p, r[1]) for (_, p, _), rs in launched.items() for r in rs},
                                                  "models", "p.provider, p.model, p.type")}
    moved: dict[tuple, list] = {}
    for (date, provider, base), items in sorted(launched.items()):
        if any(judge.model_type(r[1], types.get((provider, r[1]), "")) != "chat" for r in items) \
                or any(mark in (items[0][14] or "") for mark in UNSTATED_START) or _old_price_only(items):
            continue  # not chat; a listing's date or the price before a change: not the day of its launch
        steps = _launch_steps(items)
        level = market.level(provider, base, date)
        free = all(s.new == 0 for s in steps)
        tier, reason = market.tier(provider, base, date, Decimal(0) if free else level)
        below, held = market.below(provider, tier, date, Decimal(0) if free else level)
        if below:
            moved.setdefault((date, provider, tier), []).append((Moved(
                base, tuple(sorted({r[1] for r in items} - {base})), "free" if free else "launch", steps,
                f"{reason}; below the market: {held}"), [_launch_source(r) for r in items]))
    return moved


def _launch_steps(items: list) -> tuple[Step, ...]:
    """A launch's prices in the currency it was published in (CNY first where it was published in both)."""
    currencies = {r[8] for r in items}
    currency = CURRENCY if CURRENCY in currencies else min(currencies, key=lambda c: (c != "USD", c))
    kinds = {r[2]: Decimal(r[9]) for r in items if r[8] == currency}
    return tuple(Step(kind, PLAIN, currency, None, amount) for kind, amount in sorted(kinds.items()))


def _launch_source(row) -> SimpleNamespace:
    """A launch's row as the evidence _move() reads of a change: its source, address and flags."""
    return SimpleNamespace(source=row[12], sources=(row[12],), source_url=row[13] or "", flags=tuple(
        flag for flag in ("UNCERTAIN", "DERIVED") if (row[14] or "").startswith(flag)))


def _old_price_only(items: list) -> bool:
    """A first price that lasted a day before a change: the record's price before a cut, not a launch."""
    return all(r[11] is not None and judge.days_between(r[10], r[11]) <= 1 for r in items)


def _move(date: str, provider: str, tier: str, items: list, names: dict[str, str]) -> Move:
    models = tuple(sorted((m for m, _ in items), key=lambda m: (  # free, then the biggest change, the cheapest
        m.what != "free", -(abs(m.biggest.change_pct) if m.biggest else 0), min(s.new for s in m.steps), m.model)))
    evidence = [e for _, group in items for e in group]
    ranked = sorted({s for e in evidence for s in e.sources}, key=source_rank)
    changed = [m for m in models if m.biggest]
    what = "free" if any(m.what == "free" for m in models) else \
        max(changed, key=lambda m: abs(m.biggest.change_pct)).what if changed else models[0].what
    url = next((e.source_url for e in sorted(evidence, key=lambda e: source_rank(e.source)) if e.source_url), "")
    flags = tuple(sorted({f for e in evidence for f in e.flags}))
    reason = "; ".join(dict.fromkeys(m.tier_reason for m in models))
    return Move(date, provider, names.get(provider) or provider, what, tier, reason, models, tuple(ranked),
                url, flags)


def _of_pairs(db, pairs: set[tuple[str, str]], table: str, columns: str, where: str = "1", more=()) -> list:
    """`columns` of `table`'s rows of the (provider, model) `pairs` (none asked, none read)."""
    if not pairs:
        return []
    rows, params = queries.of_pairs(pairs, table, "p")
    return db.execute(f"select distinct {columns} from {rows} where {where}", params + list(more)).fetchall()


def _shift(day: str, days: int) -> str:  # a day `days` later (earlier when negative)
    return (dt.date.fromisoformat(day) + dt.timedelta(days=days)).isoformat()


def _num(amount: Decimal) -> str:
    """An exact amount without trailing zeros (0.50 → 0.5, 120 → 120), never rounded away."""
    return f"{amount.normalize():f}"


def _and(items: list[str]) -> str:
    return items[0] if len(items) == 1 else ", ".join(items[:-1]) + " and " + items[-1] if items else ""


def _step_dict(step: Step) -> dict:
    pct = step.change_pct
    return {"kind": step.kind, "dimensions": list(step.dimensions), "currency": step.currency,
            "old": None if step.old is None else str(step.old), "new": str(step.new),
            "change_pct": None if pct is None else str(pct.quantize(Decimal("0.1")))}
