"""What answers at a moment rather than on a day: the hours a time-of-day price holds (DeepSeek's peak and
off-peak), the one model a name stands for, and the days on which a model's judged answer can change (so that a
usage log of many events is judged once per stretch of days, not once per event)."""

from __future__ import annotations

import datetime as dt
import functools
import re

from pricewar.history import queries
from pricewar.price import PricewarError, UsageError, brief

# "peak UTC 01:00-04:00,06:00-10:00", "off-peak UTC 16:30-00:30", "off-peak outside peak UTC 01:00-04:00,...":
# a name, the hours it holds (or, with "outside", the hours it does not), always in UTC.
_WINDOW = re.compile(r"^(?P<name>\S+)(?P<outside> outside \S+)? UTC (?P<hours>\d\d:\d\d-\d\d:\d\d(?:,\d\d:\d\d-\d\d:\d\d)*)$")


@functools.lru_cache(maxsize=64)
def _hours(window: str) -> tuple[bool, tuple[tuple[str, str], ...]] | None:
    found = _WINDOW.match(window)
    if found is None:
        return None
    spans = tuple(tuple(span.split("-")) for span in found["hours"].split(","))
    return bool(found["outside"]), spans


@functools.lru_cache(maxsize=4096)
def in_window(window: str, hours: str) -> bool:
    """Whether the UTC time of day `hours` ("17:05") falls in a price's time window; a span may run past
    midnight (16:30-00:30), and each ends just before its last minute. False for a window not written as hours."""
    parsed = _hours(window)
    if parsed is None:
        return False
    outside, spans = parsed
    inside = any(start <= hours < end if start < end else hours >= start or hours < end for start, end in spans)
    return inside != outside


def when(at: object, what: str = "at") -> tuple[str, str | None]:
    """A moment as (UTC day, UTC time of day or None): a date ("2025-03-01", a datetime.date) is the whole day; a
    time ("2025-03-01T17:05Z", "2025-03-02T01:05+08:00", a datetime, naive ones read as UTC) also says which
    hours' price applies. PricewarError of one sentence for anything else."""
    moment = at
    if isinstance(at, str):
        text = at.strip()
        try:
            if len(text) == 10:
                return dt.date.fromisoformat(text).isoformat(), None
            moment = dt.datetime.fromisoformat(text.replace("z", "Z")) if 10 < len(text) <= 40 else None
        except ValueError:
            moment = None
    if isinstance(moment, dt.datetime):
        if moment.utcoffset():
            try:
                moment = moment.astimezone(dt.timezone.utc)
            except OverflowError:
                raise PricewarError(f"{what}: '{brief(at)}' is outside the calendar") from None
        return moment.date().isoformat(), f"{moment.hour:02d}:{moment.minute:02d}"
    if isinstance(moment, dt.date):
        return moment.isoformat(), None
    raise PricewarError(f"{what}: '{brief(at)}' is not a date or time (use YYYY-MM-DD or 2025-03-01T17:05Z, a "
                        "time in UTC unless it names an offset such as +08:00)")


def said(day: str, hours: str | None) -> str:
    """The moment as a title says it: "2025-03-01" or "2025-03-01 17:05 UTC"."""
    return day if hours is None else f"{day} {hours} UTC"


def one_model(db, name: str, named: set[tuple[str, str]], via: str | None = None,
              ask: str = ": name one exactly") -> set[tuple[str, str]]:
    """The ids `name` matched, when they are one model: the maker's own id over a reseller's copies of it (the
    maker's gpt-4o, not Azure's) unless a seller is asked for; UsageError asking which (`ask` says how), when a
    pattern names several models."""
    makers = queries.makers(db) if via is None else set()
    matched = {pair for pair in named if pair[0] in makers} or named
    if len(matched) > 1:
        shown = sorted(f"{provider}/{model}" for provider, model in matched)
        more = f" and {len(shown) - 8} more" if len(shown) > 8 else ""
        raise UsageError(f"'{name}' names {len(shown)} models ({', '.join(shown[:8])}{more}){ask}")
    return named


def turning_days(db, pairs: set[tuple[str, str]]) -> list[str]:
    """Every day on which what answers for `pairs` can change, sorted: a price starts or ends, a copy's open
    price stops answering (queries.copy_cutoff) or stops counting as listed (market.with_delisting). Between two
    of these days, the judged answer is the same but for the day's exchange rate."""
    if not pairs:
        return []
    rows, params = queries.of_pairs(pairs)
    later = f"+{queries.COPY_ANSWERS_DAYS} days"
    days = set()
    for start, end, after in db.execute(
            f"select p.effective_from, p.effective_to, date(p.last_seen, '{later}') from {rows}", params):
        days.update(day for day in (start, end) if day)
        if after:  # the day a copy last seen then no longer answers, and the day after
            days.update((after, (dt.date.fromisoformat(after) + dt.timedelta(days=1)).isoformat()))
    return sorted(days)


def windows(db, pairs: set[tuple[str, str]]) -> tuple[str, ...]:
    """The time windows the prices of `pairs` have ("" for all day left out), sorted: at two times inside the
    same of these, the same price answers."""
    if not pairs:
        return ()
    rows, params = queries.of_pairs(pairs)
    return tuple(window for (window,) in db.execute(
        f"select distinct p.time_window from {rows} where p.time_window != '' order by 1", params))
