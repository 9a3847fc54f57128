"""`pricewar compare`: rank the prices in effect on a date, or compare A --vs B."""

from dataclasses import replace
from typing import Annotated, Optional

import typer

from pricewar.answers import moments
from pricewar.answers.market import answering, freshness, one_price, priced_offers, ranking, why_empty
from pricewar.answers.names import match
from pricewar.answers.offers import (
    SHOWN_KINDS,
    KindComparison,
    Offer,
    Selection,
    cheaper_text,
    percent,
    quantize_pct,
    sort_offers,
    versus,
    window_notes,
)
from pricewar.cli.common import (
    AtOption,
    ContextOption,
    CurrencyOption,
    DbOption,
    FormatOption,
    LimitOption,
    MaxOption,
    ModeOption,
    OffPeakOption,
    ProviderOption,
    RegionOption,
    TypeOption,
    ViaOption,
    WideOption,
    app,
    handles_errors,
    open_history,
    out,
    pages,
    show,
)
from pricewar.cli.inputs import (
    check_currency,
    check_format,
    check_limit,
    check_source,
    check_max,
    check_provider,
    check_type,
    check_via,
    parse_blend,
    parse_at,
)
from pricewar.history import database, queries
from pricewar.output import render
from pricewar.price import PricewarError, UsageError, close_matches


