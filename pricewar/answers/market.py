"""The judged answer: what the market charged on a date, the one read of the history behind every report.

Between the stored periods and what any command prints stands this module: which seller and source answer,
which observations are no price (an aggregator's zero), which ids are one model, what kind of model each is
(answers/judge.py holds the rules). `compare`, `--vs`, `cost` and `report` rank what offers_on() gives.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import Decimal

from pricewar.answers import judge
from pricewar.answers.names import match
from pricewar.answers.offers import STANDARD, Offer, Selection, choose, convert, from_kept, kept, offers, pick_one
from pricewar.history import queries, runs


class Rates:
    """Exchange rates of one date, looked up once per currency pair."""

    def __init__(self, db, date: str):
        self.db, self.date, self.cache = db, date, {}

    def __call__(self, base: str, target: str):
        from pricewar.history import fx

        if base == target:
            return None
        if (base, target) not in self.cache:
            self.cache[(base, target)] = fx.rate(self.db, base, target, self.date)
        return self.cache[(base, target)]


def sold_by(db, rows: list[dict], via: str | None) -> list[dict]:
    """The rows a seller charges: by default the makers' own prices; `via` a reseller's, or 'all'."""
    if via == "all":
        return rows
    if via is None:
        own = queries.makers(db)
        return [row for row in rows if row["provider"] in own and queries.seller(row) == row["provider"]]
    return [row for row in rows if queries.seller(row) == via]


def sellers(db, via: str | None) -> dict:
    """sold_by as prices_at's filters, so that the rows of other sellers are never read."""
    if via == "all":
        return {}
    if via is None:
        return {"providers": queries.makers(db), "not_sources": queries.RESELLING_SOURCES}
    if via in queries.RESELLING_SOURCES:  # what it lists, and what others list under its name
        return {}
    return {"providers": [via], "not_sources": queries.RESELLING_SOURCES}


def priced_offers(db, date: str, currency: str, patterns: list[str], provider: set[str] | None = None,
                  selection: Selection = STANDARD, via: str | None = None,
                  model_type: str = "all", pairs: set[tuple[str, str]] | None = None,
                  published: bool = False) -> list[Offer]:
    """The judged offers in effect on `date` in `currency`: of the models `patterns` name (or the `pairs` they
    were already matched to), or of every model; of `model_type` ('all' for any), as judge.model_type tells
    it; without an aggregator's zeros, which are blanks, not prices. Real free offers are kept (ranking()
    sets them apart). With `published`, each stays in the currency it was published in (the one published in
    `currency` still chosen first): the caller converts it at a rate of its choosing."""
    wanted = pairs if pairs is not None else match(db, patterns) if patterns else None
    if wanted is None and not published:  # the whole market: thousands of periods judged, kept for the next asking
        from pricewar.answers import memo

        question = ["priced_offers", date, currency, sorted(provider or ()), vars(selection), via, model_type]
        return memo.remembered(db, question, lambda: _judged(db, date, currency, None, provider, selection, via,
                                                             model_type), kept, from_kept)
    return _judged(db, date, currency, wanted, provider, selection, via, model_type, published)


def _judged(db, date: str, currency: str, wanted: set[tuple[str, str]] | None, provider: set[str] | None,
            selection: Selection, via: str | None, model_type: str, published: bool = False) -> list[Offer]:
    filters = sellers(db, via)
    if wanted is None and selection.source is None:  # the whole market: no gateway's table ranks in it
        filters["not_sources"] = (*filters.get("not_sources", ()), *queries.GATEWAYS)
    rows = sold_by(db, queries.prices_at(db, date, wanted, **filters, dimensions=selection.fixed(),
                                       sources=None if selection.source is None else [selection.source],
                                       model_type=None if model_type == "all" else model_type), via)
    if provider:
        rows = [row for row in rows if row["provider"] in provider]
    stated = {(row["provider"], row["model"]): row["model_type"] for row in rows}
    candidates = [judged for offer in offers(rows)
                  if model_type == "all" or judge.model_type(offer.model, stated[offer.provider, offer.model]) == model_type
                  if (judged := without_blanks(offer)) is not None]
    chosen = choose(candidates, currency, selection)
    chosen = with_delisting(db, chosen, date)
    if published:
        return chosen
    rates = Rates(db, date)
    return [convert(offer, rates(offer.currency, currency)) for offer in chosen]


