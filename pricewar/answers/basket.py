"""The price index's basket as data: catalog/basket.json, a versioned list of slots (a maker's flagship or budget
model), each a succession of members that enter on their "from" day, with the rules the index follows written
beside them. Read once, checked on reading: a bad entry is a PricewarError naming it."""

from __future__ import annotations

import datetime
import functools
import json
from dataclasses import dataclass
from importlib import resources

from pricewar.price import PricewarError

FILE = "basket.json"
TIERS = ("flagship", "budget")


@dataclass(frozen=True)
class Slot:
    """The member serving one slot of the basket: `maker`'s `tier` model is `model` since `since` (its from-day)."""

    maker: str
    tier: str  # "flagship" | "budget"
    model: str
    since: str  # the member's from-day


@dataclass(frozen=True)
class Basket:
    """The whole file: its version, written day, blend, rules and each slot's members (in "from" order)."""

    version: int
    written: str
    blend: tuple[int, int]
    rules: tuple[str, ...]
    slots: dict[tuple[str, str], tuple[Slot, ...]]  # (maker, tier) → its members, sorted by (maker, tier)

    def slots_on(self, day: str) -> list[Slot]:
        """The member of every slot on `day`; slots whose first member enters after `day` are absent."""
        found = []
        for members in self.slots.values():
            serving = [member for member in members if member.since <= day]
            if serving:
                found.append(serving[-1])
        return found

    def changes_of_members(self, since: str, until: str) -> list[tuple[str, Slot, Slot | None]]:
        """(day, new member, the member it replaced or None when the slot enters) for each member entering on a
        day from `since` to `until`, both included, in day then (maker, tier) order."""
        found = []
        for members in self.slots.values():
            for before, member in zip((None, *members), members):
                if since <= member.since <= until:
                    found.append((member.since, member, before))
        return sorted(found, key=lambda change: (change[0], change[1].maker, change[1].tier))


@functools.cache
def load() -> Basket:
    """The shipped basket, read and checked once."""
    text = resources.files("pricewar.catalog").joinpath(FILE).read_text(encoding="utf-8")
    return parse(text)


def parse(text: str, where: str = FILE) -> Basket:
    """A basket file's text as a Basket; PricewarError naming the entry when the file breaks a rule of its form."""
    try:
        data = json.loads(text)
    except ValueError as error:
        raise PricewarError(f"{where}: not JSON ({error})") from None
    if not isinstance(data, dict):
        raise PricewarError(f"{where}: expected an object with version, written, blend, rules and slots")
    version, written, blend = data.get("version"), data.get("written"), data.get("blend")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise PricewarError(f"{where}: \"version\" must be a whole number from 1, not {version!r}")
    _day(written, f"{where}: \"written\"")
    if (not isinstance(blend, list) or len(blend) != 2
            or not all(isinstance(w, int) and not isinstance(w, bool) and w >= 0 for w in blend) or sum(blend) == 0):
        raise PricewarError(f"{where}: \"blend\" must be two whole weights [input, output], not {blend!r}")
    rules = data.get("rules")
    if not isinstance(rules, list) or not rules or not all(isinstance(rule, str) and rule for rule in rules):
        raise PricewarError(f"{where}: \"rules\" must be a list of sentences")
    entries = data.get("slots")
    if not isinstance(entries, list) or not entries:
        raise PricewarError(f"{where}: \"slots\" must be a list of slots")
    slots: dict[tuple[str, str], tuple[Slot, ...]] = {}
    for number, entry in enumerate(entries):
        key, members = _slot(entry, f"{where}: slot {number + 1}")
        if key in slots:
            raise PricewarError(f"{where}: slot {number + 1} ({key[0]} {key[1]}) is a second {key[1]} slot of {key[0]}")
        slots[key] = members
    return Basket(version, written, (blend[0], blend[1]), tuple(rules), dict(sorted(slots.items())))


def _slot(entry, where: str) -> tuple[tuple[str, str], tuple[Slot, ...]]:
    if not isinstance(entry, dict):
        raise PricewarError(f"{where}: expected an object with maker, tier and members")
    maker, tier, members = entry.get("maker"), entry.get("tier"), entry.get("members")
    if not isinstance(maker, str) or not maker.strip():
        raise PricewarError(f"{where}: \"maker\" must be a provider id")
    if tier not in TIERS:
        raise PricewarError(f"{where} ({maker}): unknown tier {tier!r}; a tier is one of {', '.join(TIERS)}")
    where = f"{where} ({maker} {tier})"
    if not isinstance(members, list) or not members:
        raise PricewarError(f"{where}: \"members\" must be a list of at least one member")
    found: list[Slot] = []
    for number, member in enumerate(members):
        here = f"{where} member {number + 1}"
        if not isinstance(member, dict):
            raise PricewarError(f"{here}: expected an object with model, from and why")
        model, since, why = member.get("model"), member.get("from"), member.get("why")
        if not isinstance(model, str) or not model.strip():
            raise PricewarError(f"{here}: \"model\" must be a model id")
        _day(since, f"{here} ({model}): \"from\"")
        if not isinstance(why, str) or not why.strip():
            raise PricewarError(f"{here} ({model}): \"why\" must say why the model is the member")
        if found and since <= found[-1].since:
            raise PricewarError(f"{here} ({model}): \"from\" {since} is not after the previous member's "
                                f"({found[-1].model}, {found[-1].since}); members are listed in the order they enter")
        found.append(Slot(maker, tier, model, since))
    return (maker, tier), tuple(found)


def _day(value, where: str) -> None:
    try:
        if not isinstance(value, str) or datetime.date.fromisoformat(value).isoformat() != value:
            raise ValueError
    except ValueError:
        raise PricewarError(f"{where} must be a date YYYY-MM-DD, not {value!r}") from None


def version() -> int:
    """The shipped basket's version."""
    return load().version


def blend() -> tuple[int, int]:
    """The shipped basket's blend: (input weight, output weight)."""
    return load().blend


def slots_on(day: str) -> list[Slot]:
    """The member of every slot of the shipped basket on `day` (slots not yet entered are absent), sorted by
    (maker, tier)."""
    return load().slots_on(day)


def changes_of_members(since: str, until: str) -> list[tuple[str, Slot, Slot | None]]:
    """(day, new member, the member it replaced or None) for each member of the shipped basket entering from
    `since` to `until`, both included."""
    return load().changes_of_members(since, until)