@app.command()
@handles_errors
@pages
def compare(
    models: Annotated[Optional[list[str]], typer.Argument(help="Model ids, aliases or patterns (deepseek-*); all when none.")] = None,
    vs: Annotated[Optional[str], typer.Option("--vs", help="Compare the one model named against this one.")] = None,
    at: AtOption = None,
    currency: CurrencyOption = "USD",
    sort: Annotated[str, typer.Option("--sort", help="input, output or blended.")] = "blended",
    blend: Annotated[str, typer.Option("--blend", help="Input:output weights of the blended price.")] = "3:1",
    provider: ProviderOption = None,
    source: Annotated[Optional[str], typer.Option("--source", help="Only this source's view (catalog, deepseek, openrouter, ...).")] = None,
    tier: Annotated[str, typer.Option("--tier", help="Service tier: standard, batch, flex or priority.")] = "standard",
    off_peak: OffPeakOption = False,
    context: ContextOption = None,
    region: RegionOption = None,
    region_a: Annotated[Optional[str], typer.Option("--region-a", help="With --vs: the region of the first model only.")] = None,
    region_b: Annotated[Optional[str], typer.Option("--region-b", help="With --vs: the region of the model after --vs only.")] = None,
    mode: ModeOption = None,
    via: ViaOption = None,
    model_type: TypeOption = "chat",
    unfold: Annotated[bool, typer.Option("--unfold", help="List dated and -latest ids on rows of their own.")] = False,
    max_input: MaxOption = None,
    max_output: MaxOption = None,
    max_blended: MaxOption = None,
    limit: LimitOption = None,
    fmt: FormatOption = "table",
    wide: WideOption = False,
    db_path: DbOption = None,
) -> None:
    """Rank the prices in effect on a date, or compare one model with another (--vs)."""
    from pricewar.price import SERVICE_TIERS

    check_format(fmt)
    date, hours = parse_at(at, "--at", off_peak)
    weights = parse_blend(blend)
    if sort not in ("input", "output", "blended"):
        raise UsageError(f"--sort: '{sort}' is not one of input, output, blended")
    if tier not in SERVICE_TIERS:
        raise UsageError(f"--tier: '{tier}' is not one of {', '.join(SERVICE_TIERS)}")
    check_limit(limit)
    db = open_history(db_path)
    currency = check_currency(db, currency)
    provider_id = check_provider(db, provider)
    via = check_via(db, via)
    region, region_a, region_b = (check_dimension(db, "region", text, option) for text, option in
                                  ((region, "--region"), (region_a, "--region-a"), (region_b, "--region-b")))
    context = check_dimension(db, "context_tier", context, "--context")
    mode = check_dimension(db, "mode", mode, "--mode")
    if (region_a or region_b) and vs is None:
        raise UsageError("--region-a and --region-b choose each side of --vs; use --region for a ranking")
    if check_source(source) is not None:
        if source in queries.RESELLING_SOURCES and via is None:
            via = source  # a reseller's source lists that seller's prices: --source openrouter is --via openrouter
    if vs is not None:
        if not models or len(models) != 1:
            raise UsageError("--vs compares one model with another: name exactly one model before --vs")
        sides = [Selection(source, tier, off_peak, context, side or region, mode, hours) for side in (region_a, region_b)]
        compare_two(db, models[0], vs, date, currency, weights, sides, fmt, via, wide, shared_region=region)
        return

    selection = Selection(source, tier, off_peak, context, region, mode, hours)
    named = match(db, models) if models else None
    kinds = check_type(model_type) if not models or model_type != "chat" else "all"
    if named is not None and via is None:
        offers, resold = answering(db, date, currency, named, provider_id, selection, kinds)
        offers += resold
    else:
        offers, resold = priced_offers(db, date, currency, [], provider_id, selection, via, kinds, pairs=named), []
    ceilings = {"input": check_max(max_input, "--max-input"), "output": check_max(max_output, "--max-output"),
                "blended": check_max(max_blended, "--max-blended")}
    ceilings = {kind: ceiling for kind, ceiling in ceilings.items() if ceiling is not None}
    if ceilings:
        offers = [o for o in offers if all(
            (o.blended(weights) if kind == "blended" else o.prices.get(kind)) is not None
            and (o.blended(weights) if kind == "blended" else o.prices[kind]) <= ceiling
            for kind, ceiling in ceilings.items())]
    judged = ranking(offers, unfold)
    ranked = sort_offers(judged.offers, sort, weights)[:limit]
    if fmt in ("json", "csv"):  # data: the free offers too, after the ranked ones (a table names them in a note)
        rows = [*sort_offers(judged.offers, sort, weights), *judged.free][:limit]
        render.print_data(out, [offer_json(o, weights) for o in rows], fmt)
        return
    blend_name = f"blended {weights[0]}:{weights[1]}"
    # whose price each row is, whenever a row is not its maker's own
    sellers = via == "all" or any(o.seller != o.provider for o in ranked)
    makers_price = maker_blended(judged.offers, weights) if via == "all" else None
    grid = render.Grid(
        ["#", "provider", *(["seller"] if sellers else []), "model", "input", "output", "cache hit", blend_name,
         *(["markup"] if makers_price is not None else []), "currency", "since", "source"],
        right={"#", "input", "output", "cache hit", blend_name, "markup"},
        title=f"{currency} per 1M tokens on {moments.said(date, hours)}",
        optional=("source", "currency", "since", "cache hit", "#"), shrink=("model", "provider"),
    )
    for number, offer in enumerate(ranked, start=1):
        exact = offer.rate is None
        mark = "" if exact else "*"
        blended = offer.blended(weights)
        grid.rows.append([
            str(number), offer.provider_name, *([offer.seller] if sellers else []), offer.label,
            *(render.show_amount(offer.prices.get(kind), exact) + (mark if kind in offer.prices else "")
              for kind in SHOWN_KINDS),
            render.show_amount(blended, exact) + (mark if blended is not None else ""),
            *([markup_text(offer, blended, makers_price)] if makers_price is not None else []),
            offer.currency, offer.effective_from or "?", offer.source,
        ])
    if makers_price is not None:
        grid.notes.append("markup: a reseller's blended price against the maker's own for the same model")
    rates = sorted({o.rate.describe() for o in ranked if o.rate is not None})
    if rates:
        grid.notes.append("* converted at " + "; ".join(rates) + "; other prices as published")
    grid.notes += window_notes(ranked) + judged.notes
    if resold:
        grid.notes.append(f"no maker's price on {date} for {', '.join(sorted({o.model for o in resold}))}: "
                          "a reseller's price answers (the seller column says whose)")
    if not ranked and not judged.free:
        grid.notes.append(why_empty(db, named, date))
    grid.notes += ahead(date) + freshness(db, judged.offers, date, database.today())
    show(grid, fmt, wide)