def with_delisting(db, items: list[Offer], date: str) -> list[Offer]:
    """`items`, a price from the bundled record marked `delisted` when every source that observes listings (a
    page, a feed, a gateway's table; not the references that keep retired models, queries.KEEPS_RETIRED) had
    stopped listing its model by `date`, a copy's open listing lasting queries.COPY_ANSWERS_DAYS after it was last
    seen: the record says what was announced, not what is still sold. Nothing is marked where no such source ever
    listed the model."""
    pairs = {(o.provider, o.model) for o in items if not runs.source_is_scraped(o.source)}
    if not pairs:
        return items
    rows, params = queries.of_pairs(pairs)
    ended = dict(((provider, model), last) for provider, model, last in db.execute(
        f"select p.provider, p.model, max(case when p.effective_to is not null then p.effective_to "
        f"when p.source in ({', '.join('?' * len(queries.AGGREGATORS))}) "
        f"then date(p.last_seen, '+{queries.COPY_ANSWERS_DAYS} days') else '9999-12-31' end) from {rows} "
        f"where p.source not in ('catalog', 'record', {', '.join('?' * len(queries.KEEPS_RETIRED))}) "
        "group by p.provider, p.model", [*queries.AGGREGATORS, *params, *queries.KEEPS_RETIRED]) if last <= date)
    return [replace(o, delisted=ended[(o.provider, o.model)]) if not runs.source_is_scraped(o.source)
            and (o.provider, o.model) in ended else o for o in items]


def answering(db, date: str, currency: str, pairs: set[tuple[str, str]], provider: set[str] | None = None,
              selection: Selection = STANDARD, model_type: str = "all",
              published: bool = False) -> tuple[list[Offer], list[Offer]]:
    """The makers' own offers of the models `pairs` name, and, for those no maker prices on `date`, a reseller's
    (a reseller's price beats no answer; the seller says whose). Of a model sold under a maker's and a reseller's
    name, only the maker's pairs are looked for elsewhere; of one only resellers sell, every pair."""
    own = priced_offers(db, date, currency, [], provider, selection, None, model_type, pairs=pairs,
                        published=published)
    answered = {(o.provider, o.model) for o in own}
    makers = queries.makers(db)
    unpriced = {pair for pair in pairs if pair[0] in makers or not own} - answered
    resold = priced_offers(db, date, currency, [], provider, selection, "all", model_type, pairs=unpriced,
                           published=published) if unpriced else []
    return own, resold


def one_price(db, date: str, currency: str, pairs: set[tuple[str, str]], selection: Selection = STANDARD,
              via: str | None = None, published: bool = False) -> Offer | None:
    """The one offer that answers for a model (`pairs`, its ids) on `date`: the maker's own price first, a
    reseller's for a model only resellers sell; of several, pick_one's."""
    if via is not None:
        return pick_one(priced_offers(db, date, currency, [], None, selection, via, pairs=pairs,
                                      published=published), currency)
    own, resold = answering(db, date, currency, pairs, None, selection, published=published)
    return pick_one(own, currency) or pick_one(resold, currency)


def without_blanks(offer: Offer) -> Offer | None:
    """`offer` without an aggregator's zeros (judge.placeholder), None when no input or output price is left; a
    reseller's own free variant (OpenRouter's `:free` ids) keeps its zeros, a real price of that seller's. A cache
    price alone, its input and output prices ended, is no price of the model either."""
    if "input" not in offer.prices and "output" not in offer.prices:
        return None
    blanks = [kind for kind, amount in offer.prices.items() if judge.placeholder(offer.source, amount)]
    if not blanks or offer.source in queries.RESELLING_SOURCES and offer.model.endswith(":free"):
        return offer
    prices = {kind: amount for kind, amount in offer.prices.items() if kind not in blanks}
    return replace(offer, prices=prices) if "input" in prices or "output" in prices else None


