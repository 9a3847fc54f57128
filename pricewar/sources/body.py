"""Reading fetched bodies: a JSON document, or a page's text. Tables in pages: pricewar.sources.tables."""

from __future__ import annotations

import decimal as decimal_module
import json
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from functools import lru_cache

from pricewar.price import Price, PricewarError, from_float, normalize, plausible
from pricewar.sources.tables import Table, tables

MAX_BYTES = 32 * 1024 * 1024  # what a page may weigh, fetched (sent and decoded, whatever its layers of
# compression) or read from a file


class _TwoValues(Exception):
    """A JSON object names one key twice with different values."""


def _one_value_per_key(pairs: list[tuple[str, object]]) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):  # rare: look at each key only then
        seen: dict = {}
        for key, value in pairs:
            if key in seen and seen[key] != value:
                raise _TwoValues(key)
            seen[key] = value
    return result


# A feed of 100,000 models writes a few hundred distinct numbers a million times: each is read once, and
# the document holds one object per distinct number, not one per mention (half its memory). Both
# are immutable, so sharing one is never seen.
_decimal = lru_cache(maxsize=4096)(Decimal)
_int = lru_cache(maxsize=4096)(int)


def read_json(body: bytes, what: str) -> object:
    """The JSON document in `body`; PricewarError naming `what` when it is empty, HTML or cut short.

    Numbers with a fraction or an exponent are read as exact Decimals, as written (a float would turn
    1e-400 into 0). A key given twice with different values is refused rather than guessed at.
    """
    if not body.strip():
        raise PricewarError(f"{what} came back empty — try again later.")
    if body.lstrip()[:1] == b"<":
        raise PricewarError(f"Expected JSON from {what}, got HTML — has it moved?")
    try:
        return json.loads(body, parse_float=_decimal, parse_int=_int, object_pairs_hook=_one_value_per_key)
    except _TwoValues as error:
        raise PricewarError(f"{what} gives '{error.args[0]}' twice with different values; refusing to guess which")\
            from None
    except (ValueError, RecursionError):
        # ValueError covers bad JSON and bad UTF-8; RecursionError, absurdly deep nesting.
        raise PricewarError(f"{what} is not valid JSON — was the download cut short? Try again.") from None


def json_entries(body: bytes, what: str, not_an_object: str) -> Iterator[tuple[str, object]]:
    """The (key, value) entries of the JSON object in `body`, one at a time, each value read as read_json reads
    one; PricewarError as read_json's, and `not_an_object` when the document is valid JSON but no object. A
    feed of 100,000 models is never held whole as Python objects: each entry is let go once the caller has
    read it (a third of a first load's memory). A key given twice with different values is refused when the
    second comes; the caller records nothing then."""
    from json.decoder import WHITESPACE, JSONDecoder, scanstring

    if not body.strip():
        raise PricewarError(f"{what} came back empty — try again later.")
    if body.lstrip()[:1] == b"<":
        raise PricewarError(f"Expected JSON from {what}, got HTML — has it moved?")
    broken = PricewarError(f"{what} is not valid JSON — was the download cut short? Try again.")
    try:
        text = body.decode(json.detect_encoding(body)).removeprefix("\ufeff")
    except UnicodeDecodeError:
        raise broken from None
    decoder = JSONDecoder(parse_float=_decimal, parse_int=_int, object_pairs_hook=_one_value_per_key)
    skip = WHITESPACE.match
    at = skip(text).end()
    if text[at:at + 1] != "{":
        read_json(body, what)  # says how it is broken, if it is
        raise PricewarError(not_an_object)
    starts: dict[str, int] = {}
    try:
        at = skip(text, at + 1).end()
        closed = text[at:at + 1] == "}"
        at += closed
        while not closed:
            if text[at:at + 1] != '"':
                raise broken
            key, at = scanstring(text, at + 1)
            at = skip(text, at).end()
            if text[at:at + 1] != ":":
                raise broken
            start = skip(text, at + 1).end()
            value, at = decoder.raw_decode(text, start)
            if key in starts and decoder.raw_decode(text, starts[key])[0] != value:  # rare: the earlier read again
                raise _TwoValues(key)
            starts[key] = start
            yield key, value
            at = skip(text, at).end()
            separator = text[at:at + 1]
            if separator not in (",", "}"):
                raise broken
            closed = separator == "}"
            at = skip(text, at + 1).end()
        if skip(text, at).end() != len(text):
            raise broken
    except _TwoValues as error:
        raise PricewarError(f"{what} gives '{error.args[0]}' twice with different values; refusing to guess which")\
            from None
    except (ValueError, RecursionError):
        raise broken from None


def json_price(raw: object) -> Decimal | None:
    """A JSON number as an exact non-negative Decimal that can be a price; None for anything else."""
    if isinstance(raw, Decimal):  # read_json gives every number with a fraction or exponent as written
        value = raw
    elif isinstance(raw, float):
        value = from_float(raw)
    elif isinstance(raw, int) and not isinstance(raw, bool):
        value = Decimal(raw)
    else:
        return None
    if not value.is_finite() or value.is_signed():  # negative, or a -0.0 nobody means
        return None
    try:
        with decimal_module.localcontext() as context:
            # More digits than Decimal holds would be rounded silently: skip such a price instead.
            context.traps[decimal_module.Inexact] = True
            value = normalize(value)
    except ArithmeticError:
        return None
    return value if plausible(value) else None


def read_text(body: bytes) -> str:
    """A page's text: UTF-8 (a BOM dropped), undecodable bytes replaced, NUL bytes removed (mirrors leave them)."""
    return body.decode("utf-8-sig", errors="replace").replace("\x00", "")


LAYOUT_CHANGED = "has its layout changed?"


def unique_prices(found: Iterable[Price], page: str) -> list[Price]:
    """One price per key and start date, in page order; PricewarError when the page prices one thing
    twice, or nothing. (A page may give one model a price until a date and another from it.)"""
    prices: dict[tuple, Price] = {}
    for price in found:
        known = prices.setdefault((price.key, price.effective_from), price)
        if known.per_mtok != price.per_mtok:
            dims = [d for d in price.key[5:] if d] + ([price.service_tier] if price.service_tier != "standard" else [])
            tier = f" ({', '.join(dims)})" if dims else ""
            raise PricewarError(
                f"{page} gives {price.model}{tier} two {price.kind} prices "
                f"({known.published or known.per_mtok} and {price.published or price.per_mtok}) — {LAYOUT_CHANGED}"
            )
    if not prices:
        raise PricewarError(f"no prices found on {page} — {LAYOUT_CHANGED}")
    return list(prices.values())


def check_complete(text: str, page: str) -> None:
    """Refuse a page that ends inside a table: its last row may hold a number cut in half ("$1" of "$1.2")."""
    lines = [line.strip() for line in text.strip().split("\n")]
    last = lines[-1]
    cut_row = last.startswith("|") and not last.endswith("|") and len(lines) > 1 and lines[-2].endswith("|")
    lowered = text.lower()
    if cut_row or lowered.count("<table") > lowered.count("</table"):
        raise PricewarError(f"{page} ends inside a table — was the download cut short? Try again.")


def read_tables(body: bytes, page: str, read_table: Callable[[Table], Iterable[Price]]) -> list[Price]:
    """The prices `read_table` finds in every table of a page, once each; refusing a page cut short."""
    text = read_text(body)
    check_complete(text, page)
    return unique_prices((price for table in tables(text) for price in read_table(table)), page)