def maker_blended(items: list[Offer], weights: tuple[int, int]) -> dict[tuple, object]:
    """The makers' own blended prices, by (model, dimensions, currency): what a reseller's markup is measured on."""
    return {(o.model, o.dimensions, o.currency): o.blended(weights) for o in items if own_price(o)}


def own_price(offer: Offer) -> bool:
    """A maker's price from its own page or the record, not a reseller's nor one an aggregator copied."""
    return offer.seller == offer.provider and offer.source not in queries.AGGREGATORS


def markup_text(offer: Offer, blended, makers_price: dict) -> str:
    base = makers_price.get((offer.model, offer.dimensions, offer.currency))
    return "" if own_price(offer) or not base or blended is None else f"{(blended / base - 1) * 100:+.1f}%"


def ahead(date: str) -> list[str]:
    """A note for a date after today: what answers is what is known today, which a later announcement may change."""
    today = database.today()
    return [f"{date} is after today ({today}): these are the prices known today, announced ones included"] \
        if date > today else []


def offer_json(offer: Offer, weights: tuple[int, int]) -> dict:
    service_tier, context_tier, region, mode, time_window = offer.dimensions
    return {
        "provider": offer.provider,
        "provider_name": offer.provider_name,
        "model": offer.model,
        "model_name": offer.model_name,
        "input": offer.prices.get("input"),
        "output": offer.prices.get("output"),
        "cache_hit": offer.prices.get("cache_hit"),
        "blended": offer.blended(weights),
        "currency": offer.currency,
        "unit": "per 1M tokens",
        "published_currency": offer.published_currency,
        "fx": offer.rate.as_json() if offer.rate else None,
        "effective_from": offer.effective_from,
        "service_tier": service_tier,
        "context_tier": context_tier,
        "region": region,
        "mode": mode,
        "time_window": time_window,
        "seller": offer.seller,
        "source": offer.source,
        "source_url": offer.source_url,
        "also_ids": list(offer.also),
    }


def compare_two(db, a_name: str, b_name: str, date: str, currency: str, weights: tuple[int, int],
                selections: list[Selection], fmt: str, via: str | None = None, wide: bool = False,
                shared_region: str | None = None) -> None:
    """A against B, each side chosen on its own: the maker's price, published in `currency` where it is, in its
    own region (a --region given for both sides falls back, on a side priced the same everywhere, to that price)."""
    sides, said = [], []
    for name, selection in zip((a_name, b_name), selections):
        named = match(db, [name])
        moments.one_model(db, name, named, via, "; --vs compares one with one: name it exactly")
        # the maker's own price first; a model only resellers sell is compared at their price
        offer = one_price(db, date, currency, named, selection, via)
        if offer is None and shared_region and selection.region == shared_region:
            everywhere = one_price(db, date, currency, named, replace(selection, region=None), via)
            if everywhere is not None and not everywhere.dimensions[2]:
                offer = everywhere
                said.append(f"{everywhere.model} has one price for every region; --region {shared_region} "
                            "applies to the other side")
        if offer is None:
            raise PricewarError(f"'{name}': {why_empty(db, named, date)}")
        sides.append(offer)
    a, b = sides
    rows = versus(a, b, weights)
    rates = list({o.rate.describe(): o.rate for o in sides if o.rate is not None}.values())
    kinds = [
        {"kind": r.kind, "a_price": r.a_price, "b_price": r.b_price,
         "a_pct_of_b": quantize_pct(r.a_pct_of_b), "a_cheaper_by_pct": quantize_pct(r.a_cheaper_by_pct)}
        for r in rows
    ]
    fx = None if not rates else rates[0].as_json() if len(rates) == 1 else [r.as_json() for r in rates]
    if fmt == "json":
        render.print_json(out, {"a": offer_json(a, weights), "b": offer_json(b, weights), "at": date,
                                "hours_utc": selections[0].hours,
                                "currency": currency, "unit": "per 1M tokens", "fx": fx, "kinds": kinds})
        return
    if fmt == "csv":  # one row per kind of price, each side named
        render.print_data(out, [{"at": date, "a_provider": a.provider, "a_model": a.model, "b_provider": b.provider,
                                 "b_model": b.model, "currency": currency, **kind} for kind in kinds], fmt)
        return
    title = f"{a.label} vs {b.label} · {currency} per 1M tokens · {moments.said(date, selections[0].hours)}"
    if rates:
        title += " · " + "; ".join(r.describe() for r in rates)
    grid = render.Grid(["kind", a.label, b.label, "costs", "cheaper by"], title=title,
                       right={a.label, b.label, "costs", "cheaper by"}, optional=("costs",))
    for r in rows:
        grid.rows.append([r.kind, render.show_amount(r.a_price, a.rate is None),
                          render.show_amount(r.b_price, b.rate is None),
                          percent(r.a_pct_of_b), cheaper_text(r)])
    grid.notes += said + window_notes(sides) + ahead(date) + freshness(db, sides, date, database.today())
    grid.notes.append(versus_sentence(a, b, rows))
    grid.notes.append(f"sources: {a.source} ({a.effective_from or 'start not published'}), "
                      f"{b.source} ({b.effective_from or 'start not published'})")
    show(grid, fmt, wide)