@dataclass
class Ranking:
    """Offers to rank, and what was set apart from them: free offers, ids folded under their model."""

    offers: list[Offer]
    free: list[Offer] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


def ranking(offered: list[Offer], unfold: bool = False) -> Ranking:
    """`offered` as a ranking: a free offer is listed apart, never as the cheapest; dated snapshots and -latest
    ids at the same price as another id of the model fold under the model's id (unless `unfold`)."""
    gone = [offer for offer in offered if offer.delisted]
    free = [offer for offer in offered if offer.prices and not any(offer.prices.values()) and not offer.delisted]
    apart = {id(offer) for offer in (*gone, *free)}
    priced = [offer for offer in offered if id(offer) not in apart]
    if not unfold:
        priced = fold(priced)
    result = Ranking(priced, free)
    if free:
        names = sorted({f"{o.provider_name} {o.model}" for o in free})
        shown = ", ".join(names[:8]) + (f" and {len(names) - 8} more" if len(names) > 8 else "")
        result.notes.append(f"free (price 0, not ranked): {shown}")
    if gone:
        names = sorted({f"{o.model} (since {o.delisted})" for o in gone})
        result.notes.append(f"no longer listed by any source, not ranked: {', '.join(names)}")
    if any(offer.also for offer in priced):
        result.notes.append("+N: dated or -latest ids at the same price, folded under the model's id "
                            "(--unfold lists each)")
    return result


def fold(items: list[Offer]) -> list[Offer]:
    """One offer per model: ids of one model (judge.base_id) at the same prices under one, the model's own id
    first, else the shortest; the others named in `also`."""
    groups: dict[tuple, list[Offer]] = {}
    for offer in items:
        key = (offer.seller, offer.provider, judge.base_id(offer.model), offer.dimensions, offer.currency,
               tuple(sorted(offer.prices.items())))
        groups.setdefault(key, []).append(offer)
    result = []
    for (_, _, base, *_), group in groups.items():
        if len(group) == 1:
            result += group
            continue
        group.sort(key=lambda o: (o.model != base, len(o.model), o.model))
        result.append(replace(group[0], also=tuple(o.model for o in group[1:])))
    return result


def freshness(db, items: list[Offer], date: str, today: str) -> list[str]:
    """One line when a scraped source answering a question about today (or later) was last seen more than a
    week before it: when, and how to see today's prices."""
    if date < today:
        return []
    stale = []
    for source in sorted({offer.source for offer in items}):
        if not runs.source_is_scraped(source):
            continue
        last = runs.last_ok_run(db, source)
        if last is not None and judge.days_between(last["observed_at"][:10], today) > STALE_DAYS:
            stale.append(f"{source} {last['observed_at'][:10]}")
    if not stale:
        return []
    return [f"prices last seen: {', '.join(stale)} (over {STALE_DAYS} days ago); `pricewar update` fetches today's"]


STALE_DAYS = 7


def known_between(db, pairs: set[tuple[str, str]]) -> tuple[str, str | None] | None:
    """The first day any of `pairs` had a price and the day the last one ended (None while one is in effect)."""
    if not pairs:
        return None
    rows, params = queries.of_pairs(pairs)
    row = db.execute(f"select min(p.effective_from), max(coalesce(p.effective_to, '9999-12-31')) from {rows}",
                     params).fetchone()
    if row is None or row[0] is None:
        return None
    return row[0], None if row[1] == "9999-12-31" else row[1]


def why_empty(db, pairs: set[tuple[str, str]] | None, date: str) -> str:
    """One sentence for an empty answer on `date`: when the models named had prices, or that nothing matched."""
    known = known_between(db, pairs) if pairs else None
    if known is None:
        return f"no prices in effect on {date} match"
    first, last = known
    if date < first:
        return f"no price in effect on {date}: the earliest known starts {first}"
    if last is not None and date >= last:
        return f"no price in effect on {date}: the last known ended {last}"
    return f"no prices in effect on {date} match these options (known from {first})"


# --- changes ------------------------------------------------------------------------------------------


