"""The war over time, from recorded rows: the change feed, a model's steps, cumulative cuts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from pricewar.answers.judge import placeholder
from pricewar.answers.offers import DIMENSIONS, label, source_rank, window_rank
from pricewar.history.queries import copy_end

# Flagship and budget models of the price war's main sellers, as the bundled record names them (one this
# database has never heard of is left out of the default war).
WAR_MODELS = (
    ("deepseek", "deepseek-chat"), ("deepseek", "deepseek-reasoner"),
    ("alibaba", "qwen-max"), ("alibaba", "qwen-turbo"), ("alibaba", "qwen-long"),
    ("zhipu", "glm-4-plus"), ("zhipu", "glm-4"), ("zhipu", "glm-3-turbo"),
    ("bytedance", "doubao-pro-32k"), ("bytedance", "doubao-lite-32k"),
    ("baidu", "ernie-4.0-8k"), ("baidu", "ernie-speed"),
    ("moonshot", "moonshot-v1-128k"), ("moonshot", "moonshot-v1-8k"),
    ("tencent", "hunyuan-pro"), ("tencent", "hunyuan-standard-256k"), ("tencent", "hunyuan-lite"),
    ("openai", "gpt-4o"), ("openai", "gpt-4o-mini"), ("openai", "o3"),
    ("anthropic", "claude-3.5-sonnet"), ("anthropic", "claude-3-haiku-20240307"),
    ("google", "gemini-1.5-pro"), ("google", "gemini-1.5-flash"), ("google", "gemini-2.5-flash"),
)
FLAGS = ("UNCERTAIN", "DERIVED", "LISTING", "SCHEDULED")


@dataclass
class Series:
    """A step function: each point holds its value until the next point; None where there is no price."""

    label: str
    points: list[tuple[str, Decimal | None]]

    def at(self, day: str) -> Decimal | None:
        value = None
        for start, amount in self.points:
            if start > day:
                break
            value = amount
        return value


@dataclass(frozen=True)
class Change:
    """One price replaced by another on `date`."""

    date: str
    source: str
    provider: str
    provider_name: str
    model: str
    kind: str
    dimensions: tuple[str, ...]
    currency: str
    old: Decimal
    new: Decimal
    source_url: str
    flags: tuple[str, ...]
    sources: tuple[str, ...] = ()  # every source that saw this change (one event), most trusted first
    ids: tuple[str, ...] = ()  # the model's other ids that changed with it (dated snapshot, -latest)
    correction: str = ""  # why this step is a correction, not a price move ('' for a move)

    @property
    def change_pct(self) -> Decimal | None:
        return None if self.old == 0 else (self.new - self.old) / self.old * 100

    @property
    def label(self) -> str:
        return label(self.model, self.dimensions, self.ids)


def kept(changes: list[Change]) -> list[dict]:
    """Changes as JSON for answers/memo.py: every amount as its exact decimal text."""
    return [{**vars(c), "old": str(c.old), "new": str(c.new)} for c in changes]


def from_kept(data: list[dict]) -> list[Change]:
    """kept()'s changes back, equal to those it was given."""
    return [Change(**{**c, "old": Decimal(c["old"]), "new": Decimal(c["new"]),
                      **{name: tuple(c[name]) for name in ("dimensions", "flags", "sources", "ids")}}) for c in data]


def flags_of(*notes: str | None) -> tuple[str, ...]:
    return tuple(dict.fromkeys(flag for note in notes if note for flag in FLAGS if note.startswith(flag)))