def check_dimension(db, column: str, value: str | None, option: str) -> str | None:
    """A region, context tier or mode some price has; a usage error naming the known ones otherwise."""
    if value is None:
        return None
    known = sorted(row[0] for row in db.execute(f"select distinct {column} from prices where {column} != ''"))
    wanted = value.strip().lower()
    for item in known:
        if item.lower() == wanted:
            return item
    close = close_matches(wanted, known, n=3)
    hint = (f"did you mean {', '.join(close)}?" if close else f"known: {', '.join(known[:20])}" if known
            else f"no price in this database has a {column.replace('_', ' ')}")
    raise UsageError(f"{option}: no price has '{value}' ({hint})")


def versus_sentence(a: Offer, b: Offer, rows: list[KindComparison]) -> str:
    """"DeepSeek deepseek-chat is cheaper than OpenAI gpt-4o by 98.6% on input and 99.1% on output."; a price
    twice the other's or more is said as a multiple: "... is 17.9× the price of ... on input"."""
    cheaper, dearer, times, same = [], [], [], []
    for r in rows:
        pct = r.a_cheaper_by_pct
        if r.kind == "blended" or pct is None:
            continue
        kind = r.kind.replace("_", " ")
        if r.a_pct_of_b >= 200:
            times.append((f"{r.a_pct_of_b / 100:.1f}×", kind))
        else:
            (cheaper if pct > 0 else dearer if pct < 0 else same).append(f"{abs(pct):.1f}% on {kind}")
    a_name, b_name = f"{a.provider_name} {a.model}", f"{b.provider_name} {b.model}"
    clauses = []
    if cheaper:
        clauses.append(f"cheaper than {b_name} by " + " and ".join(cheaper))
    if dearer:
        clauses.append(("dearer by " if clauses else f"dearer than {b_name} by ") + " and ".join(dearer))
    if times:
        whose = "its" if clauses else f"{b_name}'s"
        first, *rest = times
        clauses.append(f"{first[0]} {whose} price on {first[1]}" + "".join(f" and {t} on {k}" for t, k in rest))
    if same:
        clauses.append("the same price on " + " and ".join(s.split(" on ", 1)[1] for s in same))
    if not clauses:
        return f"{a_name} and {b_name} publish no price of the same kind."
    return f"{a_name} is " + ", ".join(clauses) + "."
