"""What the reports read: the prices in effect on a day, changes, timelines, models by name, who makes
and who sells."""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:  # sqlite-utils is loaded to write, never just to read
    from sqlite_utils import Database

from pricewar.history.database import dicts, once
from pricewar.price import DIMENSIONS


def of_pairs(pairs: set[tuple[str, str]], table: str = "prices", alias: str = "p") -> tuple[str, list]:
    """A FROM clause of `table`'s rows of the (provider, model) `pairs`, and its parameters: each looked up by
    key, never found by a scan."""
    values = ", ".join("(?, ?)" for _ in pairs) or "(null, null)"
    return (f"(values {values}) wanted join {table} {alias} on {alias}.provider = wanted.column1 "
            f"and {alias}.model = wanted.column2", [part for pair in sorted(pairs) for part in pair])


def prices_at(db: Database, date: str, pairs: set[tuple[str, str]] | None = None, *,
              providers: Iterable[str] | None = None, sources: Iterable[str] | None = None,
              not_sources: Iterable[str] = (), model_type: str | None = None,
              dimensions: dict[str, str] | None = None) -> list[dict]:
    """Every price in effect on `date`, with names: of the (provider, model) `pairs`, the `providers`, the
    `sources` only when given, of none of `not_sources`, of models of `model_type` or of no stated type,
    and with the `dimensions` (column: value) when given. Filtering here reads thousands of rows fewer
    than filtering after; only the columns a report shows are read."""
    params: list = []
    rows = "prices p"
    if pairs is not None:
        rows, params = of_pairs(pairs)
    params += [date, date, copy_cutoff(date)]
    only = ""
    for column, values, negate in (("provider", providers, False), ("source", sources, False),
                                   ("source", not_sources or None, True)):
        if values is not None:
            values = sorted(values)
            only += f" and p.{column} {'not ' if negate else ''}in ({', '.join('?' * len(values)) or 'null'})"
            params += values
    if model_type is not None:  # or untyped: answers/judge.py tells an untyped model's type from its id
        only += " and coalesce(m.type, '') in (?, '')"
        params.append(model_type)
    for column, value in (dimensions or {}).items():
        if column not in DIMENSIONS:
            raise ValueError(f"not a dimension: {column}")
        only += f" and p.{column} = ?"
        params.append(value)
    return dicts(
        db,
        f"""
        select p.source, p.provider, p.model, p.kind, {', '.join('p.' + d for d in DIMENSIONS)}, p.currency,
               p.per_mtok, p.effective_from, p.source_url,
               coalesce(pr.name, p.provider) as provider_name, coalesce(m.name, p.model) as model_name,
               coalesce(m.type, '') as model_type
        from {rows}
        left join providers pr on pr.id = p.provider
        left join models m on m.provider = p.provider and m.model = p.model
        where p.effective_from <= ? and (p.effective_to is null or p.effective_to > ?)
          and (p.effective_to is not null or p.last_seen >= ? or p.source not in ({', '.join(map(repr, AGGREGATORS))}))
          {only}
        """,
        params,
    )


# Sources that copy other sellers' prices, most trusted first: feeds kept with dates, the community price maps, a
# reseller's list, the gateways' tables and the hand-kept lists. A copy says a price was in effect *by* the day it
# was seen; its zeros are blanks. Every other source is a maker's own page or record.
AGGREGATORS = ("genai-prices", "llm-prices", "litellm", "tokencost", "models-dev", "openrouter", "onehub-prices",
               "one-hub", "one-api", "llm-price-cny", "llmprice-cn")


# Gateways' default tables and hand-kept lists: they answer for a model asked by name (a copy beats no answer) but
# never rank the whole market, where their converted and stale defaults would crowd out the makers' own prices.
GATEWAYS = ("onehub-prices", "one-hub", "one-api", "llm-price-cny", "llmprice-cn")

# Price references that keep a retired model's last price: that they still list a model says nothing of whether
# it is still sold.
KEEPS_RETIRED = ("genai-prices", "llm-prices")

# A copy's price still open in its last observation answers for this many days after it was last seen, no more: an
# archive that stopped (one-api's table of 2025-02) cannot say what is charged years later.
COPY_ANSWERS_DAYS = 180


def copy_cutoff(date: str) -> str:
    """The earliest "last seen" at which a copy's open price still answers on `date`."""
    import datetime as dt

    return (dt.date.fromisoformat(date[:10]) - dt.timedelta(days=COPY_ANSWERS_DAYS)).isoformat()


def copy_end(row: dict) -> str | None:
    """A period's end as the answers read it: its own, or, for a copy's open one, COPY_ANSWERS_DAYS after it was
    last seen."""
    if row["effective_to"] is not None or row["source"] not in AGGREGATORS or not row.get("last_seen"):
        return row["effective_to"]
    import datetime as dt

    return (dt.date.fromisoformat(row["last_seen"][:10]) + dt.timedelta(days=COPY_ANSWERS_DAYS)).isoformat()


