"""Reading fetched bodies: a JSON document, or a page's text. Tables in pages: pricewar.tables."""

from __future__ import annotations

import json

from pricewar.price import PricewarError


def read_json(body: bytes, what: str) -> object:
    """The JSON document in `body`; PricewarError naming `what` when it is empty, HTML or cut short."""
    if not body.strip():
        raise PricewarError(f"{what} came back empty — try again later.")
    if body.lstrip()[:1] == b"<":
        raise PricewarError(f"Expected JSON from {what}, got HTML — has it moved?")
    try:
        return json.loads(body)
    except (ValueError, RecursionError):
        # ValueError covers bad JSON and bad UTF-8; RecursionError, absurdly deep nesting.
        raise PricewarError(f"{what} is not valid JSON — was the download cut short? Try again.") from None


def read_text(body: bytes) -> str:
    """A page's text: UTF-8 (a BOM dropped), undecodable bytes replaced, NUL bytes removed (mirrors leave them)."""
    return body.decode("utf-8-sig", errors="replace").replace("\x00", "")
