"""One id, one model: prices put under the model id the database knows, where a source spells it as one
of its aliases."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import replace
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.price import Price


def canonical_models(db: Database, prices: list[Price]) -> list[Price]:
    """Prices under the model id the database knows, where a source spells it as one of its aliases
    ("claude-opus-4.5" on Anthropic's page is the bundled record's claude-opus-4-5), so that one model
    lines up across sources. An id that is itself a model, or an alias of several, stays as it is.

    An alias joins its model only at the same price: when several ids of one page land on one model,
    the model's own id, then a dated id (claude-3-5-haiku-20241022), then the others in name order
    answer for it, and an id priced differently from that one keeps its own name (a moving
    `-latest` priced unlike the snapshot is another model). The rule does not depend on page order.
    """
    import json

    prices = _makers_ids_in_lower_case(db, prices)
    aliases: dict[tuple[str, str], set[str]] = defaultdict(set)
    for provider, model, model_aliases in db.execute(  # the few aliased models, through m009's partial index
            "select provider, model, aliases from models where aliases != '[]'"):
        for alias in json.loads(model_aliases) if model_aliases else ():
            aliases[(provider, alias.lower())].add(model)
    aliased = {provider for provider, _ in aliases}
    result = [price for price in prices if price.provider not in aliased]  # no alias can move these
    prices = [price for price in prices if price.provider in aliased]
    keys = [(price.provider, price.model.lower()) for price in prices]
    # whether an id the page uses as an alias is also a model's own: only the models of those ids' providers are
    # read (a 100,000-model database is not read whole to line up a page)
    known = {(provider, model.lower()) for provider in {key[0] for key in keys if key in aliases}
             for (model,) in db.execute("select model from models where provider = ?", [provider])}
    groups: dict[tuple[str, str], list[Price]] = {}  # by the model each price lands on
    spelt_otherwise = set()  # the groups where another id lands on a model
    for price, key in zip(prices, keys):
        targets = aliases.get(key, ())
        target = next(iter(targets)) if key not in known and len(targets) == 1 else price.model
        groups.setdefault((price.provider, target), []).append(price)
        if target != price.model:
            spelt_otherwise.add((price.provider, target))
    for (provider, target), group in groups.items():
        if (provider, target) not in spelt_otherwise:  # the common case: one spelling, the model's own
            result += group
            continue
        by_id: dict[str, list[Price]] = defaultdict(list)
        for price in group:
            by_id[price.model].append(price)
        ranked = sorted(by_id, key=lambda model_id: (model_id.lower() != target.lower(), not _DATED.search(model_id),
                                                     model_id))
        answer = {_without_model(p): p.per_mtok for p in by_id[ranked[0]]}
        for model_id in ranked:
            own = by_id[model_id]
            if model_id == target:
                result += own
                continue
            joins = all(answer.get(_without_model(p), p.per_mtok) == p.per_mtok for p in own)
            result += [replace(p, model=target) if joins else p for p in own]
    return result


def _makers_ids_in_lower_case(db: Database, prices: list[Price]) -> list[Price]:
    """A maker's model ids in lower case, as the bundled record writes every one of them: genai-prices' "GLM-4-Air"
    and LiteLLM's "MiniMax-M2" are the record's glm-4-air and minimax-m2, whichever source came first. A
    reseller's ids keep their case ("meta-llama/Llama-3-70B" is a path on its servers)."""
    if all(price.model == price.model.lower() for price in prices):  # nearly every page: nothing to look up
        return prices
    makers = {row[0] for row in db.execute(
        "select distinct provider from prices where source in ('catalog', 'record')")}
    return [replace(price, model=price.model.lower()) if price.provider in makers and price.model != price.model.lower()
            else price for price in prices]


# A snapshot's date in its id: -20241022, -2024-05-13, -0125 (OpenAI's month-day), @20240620.
_DATED = re.compile(r"[-@](?:20\d{2}-?\d{2}-?\d{2}|\d{4})$")


def _without_model(price: Price) -> tuple:
    provider, _, *rest = price.key
    return (provider, *rest)
