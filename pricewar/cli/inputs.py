"""What the user typed, checked: a date, a currency, a provider, a model name, a format. Anything wrong is
a UsageError of one sentence, naming the option and the closest known values."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal

from pricewar.history import database, queries
from pricewar.output import render
from pricewar.price import DAY, EARLIEST, WAR_STARTS, PricewarError, UsageError, brief, close_matches, day, moment


def first_of_month(text: str) -> str:
    """A month given as YYYY-MM is its first day, as a date people write for it ("since 2024-05")."""
    return f"{text}-01" if len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit() else text


def parse_date(text: str | None, option: str) -> str:
    """A day given as YYYY-MM-DD (or a month, YYYY-MM: its first day), checked as every stored day is (price.day);
    today when none is given."""
    if text is None:
        return database.today()
    try:
        return day(first_of_month(text.strip()), option)
    except PricewarError as error:
        raise UsageError(str(error)) from None


def parse_at(text: str | None, option: str = "--at", off_peak: bool = False) -> tuple[str, str | None]:
    """A day, or a time whose hours choose among time-of-day prices (answers/moments.when): (UTC day, "HH:MM" or
    None); today when none is given. A time and --off-peak both choose the hours: one of them, not both."""
    if text is None or len(text.strip()) <= 10:
        return parse_date(text, option), None
    from pricewar.answers import moments

    try:
        date, hours = moments.when(text, option)
    except PricewarError as error:
        raise UsageError(str(error)) from None
    if off_peak:
        raise UsageError(f"{option} {text.strip()} names the hours; leave out --off-peak (or give a day)")
    return parse_date(date, option), hours


_SPAN = re.compile(r"^([0-9]{1,6})([dwmy])$")
_SPAN_DAYS = {"d": 1, "w": 7, "m": 30, "y": 365}


def parse_since(text: str | None, default: str | None = None) -> str | None:
    """A start date from a date or a span; UsageError when it lies in the future."""
    if text is None:
        return default
    span = _SPAN.match(text.strip().lower())
    if span:
        days = int(span.group(1)) * _SPAN_DAYS[span.group(2)]
        try:
            start = (dt.date.fromisoformat(database.today()) - dt.timedelta(days=days)).isoformat()
        except (OverflowError, ValueError):
            start = "0001-01-01"
        return max(start, EARLIEST)  # "the last 10 years": every price there is
    text = first_of_month(text.strip())
    if not DAY.fullmatch(text):
        raise UsageError(f"--since: '{brief(text)}' is not a date, a span like 30d, or last-update")
    if text.strip() > database.today():
        raise UsageError(f"--since: {text.strip()} is in the future")
    return parse_date(text, "--since")


def parse_window(since: str | None, until: str | None, default: str | None = WAR_STARTS) -> tuple[str, str]:
    """--since (a date or a span; `default` when not given) and --until (today when not given), in order."""
    start = parse_since(since, default)
    end = parse_date(until, "--until")
    if start > end:
        raise UsageError(f"--since {start} is after --until {end}")
    return start, end


def parse_moment(text: str, option: str) -> str:
    """A time given as YYYY-MM-DD or an ISO date and time (UTC unless it names an offset), as stored: UTC, to the
    second, checked as every stored time is (price.moment)."""
    try:
        return moment(text, option, database.now())
    except PricewarError as error:
        raise UsageError(str(error)) from None


def check_format(fmt: str) -> str:
    if fmt not in render.FORMATS:
        raise UsageError(f"--format: '{fmt}' is not one of {', '.join(render.FORMATS)}")
    return fmt


def check_kind(kind: str) -> str:
    from pricewar.price import KINDS

    if kind not in KINDS:
        raise UsageError(f"--kind: '{kind}' is not one of {', '.join(KINDS)}")
    return kind


def check_limit(limit: int | None) -> int | None:
    if limit is not None and limit < 1:
        raise UsageError("--limit: must be at least 1")
    return limit


def parse_blend(text: str) -> tuple[int, int]:
    try:
        a, b = (int(part) for part in text.split(":"))
        if a < 0 or b < 0 or a + b == 0:
            raise ValueError
    except ValueError:
        raise UsageError(f"--blend: '{text}' is not a ratio like 3:1 (input:output)") from None
    return a, b


def check_currency(db, currency: str) -> str:
    """The upper-case code of a currency with ECB rates; a usage error naming the known ones otherwise."""
    from pricewar.history import fx

    try:
        return fx.check_currency(db, currency)
    except PricewarError as error:
        raise UsageError(f"--currency: {error}") from None


def known_providers(db) -> dict[str, str]:
    return {row["id"]: row["name"] for row in db["providers"].rows}


def check_provider(db, providers: list[str] | None) -> set[str] | None:
    """The provider ids named (by id or name, any case; repeated or comma-separated); None for all."""
    if not providers:
        return None
    from pricewar.price import canonical_provider

    names = known_providers(db)
    found = set()
    for given in (part.strip() for text in providers for part in text.split(",") if part.strip()):
        wanted = canonical_provider(given)
        pid = next((pid for pid, name in names.items() if wanted in (pid, name.lower())), None)
        if pid is None:
            close = close_matches(wanted, sorted(names), n=3)
            makers = sorted(queries.makers(db))
            hint = f"; did you mean {', '.join(close)}?" if close else \
                f" (the makers: {', '.join(makers)}; `pricewar models` lists every seller's models)"
            raise UsageError(f"unknown provider '{given}'{hint}")
        found.add(pid)
    return found or None


def check_max(text: str | None, option: str) -> Decimal | None:
    if text is None:
        return None
    from pricewar.price import decimal

    try:
        value = decimal(text)
    except PricewarError:
        raise UsageError(f"{option}: '{text}' is not a number") from None
    if value < 0:
        raise UsageError(f"{option}: {text} is below 0")
    return value


def check_via(db, via: str | None) -> str | None:
    if via is None or via == "all":
        return via
    wanted = via.strip().lower()
    sellers = {*queries.RESELLING_SOURCES, *(row[0] for row in db.execute("select distinct provider from prices"))}
    if wanted not in sellers:  # the resellers and clouds first: "openroute" is openrouter, not the model open-r1
        close = close_matches(wanted, sorted(queries.RESELLING_SOURCES), n=3) or close_matches(
            wanted, sorted(sellers), n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise UsageError(f"--via: no prices sold by '{via}'{hint}")
    return wanted


def check_source(source: str | None) -> str | None:
    """A source named to filter by (a module of pricewar/sources/providers, or the record); a usage error with the
    closest ones otherwise."""
    if source is None:
        return None
    from pricewar.sources import providers

    known = [*providers.names(), "record"]
    if source not in known:
        close = close_matches(source, known, n=3)
        hint = f"; did you mean {', '.join(close)}?" if close else f" (known: {', '.join(known)})"
        raise UsageError(f"--source: unknown source '{brief(source)}'{hint}")
    return source


def check_type(model_type: str) -> str:
    from pricewar.price import MODEL_TYPES

    if model_type not in (*MODEL_TYPES, "all"):
        raise UsageError(f"--type: '{model_type}' is not one of {', '.join(MODEL_TYPES)}, all")
    return model_type