def changes(db, since: str | None, until: str | None, last_runs: list[int] | None = None, *, via: str | None = None,
            provider: set[str] | None = None, source: str | None = None, currency: str | None = None,
            corrections: bool = False, min_change: Decimal | None = None, by: str = "change") -> list:
    """The judged price moves whose new price took effect in [since, until] (of the `last_runs` only, when
    given): sold as `via` says (sold_by), of the `provider`s and the `source` when given, as events() tells
    them; kept for the next asking (answers/memo.py)."""
    from pricewar.answers import memo, timeline

    def judged() -> list:
        rows = sold_by(db, queries.changes(db, since, until, last_runs, **sellers(db, via)), via)
        rows = [r for r in rows if (not provider or r["provider"] in provider) and (not source or r["source"] == source)]
        return events(db, rows, currency=currency, corrections=corrections, min_change=min_change, by=by)

    question = ["changes", since, until, last_runs, via, sorted(provider or ()), source, currency, corrections,
                None if min_change is None else str(min_change), by]
    return memo.remembered(db, question, judged, timeline.kept, timeline.from_kept)


def events(db, rows: list[dict], *, currency: str | None = None, corrections: bool = False,
           min_change: Decimal | None = None, by: str = "change") -> list:
    """Recorded changes (queries.changes rows) as the price moves they were: no step of 0%; an aggregator's
    corrections (judge.aggregator_correction, a price back within days) left out unless `corrections`, then
    kept and labelled; the same move of one model seen by several sources, under several of its ids or in two
    currencies within days, one event dated by the most credible source (the maker's stated date first) and
    shown in `currency` where the maker publishes in it."""
    from pricewar.answers import timeline

    found = [c for c in timeline.feed(rows) if c.old != c.new]
    found = judged_corrections(db, found)
    if not corrections:
        found = [c for c in found if not c.correction]
    merged = one_event_each(found, currency)
    if min_change is not None:
        merged = [c for c in merged if c.change_pct is not None and abs(c.change_pct) >= min_change]
    if by == "date":
        return sorted(merged, key=lambda c: (c.date, c.provider, c.model, c.kind), reverse=True)
    return sorted(merged, key=lambda c: (c.change_pct if c.change_pct is not None else Decimal(0), c.date))


def judged_corrections(db, found: list) -> list:
    """Each change with its correction reason set: an aggregator's step the maker's own price contradicts, a
    blank, a unit fix; and any step undone within judge.RETURNS_WITHIN days by the same source."""
    pairs = {(c.provider, c.model) for c in found if c.source in queries.AGGREGATORS}
    own = maker_prices(db, pairs)
    said_of = {}
    for change in found:
        key = (change.provider, change.model, change.kind, change.dimensions, change.currency)
        said_of[id(change)] = next((price for start, end, price in own.get(key, ())
                                    if start <= change.date and (end is None or change.date < end)), None)
    # an entry whose step the maker's own price confirms (a copy catching up with a cut) moved: no kind of it that
    # day is a correction
    confirmed = {(c.source, c.provider, c.model, c.date) for c in found if said_of[id(c)] == c.new}
    judged = []
    for change in found:
        said = said_of[id(change)]
        reason = judge.aggregator_correction(change.source, change.old, change.new, said)
        if not reason and said is None and change.source in queries.AGGREGATORS and repointed(db, change) \
                and (change.source, change.provider, change.model, change.date) not in confirmed:
            reason = "alias re-pointed to another snapshot's price"
        judged.append(replace(change, correction=reason))
    # an entry rewritten at once: when one of its kinds was corrected that day, so were the others
    corrected = {(c.source, c.provider, c.model, c.date) for c in judged if c.correction} - confirmed
    judged = [c if c.correction or (c.source, c.provider, c.model, c.date) not in corrected
              else replace(c, correction="corrected with its other prices") for c in judged]
    by_key: dict[tuple, list[int]] = {}
    for number, change in enumerate(judged):
        by_key.setdefault((change.source, change.provider, change.model, change.kind, change.dimensions,
                           change.currency), []).append(number)
    for numbers in by_key.values():
        numbers.sort(key=lambda n: judged[n].date)
        for first, second in zip(numbers, numbers[1:]):
            a, b = judged[first], judged[second]
            if a.old == b.new and a.new == b.old and judge.days_between(a.date, b.date) <= judge.RETURNS_WITHIN:
                judged[first] = replace(a, correction=a.correction or "undone within days")
                judged[second] = replace(b, correction=b.correction or "undoes a slip")
    return judged


