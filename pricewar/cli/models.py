"""`pricewar models`: which models the history knows, what each is called, and since when and by whom it is seen."""

from __future__ import annotations

from typing import Annotated, Optional

import typer

from pricewar.answers.judge import model_type as kind_of
from pricewar.answers.names import match
from pricewar.cli.common import (
    DbOption,
    FormatOption,
    LimitOption,
    ProviderOption,
    TypeOption,
    WideOption,
    app,
    handles_errors,
    open_history,
    out,
    pages,
    show,
)
from pricewar.cli.inputs import check_format, check_limit, check_provider, check_type
from pricewar.history import database, queries
from pricewar.output import render


# Sources that never observe whether a model is still sold: the record says what was announced, and the price
# references keep retired models. Whether a model is current is for the others to say, where any ever listed it.
NOT_LISTING = ("catalog", "record", *queries.KEEPS_RETIRED)

# Up to this many models named are looked up by key (two parameters each, far below SQLite's limit); more are
# found among every model's rows.
KEYED = 2000


@app.command()
@handles_errors
@pages
def models(
    patterns: Annotated[Optional[list[str]], typer.Argument(
        help="Model ids, aliases, names or patterns ('glm*'); every model when none.",
        show_default=False)] = None,
    provider: ProviderOption = None,
    model_type: TypeOption = "all",
    limit: LimitOption = None,
    fmt: FormatOption = "table",
    wide: WideOption = False,
    db_path: DbOption = None,
) -> None:
    """List models: id, name, aliases, first and last seen, sources; of every type unless --type, the makers' own
    ids first, then the ids resellers and clouds sell them under."""
    check_format(fmt)
    check_limit(limit)
    wanted = check_type(model_type)
    db = open_history(db_path)
    providers = check_provider(db, provider)
    pairs = match(db, patterns) if patterns else None
    if pairs is not None and providers is not None:
        pairs = {pair for pair in pairs if pair[0] in providers}
    found = known(db, pairs, providers)
    every = len(found)
    if wanted != "all":
        found = [model for model in found if model["type"] == wanted]
    makers = queries.makers(db)
    found.sort(key=lambda m: (m["provider"] not in makers, m["provider_name"].casefold(), m["provider"],
                              m["model"].casefold(), m["model"]))
    shown = found[:limit]
    if fmt in ("json", "csv"):
        render.print_data(out, [model_json(model) for model in shown], fmt)
        return
    grid = render.Grid(["provider", "model", "name", "aliases", "type", "first seen", "last seen", "sources"],
                       title=title(len(found), patterns, wanted, providers),
                       optional=("sources", "type", "first seen", "aliases"), shrink=("name", "aliases", "model"))
    for model in shown:
        grid.rows.append([
            model["provider_name"], model["model"],
            "" if model["name"] == model["model"] else model["name"],  # a reseller's id as its name says nothing more
            ", ".join(model["aliases"]), model["type"], model["first_seen"] or "?",
            "current" if model["current"] else model["last_seen"] or "?", ", ".join(model["sources"]),
        ])
    if len(shown) < len(found):
        grid.notes.append(f"the first {len(shown)} of {len(found)} (--limit)")
    if not found:
        grid.notes.append(why_none(every, pairs, providers, wanted))
    elif any(model["provider"] in makers for model in shown) and any(model["provider"] not in makers for model in shown):
        grid.notes.append("the makers' own ids first, then the ids resellers and clouds sell them under")
    show(grid, fmt, wide)


def title(count: int, patterns: list[str] | None, wanted: str, providers: set[str] | None) -> str:
    """What the table holds: 38 models named 'glm-4*' of zhipu; 138 embedding models."""
    kind = "" if wanted == "all" else f"{wanted} "
    named = f" named {', '.join(repr(p) for p in patterns)}" if patterns else ""
    of = f" of {', '.join(sorted(providers))}" if providers else ""
    return f"{count} {kind}model{'' if count == 1 else 's'}{named}{of}"


def why_none(every: int, pairs: set | None, providers: set[str] | None, wanted: str) -> str:
    if every:
        return f"none of the {every} models found is a {wanted} model (--type all lists every kind)"
    if pairs is not None and providers is not None:
        return f"no model of {', '.join(sorted(providers))} answers to that name (without --provider: every seller's)"
    return "no models known here"


def model_json(model: dict) -> dict:
    return {key: model[key] for key in ("provider", "provider_name", "model", "name", "aliases", "type",
                                        "first_seen", "last_seen", "current", "sources")}


def known(db, pairs: set[tuple[str, str]] | None, providers: set[str] | None) -> list[dict]:
    """The models `pairs` name (every model when None) of the `providers` (every one when None), each with its
    names, type and sightings: two queries, whatever the number of models."""
    today = database.today()
    asked = pairs if pairs is None or len(pairs) <= KEYED else None  # a pattern naming most models: read them all
    seen = {(row["provider"], row["model"]): row for row in sightings(db, asked, providers, today)}
    rows = _rows(db, "models", asked, providers, "m.provider, m.model, m.name, m.aliases, m.type, "
                 "coalesce(pr.name, m.provider) as provider_name", "left join providers pr on pr.id = m.provider")
    found = []
    for row in rows:
        if asked is not pairs and (row["provider"], row["model"]) not in pairs:
            continue
        sighting = seen.get((row["provider"], row["model"]))
        first, last, current = seen_when(sighting, today) if sighting else (None, None, False)
        found.append({
            "provider": row["provider"], "provider_name": row["provider_name"], "model": row["model"],
            "name": row["name"] or row["model"], "aliases": aliases(row["aliases"]),
            "type": kind_of(row["model"], row["type"]), "first_seen": first, "last_seen": last,
            "current": current, "sources": ordered(sighting["sources"] if sighting else None),
        })
    return found