def feed(rows: list[dict], *, min_change: Decimal | None = None, by: str = "change") -> list[Change]:
    """Changes, the same change seen by several sources once (the most trusted), biggest cuts first or by date."""
    best: dict[tuple, Change] = {}
    for row in rows:
        change = Change(
            row["date"], row["source"], row["provider"], row["provider_name"], row["model"], row["kind"],
            tuple(row[d] for d in DIMENSIONS), row["currency"], Decimal(row["old_per_mtok"]),
            Decimal(row["new_per_mtok"]), row["source_url"] or "", flags_of(row["note"], row["old_note"]),
        )
        if min_change is not None and (change.change_pct is None or abs(change.change_pct) < min_change):
            continue
        key = (change.provider, change.model, change.kind, change.dimensions, change.currency, change.date,
               change.old, change.new)
        if key not in best or source_rank(change.source) < source_rank(best[key].source):
            best[key] = change
    changes = list(best.values())
    if by == "date":
        return sorted(changes, key=lambda c: (c.date, c.provider, c.model, c.kind), reverse=True)
    return sorted(changes, key=lambda c: (c.change_pct if c.change_pct is not None else Decimal(0), c.date))


@dataclass(frozen=True)
class Step:
    """One period of one price of one model from one source."""

    source: str
    kind: str
    dimensions: tuple[str, ...]
    currency: str
    price: Decimal
    start: str | None
    end: str | None
    end_reason: str | None
    note: str
    provider: str = ""
    model: str = ""


def steps(rows: list[dict], today: str | None = None) -> list[Step]:
    """The periods of `rows`; a copy's still open when it was last seen ends COPY_ANSWERS_DAYS after that, when
    that is before `today` (an archive that stopped says nothing of now)."""
    result = []
    for r in rows:
        end, reason = r["effective_to"], r["end_reason"]
        if end is None and today is not None and (stale := copy_end(r)) is not None and stale <= today:
            end, reason = stale, f"not seen since {r['last_seen'][:10]}"
        if r["effective_from"] is None or end is None or r["effective_from"] < end:
            result.append(Step(r["source"], r["kind"], tuple(r[d] for d in DIMENSIONS), r["currency"],
                               Decimal(r["per_mtok"]), r["effective_from"], end, reason, r["note"] or "",
                               r["provider"], r["model"]))
    return result


def plain(step: Step) -> bool:
    """Standard service, all day, no context tier, region or mode."""
    return step.dimensions == ("standard", "", "", "", "")


def standard(step: Step) -> bool:
    """Standard service, no context tier, region or mode, at any hours: what `compare` ranks by default, where
    by_trust takes the all-day price, else the peak one, as choose() does."""
    return step.dimensions[:4] == ("standard", "", "", "")


def series_by_source(items: list[Step], kind: str, currency: str, first_day: str) -> list[Series]:
    """One step series per source for `kind` in `currency` (plain dimensions), a gap where a price ended."""
    grouped: dict[str, list[Step]] = defaultdict(list)
    for step in items:
        if step.kind == kind and step.currency == currency and plain(step):
            grouped[step.source].append(step)
    result = []
    for source in sorted(grouped, key=source_rank):
        result.append(Series(source, _points(grouped[source], first_day)))
    return result


def _points(items: list[Step], first_day: str) -> list[tuple[str, Decimal | None]]:
    points: list[tuple[str, Decimal | None]] = []
    for step in sorted(items, key=lambda s: s.start or first_day):
        # an aggregator's zero is a blank in its table, drawn as no price, never as a fall to 0
        points.append((step.start or first_day, None if placeholder(step.source, step.price) else step.price))
        if step.end and not any((other.start or first_day) == step.end for other in items):
            points.append((step.end, None))
    return points


def series_by_model(items: list[Step], kind: str, currency: str, label) -> list[Series]:
    """One series per model for `kind` in `currency` (plain dimensions): on each day, the most trusted source's
    price (by_trust). `label` names a model from its (provider, model)."""
    grouped: dict[tuple[str, str], list[Step]] = defaultdict(list)
    for step in items:
        if step.kind == kind and step.currency == currency and standard(step):
            grouped[(step.provider, step.model)].append(step)
    return [Series(label(pair), [(day, price) for day, price, _ in by_trust(grouped[pair])])
            for pair in sorted(grouped)]


@dataclass(frozen=True)
class Period:
    """One price of one model over one period, with every source that recorded exactly that."""

    step: Step
    sources: tuple[str, ...]