def repointed(db, change) -> bool:
    """Whether an aggregator's new price for a moving id (gpt-3.5-turbo) is the price another id of the same model
    (gpt-3.5-turbo-0125) already had that day: the entry was pointed at that snapshot, no price moved."""
    from pricewar.price import DIMENSIONS

    base = judge.base_id(change.model)
    if change.model not in (base, f"{base}-latest"):
        return False  # a dated snapshot names one price: a step of its own is a move
    where = " and ".join(f"{d} = ?" for d in DIMENSIONS)
    rows = db.execute(
        f"select model, per_mtok from prices where provider = ? and model >= ? and model < ? and kind = ? "
        f"and currency = ? and {where} and effective_from < ? and (effective_to is null or effective_to > ?)",
        [change.provider, base, base + "\uffff", change.kind, change.currency, *change.dimensions,
         change.date, change.date])
    return any(model != change.model and judge.base_id(model) == base and Decimal(price) == change.new
               for model, price in rows)


def maker_prices(db, pairs: set[tuple[str, str]]) -> dict[tuple, list[tuple]]:
    """The periods of `pairs` from sources other than aggregators: {key: [(start, end, price)]}."""
    if not pairs:
        return {}
    from pricewar.price import DIMENSIONS

    rows, params = queries.of_pairs(pairs)
    aggregators = ", ".join("?" for _ in queries.AGGREGATORS)
    found: dict[tuple, list[tuple]] = {}
    for row in db.execute(
            f"select p.provider, p.model, p.kind, {', '.join('p.' + d for d in DIMENSIONS)}, p.currency, "
            f"p.effective_from, p.effective_to, p.per_mtok from {rows} where p.source not in ({aggregators})",
            params + list(queries.AGGREGATORS)):
        provider, model, kind, *rest = row
        dims, (currency, start, end, price) = tuple(rest[:len(DIMENSIONS)]), rest[len(DIMENSIONS):]
        found.setdefault((provider, model, kind, dims, currency), []).append((start, end, Decimal(price)))
    return found


def one_event_each(found: list, currency: str | None) -> list:
    """Changes of one model (judge.base_id), kind and tier by the same factor within judge.SAME_EVENT_DAYS,
    whoever saw them and in whichever currency, as one change; and a copy's step between the very amounts of an
    earlier one, however late it copied it (a gateway's table catching up months after the cut)."""
    from pricewar.answers.offers import source_rank

    groups: list[list] = []
    open_groups: dict[tuple, list[list]] = {}
    for change in sorted(found, key=lambda c: c.date):
        key = (change.provider, judge.base_id(change.model), change.kind, change.dimensions, change.correction)
        factor = None if change.old == 0 else change.new / change.old
        group = next((g for g in open_groups.get(key, ()) if judge.same_factor(g[0][0], factor) and (
            judge.days_between(g[1][0].date, change.date) <= judge.SAME_EVENT_DAYS
            or change.source in queries.AGGREGATORS and any(
                (c.currency, c.old, c.new) == (change.currency, change.old, change.new) for c in g[1]))), None)
        if group is None:
            group = [(factor,), []]
            open_groups.setdefault(key, []).append(group)
            groups.append(group)
        group[1].append(change)
    result = []
    for _, members in groups:
        credible = [c for c in members if c.source not in queries.AGGREGATORS] or members
        shown = min(members, key=lambda c: (currency is not None and c.currency != currency,
                                            source_rank(c.source), c.date))
        result.append(replace(
            shown, date=min(c.date for c in credible),
            sources=tuple(sorted({c.source for c in members}, key=source_rank)),
            ids=tuple(sorted({c.model for c in members} - {shown.model}))))
    return result