def seen_when(sighting: dict, today: str) -> tuple[str, str | None, bool]:
    """A model's first day (its earliest price in effect, or first seen), its last day (None while current) and
    whether it is current. Where a source that observes listings ever listed it, those sources say whether it
    still is and when it was last seen (the record says what was announced, not what is still sold); else its
    prices do: one in effect today, or the last day of the last one."""
    first = min(sighting["first_effective"] or "9999-12-31", sighting["first_seen"][:10])
    if sighting["listed"]:
        current = bool(sighting["listed_now"])
        return first, None if current else sighting["listing_last"][:10], current
    if sighting["open_now"]:
        return first, None, True
    ends = []
    if sighting["record_end"]:  # effective_to is the first day without the price
        ends.append(today if sighting["record_end"] > today else day_before(sighting["record_end"]))
    if sighting["reference_last"]:
        ends.append(sighting["reference_last"][:10])
    return first, min(today, max(ends)) if ends else None, False


def day_before(day: str) -> str:
    import datetime as dt

    return (dt.date.fromisoformat(day) - dt.timedelta(days=1)).isoformat()


def sightings(db, pairs, providers, today: str) -> list[dict]:
    """Per model: its earliest start and first sighting; whether a source that observes listings has seen it,
    lists it today, and when one last saw it; whether a price of it is in effect today (a copy's open listing
    lasting queries.COPY_ANSWERS_DAYS after it was last seen, as the answers read it); the end of its last price
    in the record, and when a price reference last saw it; its sources. (Seen once per model, as few expressions
    as can be: they cost more than the rows.)"""
    aggregators = ", ".join(map(repr, queries.AGGREGATORS))
    listing = f"p.source not in ({', '.join(map(repr, NOT_LISTING))})"
    now = (f"(p.effective_from <= :today and (p.effective_to is null or p.effective_to > :today) and "
           f"(p.effective_to is not null or p.source not in ({aggregators}) or p.last_seen >= :cutoff))")
    columns = f"""p.provider, p.model, min(p.effective_from) as first_effective, min(p.first_seen) as first_seen,
        max({listing}) as listed, max({listing} and {now}) as listed_now, max({now}) as open_now,
        max(case when {listing} then p.last_seen end) as listing_last,
        max(case when p.source in ('catalog', 'record') then coalesce(p.effective_to, '9999-12-31') end) as record_end,
        max(case when p.source in ({', '.join(map(repr, queries.KEEPS_RETIRED))}) then p.last_seen end)
            as reference_last,
        group_concat(distinct p.source) as sources"""
    return _rows(db, "prices", pairs, providers, columns, "", "group by p.provider, p.model",
                 {"today": today, "cutoff": queries.copy_cutoff(today)})


def _rows(db, table: str, pairs, providers, columns: str, joins: str, tail: str = "", params: dict | None = None):
    """`columns` of `table` (alias its first letter) for the `pairs` (looked up by key) and `providers`."""
    alias = table[0]
    params = dict(params or {})
    rows = f"{table} {alias}"
    if pairs is not None:  # each looked up by key, never found by a scan (as queries.of_pairs, by name)
        keys = sorted(pairs)
        values = ", ".join(f"(:provider_{n}, :model_{n})" for n in range(len(keys))) or "(null, null)"
        rows = (f"(values {values}) wanted join {table} {alias} on {alias}.provider = wanted.column1 "
                f"and {alias}.model = wanted.column2")
        for n, (provider, model) in enumerate(keys):
            params.update({f"provider_{n}": provider, f"model_{n}": model})
    where = ""
    if providers is not None:
        names = [f"only_{n}" for n in range(len(providers))]
        where = f"where {alias}.provider in ({', '.join(':' + n for n in names)})"
        params.update(zip(names, sorted(providers)))
    return database.dicts(db, f"select {columns} from {rows} {joins} {where} {tail}", params)


def aliases(text: str | None) -> list[str]:
    if text in (None, "", "[]"):  # nearly every model: json is imported only for the few with aliases
        return []
    import json

    return json.loads(text)


def ordered(sources: str | None) -> list[str]:
    """The sources of a model, makers' own first: a price recorded by hand, a maker's page, the bundled record,
    then the copies in the order the answers trust them."""
    return sorted(sources.split(","), key=_trusted) if sources else []


_TRUST = {"record": 0, "catalog": 2, **{source: 3 + n for n, source in enumerate(queries.AGGREGATORS)}}


def _trusted(source: str) -> tuple[int, str]:
    return _TRUST.get(source, 1), source  # 1: a maker's own page
