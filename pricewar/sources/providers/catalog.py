"""The bundled record of the price war: published prices from dated announcements and pages.

Read from pricewar/catalog/catalog.json inside the package (no network). Every entry names its
provider, model, currency, effective date and sources; see that file's "about".
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from pricewar.price import KINDS, Price, PricewarError, decimal

URLS: tuple[str, ...] = ()
BUNDLED = "catalog.json"


def bundled() -> bytes:
    """The catalog shipped with this version of pricewar."""
    return (Path(__file__).parents[2] / "catalog" / BUNDLED).read_bytes()  # package data


def bundled_digest() -> str:
    """runs.digest(bundled()), as shipped beside it (catalog.json.sha256): a read learns that the database holds
    this record without hashing it, and loading OpenSSL, each time. tests/test_catalog_data.py holds the two
    together."""
    return (Path(__file__).parents[2] / "catalog" / f"{BUNDLED}.sha256").read_text(encoding="ascii").strip()


def _load(body: bytes) -> dict:
    import json

    try:
        data = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise PricewarError(f"the catalog is not valid JSON ({error})") from None
    if not isinstance(data, dict) or not isinstance(data.get("prices"), list):
        raise PricewarError("the catalog has no list of prices")
    return data


def parse(body: bytes) -> list[Price]:
    data = _load(body)
    names = {(m["provider"], m["model"]): m.get("name", "") for m in data.get("models", [])}
    prices = []
    for number, entry in enumerate(data["prices"], start=1):
        if not isinstance(entry, dict) or not entry.get("effective_from"):
            raise PricewarError(f"catalog entry {number} has no effective_from: every price needs the date it began")
        for field in ("effective_from", "effective_to"):
            if entry.get(field) is not None and not _is_date(entry[field]):
                raise PricewarError(f"catalog entry {number}: {field} {entry[field]!r} is not a YYYY-MM-DD date")
        try:
            for kind in KINDS:
                if entry.get(kind) is None:
                    continue
                prices.append(
                    Price(
                        provider=entry["provider"],
                        model=entry["model"],
                        kind=kind,
                        per_mtok=decimal(entry[kind]),
                        currency=entry["currency"],
                        published=str(entry[kind]),
                        time_window=entry.get("time_window", ""),
                        service_tier=entry.get("service_tier", "standard"),
                        context_tier=entry.get("context_tier", ""),
                        region=entry.get("region", ""),
                        mode=entry.get("mode", ""),
                        effective_from=entry.get("effective_from"),
                        effective_to=entry.get("effective_to"),
                        display_name=names.get((entry["provider"], entry["model"]), ""),
                        source_url=" ; ".join(entry.get("source", [])),
                        note=entry.get("note", ""),
                    )
                )
        except (KeyError, TypeError) as error:
            raise PricewarError(f"catalog entry {number} is incomplete ({error})") from None
    return prices


def _is_date(value: object) -> bool:
    try:
        return isinstance(value, str) and date.fromisoformat(value).isoformat() == value
    except ValueError:
        return False


def names(body: bytes) -> tuple[dict[str, str], list[dict]]:
    """Provider display names, and models with their display names and aliases."""
    data = _load(body)
    providers = {pid: info.get("name", pid) for pid, info in data.get("providers", {}).items()}
    return providers, data.get("models", [])