# OpenRouter sells every model it lists itself: its prices are a reseller's, whoever made the model.
RESELLING_SOURCES = ("openrouter",)


def makers(db: Database) -> set[str]:
    """The providers that publish their own prices: those with a price from the bundled record, a
    recorded announcement or their own page. Azure, Bedrock, Together... sell others' models."""
    def read() -> set[str]:  # source by source through the (source, effective_to) index: an aggregator's
        # hundred thousand rows are never read to learn that they name no maker
        sources = [row[0] for row in db.execute("select distinct source from runs") if row[0] not in AGGREGATORS]
        return {row[0] for source in sources
                for row in db.execute("select distinct provider from prices where source = ?", [source])}

    return once(db, "makers", read)


def seller(row: dict) -> str:
    """Who charges a price: OpenRouter for what it lists, else the provider it is stored under."""
    return row["source"] if row["source"] in RESELLING_SOURCES else row["provider"]


def model_names(db: Database) -> list[dict]:
    """Every model with its aliases decoded."""
    return once(db, "model_names", lambda: [_decoded(row) for row in db["models"].rows])


def known_pairs(db: Database, pairs: set[tuple[str, str]]) -> set[tuple[str, str]]:
    """The (provider, model) `pairs` this database knows, looked up by key."""
    if not pairs:
        return set()
    rows, params = of_pairs(pairs, "models", "m")
    return {tuple(row) for row in db.execute(f"select m.provider, m.model from {rows}", params)}


def named_models(db: Database, names: list[str]) -> list[dict]:
    """The models that may answer to `names` (ids, aliases or display names, any case): for plain ASCII names,
    only the rows holding one of them, so that naming a model among 100,000 reads a few rows; for a pattern,
    every model (match_models decides, and asks again of every model when these answer nothing)."""
    wanted = [name.strip().lower() for name in names]
    if not wanted or any(not name.isascii() or any(ch in name for ch in "*?[") for name in wanted):
        return model_names(db)
    import json

    rows = []
    for name in wanted:  # each a lookup through an index of migration m009
        quoted = json.dumps(name)[1:-1]  # as the aliases' JSON writes it
        provider, slash, model = name.partition("/")
        for where in ("model = :name collate nocase", "name = :name collate nocase and name != model",
                      "aliases != '[]' and instr(lower(aliases), :alias)",  # no LIKE: an id of any length
                      *(["provider = :provider and model = :model collate nocase"] if slash else [])):
            rows += dicts(db, f"select * from models where {where}",
                           {"name": name, "alias": f'"{quoted}"', "provider": provider, "model": model})
    return [_decoded(row) for row in {(row["provider"], row["model"]): row for row in rows}.values()]


def _decoded(row: dict) -> dict:
    if row["aliases"] in (None, "", "[]"):  # nearly every model: json is never imported to read a report
        return {**row, "aliases": []}
    import json

    return {**row, "aliases": json.loads(row["aliases"])}


def changes(db: Database, since: str | None, until: str | None, runs: list[int] | None = None, *,
            providers: Iterable[str] | None = None, not_sources: Iterable[str] = (), others: bool = False,
            limit: int = -1) -> list[dict]:
    """Every recorded change whose new price took effect in [since, until] (recorded by `runs` only, when
    given: the rows of other runs are never joined), with provider names: of the `providers` when given and
    of none of `not_sources`, or, with `others`, every change but those; at most `limit`."""
    only = "" if runs is None else f"and c.run_id in ({', '.join(str(int(run)) for run in runs) or 'null'})"
    params: dict = {"since": since, "until": until, "limit": limit}
    sold = "1"
    for column, values, negate in (("provider", providers, False), ("source", not_sources or None, True)):
        if values is not None:
            names = [f"{column}{number}" for number in range(len(values))]
            sold += f" and c.{column} {'not ' if negate else ''}in ({', '.join(':' + n for n in names) or 'null'})"
            params.update(zip(names, sorted(values)))
    return dicts(
        db,
        f"""
        select c.*, coalesce(pr.name, c.provider) as provider_name
        from price_changes c
        left join providers pr on pr.id = c.provider
        where (:since is null or c.date >= :since) and (:until is null or c.date <= :until) {only}
          and {'not' if others else ''} ({sold})
        limit :limit
        """,
        params,
    )


def timelines(db: Database, pairs: set[tuple[str, str]]) -> list[dict]:
    """Every recorded price of the (provider, model) pairs, oldest first."""
    rows = []
    for provider, model in sorted(pairs):
        rows += db.query(
            """
            select p.*, coalesce(pr.name, p.provider) as provider_name, coalesce(m.name, p.model) as model_name
            from prices p
            left join providers pr on pr.id = p.provider
            left join models m on m.provider = p.provider and m.model = p.model
            where p.provider = ? and p.model = ?
            order by p.effective_from, p.id
            """,
            [provider, model],
        )
    return rows