def agreeing(items: list[Step]) -> list[Period]:
    """Steps that several sources agree on once, with their sources, most trusted first: the same model, kind,
    tier, currency and price, ending together (or both in effect); a source that first saw the price later
    saw part of the same period, which starts at its earliest start. The note is the earliest source's."""
    grouped: dict[tuple, list[Step]] = defaultdict(list)
    for step in items:
        grouped[(step.provider, step.model, step.kind, step.dimensions, step.currency, step.price, step.end,
                 step.end_reason)].append(step)
    periods = []
    for group in grouped.values():
        group.sort(key=lambda s: (s.start or "", source_rank(s.source)))
        sources = sorted(dict.fromkeys(s.source for s in group), key=source_rank)
        periods.append(Period(group[0], tuple(sources)))
    return periods


def by_trust(items: list[Step]) -> list[tuple[str, Decimal | None, str | None]]:
    """(day, price, source) each time the answer changes: on each day, the most trusted source with a price
    in effect then answers. A provider's page read today answers from today; before that, the record and
    the archives do."""
    items = [s for s in items if not placeholder(s.source, s.price)]  # an aggregator's blank is no price
    days = sorted({s.start for s in items if s.start} | {s.end for s in items if s.end})
    answers: list[tuple[str, Decimal | None, str | None]] = []
    for day in days:
        live = [s for s in items if (s.start or day) <= day and (s.end is None or day < s.end)]
        # as choose() ranks a day's offers: the most trusted source, its all-day price, else its peak one
        best = min(live, key=lambda s: (source_rank(s.source), window_rank(s.dimensions[4], False),
                                        s.dimensions[4].startswith("off-peak")), default=None)
        answer = (best.price, best.source) if best else (None, None)
        if not answers or answers[-1][1:] != answer:
            answers.append((day, *answer))
    return answers


@dataclass(frozen=True)
class Cut:
    """How far one model's price moved from its price at the start of the window."""

    provider: str
    provider_name: str
    model: str
    currency: str
    source: str
    first: Decimal
    first_date: str
    last: Decimal
    last_date: str
    series: Series

    @property
    def change_pct(self) -> Decimal | None:
        return None if self.first == 0 else (self.last - self.first) / self.first * 100


def cumulative_cut(rows: list[dict], kind: str, since: str, until: str, currency: str) -> Cut | None:
    """A model's cumulative change since `since`, each day from the most trusted source in effect then
    (by_trust), in its own published currency.

    Percentages need no conversion, so a yuan price is followed in yuan: no exchange rate moves the line.
    """
    items = [s for s in steps(rows, until) if s.kind == kind and standard(s)]
    if not items:
        return None
    # followed in the currency its most trusted source publishes (an aggregator's dollars do not
    # replace a maker's yuan), or in `currency` where that source publishes it too
    trusted = min((s.source for s in items), key=source_rank)
    currencies = {s.currency for s in items if s.source == trusted}
    chosen_currency = currency if currency in currencies else sorted(currencies)[0]
    answers = by_trust([s for s in items if s.currency == chosen_currency])
    series = Series(rows[0]["model"], [(day, price) for day, price, _ in answers])
    used = [source for day, price, source in answers if source and day <= until]
    source = ", ".join(dict.fromkeys(used[-1:] + used[:-1]))  # the source answering at the end first

    def at(day: str) -> tuple[str, Decimal] | None:
        price = series.at(day)
        return (day, price) if price is not None else None

    start = at(since) or next(((d, v) for d, v in series.points if since <= d <= until and v is not None), None)
    end = at(until) or next(((d, v) for d, v in reversed(series.points) if d <= until and v is not None), None)
    if start is None or end is None or end[0] < start[0]:
        return None
    kept = [(max(d, since), v) for d, v in series.points if d <= until]
    scaled = Series(series.label, [(d, None if v is None or start[1] == 0 else (v - start[1]) / start[1] * 100)
                                   for d, v in kept])
    return Cut(rows[0]["provider"], rows[0]["provider_name"], rows[0]["model"], chosen_currency, source,
               start[1], start[0], end[1], end[0], scaled)
